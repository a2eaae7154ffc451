import Foundation
import NotificationTriage

/// The figures of one policy in a comparison.
package struct PolicyFigures: Sendable {
    package var summary: ScreenSummary
    /// Notifications per destination per bucket (week or month start day number).
    package var buckets: [[Int32: Int]]
    /// Distinct children reaching each destination, by their ``ChildNumbers`` (one bit each, so counting a
    /// route costs a bit set, not a hash of the child's id).
    package var children: [BitSet]
    /// Distinct children reaching any agency.
    package var reached = BitSet()
    /// With the school register (`--schools`): notifications to each school, by URN.
    package var schools: [String: Int] = [:]
    /// Per destination, the bucket being counted and the routes counted in it not yet added to `buckets`:
    /// incidents come mostly in time order, so a bucket's count is added once when the next bucket starts
    /// (``flushBuckets()``), not hashed in route by route.
    var running: [(bucket: Int32, count: Int)] = []

    /// Counts a route to destination `i` in `bucket`.
    @inline(__always)
    mutating func count(route i: Int, bucket: Int32) {
        if running.isEmpty { running = Array(repeating: (Int32.min, 0), count: buckets.count) }
        if running[i].bucket != bucket {
            if running[i].count > 0 { buckets[i][running[i].bucket, default: 0] += running[i].count }
            running[i] = (bucket, 0)
        }
        running[i].count += 1
    }

    /// Adds the counts still running to `buckets` (when the input ends).
    mutating func flushBuckets() {
        for i in running.indices where running[i].count > 0 {
            buckets[i][running[i].bucket, default: 0] += running[i].count
            running[i] = (Int32.min, 0)
        }
    }
}

/// Children numbered by id in the order first met (the empty id too), the same numbers for both policies:
/// an id table whose sequence number is the child's number.
struct ChildNumbers {
    private var ids = IncidentIDTable()

    /// The numbers of the children last passed to ``numberCounted(_:)``.
    private(set) var counted: [Int32] = []

    /// The last few children numbered, by their ids' hashes (a ring): an incident's children are numbered for
    /// each of its routes and each policy's counts, so most look-ups are of a child just numbered, found by
    /// comparing a hash rather than probing the table (whose look-up then starts from the same hash).
    private var recent: [(hash: UInt64, id: String, number: Int32)] = []
    private var next = 0
    private static let recentCount = 8

    mutating func number(_ id: String) -> Int32 {
        let h = IncidentIDTable.hash(id)
        for k in recent.indices where recent[k].hash == h && recent[k].id == id { return recent[k].number }
        let n: Int32
        if let known = ids.value(id, hash: h) {
            n = Int32(known.seq)
        } else {
            n = Int32(ids.count)
            ids.insert(id, SeenIncident(seq: UInt32(n), time: 0), hash: h)  // the time is not used
        }
        if recent.count < ChildNumbers.recentCount {
            recent.append((h, id, n))
        } else {
            recent[next] = (h, id, n)
        }
        next = (next + 1) % ChildNumbers.recentCount
        return n
    }

    /// Numbers a decision's counted children into ``counted``.
    mutating func numberCounted(_ children: [ChildFigures]) {
        counted.removeAll(keepingCapacity: true)
        for c in children { counted.append(number(c.childID)) }
    }
}

/// One incident whose routes differ between the two policies.
package struct ChangedDecision: Sendable {
    package var incidentID: String
    package var occurredAt: Instant
    package var routesA: [Route]
    package var routesB: [Route]
    /// Rules (with child) that fired under one policy and not the other: `+rule` only under B, `-rule` only under A.
    package var differences: [String]
    /// The change's group (``CompareJob/group(onlyUnderA:onlyUnderB:)``): the report counts changes by it, and
    /// each `--changes` line carries it.
    package var group: String
    /// Each side's reasons: only for the changes the result keeps (the report's examples, see
    /// ``CompareJob/run(keepChanges:onChange:)``), empty for the others, so that a compare words no reason
    /// it does not show.
    package var reasonsB: [Reason]
    package var reasonsA: [Reason]
}

