/// The deadlines worked out for the current local day, per destination and priority. Incidents arrive in
/// time order, so a day's incidents share their deadlines: the calendar walk (working days, bank holidays,
/// school closures, the zone's offsets) runs once per day and route kind instead of once per route.
package struct DeadlineMemo: Sendable {
    private struct Entry {
        var day: Int32 = .min
        /// For `next_school_day`: whether the incident was before the school-day start.
        var early = false
        var seconds: Int64 = 0
    }
    /// Indexed by destination × 4 + priority rank (0 for none).
    private var entries: [Entry]

    init(destinations: Int) { entries = Array(repeating: Entry(), count: destinations * 4) }

    /// The deadline of a route to `dest` with `priority` for an incident at `t` (local time `local`), as
    /// ``PolicyCalendar/deadline(_:after:zone:)`` gives it; the incident time itself when there is no rule.
    mutating func deadline(_ policy: Policy, _ dest: Int, _ priority: Priority?, _ t: Instant, _ local: LocalDateTime) -> Instant {
        guard let rule = policy.destinations[dest].deadlineRule(for: priority) else { return t }
        let early: Bool
        switch rule {
        case .hours: return policy.calendar.deadline(rule, after: t, zone: policy.zone)
        // Depends on the local date and on whether the school day has started.
        case .nextSchoolDay: early = local.secondOfDay < policy.calendar.schoolDayStart
        // Depends on the local date only.
        case .workingDays: early = false
        }
        let k = dest * 4 + (priority?.rank ?? 0)
        let day = local.date.dayNumber
        if entries[k].day == day && entries[k].early == early { return Instant(seconds: entries[k].seconds) }
        let d = policy.calendar.deadline(rule, after: t, zone: policy.zone)
        entries[k] = Entry(day: day, early: early, seconds: d.seconds)
        return d
    }
}
