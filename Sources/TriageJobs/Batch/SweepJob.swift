import Foundation
import NotificationTriage

/// The figures of one policy in a sweep: the baseline, or one combination of values.
package struct SweepFigures: Sendable {
    /// Routes per destination (policy order), then per priority rank: none, green, amber, red.
    package var routes: [[Int]]
    /// Routes per destination per week (the day number of its Monday).
    package var weeks: [[Int32: Int]]
    /// Distinct children reaching each destination, and of those not reaching it under the baseline
    /// (gained) and the baseline's not reaching it here (lost).
    package var children: [Int]
    package var childrenGained: [Int]
    package var childrenLost: [Int]
    /// Distinct children reaching any destination, gained and lost likewise.
    package var reached = 0
    package var gained = 0
    package var lost = 0

    init(destinations n: Int) {
        routes = Array(repeating: [0, 0, 0, 0], count: n)
        weeks = Array(repeating: [:], count: n)
        children = Array(repeating: 0, count: n)
        childrenGained = Array(repeating: 0, count: n)
        childrenLost = Array(repeating: 0, count: n)
    }
}

/// One combination of a sweep's values: one value per ``SweepSpec``, in the order given.
package struct SweepCombination: Sendable {
    package var values: [Double]
    /// The baseline with these values.
    package var policy: Policy
    /// Why this combination is screened with a history of its own, or nil when it shares the baseline's.
    package var ownHistory: String?
}

