/// A named fact a rule condition can test (`household.incidents`, `child.age`, …). The vocabulary is closed:
/// the policy validator turns each name into one of these once, so evaluation never looks up a string.
enum Fact: Int, CaseIterable, Sendable {
    // Incident facts.
    case dashRisk, dashScore, flags, relationship, children, childrenPresent, youngestChildAge
    case victimPregnant, victimAge, perpetratorRecorded
    // History facts (incident scope).
    case householdIncidents, householdScore, victimIncidents, victimScore
    case perpetratorIncidents, perpetratorVictims, perpetratorHouseholds, pairIncidents, pairMaracReferrals
    // Child facts (rules with `scope: child`).
    case childAge, childAgeMonths, childPresent, childInjured, childSchoolURN, childIncidents, childScore
    case childEducation

    /// The name used in the policy file.
    var name: String {
        switch self {
        case .dashRisk: "dash_risk"
        case .dashScore: "dash_score"
        case .flags: "flags"
        case .relationship: "relationship"
        case .children: "children"
        case .childrenPresent: "children_present"
        case .youngestChildAge: "youngest_child_age"
        case .victimPregnant: "victim.pregnant"
        case .victimAge: "victim.age"
        case .perpetratorRecorded: "perpetrator.recorded"
        case .householdIncidents: "household.incidents"
        case .householdScore: "household.score"
        case .victimIncidents: "victim.incidents"
        case .victimScore: "victim.score"
        case .perpetratorIncidents: "perpetrator.incidents"
        case .perpetratorVictims: "perpetrator.victims"
        case .perpetratorHouseholds: "perpetrator.households"
        case .pairIncidents: "pair.incidents"
        case .pairMaracReferrals: "pair.marac_referrals"
        case .childAge: "child.age"
        case .childAgeMonths: "child.age_months"
        case .childPresent: "child.present"
        case .childInjured: "child.injured"
        case .childSchoolURN: "child.school_urn"
        case .childIncidents: "child.incidents"
        case .childScore: "child.score"
        case .childEducation: "child.education"
        }
    }

    /// What kind of value the fact holds, which decides the operators it accepts.
    enum Kind { case number, bool, grading, relationship, education, text, flags }

    var kind: Kind {
        switch self {
        case .dashRisk: .grading
        case .relationship: .relationship
        case .childEducation: .education
        case .flags: .flags
        case .victimPregnant, .perpetratorRecorded, .childPresent, .childInjured: .bool
        case .childSchoolURN: .text
        default: .number
        }
    }

    /// Child facts can only be used by rules with `scope: child`.
    var isChildFact: Bool { rawValue >= Fact.childAge.rawValue }

    /// A count of incidents in the history window (near misses are offered one incident away).
    var isIncidentCount: Bool {
        switch self {
        case .householdIncidents, .victimIncidents, .perpetratorIncidents, .pairIncidents, .childIncidents: true
        default: false
        }
    }

    /// A decayed cumulative score (near misses are offered within the policy's score margin).
    var isScore: Bool {
        switch self {
        case .householdScore, .victimScore, .childScore: true
        default: false
        }
    }

    /// The fact with this policy-file name.
    static func named(_ name: String) -> Fact? { byName[name] }

    /// How many facts there are (`allCases` builds an array on every use).
    static let count = allCases.count
    private static let byName: [String: Fact] = Dictionary(uniqueKeysWithValues: allCases.map { ($0.name, $0) })

    /// The closest known name, for "did you mean" hints.
    static func suggestion(for name: String) -> String? {
        closestName(to: name, among: allCases.map(\.name))
    }
}

/// The candidate with the smallest edit distance to `name`, if it is close enough to be a likely typo
/// (looser than ``ValueDescription/closestToken(to:among:)``: names of options, keys and columns are ours,
/// never a person's data, so a wider guess costs nothing).
package func closestName(to name: String, among candidates: [String]) -> String? {
    let a = Array(name.utf8)
    var best: (String, Int)? = nil
    for c in candidates {
        let d = ValueDescription.typoDistance(a, Array(c.utf8))
        if d <= max(2, a.count / 3), best == nil || d < best!.1 { best = (c, d) }
    }
    return best?.0
}
