import Testing

@testable import NotificationTriage
@testable import TriageSynthesis

/// The per-day deadline memo must give what the calendar gives for every route kind, whatever the order of
/// the incidents (in order, backwards, jumping between days) and on both sides of the school-day start.
@Suite struct DeadlineMemoTests {
    enum Order: String, CaseIterable, Sendable { case forward, backward, shuffled }

    @Test(arguments: Order.allCases)
    func agreesWithTheCalendar(_ order: Order) {
        let policy = Policy.default
        // Every 7 minutes for 40 days around the spring clock change, Easter and a bank holiday.
        let start = Int64(1_773_964_800)  // 2026-03-20T00:00:00Z
        var times = stride(from: start, to: start + 40 * 86_400, by: 420).map { $0 }
        switch order {
        case .forward: break
        case .backward: times.reverse()
        case .shuffled:
            var rng = SeededGenerator(seed: 3)
            times.shuffle(using: &rng)
        }
        var memo = DeadlineMemo(destinations: policy.destinations.count)
        let priorities: [Priority?] = [nil, .green, .amber, .red]
        var mismatches = 0
        for s in times {
            let t = Instant(seconds: s)
            let local = policy.zone.local(t)
            for d in policy.destinations.indices {
                for p in priorities {
                    let expected =
                        policy.destinations[d].deadlineRule(for: p).map {
                            policy.calendar.deadline($0, after: t, zone: policy.zone)
                        } ?? t
                    if memo.deadline(policy, d, p, t, local) != expected { mismatches += 1 }
                }
            }
        }
        #expect(mismatches == 0)
    }
}
