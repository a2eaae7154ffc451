/// Reads the gov.uk bank-holidays feed as published (https://www.gov.uk/bank-holidays.json):
/// `{"england-and-wales": {"division": …, "events": [{"title", "date", "notes", "bunting"}]}, "scotland": …,
/// "northern-ireland": …}`, keeping the dates of one division.
///
/// The JSON is read strictly with the input reader's ``JSONScanner`` (any syntax error stops the file);
/// keys the feed may add later are skipped, so only `events` and each event's `date` are required.
struct BankHolidaysFeed {
    /// Day numbers of the chosen division's holidays, in file order.
    var holidays: [Int32] = []
    /// The divisions the file has, in file order, for the unknown-division message.
    var divisions: [String] = []
    /// Whether the chosen division was in the file.
    var found = false
    /// The problems found, with the file's line and column.
    var errors: [PolicyError] = []

    /// Reads `bytes` (the contents of `file`) for `division`.
    init(_ bytes: [UInt8], file: String, division: String) {
        bytes.withUnsafeBufferPointer { all in
            // A byte order mark is not JSON, but an editor may add one: skip it.
            let skip = all.count >= 3 && all[0] == 0xEF && all[1] == 0xBB && all[2] == 0xBF ? 3 : 0
            var reader = Reader(
                scanner: JSONScanner(line: UnsafeBufferPointer(rebasing: all[skip...]), scratch: ScratchBuffer()),
                all: all, skip: skip, file: file)
            do throws(RecordError) {
                if reader.scanner.atEnd() {
                    reader.problem("the file is empty: expected the gov.uk bank-holidays JSON", at: 0)
                } else {
                    try reader.feed(division: division, into: &self)
                }
            } catch {
                reader.problem(error.message, at: max(0, error.column - 1))
            }
            errors = reader.errors
        }
    }

    /// The scanner over the file and the errors found so far.
    private struct Reader {
        var scanner: JSONScanner
        let all: UnsafeBufferPointer<UInt8>
        /// Bytes skipped before the scanner's first byte (a byte order mark).
        let skip: Int
        let file: String
        var errors: [PolicyError] = []

        /// Records a problem at `offset` (in the scanner's bytes).
        mutating func problem(_ message: String, at offset: Int) {
            guard errors.count < CalendarFile.maxErrors else { return }
            errors.append(PolicyError(message, at: CalendarFile.location(of: offset + skip, in: all, file: file)))
        }

        func fault(_ message: String) -> RecordError { RecordError(field: nil, message, column: scanner.pos + 1) }

        static func equal(_ key: Bytes, _ word: StaticString) -> Bool {
            key.count == word.utf8CodeUnitCount && key.elementsEqual(UnsafeBufferPointer(start: word.utf8Start, count: key.count))
        }

        mutating func feed(division: String, into out: inout BankHolidaysFeed) throws(RecordError) {
            guard try scanner.peekKind() == .object else {
                throw fault("expected an object of divisions such as {\"england-and-wales\": {\"events\": […]}}")
            }
            try scanner.beginObject()
            var first = true
            while let key = try scanner.nextKey(first: &first) {
                let name = String(decoding: key, as: UTF8.self)
                if out.divisions.contains(name) { throw fault("division \(PolicyError.quoted(name)) appears twice") }
                out.divisions.append(name)
                if name == division {
                    out.found = true
                    try events(of: name, into: &out.holidays)
                } else {
                    try scanner.skipValue()
                }
            }
            guard scanner.atEnd() else { throw fault("unexpected text after the closing '}' of the feed") }
        }

        /// One division: an object with an `events` list.
        mutating func events(of division: String, into holidays: inout [Int32]) throws(RecordError) {
            let kind = try scanner.peekKind()
            let start = scanner.pos
            guard kind == .object else {
                throw fault("division \(PolicyError.quoted(division)) must be an object with \"events\", found \(kind.name)")
            }
            try scanner.beginObject()
            var first = true
            var sawEvents = false
            while let key = try scanner.nextKey(first: &first) {
                guard Reader.equal(key, "events") else {
                    try scanner.skipValue()
                    continue
                }
                if sawEvents { throw fault("\"events\" appears twice in division \(PolicyError.quoted(division))") }
                sawEvents = true
                let listKind = try scanner.peekKind()
                guard listKind == .array else { throw fault("\"events\" must be a list of events, found \(listKind.name)") }
                try scanner.beginArray()
                var firstEvent = true
                while try scanner.nextElement(first: &firstEvent) {
                    if let day = try event() { holidays.append(day) }
                }
            }
            if !sawEvents { problem("division \(PolicyError.quoted(division)) has no \"events\" list", at: start) }
        }

        /// One event: an object whose `date` is `YYYY-MM-DD`; nil when its date is missing or bad (reported).
        mutating func event() throws(RecordError) -> Int32? {
            let kind = try scanner.peekKind()
            let start = scanner.pos
            guard kind == .object else {
                throw fault("each event must be an object with a \"date\", found \(kind.name)")
            }
            try scanner.beginObject()
            var first = true
            var date: CivilDate?
            var sawDate = false
            while let key = try scanner.nextKey(first: &first) {
                guard Reader.equal(key, "date") else {
                    try scanner.skipValue()
                    continue
                }
                if sawDate { throw fault("\"date\" appears twice in one event") }
                sawDate = true
                let valueKind = try scanner.peekKind()
                let at = scanner.pos
                guard valueKind == .string else {
                    problem("an event's \"date\" must be a date \"YYYY-MM-DD\", found \(valueKind.name)", at: scanner.pos)
                    try scanner.skipValue()
                    continue
                }
                let value = try scanner.readString()
                date = CalendarFile.isoDate(value)
                if date == nil {
                    problem(
                        "an event's \"date\" must be a date YYYY-MM-DD, found \(CalendarFile.shown(value))",
                        at: at)
                }
            }
            if !sawDate { problem("an event has no \"date\": expected \"date\": \"YYYY-MM-DD\"", at: start) }
            return date?.dayNumber
        }
    }
}
