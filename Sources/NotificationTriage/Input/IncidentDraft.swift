/// Field conversions shared by the CSV and JSON Lines readers: bytes in, typed value or `RecordError` out.
/// Messages name the field, never its value, except for non-personal coded fields.
enum Convert {
    /// Trimmed text; empty is nil. `validated` skips the UTF-8 check (the JSON scanner has done it).
    @inline(__always)
    static func text(_ raw: Bytes, _ field: Column, validated: Bool = false) throws(RecordError) -> String? {
        let b = FieldParsers.trimmed(raw)
        if b.isEmpty { return nil }
        if validated { return String(decoding: b, as: UTF8.self) }
        guard let s = UTF8Check.string(b) else {
            throw RecordError(field: field.name, "invalid utf-8 in '\(field.name)'")
        }
        return s
    }

    /// A date; empty is nil.
    @inline(__always)
    static func date(_ raw: Bytes, _ field: Column) throws(RecordError) -> CivilDate? {
        if FieldParsers.trimmed(raw).isEmpty { return nil }
        guard let d = FieldParsers.date(raw) else {
            throw RecordError(field: field.name, "invalid date in '\(field.name)': expected YYYY-MM-DD or DD/MM/YYYY")
        }
        return d
    }

    /// A date-time; empty is nil.
    @inline(__always)
    static func dateTime(_ raw: Bytes, _ field: Column, zone: ZoneRules) throws(RecordError) -> Instant? {
        if FieldParsers.trimmed(raw).isEmpty { return nil }
        guard let t = FieldParsers.dateTime(raw, zone: zone) else {
            throw RecordError(
                field: field.name,
                "invalid date-time in '\(field.name)'\(quote(raw)): expected YYYY-MM-DDTHH:MM[:SS] "
                    + "with optional Z or ±HH:MM offset, or DD/MM/YYYY HH:MM[:SS]")
        }
        return t
    }

    /// A boolean; empty is false.
    @inline(__always)
    static func bool(_ raw: Bytes, _ field: Column) throws(RecordError) -> Bool {
        guard let v = FieldParsers.bool(raw) else {
            throw RecordError(field: field.name, "invalid boolean in '\(field.name)': expected true/false, yes/no, y/n or 1/0")
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
        throw RecordError(field: "dash_risk", "unknown dash_risk\(quote(raw)): expected standard, medium or high")
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
            "unknown relationship\(quote(raw)): expected partner, ex_partner, parent, child, sibling, other_family or other")
    }

    /// The DASH score; empty is nil; otherwise a whole number 0…27.
    static func dashScore(_ raw: Bytes) throws(RecordError) -> Int? {
        if FieldParsers.trimmed(raw).isEmpty { return nil }
        guard let v = FieldParsers.smallInt(raw), v <= 27 else {
            throw RecordError(field: "dash_score", "invalid dash_score\(quote(raw)): expected a whole number from 0 to 27")
        }
        return v
    }

    /// Semicolon-separated flags into the draft.
    static func flags(_ raw: Bytes, into draft: inout IncidentDraft) throws(RecordError) {
        guard FieldParsers.flags(raw, into: &draft.flags, unknown: &draft.unknownFlags) else {
            throw RecordError(field: "flags", "invalid utf-8 in 'flags'")
        }
    }

    /// ` 'value'` for short printable ASCII values of non-personal fields, else nothing.
    static func quote(_ raw: Bytes) -> String {
        let b = FieldParsers.trimmed(raw)
        guard b.count <= 32, b.allSatisfy({ $0 >= 0x20 && $0 < 0x7F && $0 != 0x27 }) else { return "" }
        return " '" + String(decoding: b, as: UTF8.self) + "'"
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
            flags: flags, unknownFlags: unknown, children: kids)
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
    /// Whether any child field other than the id had a (non-empty) value.
    var hasDetails = false

    func build() throws(RecordError) -> Child? {
        guard let childID else {
            if hasDetails || name != nil || dob != nil || schoolURN != nil {
                throw RecordError(field: "child_id", "child details without child_id")
            }
            return nil
        }
        return Child(personID: childID, name: name ?? "", dateOfBirth: dob, present: present, schoolURN: schoolURN, injured: injured)
    }
}
