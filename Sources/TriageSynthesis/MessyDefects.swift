import NotificationTriage

/// Realistic defects injected into encoded incidents, so that readers can be tested (and benchmarked) on
/// messy input with a known answer: every defect makes exactly one incident unreadable, so a reader's
/// reject count must equal `defectsInjected`.
///
/// Use it as a writer in place of `IncidentEncoder`: `appendCSV`/`appendJSONLine` encode the incident and,
/// for a `rate` share of incidents, corrupt the encoded text with one defect drawn from `Kind`. In CSV only
/// single-row incidents (no child or one child) are corrupted, so a defect touches one row whatever the
/// reader's policy for multi-row incidents; a chosen incident with more rows passes the defect on to the
/// next single-row incident, keeping the overall share at `rate`. Defects never run past their own line:
/// a stray quote goes in the middle of an unquoted field (`P-00"00123`), which a strict RFC 4180 reader
/// rejects without opening a quoted field that would swallow the following rows.
///
/// The random choices come from their own generator, so turning defects on changes no incident.
package struct MessyDefects {
    /// The kinds of defect.
    package enum Kind: String, CaseIterable, Sendable {
        /// `occurred_at` is `31/02/2024` or `2024-13-01T…` (CSV and JSON Lines).
        case badDate = "bad_date"
        /// `dash_risk` is `very high` (CSV and JSON Lines).
        case unknownGrading = "unknown_grading"
        /// `dash_score` is `30` or `x` (CSV and JSON Lines).
        case badScore = "bad_score"
        /// A field is missing (21 columns) (CSV).
        case droppedField = "dropped_field"
        /// An extra comma (23 columns) (CSV).
        case extraField = "extra_field"
        /// A `"` in the middle of the unquoted `victim_id` (CSV).
        case strayQuote = "stray_quote"
        /// `incident_id` is empty (CSV).
        case emptyID = "empty_id"
        /// A 0xFF byte inside `victim_name` (CSV).
        case invalidUTF8 = "invalid_utf8"
        /// A `,` before the closing `}` (JSON Lines).
        case trailingComma = "trailing_comma"
        /// The line ends inside the `incident_id` string (JSON Lines).
        case unterminatedString = "unterminated_string"

        static let csv: [Kind] = [.badDate, .unknownGrading, .badScore, .droppedField, .extraField, .strayQuote, .emptyID, .invalidUTF8]
        static let jsonl: [Kind] = [.badDate, .unknownGrading, .badScore, .trailingComma, .unterminatedString]
    }

    /// The share (0...1) of incidents given a defect.
    package let rate: Double
    /// How many defects have been written so far (= incidents a reader must reject).
    package private(set) var defectsInjected = 0
    /// Defects written so far, by kind, in `Kind.allCases` order.
    package private(set) var countsByKind = [Int](repeating: 0, count: Kind.allCases.count)
    private var rng: SeededGenerator
    private var owed = 0
    private var scratch: [UInt8] = []

    /// Creates the writer; `seed` fixes which incidents get which defect.
    package init(rate: Double, seed: UInt64) {
        self.rate = Swift.min(1, Swift.max(0, rate))
        rng = SeededGenerator(seed: seed ^ 0x6D65_7373_7944_6566)
    }

    /// Appends the incident's CSV rows to `out`, possibly with one defect.
    package mutating func appendCSV(_ incident: Incident, zone: ZoneRules, to out: inout [UInt8]) {
        if rate > 0, rng.chance(rate) { owed += 1 }
        guard owed > 0, incident.children.count <= 1 else {
            return IncidentEncoder.appendCSV(incident, zone: zone, to: &out)
        }
        scratch.removeAll(keepingCapacity: true)
        IncidentEncoder.appendCSV(incident, zone: zone, to: &scratch)
        record(MessyDefects.corruptCSVRecord(&scratch, rng: &rng))
        out.append(contentsOf: scratch)
    }

    /// Appends the incident's JSON line to `out`, possibly with one defect.
    package mutating func appendJSONLine(_ incident: Incident, zone: ZoneRules, to out: inout [UInt8]) {
        if rate > 0, rng.chance(rate) { owed += 1 }
        guard owed > 0 else { return IncidentEncoder.appendJSONLine(incident, zone: zone, to: &out) }
        scratch.removeAll(keepingCapacity: true)
        IncidentEncoder.appendJSONLine(incident, zone: zone, to: &scratch)
        record(MessyDefects.corruptJSONLine(&scratch, rng: &rng))
        out.append(contentsOf: scratch)
    }

    private mutating func record(_ kind: Kind) {
        owed -= 1
        defectsInjected += 1
        countsByKind[Kind.allCases.firstIndex(of: kind)!] += 1
    }

    // MARK: Corrupting encoded text

    /// Puts one random CSV defect into the first row of `rows` (canonical rows from
    /// `IncidentEncoder.appendCSV`) and returns its kind.
    @discardableResult
    package static func corruptCSVRecord(_ rows: inout [UInt8], rng: inout SeededGenerator) -> Kind {
        let kind = Kind.csv[rng.below(Kind.csv.count)]
        corruptCSVRecord(&rows, kind: kind, rng: &rng)
        return kind
    }

    /// Puts a defect of `kind` into the first row of `rows`.
    package static func corruptCSVRecord(_ rows: inout [UInt8], kind: Kind, rng: inout SeededGenerator) {
        let fields = csvFieldRanges(rows)
        guard fields.count == 22 else { return }
        func replace(_ i: Int, _ text: String) { rows.replaceSubrange(fields[i], with: Array(text.utf8)) }
        switch kind {
        case .badDate: replace(1, rng.chance(0.5) ? "31/02/2024" : "2024-13-01T10:15:00+00:00")
        case .unknownGrading: replace(13, "very high")
        case .badScore: replace(14, rng.chance(0.5) ? "30" : "x")
        case .droppedField:
            let i = 1 + rng.below(21)
            rows.removeSubrange((fields[i].lowerBound - 1)..<fields[i].upperBound)
        case .extraField: rows.insert(UInt8(ascii: ","), at: fields[1 + rng.below(20)].upperBound)
        case .strayQuote:
            let f = fields[5]  // victim_id: always present, never quoted when generated
            if f.count >= 2, rows[f.lowerBound] != 0x22 {
                rows.insert(0x22, at: f.lowerBound + f.count / 2)
            } else {
                replace(14, "x")
            }
        case .emptyID: replace(0, "")
        case .invalidUTF8:
            let f = fields[6]
            rows.insert(0xFF, at: f.count >= 2 ? f.lowerBound + f.count / 2 : f.lowerBound)
        case .trailingComma, .unterminatedString: replace(13, "very high")  // JSON-only kinds: use a CSV one
        }
    }

    /// Field byte ranges (without quotes' effect on bounds) of the first row.
    static func csvFieldRanges(_ rows: [UInt8]) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        var start = 0
        var quoted = false
        var i = 0
        while i < rows.count {
            let b = rows[i]
            if quoted {
                if b == 0x22 { quoted = false }
            } else if b == 0x22 {
                quoted = true
            } else if b == 0x2C || b == 0x0A {
                ranges.append(start..<i)
                start = i + 1
                if b == 0x0A { return ranges }
            }
            i += 1
        }
        ranges.append(start..<rows.count)
        return ranges
    }

    /// Puts one random JSON Lines defect into `line` (from `IncidentEncoder.appendJSONLine`) and returns
    /// its kind.
    @discardableResult
    package static func corruptJSONLine(_ line: inout [UInt8], rng: inout SeededGenerator) -> Kind {
        let kind = Kind.jsonl[rng.below(Kind.jsonl.count)]
        corruptJSONLine(&line, kind: kind, rng: &rng)
        return kind
    }

    /// Puts a defect of `kind` into `line`.
    package static func corruptJSONLine(_ line: inout [UInt8], kind: Kind, rng: inout SeededGenerator) {
        func stringValue(after key: String) -> Range<Int>? {
            guard let k = find(Array("\"\(key)\":\"".utf8), in: line) else { return nil }
            guard let end = line[k...].firstIndex(of: 0x22) else { return nil }
            return k..<end
        }
        switch kind {
        case .badDate:
            if let r = stringValue(after: "occurred_at") {
                line.replaceSubrange(r, with: Array((rng.chance(0.5) ? "31/02/2024" : "2024-13-01T10:15:00+00:00").utf8))
            }
        case .unknownGrading:
            if let r = stringValue(after: "dash_risk") { line.replaceSubrange(r, with: Array("very high".utf8)) }
        case .badScore:
            if let k = find(Array("\"dash_score\":".utf8), in: line), let end = line[k...].firstIndex(of: 0x2C) {
                line.replaceSubrange(k..<end, with: Array((rng.chance(0.5) ? "30" : "\"x\"").utf8))
            }
        case .trailingComma:
            if line.count >= 2 { line.insert(UInt8(ascii: ","), at: line.count - 2) }  // before the final }
        case .unterminatedString, .droppedField, .extraField, .strayQuote, .emptyID, .invalidUTF8:
            if let r = stringValue(after: "incident_id") {
                line.removeSubrange((r.lowerBound + Swift.min(r.count, 4))..<line.count)
                line.append(UInt8(ascii: "\n"))
            }
        }
    }

    /// The index just past the first occurrence of `needle` in `hay`.
    private static func find(_ needle: [UInt8], in hay: [UInt8]) -> Int? {
        guard needle.count <= hay.count else { return nil }
        var i = 0
        while i + needle.count <= hay.count {
            if hay[i] == needle[0], hay[i..<(i + needle.count)].elementsEqual(needle) { return i + needle.count }
            i += 1
        }
        return nil
    }
}
