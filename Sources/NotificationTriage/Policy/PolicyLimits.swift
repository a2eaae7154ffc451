/// The sane range of every number a policy file may hold, checked by the validator with the line and
/// column of the number.
///
/// The ranges are what a safeguarding policy can mean, and they keep every sum and product screening does
/// with them far from overflow: a window of ten years is 3.2e8 seconds, 8,760 hours is 3.2e7 seconds,
/// 260 working days walk at most about 1,850 calendar days, and a decayed score of weights of at most
/// 1,000 stays finite over any number of incidents a run can hold.
enum PolicyLimits {
    /// `history.window_days`: one day to ten years.
    static let windowDays = 1...3653
    /// `history.half_life_days` must be more than 0 and at most the window.
    /// `history.late_days`: none to ten years.
    static let lateDays = 0...3653
    /// `history.remember_ids_days`: at least the window (checked apart), at most twenty years.
    static let rememberIDsDays = 1...7306
    /// `history.near_miss_score_margin`: in score points.
    static let nearMissScoreMargin: ClosedRange<Double> = 0...1000
    /// Every weight of `history.weights` (per grading and per flag).
    static let weight: ClosedRange<Double> = 0...1000
    /// `deadline: {hours: N}`: one hour to a year.
    static let hours = 1...8760
    /// `deadline: {working_days: N}`: one working day to a year of them.
    static let workingDays = 1...260
    /// The length of one school closure in days: a holiday or a training day, never years.
    static let schoolClosureDays = 1...366

    /// The values a condition on `fact` may compare with; nil for facts whose values are not numbers.
    static func operands(of fact: Fact) -> ClosedRange<Double>? {
        guard fact.kind == .number else { return nil }
        switch fact {
        case .dashScore: return 0...100
        case .victimAge, .childAge, .youngestChildAge: return 0...150
        case .childAgeMonths: return 0...1800
        case .householdScore, .victimScore, .childScore: return 0...1_000_000_000
        default: return 0...1_000_000  // counts of children, incidents, victims, households, referrals
        }
    }
}

extension ClosedRange<Double> {
    /// `0 and 1000`, for messages.
    var described: String { "\(lowerBound.plainText) and \(upperBound.plainText)" }
}

extension Double {
    /// A whole number without `.0`, otherwise one decimal place.
    var plainText: String { self == rounded() && abs(self) < 1e15 ? String(Int(self)) : oneDecimal(self) }
}
