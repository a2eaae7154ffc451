/// Field conversions shared by the CSV and JSON Lines readers: bytes in, typed value or `RecordError` out.
/// Messages name the field and say what kind of value was found (``ValueDescription``), never the value
/// itself, except a likely typo of a closed-set token (`unknown dash_risk 'hihg' (did you mean 'high'?)`).
enum Convert {
    /// Trimmed text; empty is nil. `validated` skips the UTF-8 check (the JSON scanner has done it).
    @inline(__always)
    static func text(_ raw: Bytes, _ field: Column, validated: Bool = false) throws(RecordError) -> String? {
        let b = FieldParsers.trimmed(raw)
        if b.isEmpty { return nil }
        if validated { return String(utf8Bytes: b) }
        guard let s = UTF8Check.string(b) else {
            throw RecordError(field: field.name, "invalid utf-8 in '\(field.name)'")
        }
        return s
    }

    /// An identifier (`incident_id`, a person id, `uprn`, `household_id`, a school URN): trimmed of
    /// surrounding whitespace (Unicode white space included); empty is nil. An id holding a control
    /// character (C0, DEL, C1, `\u0000`) or an invisible format character (zero-width space and joiners,
    /// word joiner, soft hyphen, a byte-order mark, direction marks, line and paragraph separators) is an
    /// error: it would otherwise make a new id that looks the same as an existing one.
    /// Fast path: printable ASCII needs no scalar check. `column` (1-based, 0 when unknown) is given to
    /// the error.
    @inline(__always)
    static func identifier(
        _ raw: Bytes, _ field: Column, validated: Bool = false, column: Int = 0
    ) throws(RecordError) -> String? {
        let b = FieldParsers.trimmed(raw)
        if b.isEmpty { return nil }
        if isPrintableASCII(b) { return String(utf8Bytes: b) }
        return try unusualIdentifier(b, field, validated: validated, column: column)
    }

