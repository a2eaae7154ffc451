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