/// Screens the input once under a policy and a grid of threshold changes to it, and counts for each
/// combination each agency's workload and the children it reaches (`triage sweep`).
///
/// One pass: the input is read and parsed once. Combinations that change only rule thresholds share the
/// baseline's history and facts: their changed rules are evaluated beside the baseline's on the screening
/// thread (``RuleVariants``), and only the incidents on which one decides otherwise are told apart. A
/// combination that changes what history records gets a screener and history of its own.
package struct SweepJob {
    let baseline: Policy
    package let specs: [SweepSpec]
    let options: ScreenOptions
    package let combinations: [SweepCombination]

    /// Most combinations a sweep makes unless `--max` says more.
    package static let defaultMax = 256

    /// The grid of `specs` (the first spec's values change slowest), refused when it has more than `max`
    /// combinations or when a combination is not a valid policy.
    package init(baseline: Policy, specs: [SweepSpec], options: ScreenOptions, max: Int = SweepJob.defaultMax) throws(JobError) {
        self.baseline = baseline
        self.specs = specs
        self.options = options
        var count = 1
        for s in specs {
            count = count.multipliedReportingOverflow(by: s.values.count).partialValue
            if count > max || count <= 0 { break }
        }
        guard count <= max, count > 0 else {
            let sizes = specs.map { "\($0.values.count)" }.joined(separator: " x ")
            throw JobError(
                "the sweep has \(sizes) = \(specs.reduce(1.0) { $0 * Double($1.values.count) }.plainNumber) combinations, more than \(max): "
                    + "use fewer values, or --max N to allow more")
        }
        var grid: [[Double]] = [[]]
        for s in specs { grid = grid.flatMap { prefix in s.values.map { prefix + [$0] } } }
        var combinations: [SweepCombination] = []
        for values in grid {
            let changes = zip(specs, values).map { ($0.setting, $1) }
            let policy: Policy
            do { policy = try baseline.varying(changes) } catch {
                let label = zip(specs, values).map { "\($0.label)=\(SweepSpec.text($1, grading: $0.isGrading))" }.joined(separator: " ")
                throw JobError("the combination \(label) is not a valid policy: \(error)")
            }
            var own: String? = nil
            if specs.contains(where: \.isHistory) {
                own = "history settings changed"
            } else if !baseline.recordsSameHistory(as: policy) {
                own = "a rule routing to MARAC changed, and pair.marac_referrals counts MARAC referrals"
            }
            combinations.append(SweepCombination(values: values, policy: policy, ownHistory: own))
        }
        self.combinations = combinations
    }

    /// The result of a sweep.
    package struct Result: Sendable {
        package var baseline: SweepFigures
        /// In the order of ``SweepJob/combinations``.
        package var combinations: [SweepFigures]
        /// Children counted in the incidents (reached or not).
        package var seen = 0
        package var firstDay: CivilDate?
        package var lastDay: CivilDate?
        package var workingDays = 0
        package var read = 0
        package var rejected = 0
        package var elapsed = 0.0
    }

    /// Runs the sweep.
    package func run() throws -> Result {
        let start = Date()
        var history: History? = nil
        if let path = options.statePath, let bytes = try readWholeFile(path) {
            history = try History(state: bytes, source: path, policy: baseline)
        }
        let shared = combinations.indices.filter { combinations[$0].ownHistory == nil }
        let own = combinations.indices.filter { combinations[$0].ownHistory != nil }
        guard let variants = RuleVariants(policy: baseline, variants: shared.map { combinations[$0].policy }) else {
            throw JobError("a combination said to share the baseline's history does not")  // recordsSameHistory checked above
        }
        // One "now" for every screener, so that the future-date rule rejects the same records in each.
        let clock = WallClock.fixed(WallClock.system.now())
        let baseline = self.baseline
        let options = self.options
        let ahead = ParseAhead(inputs: options.inputs.isEmpty ? ["-"] : options.inputs) { input throws(InputError) in
            try IncidentInput(path: input, zone: baseline.zone, format: options.inputFormat, columns: options.columns)
        }
        let primary = BatchScreener(policy: baseline, history: history, clock: clock, schools: options.schools, variants: variants)
        let others = own.map { i in
            let p = combinations[i].policy
            return BatchScreener(
                policy: p,
                history: history.map { h in
                    var copy = h
                    copy.adopt(p.history)
                    return copy
                }, clock: clock, schools: options.schools)
        }
        defer {
            ahead.cancel()
            primary.stop()
            for s in others { s.stop() }
        }
        var tally = SweepTally(destinations: baseline.destinationIDs.count, shared: shared, own: own)
        var pending: [RecordBatch] = []
        // Read from the policy once: each read copies the zone's tables.
        let zone = baseline.zone
        func collect() throws {
            let records = pending.removeFirst().records
            guard var screened = primary.screened(), screened.decisions.count == records.count else {
                throw JobError("screening stopped early")
            }
            var ownDecisions: [[Decision?]] = []
            for s in others {
                guard let d = s.results(), d.count == records.count else { throw JobError("screening stopped early") }
                ownDecisions.append(d)
            }
            for i in records.indices {
                tally.read += 1
                // Each decision moved out of its batch (bound from the array, it was copied: every string and
                // array retained, then released).
                guard let d = screened.decisions[i].take() else {
                    tally.rejected += 1
                    continue
                }
                let day = zone.local(d.incident.occurredAt).date
                let own = ownDecisions.indices.map { ownDecisions[$0][i].take() }
                tally.count(d, outcomes: screened.outcomes[i], own: own, day: day)
            }
        }
        reading: while true {
            switch ahead.take() {
            case .end: break reading
            case .failure(let e): throw e
            case .batch(let records):
                // Two batches in flight, so the screeners are busy while this thread counts the one before.
                guard primary.submit(records), others.allSatisfy({ $0.submit(records) }) else {
                    throw JobError("screening stopped early")
                }
                pending.append(records)
                if pending.count > 1 { try collect() }
            }
        }
        while !pending.isEmpty { try collect() }
        var result = tally.result(combinations: combinations.count)
        if let f = result.firstDay, let l = result.lastDay { result.workingDays = baseline.calendar.workingDays(from: f, through: l) }
        result.elapsed = Date().timeIntervalSince(start)
        return result
    }
}

/// The counting side of a sweep, on the collecting thread. The baseline is counted in full; a shared
/// combination is counted only where it differs, on the incidents it decides otherwise: its routes and
/// weeks as differences from the baseline's, its children as differences from the baseline's count of
/// routes reaching each child at each destination. So a combination that changes little costs little.
/// An own-history combination is counted in full, its children as sets.
struct SweepTally {
    let destinations: Int
    var baseline: SweepFigures
    /// Per combination: for shared ones, routes and weeks as differences from the baseline.
    var figures: [SweepFigures]
    /// Variant number (shared) → combination index; own-history screener number → combination index.
    let shared: [Int]
    let own: [Int]
    var numbers = ChildNumbers()
    var seen = BitSet()
    /// The baseline's routes reaching each child (by number) at each destination, and as sets.
    var baseCount: [[UInt32]]
    var baseSets: [BitSet]
    var baseReached = BitSet()
    /// Per shared combination: (destination << 32 | child) → its routes reaching there minus the baseline's.
    var deltas: [[Int64: Int32]]
    /// Per own-history combination: children reaching each destination, and any.
    var ownSets: [[BitSet]]
    var ownReached: [BitSet]
    var firstDay: CivilDate?
    var lastDay: CivilDate?
    var read = 0
    var rejected = 0
    /// The (destination, child number) pairs of the incident in hand, reused.
    private var reach: [(Int, Int32)] = []
    private var other: [(Int, Int32)] = []
    private var counted: [Int32] = []