    /// Whether every byte is printable ASCII (0x20...0x7E), eight bytes at a time.
    @inline(__always)
    static func isPrintableASCII(_ b: Bytes) -> Bool {
        // In each byte: below 0x20 borrows into the high bit, 0x7F carries into it, 0x80 and above have it
        // (a borrow or carry into the next byte comes only from a byte that is flagged itself).
        @inline(__always) func printable(_ w: UInt64) -> Bool {
            (w | (w &- 0x2020_2020_2020_2020) | (w &+ 0x0101_0101_0101_0101)) & 0x8080_8080_8080_8080 == 0
        }
        let raw = UnsafeRawBufferPointer(b)
        let n = b.count
        if n >= 8 {
            var i = 0
            while i + 8 <= n {
                if !printable(UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))) { return false }
                i += 8
            }
            // The last 8 bytes, overlapping ones already seen.
            return i == n || printable(UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)))
        }
        if n >= 4 {
            let lo = UInt64(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 0, as: UInt32.self)))
            let hi = UInt64(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self)))
            return printable(lo | hi << 32)
        }
        for c in b where c &- 0x20 > 0x5E { return false }
        return true
    }

    /// ``identifier(_:_:validated:)`` for ids with a control or non-ASCII byte.
    private static func unusualIdentifier(
        _ b: Bytes, _ field: Column, validated: Bool, column: Int
    ) throws(RecordError) -> String? {
        guard validated || UTF8Check.isValid(b) else {
            throw RecordError(field: field.name, "invalid utf-8 in '\(field.name)'", column: column)
        }
        let scalars = String(decoding: b, as: UTF8.self).unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return nil }
        let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
        let trimmed = scalars[first...last]
        for u in trimmed where isInvisible(u) {
            let what = u.value < 0x20 || (u.value >= 0x7F && u.value < 0xA0) ? "a control character" : "an invisible character"
            throw RecordError(
                field: field.name,
                "invalid '\(field.name)': the id contains \(what) (U+\(hex4(u.value))); expected visible characters only",
                column: column)
        }
        return String(String.UnicodeScalarView(trimmed))
    }

    /// Whether a scalar is a control or an invisible format character (general categories Cc, Cf, Zl, Zp).
    static func isInvisible(_ u: Unicode.Scalar) -> Bool {
        switch u.properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator: return true
        default: return false
        }
    }

    /// A code point as at least four upper-case hex digits (`00AD`).
    private static func hex4(_ v: UInt32) -> String {
        let h = String(v, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - h.count)) + h
    }

    /// A date; empty is nil.
    @inline(__always)
    static func date(_ raw: Bytes, _ field: Column) throws(RecordError) -> CivilDate? {
        if FieldParsers.trimmed(raw).isEmpty { return nil }
        guard let d = FieldParsers.date(raw) else {
            throw RecordError(
                field: field.name,
                "invalid date in '\(field.name)': \(found(raw)); expected YYYY-MM-DD or DD/MM/YYYY")
        }
        return d
    }

    /// A date-time; empty is nil.
    @inline(__always)
    static func dateTime(_ raw: Bytes, _ field: Column, zone: ZoneRules) throws(RecordError) -> Instant? {
        if FieldParsers.trimmed(raw).isEmpty { return nil }
        guard let t = FieldParsers.dateTime(raw, zone: zone) else {
            if FieldParsers.hasUnreadSuffixAfterSeconds(raw) {
                throw RecordError(
                    field: field.name,
                    "invalid date-time in '\(field.name)': \(found(raw)); expected after the seconds only a fraction "
                        + "of a second ('.' or ',' then digits) and, in the YYYY-MM-DD form, Z or a ±HH:MM offset")
            }
            throw RecordError(
                field: field.name,
                "invalid date-time in '\(field.name)': \(found(raw)); expected YYYY-MM-DDTHH:MM[:SS] "
                    + "with optional Z or ±HH:MM offset, or DD/MM/YYYY HH:MM[:SS]")
        }
        return t
    }

    /// A boolean; empty is false.
    @inline(__always)
    static func bool(_ raw: Bytes, _ field: Column) throws(RecordError) -> Bool {
        guard let v = FieldParsers.bool(raw) else {
            throw RecordError(
                field: field.name,
                unknown(
                    "invalid boolean in '\(field.name)'", raw, tokens: ["true", "false"],
                    expected: "true/false, yes/no, y/n or 1/0"))
        }
        return v
    }

    /// The DASH risk grading; empty is nil.
    static func dashRisk(_ raw: Bytes) throws(RecordError) -> DashRisk? {
        let b = FieldParsers.trimmed(raw)
        if b.isEmpty { return nil }
        if FieldParsers.equalsIgnoringCase(b, "standard") { return .standard }
        if FieldParsers.equalsIgnoringCase(b, "medium") { return .medium }
        if FieldParsers.equalsIgnoringCase(b, "high") { return .high }
        if let s = UTF8Check.string(b), let r = DashRisk(text: s) { return r }
        throw RecordError(
            field: "dash_risk",
            unknown(
                "unknown dash_risk", raw, tokens: DashRisk.allCases.map(\.rawValue), expected: "standard, medium or high"))
    }

    /// Canonical relationship names as lower-case bytes.
    private static let relationshipNames: [([UInt8], Relationship)] = Relationship.allCases.map {
        (Array($0.rawValue.utf8), $0)
    }

    /// The relationship; empty is nil; unknown is an error.
    static func relationship(_ raw: Bytes) throws(RecordError) -> Relationship? {
        let b = FieldParsers.trimmed(raw)
        if b.isEmpty { return nil }
        for (name, r) in relationshipNames where FieldParsers.equalsIgnoringCase(b, name) { return r }
        if let s = UTF8Check.string(b), let r = Relationship(text: s) { return r }
        throw RecordError(
            field: "relationship",
            unknown(
                "unknown relationship", raw, tokens: Relationship.allCases.map(\.rawValue),
                expected: "partner, ex_partner, parent, child, sibling, other_family or other"))
    }

    /// What the child's record says about their education (`child_education`); empty is nil; unknown is an
    /// error.
    static func education(_ raw: Bytes) throws(RecordError) -> Education? {
        let b = FieldParsers.trimmed(raw)
        if b.isEmpty { return nil }
        // The canonical names on bytes; the other spellings (`home educated`, `CME`, …) through a String.
        for (name, e) in educationNames where FieldParsers.equalsIgnoringCase(b, name) { return e }
        if let s = UTF8Check.string(b), let e = Education(text: s) { return e }
        throw RecordError(
            field: "child_education",
            unknown(
                "unknown child_education", raw, tokens: Education.allCases.map(\.rawValue),
                expected: "school, ehe, none or early_years"))
    }

    /// Canonical education names as lower-case bytes.
    private static let educationNames: [([UInt8], Education)] = Education.allCases.map { (Array($0.rawValue.utf8), $0) }

    /// The DASH score; empty is nil; otherwise a whole number 0…27.
    static func dashScore(_ raw: Bytes) throws(RecordError) -> Int? {
        if FieldParsers.trimmed(raw).isEmpty { return nil }
        guard let v = FieldParsers.smallInt(raw), v <= 27 else { throw dashScoreError(raw) }
        return v
    }

    /// The error for a DASH score that is not a whole number from 0 to 27.
    static func dashScoreError(_ raw: Bytes) -> RecordError {
        RecordError(field: "dash_score", "invalid dash_score: \(found(raw)); expected a whole number from 0 to 27")
    }

    /// Semicolon-separated flags into the draft.
    static func flags(_ raw: Bytes, into draft: inout IncidentDraft) throws(RecordError) {
        guard FieldParsers.flags(raw, into: &draft.flags, unknown: &draft.unknownFlags) else {
            throw RecordError(field: "flags", "invalid utf-8 in 'flags'")
        }
    }

    // MARK: - Messages

    /// What kind of value `raw` (trimmed) is, never the value: `a 19-character text`.
    static func found(_ raw: Bytes) -> String {
        ValueDescription.kind(of: FieldParsers.trimmed(raw))
    }

    /// `HEAD 'hihg' (did you mean 'high'?)` for a likely typo of one of `tokens`, else
    /// `HEAD: a 19-character text; expected EXPECTED` (HEAD is `unknown dash_risk`).
    static func unknown(_ head: String, _ raw: Bytes, tokens: [String], expected: String) -> String {
        let d = ValueDescription.describe(FieldParsers.trimmed(raw), closestTo: tokens)
        if d.hasPrefix("'") { return "\(head) \(d)" }
        return "\(head): \(d); expected \(expected)"
    }
}