/// Screens the same input once under two policies side by side, each as if with its own history (one history
/// serves both when they record the same, see `Policy.sharesHistory(with:)`), and collects
/// what a threshold change does to each agency's workload and to which children are seen.
package struct CompareJob {
    package enum Bucket: String, Sendable {
        case week, month

        /// The day number of the first day of the week (Monday) or month holding `day`.
        func start(of day: CivilDate) -> Int32 {
            switch self {
            case .week: return day.dayNumber - Int32(day.weekday - 1)
            case .month:
                let c = day.components
                return CivilDate(year: c.year, month: c.month, day: 1)!.dayNumber
            }
        }
    }

    let baseline: Policy
    let candidate: Policy
    let options: ScreenOptions
    let bucket: Bucket
    /// Whether the two policies are screened on one history when they can be (see
    /// ``Policy/sharesHistory(with:)``); false only in tests, to check that the result is the same.
    var shareHistory = true

    package init(baseline: Policy, candidate: Policy, options: ScreenOptions, bucket: Bucket) {
        self.baseline = baseline
        self.candidate = candidate
        self.options = options
        self.bucket = bucket
    }

    /// The result of a comparison.
    package struct Result: Sendable {
        package var a: PolicyFigures
        package var b: PolicyFigures
        package var changed: [ChangedDecision]
        package var changedCount: Int
        /// Every changed decision counted by what made the difference (its `differences`, with child ids
        /// left out, joined by spaces): a board paper's "what the change does", group by group.
        package var changeGroups: [String: Int] = [:]
        package var firstDay: CivilDate?
        package var lastDay: CivilDate?
        package var workingDays: Int
        package var elapsed: Double
        package var rejected: Int
        package var read: Int
        /// The register the schools were checked against (`--schools`), when given: the report then says which
        /// schools gain or lose notifications.
        package var schools: SchoolRegister? = nil
    }

    /// Runs the comparison. `onChange` sees every changed decision (for `--changes FILE`); the result keeps
    /// at most `keepChanges` of them (for the HTML report).
    package func run(keepChanges: Int = 200, onChange: (ChangedDecision) throws -> Void = { _ in }) throws -> Result {
        let start = Date()
        var historyA: History? = nil
        if let path = options.statePath, let bytes = try readWholeFile(path) {
            historyA = try History(state: bytes, source: path, policy: baseline)
        }
        let baseline = self.baseline
        let candidate = self.candidate
        let options = self.options
        let historyB = historyA.map { h in
            var copy = h
            copy.adopt(candidate.history)
            return copy
        }
        var a = PolicyFigures(
            summary: ScreenSummary(policy: baseline, asOf: false), buckets: Array(repeating: [:], count: baseline.destinations.count),
            children: Array(repeating: BitSet(), count: baseline.destinations.count))
        var b = PolicyFigures(
            summary: ScreenSummary(policy: candidate, asOf: false), buckets: Array(repeating: [:], count: candidate.destinations.count),
            children: Array(repeating: BitSet(), count: candidate.destinations.count))
        var changed: [ChangedDecision] = []
        var changedCount = 0
        var changeGroups: [String: Int] = [:]
        var first: CivilDate? = nil
        var last: CivilDate? = nil
        var read = 0
        var rejected = 0
        // Three or four threads: the input is read and parsed once, ahead, on one; both policies screen every
        // batch in input order, on one thread and one history when they can share it, else each on a thread
        // of its own with its own history; this one compares the two decisions of each incident and counts.
        // The result is the same as screening one policy after the other.
        // One "now" for both sides, so that the future-date rule rejects the same records on each.
        let clock = WallClock.fixed(WallClock.system.now())
        let ahead = ParseAhead(inputs: options.inputs.isEmpty ? ["-"] : options.inputs) { input throws(InputError) in
            try IncidentInput(path: input, zone: baseline.zone, format: options.inputFormat, columns: options.columns)
        }
        // When the candidate records the history the baseline records (as most threshold changes do), one
        // screener makes both decisions of each incident on one history: its history stage runs once.
        // Otherwise each policy has a screener and a history of its own.
        let shared = shareHistory && baseline.sharesHistory(with: candidate)
        // Each decision's routes are made here, on the counting thread, from the rules that fired.
        let screenA = BatchScreener(
            policy: baseline, history: historyA, clock: clock, schools: options.schools, companion: shared ? candidate : nil,
            makingRoutes: false)
        let screenB =
            shared
            ? nil : BatchScreener(policy: candidate, history: historyB, clock: clock, schools: options.schools, makingRoutes: false)
        var routesA = RouteMaker(policy: baseline, schools: options.schools)
        var routesB = RouteMaker(policy: candidate, schools: options.schools)
        defer {
            ahead.cancel()
            screenA.stop()
            screenB?.stop()
        }
        var pending: [RecordBatch] = []
        var childNumbers = ChildNumbers()
        let jointRules = JointRules(baseline: baseline, candidate: candidate)
        var differences = DifferenceScratch()
        // Read from the policy once: each read copies the zone's tables.
        let zone = baseline.zone
        func collect() throws {
            let records = pending.removeFirst().records
            guard let screened = screenA.screened() else { throw JobError("screening stopped early") }
            var decisionsA = screened.decisions
            guard var decisionsB = screenB == nil ? screened.companion : screenB!.results(),
                decisionsA.count == records.count, decisionsB.count == records.count
            else { throw JobError("screening stopped early") }
            for i in records.indices {
                read += 1
                // Each decision moved out of its batch (bound from the array, it was copied: every string and
                // array retained, then released).
                guard var da = decisionsA[i].take(), var db = decisionsB[i].take() else {
                    rejected += 1
                    continue
                }
                routesA.complete(&da)
                routesB.complete(&db)
                let day = zone.local(da.incident.occurredAt).date
                if first == nil || day < first! { first = day }
                if last == nil || day > last! { last = day }
                tally(da, &a, day, &childNumbers)
                tally(db, &b, day, &childNumbers)
                if let change = difference(da, db, withReasons: changed.count < keepChanges, rules: jointRules, &differences) {
                    changedCount += 1
                    changeGroups[change.group, default: 0] += 1
                    try onChange(change)
                    if changed.count < keepChanges { changed.append(change) }
                }
            }
        }
        reading: while true {
            switch ahead.take() {
            case .end: break reading
            case .failure(let e): throw e
            case .batch(let records):
                // Two batches in flight, so both screeners are busy while this thread counts the one before.
                guard screenA.submit(records), screenB?.submit(records) ?? true else { throw JobError("screening stopped early") }
                pending.append(records)
                if pending.count > 1 { try collect() }
            }
        }
        while !pending.isEmpty { try collect() }
        a.flushBuckets()
        b.flushBuckets()
        a.summary.read = read
        a.summary.rejected = rejected
        b.summary.read = read
        b.summary.rejected = rejected
        let workingDays = first.flatMap { f in last.map { baseline.calendar.workingDays(from: f, through: $0) } } ?? 0
        let elapsed = Date().timeIntervalSince(start)
        a.summary.elapsed = elapsed
        b.summary.elapsed = elapsed
        return Result(
            a: a, b: b, changed: changed, changedCount: changedCount, changeGroups: changeGroups, firstDay: first, lastDay: last,
            workingDays: workingDays, elapsed: elapsed, rejected: rejected, read: read, schools: options.schools)
    }

    func bucketStart(_ day: CivilDate) -> Int32 { bucket.start(of: day) }

    /// The group of a change: the rules that fired under one policy only (`-rule` only under A, `+rule` only
    /// under B), without the children they fired for (`+encompass (child C1)` and `+encompass (child C2)` are
    /// one `+encompass`), each once, sorted and joined by spaces.
    static func group(onlyUnderA: [String], onlyUnderB: [String]) -> String {
        var words: [String] = []
        func add(_ word: String) { if !words.contains(word) { words.append(word) } }
        for rule in onlyUnderA { add("-" + rule) }
        for rule in onlyUnderB { add("+" + rule) }
        words.sort()
        return words.joined(separator: " ")
    }

    /// Counts a decision's routes.
    func tally(_ d: Decision, _ f: inout PolicyFigures, _ day: CivilDate, _ childNumbers: inout ChildNumbers) {
        f.summary.count(d, asOf: nil)
        let bucketDay = bucketStart(day)
        var countedNumbered = false
        // Routes read where they lie (each route bound in a `for` was copied, its strings retained), and the
        // counted children numbered once per decision, not once per route that reaches them.
        d.routes.withUnsafeBufferPointer { routes in
            for r in routes.indices {
                let i = routes[r].destinationIndex
                guard f.buckets.indices.contains(i) else { continue }
                f.count(route: i, bucket: bucketDay)
                if options.schools != nil, routes[r].destination == "school", let c = routes[r].childIndex,
                    let urn = d.incident.children[c].schoolURN
                {
                    f.schools[urn, default: 0] += 1
                }
                if let c = routes[r].childID {
                    let n = childNumbers.number(c)
                    f.children[i].insert(n)
                    f.reached.insert(n)
                } else {
                    // An incident's route reaches every child counted in its history.
                    if !countedNumbered {
                        childNumbers.numberCounted(d.history.children)
                        countedNumbered = true
                    }
                    for n in childNumbers.counted {
                        f.children[i].insert(n)
                        f.reached.insert(n)
                    }
                }
            }
        }
    }

    func difference(
        _ da: Decision, _ db: Decision, withReasons: Bool, rules: JointRules, _ s: inout DifferenceScratch
    ) -> ChangedDecision? {
        // Routes are in a canonical order (destination, then child), so equal lists mean the same routes.
        // Read where they lie: passed by value, each route was copied (its strings and list retained).
        if da.routes.count == db.routes.count {
            let same = da.routes.withUnsafeBufferPointer { x in
                db.routes.withUnsafeBufferPointer { y in
                    x.indices.allSatisfy { i in
                        x[i].destination == y[i].destination && x[i].childID == y[i].childID && x[i].priority == y[i].priority
                    }
                }
            }
            if same { return nil }
        }
        // The rules that fired, with their children, by number (both policies' rules numbered together), in
        // the order their reasons are listed; named as their reasons name them only for those that differ
        // (most firings are on both sides).
        s.firedA.removeAll(keepingCapacity: true)
        s.firedB.removeAll(keepingCapacity: true)
        da.forEachFiredRuleAndChild { r, c in s.firedA.append(JointRules.Firing(rule: rules.a[r], child: Int32(c))) }
        db.forEachFiredRuleAndChild { r, c in s.firedB.append(JointRules.Firing(rule: rules.b[r], child: Int32(c))) }
        func childID(_ d: Decision, _ c: Int32) -> String? {
            c < 0 ? nil : d.incident.children[Int(c)].personID
        }
        // The same rule for the same child: by index, or by id (two children of one incident with one id are
        // one child here, as when firings were compared by their ids).
        func same(_ x: JointRules.Firing, _ y: JointRules.Firing) -> Bool {
            guard x.rule == y.rule else { return false }
            if x.child == y.child { return true }
            guard x.child >= 0, y.child >= 0 else { return false }
            return childID(da, x.child) == childID(db, y.child)
        }
        var onlyA: [JointRules.Firing] = []
        var onlyB: [JointRules.Firing] = []
        for x in s.firedA where !s.firedB.contains(where: { same(x, $0) }) { onlyA.append(x) }
        for y in s.firedB where !s.firedA.contains(where: { same($0, y) }) { onlyB.append(y) }
        var differences: [String] = []
        differences.reserveCapacity(onlyA.count + onlyB.count)
        for x in onlyA { differences.append(rules.named("-", x.rule, childID(da, x.child))) }
        for y in onlyB { differences.append(rules.named("+", y.rule, childID(db, y.child))) }
        return ChangedDecision(
            incidentID: da.incident.incidentID, occurredAt: da.incident.occurredAt, routesA: da.routes, routesB: db.routes,
            differences: differences, group: s.group(onlyUnderA: onlyA, onlyUnderB: onlyB, rules),
            reasonsB: withReasons ? db.reasons : [], reasonsA: withReasons ? da.reasons : [])
    }
}

