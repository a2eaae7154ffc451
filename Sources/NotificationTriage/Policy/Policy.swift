/// The screening policy: calendar, history settings, destinations and ordered rules, loaded from a
/// `thresholds.yaml` and compiled so that screening a record does no string look-ups.
///
/// Load one with ``Policy/init(yaml:source:)`` or use ``Policy/default``.
public struct Policy: Sendable {
    /// What a policy is made of, as the validator compiles it.
    struct Fields: Sendable {
        var name: String
        var version: Int
        var hash: String
        var zone: ZoneRules
        var calendar: PolicyCalendar
        var history: HistorySettings
        var destinations: [Destination]
        var rules: [Rule]
        var screenedOutReason: String
    }

    /// The fields, shared: copying a policy (every screener, context and writer holds one) is one retain
    /// rather than a copy of every field.
    final class Storage: Sendable {
        let fields: Fields
        init(_ fields: Fields) { self.fields = fields }
    }
    let storage: Storage

    /// The policy's `name`.
    public var name: String { storage.fields.name }
    /// The policy file format `version` (1).
    public var version: Int { storage.fields.version }
    /// A hash (FNV-1a 64, hex) of the policy text, carried on every decision so it can be traced.
    public var hash: String { storage.fields.hash }
    /// The time zone local times are read and deadlines written in.
    public var zone: ZoneRules { storage.fields.zone }
    package var calendar: PolicyCalendar { storage.fields.calendar }
    package var history: HistorySettings { storage.fields.history }
    package var destinations: [Destination] { storage.fields.destinations }
    var rules: [Rule] { storage.fields.rules }
    /// Reason given when an incident gets no route.
    var screenedOutReason: String { storage.fields.screenedOutReason }

    init(_ fields: Fields) { storage = Storage(fields) }

    /// The ids of the rules, in policy order.
    public var ruleIDs: [String] { rules.map(\.id) }
    /// The ids of the destinations, in policy order.
    public var destinationIDs: [String] { destinations.map(\.id) }
    /// The look-back window in days.
    public var windowDays: Int { history.windowDays }

    /// The fields a destination may receive (data minimisation), or nil for an unknown destination.
    public func fields(for destination: String) -> [String]? {
        destinations.first { $0.id == destination }?.fields
    }

    /// Index of a destination by id.
    package func destinationIndex(_ id: String) -> Int? { destinations.firstIndex { $0.id == id } }
}

/// A route's urgency for a destination that has deadlines per priority (social care's RAG rating).
public enum Priority: String, Sendable, CaseIterable, Comparable {
    case red, amber, green

    package var rank: Int {
        switch self {
        case .red: 3
        case .amber: 2
        case .green: 1
        }
    }

    /// Red is the highest: `green < amber < red`.
    public static func < (a: Priority, b: Priority) -> Bool { a.rank < b.rank }
}

/// The `history` section: window, decay and weights.
package struct HistorySettings: Sendable {
    var windowDays: Int
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

/// A place a notification can be routed to, with its deadline and the fields it may receive.
package struct Destination: Sendable {
    var id: String
    var description: String
    /// Deadline when the route has no priority (or no per-priority deadline applies).
    var deadline: DeadlineRule?
    /// Deadlines by priority (index by `Priority.rank - 1`: green, amber, red).
    var byPriority: [DeadlineRule?]
    /// Canonical field names this destination may receive.
    var fields: [String]

    func deadlineRule(for priority: Priority?) -> DeadlineRule? {
        if let p = priority, let d = byPriority[p.rank - 1] { return d }
        return deadline
    }
}

/// A rule's scope: once per incident, or once per linked child.
enum RuleScope: String, Sendable { case incident, child }

/// One rule of the policy, compiled. A class so that iterating the rules per incident costs one retain,
/// not a copy of every field.
package final class Rule: Sendable {
    let id: String
    let description: String
    let scope: RuleScope
    let condition: Condition
    /// The condition flattened for evaluation and explanations (with the rule's near-miss leaves).
    let compiled: CompiledCondition
    let destinations: [Int]
    let priority: Priority?
    let location: SourceLocation
    /// `[id]`, made once: a route this rule starts shares it (a retain, not an array per route); merging a
    /// second rule into the route copies it then.
    let idList: [String]

    init(
        id: String, description: String, scope: RuleScope, condition: Condition, destinations: [Int],
        priority: Priority?, nearMissLeaves: [Leaf], location: SourceLocation
    ) {
        self.id = id
        self.description = description
        self.scope = scope
        self.condition = condition
        self.compiled = CompiledCondition(condition, nearMissLeaves: nearMissLeaves)
        self.destinations = destinations
        self.priority = priority
        self.location = location
        self.idList = [id]
    }
}
