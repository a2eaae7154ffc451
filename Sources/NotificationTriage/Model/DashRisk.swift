/// The officer's DASH risk grading of the incident.
public enum DashRisk: String, Sendable, CaseIterable, Comparable {
    /// `standard`: the lowest grading (`low` in some exports).
    case standard
    /// `medium`.
    case medium
    /// `high`: the grading that, in the default policy, goes to MARAC.
    case high

    /// Parses `standard`/`medium`/`high` in any case (also `low` as `standard`, as some forces export it).
    public init?(text: some StringProtocol) {
        switch text.lowercased() {
        case "standard", "low": self = .standard
        case "medium": self = .medium
        case "high": self = .high
        default: return nil
        }
    }

    var rank: Int {
        switch self {
        case .standard: 0
        case .medium: 1
        case .high: 2
        }
    }

    /// The grading of ``rank`` `rank` (0, 1 or 2).
    init(rank: Int) {
        switch rank {
        case 0: self = .standard
        case 1: self = .medium
        default: self = .high
        }
    }

    /// `standard < medium < high`.
    public static func < (a: DashRisk, b: DashRisk) -> Bool { a.rank < b.rank }
}

/// How the victim and perpetrator are connected (DA Act 2021 "personally connected").
public enum Relationship: String, Sendable, CaseIterable {
    /// `partner`: current intimate partners.
    case partner
    /// `ex_partner`: former intimate partners.
    case exPartner = "ex_partner"
    /// `parent`: a parent and child, recorded as `parent` (which of the two is which is as the force's
    /// export says).
    case parent
    /// `child`: a parent and child, recorded as `child`.
    case child
    /// `sibling`: brothers or sisters.
    case sibling
    /// `other_family`: another family relationship.
    case otherFamily = "other_family"
    /// `other`: any other connection.
    case other

    /// The position in declaration order (the number a condition compares).
    var rank: Int {
        switch self {
        case .partner: 0
        case .exPartner: 1
        case .parent: 2
        case .child: 3
        case .sibling: 4
        case .otherFamily: 5
        case .other: 6
        }
    }

    /// The relationship of ``rank`` `rank` (0 to 6).
    init(rank: Int) {
        switch rank {
        case 0: self = .partner
        case 1: self = .exPartner
        case 2: self = .parent
        case 3: self = .child
        case 4: self = .sibling
        case 5: self = .otherFamily
        default: self = .other
        }
    }

    /// Parses the canonical name in any case; `-`, space and `_` are equivalent.
    public init?(text: some StringProtocol) {
        let key = text.lowercased().replacingOccurrences(of: "-", with: "_").replacingOccurrences(of: " ", with: "_")
        switch key {
        case "partner", "intimate_partner", "spouse": self = .partner
        case "ex_partner", "former_partner", "expartner": self = .exPartner
        default:
            guard let r = Relationship(rawValue: key) else { return nil }
            self = r
        }
    }
}

/// What a child's record says about their education (`child_education`, or `child_school_urn: EHE`): the
/// children outside schools, whom no school can be told about and whom the local authority must be.
public enum Education: String, Sendable, CaseIterable {
    /// `school`: on a school's roll (the school is `child_school_urn`, when known).
    case school
    /// `ehe`: electively home educated (the local authority's education officer is told, not a school).
    case ehe
    /// `none`: recorded as in no education at all (a child missing education).
    case noEducation = "none"
    /// `early_years`: at an early-years setting (a nursery or childminder; its URN in `child_school_urn`).
    case earlyYears = "early_years"

    /// The position in declaration order (the number a condition compares).
    var rank: Int {
        switch self {
        case .school: 0
        case .ehe: 1
        case .noEducation: 2
        case .earlyYears: 3
        }
    }

    /// Parses the canonical name in any case; `-`, space and `_` are equivalent (also `home_educated`,
    /// `elective_home_education`, `cme` and `nursery`, as forces record them).
    public init?(text: some StringProtocol) {
        let key = text.lowercased().replacingOccurrences(of: "-", with: "_").replacingOccurrences(of: " ", with: "_")
        switch key {
        case "home_educated", "elective_home_education": self = .ehe
        case "cme", "missing_education", "not_in_education": self = .noEducation
        case "nursery", "early_years_setting", "earlyyears": self = .earlyYears
        default:
            guard let e = Education(rawValue: key) else { return nil }
            self = e
        }
    }
}
