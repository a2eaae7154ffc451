import NotificationTriage

/// The synthetic people and places the generator draws from, kept compact (numbers and table indices,
/// not strings) because the pool of active households can hold hundreds of thousands of entries at the
/// benchmark's rates. Strings are made only when an `Incident` is yielded.
///
/// Nothing here is real: names are built by pairing entries of small invented-looking first/last-name
/// lists at random, ids are sequence numbers, UPRNs random 12-digit numbers, postcodes random letters
/// in the UK shape, school URNs random 6-digit numbers.

/// An adult (victim or perpetrator).
struct AdultRecord {
    /// Sequence number behind `P-0000123`.
    var seq: UInt32
    /// Index into `NameTable.full`.
    var name: UInt16
    var female: Bool
    /// Day number of the date of birth, or `Int32.min` when not known.
    var dob: Int32
    /// `P-0000123`, made once (a small string: stored inline, no allocation).
    var id: String
}

/// A child of the household.
struct ChildRecord {
    /// Sequence number behind `C-0000456`.
    var seq: UInt32
    var name: UInt16
    var dob: Int32
    /// Day number of the 4th birthday: no school URN before it.
    var schoolFrom: Int32
    /// Six-digit school URN, or 0 for a child with no school recorded.
    var urn: UInt32
}

/// A household's address identity.
struct HomeRecord {
    /// Sequence number behind `H-00042`.
    var seq: UInt32
    /// Which identity fields the force sends: 0 uprn + postcode, 1 uprn + postcode + household id,
    /// 2 postcode only.
    var mode: UInt8
    var uprn: UInt64
    /// Packed postcode: area index, district, sector digit, two unit letters.
    var postcode: UInt32
    /// The identity fields as sent, made once (small strings).
    var uprnText: String?
    var postcodeText: String
    var householdText: String?
}

/// Up to four children, stored inline so a household needs no heap allocation.
struct ChildSet {
    var count: UInt8 = 0
    var c0 = ChildRecord(seq: 0, name: 0, dob: 0, schoolFrom: 0, urn: 0)
    var c1 = ChildRecord(seq: 0, name: 0, dob: 0, schoolFrom: 0, urn: 0)
    var c2 = ChildRecord(seq: 0, name: 0, dob: 0, schoolFrom: 0, urn: 0)
    var c3 = ChildRecord(seq: 0, name: 0, dob: 0, schoolFrom: 0, urn: 0)

    subscript(i: Int) -> ChildRecord {
        get {
            switch i {
            case 0: c0
            case 1: c1
            case 2: c2
            default: c3
            }
        }
        set {
            switch i {
            case 0: c0 = newValue
            case 1: c1 = newValue
            case 2: c2 = newValue
            default: c3 = newValue
            }
        }
    }

    mutating func append(_ c: ChildRecord) {
        guard count < 4 else { return }
        self[Int(count)] = c
        count += 1
    }
}

/// A victim–perpetrator pair in a household: the unit that repeats.
struct Dyad {
    var victim: AdultRecord
    var perpetrator: AdultRecord
    var home: HomeRecord
    var relationship: Relationship
    var children: ChildSet
    /// Repeat incidents still to come for this pair.
    var remaining: UInt16
    /// Mean gap, in days, between this pair's repeats.
    var gapDays: Float
    /// Day number until which the victim is pregnant (exclusive); `Int32.min` when not.
    var pregnantUntil: Int32
}

/// The name lists and every first + last combination, built once per generator.
struct NameTable {
    static let femaleFirst = [
        "Amelia", "Olivia", "Isla", "Ava", "Mia", "Grace", "Sophie", "Emily", "Ella", "Lily", "Chloe", "Jessica",
        "Hannah", "Lucy", "Megan", "Zoë", "Siobhán", "Aisha", "Priya", "Fatima", "Niamh", "Kayleigh", "Stacey",
        "Leanne", "Gemma", "Danielle", "Claire", "Nicola", "Sarah", "Karen", "Joanne", "Michelle", "Lauren",
        "Rebecca", "Amy", "Charlotte", "Holly", "Jade", "Bethany", "Roxanne",
    ]
    static let maleFirst = [
        "Oliver", "Jack", "Harry", "George", "Noah", "Charlie", "Jacob", "Thomas", "Oscar", "James", "William",
        "Leo", "Alfie", "Joshua", "Freddie", "Archie", "Ethan", "Isaac", "Mohammed", "Ravi", "Kieran", "Liam",
        "Connor", "Dean", "Wayne", "Lee", "Craig", "Darren", "Jason", "Mark", "Paul", "Stephen", "Gary",
        "Ryan", "Jordan", "Kyle", "Callum", "Reece", "Bradley", "Tomás",
    ]
    static let last = [
        "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Robinson", "Wright",
        "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall", "Wood", "Jackson", "Clarke",
        "Patel", "Khan", "Lewis", "James", "Phillips", "Mason", "Mitchell", "Rose", "Davis", "Rodriguez",
        "Cox", "Alexander", "Morgan", "Moore", "Mills", "Price", "Owen", "Hughes", "Ali", "Begum", "O'Brien",
        "O'Neill", "McDonald", "Kowalski", "Nowak", "Smith-Jones", "Ahmed", "Hussain", "Murphy", "Kelly",
        "Bennett", "Gray", "Shaw", "Lloyd", "Ellis", "Marsh", "Fletcher", "Pearce", "Holt", "Doyle",
    ]

