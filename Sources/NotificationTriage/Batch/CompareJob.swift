import Foundation

/// The figures of one policy in a comparison.
package struct PolicyFigures: Sendable {
    package var summary: ScreenSummary
    /// Notifications per destination per bucket (week or month start day number).
    package var buckets: [[Int32: Int]]
    /// Distinct children reaching each destination.
    package var children: [Set<String>]
    /// Distinct children reaching any agency.
    package var reached: Set<String> = []
}

/// One incident whose routes differ between the two policies.
package struct ChangedDecision: Sendable {
    package var incidentID: String
    package var occurredAt: Instant
    package var routesA: [Route]
    package var routesB: [Route]
    /// Rules (with child) that fired under one policy and not the other: `+rule` only under B, `-rule` only under A.
    package var differences: [String]
    package var reasonsB: [Reason]
    package var reasonsA: [Reason]
}

/// Screens the same input once under two policies side by side, each with its own history, and collects
/// what a threshold change does to each agency's workload and to which children are seen.
package struct CompareJob {
    package enum Bucket: String, Sendable { case week, month }

    let baseline: Policy
    let candidate: Policy
    let options: ScreenOptions
    let bucket: Bucket

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
        package var firstDay: CivilDate?
        package var lastDay: CivilDate?
        package var workingDays: Int
        package var elapsed: Double
        package var rejected: Int
        package var read: Int
    }

    /// Runs the comparison. `onChange` sees every changed decision (for `--changes FILE`); the result keeps
    /// at most `keepChanges` of them (for the HTML report).
    package func run(keepChanges: Int = 200, onChange: (ChangedDecision) throws -> Void = { _ in }) throws -> Result {
        let start = Date()
        var historyA: History? = nil
        if let path = options.statePath, let bytes = try readWholeFile(path) {
            historyA = try History(state: bytes, source: path, policy: baseline)
        }
        var sa = Screener(policy: baseline, history: historyA)
        var sb = Screener(
            policy: candidate,
            history: historyA.map { h in
                var copy = h
                copy.windowSeconds = candidate.history.windowSeconds
                copy.halfLifeSeconds = candidate.history.halfLifeDays * 86_400
                return copy
            })
        var a = PolicyFigures(
            summary: ScreenSummary(policy: baseline, asOf: false), buckets: Array(repeating: [:], count: baseline.destinations.count),
            children: Array(repeating: [], count: baseline.destinations.count))
        var b = PolicyFigures(
            summary: ScreenSummary(policy: candidate, asOf: false), buckets: Array(repeating: [:], count: candidate.destinations.count),
            children: Array(repeating: [], count: candidate.destinations.count))
        var changed: [ChangedDecision] = []
        var changedCount = 0
        var first: CivilDate? = nil
        var last: CivilDate? = nil
        var read = 0
        var rejected = 0
        let job = ScreenJob(policy: baseline, options: options, log: { _ in })
        for input in options.inputs.isEmpty ? ["-"] : options.inputs {
            var reader = try job.makeReader(input)
            while let record = try reader.next() {
                read += 1
                guard case .incident(let incident, _) = record else {
                    rejected += 1
                    continue
                }
                let da = sa.screen(incident)
                let db = sb.screen(incident)
                let day = baseline.zone.local(incident.occurredAt).date
                if first == nil || day < first! { first = day }
                if last == nil || day > last! { last = day }
                tally(da, &a, baseline, day)
                tally(db, &b, candidate, day)
                if let change = difference(da, db) {
                    changedCount += 1
                    try onChange(change)
                    if changed.count < keepChanges { changed.append(change) }
                }
            }
        }
        a.summary.read = read
        a.summary.rejected = rejected
        b.summary.read = read
        b.summary.rejected = rejected
        var workingDays = 0
        if let f = first, let l = last {
            var d = f
            while d <= l {
                if baseline.calendar.isWorkingDay(d) { workingDays += 1 }
                d = d.adding(days: 1)
            }
        }
        let elapsed = Date().timeIntervalSince(start)
        a.summary.elapsed = elapsed
        b.summary.elapsed = elapsed
        return Result(
            a: a, b: b, changed: changed, changedCount: changedCount, firstDay: first, lastDay: last,
            workingDays: workingDays, elapsed: elapsed, rejected: rejected, read: read)
    }

    func bucketStart(_ day: CivilDate) -> Int32 {
        switch bucket {
        case .week: return day.dayNumber - Int32(day.weekday - 1)
        case .month:
            let c = day.components
            return CivilDate(year: c.year, month: c.month, day: 1)!.dayNumber
        }
    }

    func tally(_ d: Decision, _ f: inout PolicyFigures, _ policy: Policy, _ day: CivilDate) {
        f.summary.count(d, policy: policy, asOf: nil)
        let bucketDay = bucketStart(day)
        let counted = d.history.children.map(\.childID)
        for r in d.routes {
            guard let i = policy.destinationIndex(r.destination) else { continue }
            f.buckets[i][bucketDay, default: 0] += 1
            if let c = r.childID {
                f.children[i].insert(c)
                f.reached.insert(c)
            } else {
                for c in counted {
                    f.children[i].insert(c)
                    f.reached.insert(c)
                }
            }
        }
    }

    func difference(_ da: Decision, _ db: Decision) -> ChangedDecision? {
        func key(_ r: Route) -> String { "\(r.destination)|\(r.childID ?? "")|\(r.priority?.rawValue ?? "")" }
        let ka = da.routes.map(key)
        let kb = db.routes.map(key)
        guard ka != kb else { return nil }
        func fired(_ d: Decision) -> [String] { d.reasons.map { $0.rule + ($0.childID.map { " (child \($0))" } ?? "") } }
        let fa = fired(da)
        let fb = fired(db)
        var diffs: [String] = []
        for r in fa where !fb.contains(r) { diffs.append("-" + r) }
        for r in fb where !fa.contains(r) { diffs.append("+" + r) }
        return ChangedDecision(
            incidentID: da.incident.incidentID, occurredAt: da.incident.occurredAt, routesA: da.routes, routesB: db.routes,
            differences: diffs, reasonsB: db.reasons, reasonsA: da.reasons)
    }
}
