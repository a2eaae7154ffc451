/// The canonical CSV columns, in canonical order (also the canonical field names used in rejects).
enum Column: Int, CaseIterable, Sendable {
    case incidentID, occurredAt, uprn, postcode, householdID
    case victimID, victimName, victimDob, victimPregnant
    case perpetratorID, perpetratorName, perpetratorDob
    case relationship, dashRisk, dashScore, flags
    case childID, childName, childDob, childPresent, childSchoolURN, childInjured
    // Optional columns added later, kept last so that the numbers of the others do not move.
    case location, circumstances, childEducation, childVoice

    static let names: [String] = [
        "incident_id", "occurred_at", "uprn", "postcode", "household_id",
        "victim_id", "victim_name", "victim_dob", "victim_pregnant",
        "perpetrator_id", "perpetrator_name", "perpetrator_dob",
        "relationship", "dash_risk", "dash_score", "flags",
        "child_id", "child_name", "child_dob", "child_present", "child_school_urn", "child_injured",
        "location", "circumstances", "child_education", "child_voice",
    ]

    /// The canonical name (`victim_dob`).
    var name: String { Column.names[rawValue] }

    /// The column with this canonical name (exact, lower-case).
    init?(name: String) {
        guard let i = Column.names.firstIndex(of: name) else { return nil }
        self.init(rawValue: i)
    }

    /// Columns that must be present in the header.
    static let required: [Column] = [.incidentID, .occurredAt, .victimID, .dashRisk]
    /// At least one of these must be present in the header (and non-empty in each record).
    static let household: [Column] = [.householdID, .uprn, .postcode]
    /// The per-child columns.
    static let child: [Column] = [
        .childID, .childName, .childDob, .childPresent, .childSchoolURN, .childInjured, .childEducation, .childVoice,
    ]
}

/// How a force's CSV header names map onto the canonical column names.
public struct ColumnMap: Sendable, Equatable {
    /// The canonical mapping: every header is taken as the canonical name it spells.
    public static let canonical = ColumnMap(renames: [:])

    /// Normalised (trimmed, lower-case) force header -> normalised target name.
    private let renames: [String: String]

    /// Creates a map from the force's header names to canonical names (`"Ref No": "incident_id"`).
    /// Both sides are matched case-insensitively after trimming spaces.
    public init(renames: [String: String]) {
        var normalised: [String: String] = [:]
        for (from, to) in renames { normalised[ColumnMap.normalise(from)] = ColumnMap.normalise(to) }
        self.renames = normalised
    }

    /// Rename targets that are not canonical column names (for the mapping file's validation), sorted.
    package var invalidTargets: [String] {
        renames.values.filter { Column(name: $0) == nil }.sorted()
    }

    /// The canonical column a header cell names, or nil for an extra column.
    func column(forHeader header: String) -> Column? {
        let key = ColumnMap.normalise(header)
        return Column(name: renames[key] ?? key)
    }

    static func normalise(_ s: String) -> String {
        var t = Substring(s)
        while let f = t.first, f == " " || f == "\t" { t = t.dropFirst() }
        while let l = t.last, l == " " || l == "\t" { t = t.dropLast() }
        return t.lowercased()
    }
}