/// The rules of a compare's two policies numbered together: a rule id both policies have gets one number,
/// so that what fired under each is compared as numbers, not as strings.
struct JointRules {
    /// A rule (by joint number) that fired, and the child it fired for (-1: the incident).
    struct Firing {
        var rule: Int32
        var child: Int32
    }

    /// The rule ids, by joint number.
    let ids: [String]
    /// Each baseline rule's joint number, by its index in the baseline policy; `b` the same for the candidate.
    let a: [Int32]
    let b: [Int32]

    init(baseline: Policy, candidate: Policy) {
        var ids: [String] = []
        var numbers: [String: Int32] = [:]
        // Each id's number, given to the ids not numbered yet in order of first appearance.
        func number(_ policy: Policy) -> [Int32] {
            policy.ruleIDs.map { id in
                if let n = numbers[id] { return n }
                let n = Int32(ids.count)
                numbers[id] = n
                ids.append(id)
                return n
            }
        }
        a = number(baseline)
        b = number(candidate)
        self.ids = ids
    }

    /// A difference as ``ChangedDecision/differences`` states it: the sign, the rule id, and its child
    /// (`+encompass (child C1)`), made in one piece.
    func named(_ sign: StaticString, _ rule: Int32, _ childID: String?) -> String {
        let id = ids[Int(rule)]
        let n = 1 + id.utf8.count + (childID.map { $0.utf8.count + 9 } ?? 0)
        return ByteCursor.string(capacity: n) { c in
            c.put(sign)
            c.text(id)
            if let childID {
                c.put(" (child ")
                c.text(childID)
                c.put(UInt8(ascii: ")"))
            }
        }
    }
}