/// An incident being assembled from fields; `build()` checks the required fields.
struct IncidentDraft {
    var incidentID: String?
    var occurredAt: Instant?
    var uprn: String?
    var postcode: String?
    var householdID: String?
    var victimID: String?
    var victimName: String?
    var victimDob: CivilDate?
    var victimPregnant = false
    var perpetratorID: String?
    var perpetratorName: String?
    var perpetratorDob: CivilDate?
    var relationship: Relationship?
    var dashRisk: DashRisk?
    var dashScore: Int?
    var flags: RiskFlags = []
    var unknownFlags: [String] = []
    var children: [Child] = []
    var location: String?
    var circumstances: String?

    /// The incident, or the first missing required field.
    /// Mutating: the fields are moved into the incident rather than copied, and the draft is spent, except
    /// for `incidentID`, which a reader still names in the reject when this throws.
    mutating func build() throws(RecordError) -> Incident {
        guard let incidentID else { throw RecordError(field: "incident_id", "missing incident_id") }
        guard let occurredAt else { throw RecordError(field: "occurred_at", "missing occurred_at") }
        guard let victimID = victimID.take() else { throw RecordError(field: "victim_id", "missing victim_id") }
        guard let dashRisk else { throw RecordError(field: "dash_risk", "missing dash_risk") }
        guard householdID != nil || uprn != nil || postcode != nil else {
            throw RecordError(field: "household_id", "missing household: expected household_id, uprn or postcode")
        }
        var perpetrator: Person? = nil
        if let perpetratorID = perpetratorID.take() {
            perpetrator = Person(personID: perpetratorID, name: perpetratorName.take() ?? "", dateOfBirth: perpetratorDob)
        } else if perpetratorName != nil || perpetratorDob != nil {
            throw RecordError(field: "perpetrator_id", "perpetrator details without perpetrator_id")
        }
        var unknown: [String] = []
        swap(&unknown, &unknownFlags)
        var kids: [Child] = []
        swap(&kids, &children)
        return Incident(
            incidentID: incidentID, occurredAt: occurredAt, uprn: uprn.take(), postcode: postcode.take(),
            householdID: householdID.take(),
            victim: Person(
                personID: victimID, name: victimName.take() ?? "", dateOfBirth: victimDob, pregnant: victimPregnant),
            perpetrator: perpetrator, relationship: relationship, dashRisk: dashRisk, dashScore: dashScore,
            flags: flags, unknownFlags: unknown, children: kids, location: location.take(),
            circumstances: circumstances.take())
    }
}

/// A child being assembled; `build()` is nil when every child field is empty.
struct ChildDraft {
    var childID: String?
    var name: String?
    var dob: CivilDate?
    var present = false
    var schoolURN: String?
    var injured = false
    var education: Education?
    var voice: String?
    /// Whether any child field other than the id had a (non-empty) value.
    var hasDetails = false

    /// Mutating: the strings are moved into the child rather than copied (the draft is spent).
    mutating func build() throws(RecordError) -> Child? {
        guard let childID = childID.take() else {
            if hasDetails || name != nil || dob != nil || schoolURN != nil {
                throw RecordError(field: "child_id", "child details without child_id")
            }
            return nil
        }
        var urn = schoolURN.take()
        var education = education
        // `EHE` in the school column, as forces record it: a home-educated child with no school.
        if let u = urn, u.utf8.count == 3, u.utf8.elementsEqual("ehe".utf8, by: { $0 | 0x20 == $1 }) {
            if let e = education, e != .ehe {
                throw RecordError(
                    field: "child_education", "child_education '\(e.rawValue)' contradicts child_school_urn 'EHE'")
            }
            urn = nil
            education = .ehe
        }
        return Child(
            personID: childID, name: name.take() ?? "", dateOfBirth: dob, present: present, schoolURN: urn, injured: injured,
            education: education, voice: voice.take())
    }
}

extension Incident {
    /// Whether every incident-level value (all but `children`) is the same as in `other`: parsed values,
    /// so `High` and `high` agree and flags agree in any order.
    func hasSameIncidentFields(as other: Incident) -> Bool {
        incidentID == other.incidentID && occurredAt == other.occurredAt && uprn == other.uprn
            && postcode == other.postcode && householdID == other.householdID && victim == other.victim
            && perpetrator == other.perpetrator && relationship == other.relationship
            && dashRisk == other.dashRisk && dashScore == other.dashScore && flags == other.flags
            && (unknownFlags == other.unknownFlags || unknownFlags.sorted() == other.unknownFlags.sorted())
            && location == other.location && circumstances == other.circumstances
    }
}
