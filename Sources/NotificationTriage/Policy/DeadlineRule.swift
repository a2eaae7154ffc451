/// How a deadline is computed from the incident time.
package enum DeadlineRule: Sendable, Equatable, CustomStringConvertible {
    /// The first school-day start strictly after the incident.
    case nextSchoolDay
    /// The end of the Nth working day after the incident's local date.
    case workingDays(Int)
    /// N clock hours after the incident.
    case hours(Int)

    package var description: String {
        switch self {
        case .nextSchoolDay: "the start of the next school day"
        case .workingDays(1): "the end of the next working day"
        case .workingDays(let n): "the end of the \(ordinal(n)) working day"
        case .hours(let n): "\(n) hour\(n == 1 ? "" : "s") after the incident"
        }
    }
}

func ordinal(_ n: Int) -> String {
    let suffix: String
    switch (n % 10, n % 100) {
    case (1, let t) where t != 11: suffix = "st"
    case (2, let t) where t != 12: suffix = "nd"
    case (3, let t) where t != 13: suffix = "rd"
    default: suffix = "th"
    }
    return "\(n)\(suffix)"
}
