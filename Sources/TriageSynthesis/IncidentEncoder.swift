import NotificationTriage

/// The canonical text forms of an incident: CSV rows and JSON Lines, written as UTF-8 bytes straight into
/// a buffer (no `String` formatting per field, no `JSONEncoder`, fixed key order), so that the generator
/// can write millions of incidents a second and the output is byte-for-byte deterministic.
///
/// CSV: one row per child with the incident's columns repeated, or one row with empty child columns when
/// there are none; LF line ends; a field is quoted (RFC 4180, `"` doubled) only when it contains a comma,
/// a double quote, CR or LF. Absent values are empty; booleans `true`/`false`; dates `YYYY-MM-DD`;
/// `occurred_at` ISO 8601 with the zone's local offset; flags the canonical names in `RiskFlags.named`
/// order then the unknown flags, joined by `;`.
///
/// JSON Lines: one object per incident with the keys in a fixed order and `null` for absent values.
package enum IncidentEncoder {
    /// The CSV header line's text (without the line end).
    package static let csvHeader =
        "incident_id,occurred_at,uprn,postcode,household_id,victim_id,victim_name,victim_dob,victim_pregnant,"
        + "perpetrator_id,perpetrator_name,perpetrator_dob,relationship,dash_risk,dash_score,flags,child_id,"
        + "child_name,child_dob,child_present,child_school_urn,child_injured"

    /// Known flag names as bytes, in `RiskFlags.named` order.
    static let flagNames: [(bytes: [UInt8], flag: RiskFlags)] = RiskFlags.named.map { (Array($0.name.utf8), $0.flag) }

    /// The canonical name of the flag at bit `bit`, as a static string. `RiskFlags.named` lists the flags
    /// in bit order, which is the output order (a test checks the two agree).
    @inline(__always)
    static func flagName(_ bit: Int) -> StaticString {
        switch bit {
        case 0: "weapon"
        case 1: "injury"
        case 2: "strangulation"
        case 3: "threats_to_kill"
        case 4: "substance_misuse"
        case 5: "mental_health"
        case 6: "breach_of_order"
        case 7: "child_injured"
        case 8: "professional_judgement"
        default: "unknown_flag_bit"
        }
    }

    // MARK: Sizing

    /// An upper bound on the bytes an encoding of `incident` can take, when one input byte of a string
    /// becomes at most `perByte` output bytes (2 in CSV, where `"` doubles; 6 in JSON, for `\u00XX`).
    static func capacity(_ incident: Incident, perByte: Int) -> Int {
        @inline(__always) func bound(_ s: String?) -> Int { (s?.utf8.count ?? 0) * perByte + 8 }
        var adult = bound(incident.incidentID) + bound(incident.uprn) + bound(incident.postcode)
        adult += bound(incident.householdID) + bound(incident.victim.personID) + bound(incident.victim.name)
        if let p = incident.perpetrator { adult += bound(p.personID) + bound(p.name) }
        for f in incident.unknownFlags { adult += bound(f) }
        // Fixed text: CSV ≤ ~330 bytes a row before the child columns, JSON ≤ ~570 (all keys, nine flags).
        let prefix = adult + (perByte > 2 ? 720 : 420)
        var total = prefix * Swift.max(1, incident.children.count) + 16
        for c in incident.children { total += bound(c.personID) + bound(c.name) + bound(c.schoolURN) + 120 }
        return total
    }

    // MARK: CSV

    /// Appends the incident's CSV rows (each ending in `\n`) to `out`.
    package static func appendCSV(_ incident: Incident, zone: ZoneRules, to out: inout [UInt8]) {
        let capacity = capacity(incident, perByte: 2)
        // Grow `out` by the worst case, write in place, then trim: no temporary buffer, no extra copy.
        let old = out.count
        out.append(contentsOf: repeatElement(0, count: capacity))
        let n = out.withUnsafeMutableBufferPointer { buf in
            var w = ByteCursor(p: buf.baseAddress! + old)
            writeCSV(incident, zone: zone, &w)
            return w.p - (buf.baseAddress! + old)
        }
        precondition(n <= capacity, "encoder overran its buffer")
        out.removeLast(capacity - n)
    }

    @inline(__always)
    private static func writeCSV(_ incident: Incident, zone: ZoneRules, _ w: inout ByteCursor) {
        do {
            let start = w.p
            csvField(incident.incidentID, &w)
            w.put(comma)
            w.iso8601(incident.occurredAt, zone: zone)
            w.put(comma)
            csvField(incident.uprn, &w)
            w.put(comma)
            csvField(incident.postcode, &w)
            w.put(comma)
            csvField(incident.householdID, &w)
            w.put(comma)
            let v = incident.victim
            csvField(v.personID, &w)
            w.put(comma)
            csvField(v.name, &w)
            w.put(comma)
            if let d = v.dateOfBirth { w.date(d) }
            w.put(comma)
            w.bool(v.pregnant)
            w.put(comma)
            if let p = incident.perpetrator {
                csvField(p.personID, &w)
                w.put(comma)
                csvField(p.name, &w)
                w.put(comma)
                if let d = p.dateOfBirth { w.date(d) }
                w.put(comma)
            } else {
                w.put(",,,")
            }
            if let r = incident.relationship { w.put(r.csvName) }
            w.put(comma)
            w.put(incident.dashRisk.csvName)
            w.put(comma)
            if let s = incident.dashScore { w.int(s) }
            w.put(comma)
            csvFlags(incident, &w)
            w.put(comma)
            let prefixLength = w.p - start
            if incident.children.isEmpty {
                w.put(",,,,,\n")
                return
            }
            for (i, c) in incident.children.enumerated() {
                if i > 0 {
                    w.p.update(from: start, count: prefixLength)
                    w.p += prefixLength
                }
                csvField(c.personID, &w)
                w.put(comma)
                csvField(c.name, &w)
                w.put(comma)
                if let d = c.dateOfBirth { w.date(d) }
                w.put(comma)
                w.bool(c.present)
                w.put(comma)
                csvField(c.schoolURN, &w)
                w.put(comma)
                w.bool(c.injured)
                w.put(UInt8(ascii: "\n"))
            }
        }
    }

    private static let comma = UInt8(ascii: ",")

    @inline(__always)
    private static func csvField(_ s: String?, _ w: inout ByteCursor) {
        guard let s else { return }
        if s.utf8.withContiguousStorageIfAvailable({ csvField(bytes: $0, &w) }) == nil {
            Array(s.utf8).withUnsafeBufferPointer { csvField(bytes: $0, &w) }
        }
    }

    /// Input files are not opened as spreadsheets by analysts: no formula guard, so the file holds the
    /// data exactly.
    @inline(__always)
    static func csvField(bytes: UnsafeBufferPointer<UInt8>, _ w: inout ByteCursor) { w.csvField(bytes, formulaGuard: false) }

    private static func csvFlags(_ incident: Incident, _ w: inout ByteCursor) {
        var first = true
        if !incident.flags.isEmpty {
            var bits = incident.flags.rawValue
            while bits != 0 {
                if !first { w.put(UInt8(ascii: ";")) }
                first = false
                w.put(flagName(bits.trailingZeroBitCount))
                bits &= bits - 1
            }
        }
        guard !incident.unknownFlags.isEmpty else { return }
        // Unknown flags may hold a character that needs quoting: quote the whole field then.
        var joined = Array(incident.unknownFlags.joined(separator: ";").utf8)
        if !first { joined.insert(UInt8(ascii: ";"), at: 0) }
        let needsQuotes = joined.contains { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }
        if !needsQuotes { return w.put(joined) }
        var text: [UInt8] = []
        for (bytes, flag) in flagNames where incident.flags.contains(flag) {
            if !text.isEmpty { text.append(UInt8(ascii: ";")) }
            text.append(contentsOf: bytes)
        }
        text.append(contentsOf: joined)
        // Rewind over the known names already written and write the field quoted.
        w.p -= text.count - joined.count
        text.withUnsafeBufferPointer { csvField(bytes: $0, &w) }
    }

    // MARK: JSON Lines

    /// Appends the incident as one JSON object followed by `\n` to `out`.
    package static func appendJSONLine(_ incident: Incident, zone: ZoneRules, to out: inout [UInt8]) {
        let capacity = capacity(incident, perByte: 6)
        // Grow `out` by the worst case, write in place, then trim: no temporary buffer, no extra copy.
        let old = out.count
        out.append(contentsOf: repeatElement(0, count: capacity))
        let n = out.withUnsafeMutableBufferPointer { buf in
            var w = ByteCursor(p: buf.baseAddress! + old)
            writeJSONLine(incident, zone: zone, &w)
            return w.p - (buf.baseAddress! + old)
        }
        precondition(n <= capacity, "encoder overran its buffer")
        out.removeLast(capacity - n)
    }

    @inline(__always)
    private static func writeJSONLine(_ incident: Incident, zone: ZoneRules, _ w: inout ByteCursor) {
        do {
            w.put("{\"incident_id\":")
            jsonString(incident.incidentID, &w)
            w.put(",\"occurred_at\":\"")
            w.iso8601(incident.occurredAt, zone: zone)
            w.put("\",\"uprn\":")
            jsonString(incident.uprn, &w)
            w.put(",\"postcode\":")
            jsonString(incident.postcode, &w)
            w.put(",\"household_id\":")
            jsonString(incident.householdID, &w)
            w.put(",\"victim\":")
            jsonPerson(incident.victim, pregnant: true, &w)
            w.put(",\"perpetrator\":")
            if let p = incident.perpetrator { jsonPerson(p, pregnant: false, &w) } else { w.put("null") }
            w.put(",\"relationship\":")
            if let r = incident.relationship {
                w.put(0x22)
                w.put(r.csvName)
                w.put(0x22)
            } else {
                w.put("null")
            }
            w.put(",\"dash_risk\":\"")
            w.put(incident.dashRisk.csvName)
            w.put("\",\"dash_score\":")
            if let s = incident.dashScore { w.int(s) } else { w.put("null") }
            w.put(",\"flags\":[")
            var first = true
            if !incident.flags.isEmpty {
                var bits = incident.flags.rawValue
                while bits != 0 {
                    if !first { w.put(comma) }
                    first = false
                    w.put(0x22)
                    w.put(flagName(bits.trailingZeroBitCount))
                    w.put(0x22)
                    bits &= bits - 1
                }
            }
            for name in incident.unknownFlags {
                if !first { w.put(comma) }
                first = false
                jsonString(name, &w)
            }
            w.put("],\"children\":[")
            for (i, c) in incident.children.enumerated() {
                if i > 0 { w.put(comma) }
                w.put("{\"person_id\":")
                jsonString(c.personID, &w)
                w.put(",\"name\":")
                jsonString(c.name, &w)
                w.put(",\"dob\":")
                jsonDate(c.dateOfBirth, &w)
                w.put(",\"present\":")
                w.bool(c.present)
                w.put(",\"school_urn\":")
                jsonString(c.schoolURN, &w)
                w.put(",\"injured\":")
                w.bool(c.injured)
                w.put(UInt8(ascii: "}"))
            }
            w.put("]}\n")
        }
    }

    @inline(__always)
    private static func jsonPerson(_ p: Person, pregnant: Bool, _ w: inout ByteCursor) {
        w.put("{\"person_id\":")
        jsonString(p.personID, &w)
        w.put(",\"name\":")
        jsonString(p.name, &w)
        w.put(",\"dob\":")
        jsonDate(p.dateOfBirth, &w)
        if pregnant {
            w.put(",\"pregnant\":")
            w.bool(p.pregnant)
        }
        w.put(UInt8(ascii: "}"))
    }

    @inline(__always)
    private static func jsonDate(_ d: CivilDate?, _ w: inout ByteCursor) {
        guard let d else { return w.put("null") }
        w.put(0x22)
        w.date(d)
        w.put(0x22)
    }

    @inline(__always)
    private static func jsonString(_ s: String?, _ w: inout ByteCursor) {
        guard let s else { return w.put("null") }
        if s.utf8.withContiguousStorageIfAvailable({ jsonString(bytes: $0, &w) }) == nil {
            Array(s.utf8).withUnsafeBufferPointer { jsonString(bytes: $0, &w) }
        }
    }

    @inline(__always)
    static func jsonString(bytes: UnsafeBufferPointer<UInt8>, _ w: inout ByteCursor) { w.jsonString(bytes) }
}

extension DashRisk {
    /// The canonical name as a static string (no `String` work on the hot path).
    var csvName: StaticString {
        switch self {
        case .standard: "standard"
        case .medium: "medium"
        case .high: "high"
        }
    }
}

extension Relationship {
    /// The canonical name (`rawValue`) as a static string.
    var csvName: StaticString {
        switch self {
        case .partner: "partner"
        case .exPartner: "ex_partner"
        case .parent: "parent"
        case .child: "child"
        case .sibling: "sibling"
        case .otherFamily: "other_family"
        case .other: "other"
        }
    }
}
