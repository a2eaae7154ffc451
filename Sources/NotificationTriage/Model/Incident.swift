/// An adult named on a notification (the victim or the perpetrator).
public struct Person: Sendable, Equatable {
    /// The force's person identifier (`victim_id`, `perpetrator_id`).
    public var personID: String
    /// Full name (`victim_name`, `perpetrator_name`); personal data, never logged.
    public var name: String
    /// Date of birth (`victim_dob`, `perpetrator_dob`), when known.
    public var dateOfBirth: CivilDate?
    /// Whether the person is pregnant (`victim_pregnant`); always false for a perpetrator.
    public var pregnant: Bool

    /// Creates a person.
    public init(personID: String, name: String = "", dateOfBirth: CivilDate? = nil, pregnant: Bool = false) {
        self.personID = personID
        self.name = name
        self.dateOfBirth = dateOfBirth
        self.pregnant = pregnant
    }
}

/// A child linked to an incident (one `child_*` row in the CSV schema, one `children[]` entry in JSON Lines).
public struct Child: Sendable, Equatable {
    /// The force's person identifier (`child_id`).
    public var personID: String
    /// Full name (`child_name`); personal data, never logged.
    public var name: String
    /// Date of birth (`child_dob`), when known.
    public var dateOfBirth: CivilDate?
    /// Whether the child was present at the incident (`child_present`).
    public var present: Bool
    /// The school's unique reference number (`child_school_urn`), when known.
    public var schoolURN: String?
    /// Whether the child was injured (`child_injured`).
    public var injured: Bool
    /// What the record says about the child's education (`child_education`, or `EHE` as the school URN),
    /// when it says anything.
    public var education: Education?
    /// The voice of the child (`child_voice`): what the child said or how they seemed; personal data, sent
    /// only to destinations whose `fields` list it, never logged.
    public var voice: String?

    /// No bytes: keeps the compiler's memberwise initializer, which the public one calls (see `Incident.built`).
    private var built = Built()
    private struct Built: Sendable, Equatable {}
}

extension Child {
    /// Creates a child.
    public init(
        personID: String, name: String = "", dateOfBirth: CivilDate? = nil, present: Bool = false,
        schoolURN: String? = nil, injured: Bool = false, education: Education? = nil, voice: String? = nil
    ) {
        self.init(
            personID: personID, name: name, dateOfBirth: dateOfBirth, present: present, schoolURN: schoolURN,
            injured: injured, education: education, voice: voice, built: Built())
    }
}

/// One police domestic-abuse incident notification: the unit the screener takes, one at a time.
///
/// Field names follow the canonical CSV/JSON Lines schema (`incident_id`, `occurred_at`, …).
public struct Incident: Sendable, Equatable {
    /// The police reference (`incident_id`); the same id seen twice is a re-sent or re-graded notification.
    public var incidentID: String
    /// When the incident occurred (`occurred_at`).
    public var occurredAt: Instant
    /// Unique property reference number (`uprn`).
    public var uprn: String?
    /// Postcode (`postcode`).
    public var postcode: String?
    /// The force's household identifier (`household_id`).
    public var householdID: String?
    /// The adult victim.
    public var victim: Person
    /// The perpetrator, when known.
    public var perpetrator: Person?
    /// How victim and perpetrator are connected.
    public var relationship: Relationship?
    /// The DASH risk grading.
    public var dashRisk: DashRisk
    /// The DASH score (0–27), when recorded.
    public var dashScore: Int?
    /// Known risk flags.
    public var flags: RiskFlags
    /// Flags not in the known vocabulary, kept by name (lower-case) so nothing is lost.
    public var unknownFlags: [String]
    /// The children linked to the incident, in input order.
    public var children: [Child]
    /// Where the incident happened (`location`: an address or place), when the input carries it; sent only
    /// to destinations whose `fields` list it.
    public var location: String?
    /// What happened (`circumstances`), when the input carries it; sent only to destinations whose `fields`
    /// list it, never logged.
    public var circumstances: String?

    /// No bytes, no value: it keeps the compiler's memberwise initializer (which takes it, so its signature
    /// is not the public one's), which ``init(incidentID:occurredAt:uprn:postcode:householdID:victim:perpetrator:relationship:dashRisk:dashScore:flags:unknownFlags:children:location:circumstances:)``
    /// calls. An initializer that assigns each field itself builds the incident in a slot on the stack and
    /// returns it with a retain and a release of every string and array in it, which the optimizer does not
    /// cancel for a value this size: once per incident read.
    private var built = Built()
    private struct Built: Sendable, Equatable {}
}

extension Incident {
    /// Creates an incident.
    public init(
        incidentID: String, occurredAt: Instant, uprn: String? = nil, postcode: String? = nil,
        householdID: String? = nil, victim: Person, perpetrator: Person? = nil,
        relationship: Relationship? = nil, dashRisk: DashRisk, dashScore: Int? = nil,
        flags: RiskFlags = [], unknownFlags: [String] = [], children: [Child] = [], location: String? = nil,
        circumstances: String? = nil
    ) {
        self.init(
            incidentID: incidentID, occurredAt: occurredAt, uprn: uprn, postcode: postcode, householdID: householdID,
            victim: victim, perpetrator: perpetrator, relationship: relationship, dashRisk: dashRisk,
            dashScore: dashScore, flags: flags, unknownFlags: unknownFlags, children: children, location: location,
            circumstances: circumstances, built: Built())
    }

    /// A field of child `i`, read in place: `children[i].field` copies the whole child (its strings retained
    /// and released) to read one field, which on the writers' and the screener's paths is once per field.
    @inline(__always)
    func childField<T>(_ i: Int, _ read: (UnsafePointer<Child>) -> T) -> T {
        children.withUnsafeBufferPointer { kids in
            precondition(i >= 0 && i < kids.count, "child index out of range")
            return read(kids.baseAddress! + i)
        }
    }

    /// The household identity: `household_id`, else `uprn`, else postcode + victim id. Prefixed by its
    /// kind so that a household id can never equal a UPRN by accident.
    public var householdKey: String {
        if let h = householdID, !h.isEmpty { return Incident.key(UInt8(ascii: "h"), h) }
        if let u = uprn, !u.isEmpty { return Incident.key(UInt8(ascii: "u"), u) }
        // The postcode in upper case without spaces (ASCII as postcodes are; other text kept as is).
        let code = postcode ?? ""
        let id = victim.personID
        return ByteCursor.string(capacity: code.utf8.count + id.utf8.count + 3) { c in
            c.put(UInt8(ascii: "p"))
            c.put(UInt8(ascii: ":"))
            for b in code.utf8 where b != 0x20 { c.put(b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z") ? b - 32 : b) }
            c.put(UInt8(ascii: "|"))
            for b in id.utf8 { c.put(b) }
        }
    }

    /// `kind`, a colon and `id`, written on the stack (two `String`s concatenated cost four times as much).
    private static func key(_ kind: UInt8, _ id: String) -> String {
        id.withUTF8Bytes { b in
            ByteCursor.string(capacity: b.count + 2) { c in
                c.put(kind)
                c.put(UInt8(ascii: ":"))
                c.put(b)
            }
        }
    }
}
