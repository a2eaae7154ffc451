/// The `history` section: window, decay and weights.
package struct HistorySettings: Sendable {
    package var windowDays: Int
    var halfLifeDays: Double
    var gradingWeights: [Double]  // indexed by DashRisk.rank
    var flagWeights: [(flag: RiskFlags, weight: Double)]
    /// How close (in score points) a score must be to a threshold to be reported as a near miss.
    var nearMissScoreMargin: Double
    /// How many days behind the latest incident an incident may arrive and still find all the history it
    /// needs (history is kept for `windowDays + lateDays`).
    var lateDays = 90
    /// How long incident ids are remembered, in days (nil: twice the window), so that a re-sent or re-run
    /// incident is recognised after its events have left the window.
    var rememberIDsDays: Int? = nil

    /// `rememberIDsDays`, defaulted.
    var rememberDays: Int { rememberIDsDays ?? 2 * windowDays }

    /// An incident's weight: its grading weight plus the weight of each flag set.
    func weight(of incident: Incident) -> Double {
        var w = gradingWeights[incident.dashRisk.rank]
        for (flag, fw) in flagWeights where incident.flags.contains(flag) { w += fw }
        return w
    }
}
