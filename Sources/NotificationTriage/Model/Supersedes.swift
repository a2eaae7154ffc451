/// What a re-sent notification changed since the version of the same incident id screened before it, so that
/// an agency that acted on the earlier decision can update its record (decisions already written are never
/// rewritten). Only what changed is set; an identical re-send changes nothing.
public struct Supersedes: Sendable, Equatable {
    /// One changed value: what the earlier version said and what this one says.
    public struct Change<Value: Sendable & Equatable>: Sendable, Equatable {
        /// What the earlier version said.
        public var before: Value
        /// What this version says.
        public var after: Value
    }

    /// False when the id was recognised but its earlier version has left history, so no change can be listed.
    public var earlierVersionHeld: Bool
    /// The incident's time, when the re-send moved it.
    public var occurredAt: Change<Instant>? = nil
    /// The DASH grading, when it changed.
    public var dashRisk: Change<DashRisk>? = nil
    /// The DASH score (nil when not recorded), when it changed.
    public var dashScore: Change<Int?>? = nil
    /// Whether the victim is pregnant, when it changed.
    public var victimPregnant: Change<Bool>? = nil
    /// Flags this version has that the earlier one did not.
    public var flagsAdded = RiskFlags()
    /// Flags the earlier version had that this one does not.
    public var flagsRemoved = RiskFlags()
    /// The number of children listed.
    public var children: Change<Int>? = nil
    /// Destinations this version routes to that the earlier one did not, in policy order.
    public var routesAdded: [String] = []
    /// Destinations the earlier version routed to that this one does not, in policy order.
    public var routesRemoved: [String] = []

    init(earlierVersionHeld: Bool) { self.earlierVersionHeld = earlierVersionHeld }

    /// The changes from `earlier` to `version`, an incident at `time`; destination ids from `policy`.
    init(from earlier: SeenIncident, to version: IncidentVersion, at time: Instant, policy: Policy) {
        self.init(earlierVersionHeld: earlier.version.known)
        let was = earlier.version
        guard was.known else { return }
        if earlier.time != time.seconds { occurredAt = Change(before: Instant(seconds: earlier.time), after: time) }
        if was.dashRisk != version.dashRisk,
            let a = DashRisk.allCases.first(where: { $0.rank == Int(was.dashRisk) }),
            let b = DashRisk.allCases.first(where: { $0.rank == Int(version.dashRisk) })
        {
            dashRisk = Change(before: a, after: b)
        }
        if was.dashScore != version.dashScore {
            dashScore = Change(
                before: was.dashScore < 0 ? nil : Int(was.dashScore), after: version.dashScore < 0 ? nil : Int(version.dashScore))
        }
        if was.pregnant != version.pregnant { victimPregnant = Change(before: was.pregnant, after: version.pregnant) }
        flagsAdded = version.flags.subtracting(was.flags)
        flagsRemoved = was.flags.subtracting(version.flags)
        if was.children != version.children { children = Change(before: Int(was.children), after: Int(version.children)) }
        for (i, d) in policy.destinations.prefix(64).enumerated() {
            let bit: UInt64 = 1 << UInt64(i)
            if version.routes & bit != 0 && was.routes & bit == 0 { routesAdded.append(d.id) }
            if was.routes & bit != 0 && version.routes & bit == 0 { routesRemoved.append(d.id) }
        }
    }
}