    /// Full names: all female first names × last names, then all male ones.
    let full: [String]

    init() {
        var names: [String] = []
        names.reserveCapacity((NameTable.femaleFirst.count + NameTable.maleFirst.count) * NameTable.last.count)
        for f in NameTable.femaleFirst { for l in NameTable.last { names.append(f + " " + l) } }
        for f in NameTable.maleFirst { for l in NameTable.last { names.append(f + " " + l) } }
        full = names
    }

    static var femaleCount: Int { femaleFirst.count * last.count }
    static var maleCount: Int { maleFirst.count * last.count }

    /// A random name index; a child usually shares a last name with the victim.
    static func random(female: Bool, lastLike: UInt16? = nil, rng: inout SeededGenerator) -> UInt16 {
        let firstCount = female ? femaleFirst.count : maleFirst.count
        let first = rng.below(firstCount)
        let lastIndex = lastLike.map { Int($0) % last.count } ?? rng.below(last.count)
        let base = female ? 0 : femaleCount
        return UInt16(base + first * last.count + lastIndex)
    }
}

/// Postcode areas used for synthetic postcodes (a mix of county and city areas).
let postcodeAreas: [String] = ["NN", "MK", "LE", "PE", "CV", "OX", "B", "M", "LS", "S", "NG", "DE"]
/// Letters allowed in a postcode's inward unit (no C, I, K, M, O, V).
let postcodeUnitLetters: [UInt8] = Array("ABDEFGHJLNPQRSTUWXYZ".utf8)

enum Places {
    /// A random 12-digit UPRN.
    static func uprn(_ rng: inout SeededGenerator) -> UInt64 {
        100_000_000_000 + UInt64(rng.below(900_000_000_000))
    }

    /// A random packed postcode, in `area` when given (people tend to move locally).
    static func postcode(area: Int? = nil, _ rng: inout SeededGenerator) -> UInt32 {
        let a = area ?? rng.below(postcodeAreas.count)
        let district = 1 + rng.below(30)
        let sector = rng.below(10)
        let u1 = rng.below(postcodeUnitLetters.count)
        let u2 = rng.below(postcodeUnitLetters.count)
        return UInt32(a) << 24 | UInt32(district) << 16 | UInt32(sector) << 10 | UInt32(u1) << 5 | UInt32(u2)
    }

    static func area(ofPostcode p: UInt32) -> Int { Int(p >> 24) }

    /// A random six-digit school URN (one of a few hundred schools per postcode area, so siblings and
    /// neighbours share schools).
    static func schoolURN(area: Int, _ rng: inout SeededGenerator) -> UInt32 {
        UInt32(100_000 + area * 4_000 + rng.below(400) * 7)
    }
}

/// `prefix` followed by `number` zero-padded to at least `width` digits (`INC-000001`), built in place:
/// strings of 15 bytes or fewer are stored inline, so this does not allocate.
@inline(__always)
func makeID(_ prefix: StaticString, _ number: Int, width: Int) -> String {
    var digits = 1
    var t = number / 10
    while t > 0 {
        digits += 1
        t /= 10
    }
    digits = Swift.max(digits, width)
    let n = prefix.utf8CodeUnitCount
    return String(unsafeUninitializedCapacity: n + digits) { buf in
        var cursor = ByteCursor(p: buf.baseAddress!)
        cursor.put(prefix)
        cursor.digits(number, width: digits)
        return n + digits
    }
}

/// The `NN1 4AB` text of a packed postcode.
@inline(__always)
func makePostcode(_ p: UInt32) -> String {
    String(unsafeUninitializedCapacity: 8) { buf in
        var cursor = ByteCursor(p: buf.baseAddress!)
        postcodeAreas[Int(p >> 24)].utf8.withContiguousStorageIfAvailable { cursor.put($0) }
        cursor.int(Int(p >> 16 & 0xFF))
        cursor.put(UInt8(ascii: " "))
        cursor.int(Int(p >> 10 & 0x3F))
        cursor.put(postcodeUnitLetters[Int(p >> 5 & 0x1F)])
        cursor.put(postcodeUnitLetters[Int(p & 0x1F)])
        return cursor.p - buf.baseAddress!
    }
}