/// What a compare's counting thread reuses from one changed incident to the next: the firings of each side,
/// and each group already made (``CompareJob/group(onlyUnderA:onlyUnderB:)``), by its signed rule numbers.
struct DifferenceScratch {
    var firedA: [JointRules.Firing] = []
    var firedB: [JointRules.Firing] = []
    private var key: [Int32] = []
    private var groups: [[Int32]: String] = [:]

    /// The group of a change whose firings under one policy only are `onlyUnderA` and `onlyUnderB`: made
    /// once per set of rules (a group depends on the rules alone, not on their children or order).
    mutating func group(onlyUnderA: [JointRules.Firing], onlyUnderB: [JointRules.Firing], _ rules: JointRules) -> String {
        key.removeAll(keepingCapacity: true)
        for f in onlyUnderA where !key.contains(-1 - f.rule) { key.append(-1 - f.rule) }
        for f in onlyUnderB where !key.contains(1 + f.rule) { key.append(1 + f.rule) }
        key.sort()
        if let known = groups[key] { return known }
        let group = CompareJob.group(
            onlyUnderA: onlyUnderA.map { rules.ids[Int($0.rule)] }, onlyUnderB: onlyUnderB.map { rules.ids[Int($0.rule)] })
        groups[key] = group
        return group
    }
}

