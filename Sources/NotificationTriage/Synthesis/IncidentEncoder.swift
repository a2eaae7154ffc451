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

    // MARK: CSV

    /// Appends the incident's CSV rows (each ending in `\n`) to `out`.
    package static func appendCSV(_ incident: Incident, zone: ZoneRules, to out: inout [UInt8]) {
        let start = out.count
        csvField(incident.incidentID, &out)
        comma(&out)
        zone.appendISO8601(incident.occurredAt, to: &out)
        comma(&out)
        csvField(incident.uprn, &out)
        comma(&out)
        csvField(incident.postcode, &out)
        comma(&out)
        csvField(incident.householdID, &out)
        comma(&out)
        let v = incident.victim
        csvField(v.personID, &out)
        comma(&out)
        csvField(v.name, &out)
        comma(&out)
        date(v.dateOfBirth, &out)
        comma(&out)
        bool(v.pregnant, &out)
        comma(&out)
        if let p = incident.perpetrator {
            csvField(p.personID, &out)
            comma(&out)
            csvField(p.name, &out)
            comma(&out)
            date(p.dateOfBirth, &out)
            comma(&out)
        } else {
            lit(",,,", &out)
        }
        if let r = incident.relationship { out.append(contentsOf: r.rawValue.utf8) }
        comma(&out)
        out.append(contentsOf: incident.dashRisk.rawValue.utf8)
        comma(&out)
        if let s = incident.dashScore { appendDigits(s, 1, &out) }
        comma(&out)
        csvFlags(incident, &out)
        comma(&out)
        let prefixLength = out.count - start
        if incident.children.isEmpty {
            lit(",,,,,\n", &out)
            return
        }
        for (i, c) in incident.children.enumerated() {
            if i > 0 { repeatBytes(from: start, count: prefixLength, &out) }
            csvField(c.personID, &out)
            comma(&out)
            csvField(c.name, &out)
            comma(&out)
            date(c.dateOfBirth, &out)
            comma(&out)
            bool(c.present, &out)
            comma(&out)
            csvField(c.schoolURN, &out)
            comma(&out)
            bool(c.injured, &out)
            out.append(UInt8(ascii: "\n"))
        }
    }

    /// Appends a copy of `out[from..<from+count]` to `out`.
    @inline(__always)
    private static func repeatBytes(from: Int, count: Int, _ out: inout [UInt8]) {
        let old = out.count
        out.append(contentsOf: repeatElement(0, count: count))
        out.withUnsafeMutableBufferPointer { p in
            (p.baseAddress! + old).update(from: p.baseAddress! + from, count: count)
        }
    }

    @inline(__always)
    private static func csvField(_ s: String?, _ out: inout [UInt8]) {
        if let s { csvField(s, &out) }
    }

    @inline(__always)
    static func csvField(_ s: String, _ out: inout [UInt8]) {
        if let done = s.utf8.withContiguousStorageIfAvailable({ csvField(bytes: $0, &out) }) { return done }
        Array(s.utf8).withUnsafeBufferPointer { csvField(bytes: $0, &out) }  // bridged, non-contiguous strings
    }

    @inline(__always)
    static func csvField(bytes: UnsafeBufferPointer<UInt8>, _ out: inout [UInt8]) {
        var special = false
        for b in bytes where b == 0x2C || b == 0x22 || b == 0x0A || b == 0x0D {
            special = true
            break
        }
        guard special else {
            out.append(contentsOf: bytes)
            return
        }
        out.append(0x22)
        for b in bytes {
            if b == 0x22 { out.append(0x22) }
            out.append(b)
        }
        out.append(0x22)
    }

    private static func csvFlags(_ incident: Incident, _ out: inout [UInt8]) {
        let start = out.count
        var first = true
        if !incident.flags.isEmpty {
            for (bytes, flag) in flagNames where incident.flags.contains(flag) {
                if !first { out.append(UInt8(ascii: ";")) }
                first = false
                out.append(contentsOf: bytes)
            }
        }
        guard !incident.unknownFlags.isEmpty else { return }
        for name in incident.unknownFlags {
            if !first { out.append(UInt8(ascii: ";")) }
            first = false
            out.append(contentsOf: name.utf8)
        }
        // An unknown flag may hold a character that needs quoting: re-write the whole field quoted.
        let text = Array(out[start...])
        out.removeSubrange(start...)
        text.withUnsafeBufferPointer { csvField(bytes: $0, &out) }
    }

    // MARK: JSON Lines

    /// Appends the incident as one JSON object followed by `\n` to `out`.
    package static func appendJSONLine(_ incident: Incident, zone: ZoneRules, to out: inout [UInt8]) {
        lit("{\"incident_id\":", &out)
        jsonString(incident.incidentID, &out)
        lit(",\"occurred_at\":\"", &out)
        zone.appendISO8601(incident.occurredAt, to: &out)
        lit("\",\"uprn\":", &out)
        jsonString(incident.uprn, &out)
        lit(",\"postcode\":", &out)
        jsonString(incident.postcode, &out)
        lit(",\"household_id\":", &out)
        jsonString(incident.householdID, &out)
        lit(",\"victim\":", &out)
        jsonPerson(incident.victim, pregnant: true, &out)
        lit(",\"perpetrator\":", &out)
        if let p = incident.perpetrator { jsonPerson(p, pregnant: false, &out) } else { lit("null", &out) }
        lit(",\"relationship\":", &out)
        jsonString(incident.relationship?.rawValue, &out)
        lit(",\"dash_risk\":\"", &out)
        out.append(contentsOf: incident.dashRisk.rawValue.utf8)
        lit("\",\"dash_score\":", &out)
        if let s = incident.dashScore { appendDigits(s, 1, &out) } else { lit("null", &out) }
        lit(",\"flags\":[", &out)
        var first = true
        for (bytes, flag) in flagNames where incident.flags.contains(flag) {
            if !first { comma(&out) }
            first = false
            out.append(0x22)
            out.append(contentsOf: bytes)
            out.append(0x22)
        }
        for name in incident.unknownFlags {
            if !first { comma(&out) }
            first = false
            jsonString(name, &out)
        }
        lit("],\"children\":[", &out)
        for (i, c) in incident.children.enumerated() {
            if i > 0 { comma(&out) }
            lit("{\"person_id\":", &out)
            jsonString(c.personID, &out)
            lit(",\"name\":", &out)
            jsonString(c.name, &out)
            lit(",\"dob\":", &out)
            jsonDate(c.dateOfBirth, &out)
            lit(",\"present\":", &out)
            bool(c.present, &out)
            lit(",\"school_urn\":", &out)
            jsonString(c.schoolURN, &out)
            lit(",\"injured\":", &out)
            bool(c.injured, &out)
            out.append(UInt8(ascii: "}"))
        }
        lit("]}\n", &out)
    }

    private static func jsonPerson(_ p: Person, pregnant: Bool, _ out: inout [UInt8]) {
        lit("{\"person_id\":", &out)
        jsonString(p.personID, &out)
        lit(",\"name\":", &out)
        jsonString(p.name, &out)
        lit(",\"dob\":", &out)
        jsonDate(p.dateOfBirth, &out)
        if pregnant {
            lit(",\"pregnant\":", &out)
            bool(p.pregnant, &out)
        }
        out.append(UInt8(ascii: "}"))
    }

    @inline(__always)
    private static func jsonDate(_ d: CivilDate?, _ out: inout [UInt8]) {
        guard let d else { return lit("null", &out) }
        out.append(0x22)
        date(d, &out)
        out.append(0x22)
    }

    @inline(__always)
    private static func jsonString(_ s: String?, _ out: inout [UInt8]) {
        if let s { jsonString(s, &out) } else { lit("null", &out) }
    }

    @inline(__always)
    static func jsonString(_ s: String, _ out: inout [UInt8]) {
        if s.utf8.withContiguousStorageIfAvailable({ jsonString(bytes: $0, &out) }) != nil { return }
        Array(s.utf8).withUnsafeBufferPointer { jsonString(bytes: $0, &out) }
    }

    private static let hex = Array("0123456789abcdef".utf8)

    /// A JSON string: `"` and `\` escaped, control characters as `\n`, `\r`, `\t`, `\b`, `\f` or `\u00XX`;
    /// everything else (valid UTF-8, since it comes from a `String`) copied as is.
    @inline(__always)
    static func jsonString(bytes: UnsafeBufferPointer<UInt8>, _ out: inout [UInt8]) {
        out.append(0x22)
        var plain = true
        for b in bytes where b < 0x20 || b == 0x22 || b == 0x5C {
            plain = false
            break
        }
        if plain {
            out.append(contentsOf: bytes)
        } else {
            for b in bytes {
                switch b {
                case 0x22: lit("\\\"", &out)
                case 0x5C: lit("\\\\", &out)
                case 0x0A: lit("\\n", &out)
                case 0x0D: lit("\\r", &out)
                case 0x09: lit("\\t", &out)
                case 0x08: lit("\\b", &out)
                case 0x0C: lit("\\f", &out)
                case ..<0x20:
                    lit("\\u00", &out)
                    out.append(hex[Int(b >> 4)])
                    out.append(hex[Int(b & 15)])
                default: out.append(b)
                }
            }
        }
        out.append(0x22)
    }

    // MARK: Shared pieces

    @inline(__always)
    static func lit(_ s: StaticString, _ out: inout [UInt8]) {
        out.append(contentsOf: UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
    }

    @inline(__always)
    private static func comma(_ out: inout [UInt8]) { out.append(UInt8(ascii: ",")) }

    @inline(__always)
    private static func bool(_ b: Bool, _ out: inout [UInt8]) { b ? lit("true", &out) : lit("false", &out) }

    @inline(__always)
    private static func date(_ d: CivilDate?, _ out: inout [UInt8]) {
        guard let d else { return }
        let c = CivilDate.civilFromDays(Int(d.dayNumber))
        appendDigits(c.year, 4, &out)
        out.append(UInt8(ascii: "-"))
        appendDigits(c.month, 2, &out)
        out.append(UInt8(ascii: "-"))
        appendDigits(c.day, 2, &out)
    }
}