    init(destinations: Int, shared: [Int], own: [Int]) {
        self.destinations = destinations
        baseline = SweepFigures(destinations: destinations)
        figures = Array(repeating: SweepFigures(destinations: destinations), count: shared.count + own.count)
        self.shared = shared
        self.own = own
        baseCount = Array(repeating: [], count: destinations)
        baseSets = Array(repeating: BitSet(), count: destinations)
        deltas = Array(repeating: [:], count: shared.count)
        ownSets = Array(repeating: Array(repeating: BitSet(), count: destinations), count: own.count)
        ownReached = Array(repeating: BitSet(), count: own.count)
    }

    /// Counts one incident: the baseline's decision, each shared combination's outcome where it has one
    /// (else it decided as the baseline did: nothing to count), and each own-history combination's decision.
    mutating func count(_ d: Decision, outcomes: [VariantOutcome], own ownDecisions: [Decision?], day: CivilDate) {
        if firstDay == nil || day < firstDay! { firstDay = day }
        if lastDay == nil || day > lastDay! { lastDay = day }
        let week = CompareJob.Bucket.week.start(of: day)
        counted.removeAll(keepingCapacity: true)
        for c in d.history.children { counted.append(numbers.number(c.childID)) }
        for n in counted { seen.insert(n) }
        reach.removeAll(keepingCapacity: true)
        for r in d.routes {
            SweepTally.add(r.destinationIndex, r.priority, week, sign: 1, &baseline)
            SweepTally.reachOf(r.destinationIndex, r.childID, counted: counted, numbers: &numbers, into: &reach)
        }
        for (dest, n) in reach where dest >= 0 && dest < destinations {
            if baseCount[dest].count <= Int(n) {
                baseCount[dest].append(contentsOf: repeatElement(0, count: Int(n) + 1 - baseCount[dest].count))
            }
            baseCount[dest][Int(n)] += 1
            baseSets[dest].insert(n)
            baseReached.insert(n)
        }
        for o in outcomes {
            // Both route lists are in the same order (destination, then child): only the routes that differ
            // are counted, so a combination that changes one route of an incident costs one route.
            let c = shared[o.variant]
            let a = d.routes
            let b = o.routes
            var i = 0
            var j = 0
            while i < a.count || j < b.count {
                let ka = i < a.count ? (a[i].destinationIndex, a[i].childIndex ?? -1) : (Int.max, Int.max)
                let kb = j < b.count ? (b[j].destinationIndex, b[j].childIndex ?? -1) : (Int.max, Int.max)
                if ka == kb {
                    // The same route: the same children; only a changed priority is counted.
                    if a[i].priority != b[j].priority {
                        SweepTally.add(ka.0, a[i].priority, week, sign: -1, &figures[c])
                        SweepTally.add(kb.0, b[j].priority, week, sign: 1, &figures[c])
                    }
                    i += 1
                    j += 1
                } else if ka < kb {
                    SweepTally.add(ka.0, a[i].priority, week, sign: -1, &figures[c])
                    other.removeAll(keepingCapacity: true)
                    SweepTally.reachOf(ka.0, a[i].childID, counted: counted, numbers: &numbers, into: &other)
                    for (dest, n) in other where dest >= 0 && dest < destinations {
                        deltas[o.variant][SweepTally.key(dest, n), default: 0] -= 1
                    }
                    i += 1
                } else {
                    SweepTally.add(kb.0, b[j].priority, week, sign: 1, &figures[c])
                    other.removeAll(keepingCapacity: true)
                    SweepTally.reachOf(
                        kb.0, b[j].childIndex.map { d.incident.children[$0].personID }, counted: counted, numbers: &numbers, into: &other)
                    for (dest, n) in other where dest >= 0 && dest < destinations {
                        deltas[o.variant][SweepTally.key(dest, n), default: 0] += 1
                    }
                    j += 1
                }
            }
        }
        for (k, c) in own.enumerated() {
            // The same record is rejected by every screener (the same reader, the same clock).
            guard let od = ownDecisions[k] else { continue }
            // Its own history's children (the same as the baseline's: which children count depends on the
            // incident alone, but a screener of its own is taken at its word).
            counted.removeAll(keepingCapacity: true)
            for c in od.history.children { counted.append(numbers.number(c.childID)) }
            other.removeAll(keepingCapacity: true)
            for r in od.routes {
                SweepTally.add(r.destinationIndex, r.priority, week, sign: 1, &figures[c])
                SweepTally.reachOf(r.destinationIndex, r.childID, counted: counted, numbers: &numbers, into: &other)
            }
            for (dest, n) in other where dest >= 0 && dest < destinations {
                ownSets[k][dest].insert(n)
                ownReached[k].insert(n)
            }
        }
    }