/// One policy's screener on a thread of its own: batches of records in, one decision per record out
/// (nil for a record that is rejected: unreadable, or dated more than a day in the future, as `screen` does).
/// With threshold variants (`triage sweep`), each record's variant outcomes come out beside its decision.
final class BatchScreener: Sendable {
    /// One batch's decisions, and with variants each record's ``VariantOutcome``s (else empty).
    struct Screened {
        var decisions: [Decision?]
        var outcomes: [[VariantOutcome]]
        /// With a companion policy, its decisions (else empty).
        var companion: [Decision?] = []
    }

    private let input = BoundedQueue<RecordBatch>(depth: 2)
    private let output = BoundedQueue<Screened>(depth: 2)
    private let done = DispatchSemaphore(value: 0)

    /// A screener of `policy` on a thread of its own; with a `companion` policy (one that
    /// ``Policy/sharesHistory(with:)`` `policy`: the caller checks), that one's decisions too, made on the
    /// same history (see ``Screener/addCompanion(_:)``). With `makingRoutes` false the decisions come without
    /// their routes, for the collecting thread to make (``RouteMaker``): the screening thread only screens.
    init(
        policy: Policy, history: History?, clock: WallClock, schools: SchoolRegister?, variants: RuleVariants? = nil,
        companion: Policy? = nil, makingRoutes: Bool = true
    ) {
        let input = self.input
        let output = self.output
        let done = self.done
        let thread = Thread {
            var screener = Screener(policy: policy, history: history, clock: clock)
            screener.schools = schools
            screener.variants = variants
            let paired = companion.map { screener.addCompanion($0) != nil } ?? false
            precondition(paired == (companion != nil), "a companion policy that does not share the history")
            while var batch = input.take() {
                var decisions: [Decision?] = []
                decisions.reserveCapacity(batch.count)
                var outcomes: [[VariantOutcome]] = []
                if variants != nil { outcomes.reserveCapacity(batch.count) }
                var companions: [Decision?] = []
                if paired { companions.reserveCapacity(batch.count) }
                for i in 0..<batch.count {
                    // A pattern, not `!= nil`, which would compare two `Reject?` (copying the reject).
                    var rejected = false
                    if case .some = screener.screen(&batch, at: i, appendingTo: &decisions, makingRoutes: makingRoutes) {
                        rejected = true
                    }
                    // A rejected record leaves the outcomes of the one before: none are its own.
                    if variants != nil { outcomes.append(rejected ? [] : screener.variantOutcomes) }
                    if paired { companions.append(rejected ? nil : screener.takeCompanionDecision(0, makingRoutes: makingRoutes)) }
                }
                guard output.put(Screened(decisions: decisions, outcomes: outcomes, companion: companions)) else { break }
            }
            output.close()
            done.signal()
        }
        thread.stackSize = 8 << 20
        thread.start()
    }

    /// Hands a batch over; false when the screener has stopped.
    func submit(_ batch: RecordBatch) -> Bool { input.put(batch) }

    /// The decisions of the oldest batch not yet collected, waiting for them.
    func results() -> [Decision?]? { output.take()?.decisions }

    /// The decisions and variant outcomes of the oldest batch not yet collected, waiting for them.
    func screened() -> Screened? { output.take() }

    /// Stops the thread (dropping what is queued) and waits for it.
    func stop() {
        input.close(discard: true)
        output.close(discard: true)
        done.wait()
    }
}
