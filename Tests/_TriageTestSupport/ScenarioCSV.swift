import Foundation

/// A scenario CSV file read by the tests' own splitter, independent of the product's readers and encoder:
/// RFC 4180 records (quoted fields with `""`, commas and line breaks; CRLF or LF; an optional byte-order
/// mark), grouped into incidents, and rewritten as JSON Lines in the canonical nested schema.
///
/// Adjacent rows with the same `incident_id` **and** identical incident-level columns (every column not
/// starting with `child_`) are one incident; a row of the same id whose incident-level columns differ starts
/// a new incident (a re-send).
package struct ScenarioCSV {
    /// One CSV record: its fields and its exact bytes in the file (with a line ending).
    package struct Record {
        package var fields: [String]
        package var raw: [UInt8]
    }

    /// The rows of one incident, in file order.
    package struct Group {
        package var incidentID: String
        package var records: [Record]
    }

    /// The column names, in file order.
    package let columns: [String]
    /// The header record's bytes (without a byte-order mark).
    package let headerRaw: [UInt8]
    /// The incidents, in file order.
    package let groups: [Group]

    /// Every `samples/scenarios*.csv` in the package, as paths relative to the package root, sorted.
    package static func sampleFiles() -> [String] {
        let dir = Triage.root.appendingPathComponent("samples")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return names.filter { $0.hasPrefix("scenarios") && $0.hasSuffix(".csv") }.sorted().map { "samples/" + $0 }
    }

    package init(contentsOf url: URL) throws {
        try self.init(bytes: [UInt8](Data(contentsOf: url)))
    }

    package init(bytes input: [UInt8]) {
        var bytes = input[...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        var records = Self.records(bytes)
        let header = records.isEmpty ? Record(fields: [], raw: []) : records.removeFirst()
        columns = header.fields
        headerRaw = header.raw
        let childColumn = columns.map { $0.hasPrefix("child_") }
        let idColumn = columns.firstIndex(of: "incident_id")
        func incidentLevel(_ r: Record) -> [String] {
            r.fields.indices.filter { $0 >= childColumn.count || !childColumn[$0] }.map { r.fields[$0] }
        }
        var groups: [Group] = []
        for r in records {
            let id = idColumn.flatMap { $0 < r.fields.count ? r.fields[$0] : nil } ?? ""
            if let last = groups.last, last.incidentID == id, incidentLevel(last.records[0]) == incidentLevel(r) {
                groups[groups.count - 1].records.append(r)
            } else {
                groups.append(Group(incidentID: id, records: [r]))
            }
        }
        self.groups = groups
    }

    /// The fields of each RFC 4180 record of `text` (blank lines skipped): an output file read back by the
    /// tests' own parser, not the product's.
    package static func rows(_ text: String) -> [[String]] { records(Array(text.utf8)[...]).map(\.fields) }

    /// Splits bytes into RFC 4180 records; blank lines are skipped.
    private static func records(_ b: ArraySlice<UInt8>) -> [Record] {
        let quote: UInt8 = 0x22
        let comma: UInt8 = 0x2C
        let cr: UInt8 = 0x0D
        let lf: UInt8 = 0x0A
        var out: [Record] = []
        var fields: [String] = []
        var field: [UInt8] = []
        var inQuotes = false
        var atFieldStart = true
        var start = b.startIndex
        var i = b.startIndex
        func endField() {
            fields.append(String(decoding: field, as: UTF8.self))
            field = []
            atFieldStart = true
        }
        func endRecord(through end: Int) {
            endField()
            var raw = [UInt8](b[start..<end])
            if raw.last != lf { raw.append(lf) }
            let blank = fields.count == 1 && fields[0].isEmpty
            if !blank { out.append(Record(fields: fields, raw: raw)) }
            fields = []
            start = end
        }
        while i < b.endIndex {
            let c = b[i]
            if inQuotes {
                if c == quote {
                    if i + 1 < b.endIndex && b[i + 1] == quote {
                        field.append(quote)
                        i += 1
                    } else {
                        inQuotes = false
                    }
                } else {
                    field.append(c)
                }
            } else if c == quote && atFieldStart {
                inQuotes = true
                atFieldStart = false
            } else if c == comma {
                endField()
            } else if c == lf {
                if field.last == cr { field.removeLast() }
                endRecord(through: i + 1)
            } else {
                field.append(c)
                atFieldStart = false
            }
            i += 1
        }
        if start < b.endIndex { endRecord(through: b.endIndex) }
        return out
    }

    /// A CSV file of the header and `range` of the groups, each record's bytes as in the original file.
    package func csv(groups range: Range<Int>) -> Data {
        var d = Data(headerRaw)
        for g in groups[range] { for r in g.records { d.append(contentsOf: r.raw) } }
        return d
    }

    /// The groups as JSON Lines in the canonical schema: nested `victim` and `perpetrator`, `flags` as an
    /// array, one object per child row with any child column filled, and `null` for every empty value.
    package func jsonLines() -> Data {
        var out = ""
        for g in groups { out += jsonObject(g) + "\n" }
        return Data(out.utf8)
    }

    private func jsonObject(_ g: Group) -> String {
        let first = g.records[0]
        func value(_ r: Record, _ name: String) -> String {
            guard let i = columns.firstIndex(of: name), i < r.fields.count else { return "" }
            return r.fields[i]
        }
        func v(_ name: String) -> String { value(first, name) }
        let victim = Self.object([
            ("person_id", Self.string(v("victim_id"))), ("name", Self.string(v("victim_name"))),
            ("dob", Self.string(v("victim_dob"))), ("pregnant", Self.bool(v("victim_pregnant"))),
        ])
        let perpetrator = Self.object([
            ("person_id", Self.string(v("perpetrator_id"))), ("name", Self.string(v("perpetrator_name"))),
            ("dob", Self.string(v("perpetrator_dob"))),
        ])
        let flags = v("flags").split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let childNames = ["child_id", "child_name", "child_dob", "child_present", "child_school_urn", "child_injured"]
        var children: [String] = []
        for r in g.records where childNames.contains(where: { !value(r, $0).isEmpty }) {
            children.append(
                Self.object([
                    ("person_id", Self.string(value(r, "child_id"))), ("name", Self.string(value(r, "child_name"))),
                    ("dob", Self.string(value(r, "child_dob"))), ("present", Self.bool(value(r, "child_present"))),
                    ("school_urn", Self.string(value(r, "child_school_urn"))),
                    ("injured", Self.bool(value(r, "child_injured"))),
                ]))
        }
        return Self.object([
            ("incident_id", Self.string(v("incident_id"))), ("occurred_at", Self.string(v("occurred_at"))),
            ("uprn", Self.string(v("uprn"))), ("postcode", Self.string(v("postcode"))),
            ("household_id", Self.string(v("household_id"))), ("victim", victim), ("perpetrator", perpetrator),
            ("relationship", Self.string(v("relationship"))), ("dash_risk", Self.string(v("dash_risk"))),
            ("dash_score", Self.number(v("dash_score"))), ("flags", "[" + flags.map(Self.string).joined(separator: ",") + "]"),
            ("children", "[" + children.joined(separator: ",") + "]"),
        ])
    }

    // MARK: - JSON text

    private static func object(_ members: [(String, String)]) -> String {
        "{" + members.map { string($0.0) + ":" + $0.1 }.joined(separator: ",") + "}"
    }

    /// A JSON string, or `null` for an empty value.
    private static func string(_ s: String) -> String {
        if s.isEmpty { return "null" }
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where u.value < 0x20: out += String(format: "\\u%04x", u.value)
            default: out.unicodeScalars.append(u)
            }
        }
        return out + "\""
    }

    /// `true`/`false` for the CSV spellings (any case), `null` when empty, else the text as a string.
    private static func bool(_ s: String) -> String {
        switch s.trimmingCharacters(in: .whitespaces).lowercased() {
        case "": return "null"
        case "true", "yes", "y", "1": return "true"
        case "false", "no", "n", "0": return "false"
        default: return string(s)
        }
    }

    /// A JSON integer for plain digits (no leading zero), `null` when empty, else the text as a string.
    private static func number(_ s: String) -> String {
        let t = s.trimmingCharacters(in: .whitespaces)
        if t.isEmpty { return "null" }
        let digits = !t.isEmpty && t.allSatisfy { $0.isASCII && $0.isNumber }
        return digits && (t == "0" || !t.hasPrefix("0")) ? t : string(s)
    }
}