    static func key(_ destination: Int, _ child: Int32) -> Int64 { Int64(destination) << 32 | Int64(child) }

    /// A route reaches its child, or (an incident route) every child counted in the incident.
    private static func reachOf(
        _ destination: Int, _ childID: String?, counted: [Int32], numbers: inout ChildNumbers, into out: inout [(Int, Int32)]
    ) {
        if let childID {
            out.append((destination, numbers.number(childID)))
        } else {
            for n in counted { out.append((destination, n)) }
        }
    }

    // Static: a method of the tally handed one of the tally's own figures inout would copy the whole tally
    // for each call (and then each array it changes).
    private static func add(_ destination: Int, _ priority: Priority?, _ week: Int32, sign: Int, _ f: inout SweepFigures) {
        guard f.routes.indices.contains(destination) else { return }
        f.routes[destination][priority?.rank ?? 0] += sign
        f.weeks[destination][week, default: 0] += sign
    }

    /// The baseline's routes reaching child `n` at a destination.
    private func baseRoutes(_ dest: Int, _ n: Int32) -> UInt32 { Int(n) < baseCount[dest].count ? baseCount[dest][Int(n)] : 0 }

    /// The figures: each shared combination's differences applied to the baseline's.
    func result(combinations: Int) -> SweepJob.Result {
        var base = baseline
        for dest in 0..<destinations { base.children[dest] = baseSets[dest].count }
        base.reached = baseReached.count
        var all = figures
        for (v, c) in shared.enumerated() {
            for dest in 0..<destinations {
                for p in 0..<4 { all[c].routes[dest][p] += baseline.routes[dest][p] }
                var weeks = baseline.weeks[dest]
                for (w, n) in all[c].weeks[dest] { weeks[w, default: 0] += n }
                all[c].weeks[dest] = weeks.filter { $0.value != 0 }
                all[c].children[dest] = base.children[dest]
            }
            all[c].reached = base.reached
            // Each child whose routes changed somewhere: at each destination, and at any.
            var changed: [Int32: [(Int, Int32)]] = [:]
            for (key, delta) in deltas[v] where delta != 0 {
                changed[Int32(truncatingIfNeeded: key), default: []].append((Int(key >> 32), delta))
            }
            for (n, byDest) in changed {
                var before = false
                var after = false
                for dest in 0..<destinations {
                    let was = Int64(baseRoutes(dest, n))
                    let now = was + Int64(byDest.first { $0.0 == dest }?.1 ?? 0)
                    if was > 0 { before = true }
                    if now > 0 { after = true }
                    if was == 0 && now > 0 {
                        all[c].children[dest] += 1
                        all[c].childrenGained[dest] += 1
                    } else if was > 0 && now <= 0 {
                        all[c].children[dest] -= 1
                        all[c].childrenLost[dest] += 1
                    }
                }
                if !before && after {
                    all[c].reached += 1
                    all[c].gained += 1
                } else if before && !after {
                    all[c].reached -= 1
                    all[c].lost += 1
                }
            }
        }
        for (k, c) in own.enumerated() {
            for dest in 0..<destinations {
                all[c].children[dest] = ownSets[k][dest].count
                all[c].childrenGained[dest] = ownSets[k][dest].subtracting(baseSets[dest]).count
                all[c].childrenLost[dest] = baseSets[dest].subtracting(ownSets[k][dest]).count
            }
            all[c].reached = ownReached[k].count
            all[c].gained = ownReached[k].subtracting(baseReached).count
            all[c].lost = baseReached.subtracting(ownReached[k]).count
        }
        return SweepJob.Result(
            baseline: base, combinations: all, seen: seen.count, firstDay: firstDay, lastDay: lastDay, read: read, rejected: rejected)
    }
}

extension Double {
    /// A count held as a double, written without decimals.
    fileprivate var plainNumber: String { self < 1e15 ? String(Int(self)) : "\(self)" }
}
