import NotificationTriage

/// Renders a sweep as aligned text, JSON, CSV and (in SweepReport+HTML) a self-contained HTML page. All
/// figures come from one ``SweepJob/Result``; every format says the same numbers.
package struct SweepReport {
    let job: SweepJob
    let result: SweepJob.Result
    let baseline: Policy
    let baselineName: String

    package init(job: SweepJob, result: SweepJob.Result, baseline: Policy, baselineName: String) {
        self.job = job
        self.result = result
        self.baseline = baseline
        self.baselineName = baselineName
    }

    /// One destination's figures under one policy, with the children it gains and loses against the
    /// baseline.
    struct DestinationRow {
        var routes: Int
        /// By priority rank: none, green, amber, red.
        var byRank: [Int]
        var busiest: (day: CivilDate, count: Int)?
        var children: Int
        var gained: Int
        var lost: Int
    }

    /// The children of one policy: reached by any agency, by none, and gained and lost against the baseline.
    struct ChildrenRow {
        var reached: Int
        var unreached: Int
        var gained: Int
        var lost: Int
    }

    var destinations: [String] { baseline.destinationIDs }

    /// The baseline (nil) or a combination's figures.
    func figures(_ c: Int?) -> SweepFigures { c.map { result.combinations[$0] } ?? result.baseline }

    func row(_ c: Int?, _ d: Int) -> DestinationRow {
        let f = figures(c)
        let busiest = f.weeks[d].max { ($0.value, -$0.key) < ($1.value, -$1.key) }.map { (CivilDate(dayNumber: $0.key), $0.value) }
        return DestinationRow(
            routes: f.routes[d].reduce(0, +), byRank: f.routes[d], busiest: busiest, children: f.children[d],
            gained: f.childrenGained[d], lost: f.childrenLost[d])
    }

    func children(_ c: Int?) -> ChildrenRow {
        let f = figures(c)
        return ChildrenRow(reached: f.reached, unreached: result.seen - f.reached, gained: f.gained, lost: f.lost)
    }

    /// Routes per working day, or nil when there are no working days.
    func perWorkingDay(_ n: Int) -> Double? { result.workingDays == 0 ? nil : Double(n) / Double(result.workingDays) }

    /// A combination's values as the user wrote them, one per spec.
    func values(_ c: Int) -> [String] {
        zip(job.specs, job.combinations[c].values).map { SweepSpec.text($1, grading: $0.isGrading) }
    }

    /// `repeat-household:household.incidents=2 cumulative-risk:household.score=15`.
    func label(_ c: Int) -> String {
        zip(job.specs, values(c)).map { "\($0.label)=\($1)" }.joined(separator: " ")
    }

    /// The short label of a chart point: the values alone, `2 / 15`.
    func shortLabel(_ c: Int) -> String { values(c).joined(separator: " / ") }

    /// Which combinations have a history of their own, and why (for every output's note).
    var ownHistories: [(combination: Int, why: String)] {
        job.combinations.indices.compactMap { c in job.combinations[c].ownHistory.map { (c, $0) } }
    }

    /// One sentence on how the histories were kept.
    var historyNote: String {
        let own = ownHistories
        if own.isEmpty { return "every combination changes rule thresholds only and shares the baseline's history" }
        let reasons = own.map(\.why).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        let all = own.count == job.combinations.count
        let which = all ? "every combination is" : "\(own.count) of \(job.combinations.count) combinations are"
        return "\(which) screened with a history of its own (\(reasons.joined(separator: "; ")))"
            + (all ? "" : "; the rest share the baseline's")
    }

    var span: String { result.firstDay.map { "\($0) to \(result.lastDay!)" } ?? "no incidents" }

    /// The plain-text report for a terminal: a table per destination, then the children.
    package var text: String {
        var s = "sweep of '\(baseline.name)' from \(baselineName)\n"
        s +=
            "\(result.read) incidents read, \(result.rejected) rejected; \(span), \(result.workingDays) working days; "
            + "\(job.combinations.count) combinations\n"
        for spec in job.specs {
            let vs = spec.values.map { SweepSpec.text($0, grading: spec.isGrading) }.joined(separator: ", ")
            s += "varied: \(spec.label) = \(vs) (baseline \(SweepSpec.text(spec.current, grading: spec.isGrading)))\n"
        }
        s += "history: \(historyNote)\n"
        let heads = job.specs.map(\.label)
        let first = heads.count
        for (d, dest) in destinations.enumerated() {
            s += "\n\(dest)\n"
            var t = TextTable(
                heads + [
                    "history", "routes", "red", "amber", "green", "none", "per day", "busiest week", "n", "children", "gained", "lost",
                ],
                rightAligned: Set((first + 1)...(first + 11)).subtracting([first + 7]))
            func add(_ c: Int?) {
                let r = row(c, d)
                let names = c.map(values) ?? ["baseline"] + Array(repeating: "", count: max(0, first - 1))
                t.add(
                    names + [
                        c.map { job.combinations[$0].ownHistory == nil ? "shared" : "own" } ?? "-", "\(r.routes)", "\(r.byRank[3])",
                        "\(r.byRank[2])", "\(r.byRank[1])", "\(r.byRank[0])", perWorkingDay(r.routes).map(oneDecimal) ?? "-",
                        r.busiest.map { "\($0.day)" } ?? "-", "\(r.busiest?.count ?? 0)", "\(r.children)", signed(r.gained),
                        signed(-r.lost),
                    ])
            }
            add(nil)
            for c in job.combinations.indices { add(c) }
            s += t.render()
        }
        s += "\nchildren (\(result.seen) counted in the incidents)\n"
        var t = TextTable(heads + ["reached", "by no agency", "gained", "lost"], rightAligned: Set(first...(first + 3)))
        func add(_ c: Int?) {
            let r = children(c)
            let names = c.map(values) ?? ["baseline"] + Array(repeating: "", count: max(0, first - 1))
            t.add(names + ["\(r.reached)", "\(r.unreached)", signed(r.gained), signed(-r.lost)])
        }
        add(nil)
        for c in job.combinations.indices { add(c) }
        s += t.render()
        s += "gained and lost: children reached by an agency under the combination and not the baseline, and the reverse\n"
        return s
    }

    /// The same figures as JSON (keys in a fixed order).
    package var json: String {
        var w = ByteWriter()
        w.raw("{\"baseline\":{\"name\":")
        w.jsonString(baseline.name)
        w.raw(",\"hash\":")
        w.jsonString(baseline.hash)
        w.raw(",\"source\":")
        w.jsonString(baselineName)
        w.raw("},\"read\":")
        w.int(result.read)
        w.raw(",\"rejected\":")
        w.int(result.rejected)
        w.raw(",\"first_day\":")
        w.jsonOptionalString(result.firstDay.map { "\($0)" })
        w.raw(",\"last_day\":")
        w.jsonOptionalString(result.lastDay.map { "\($0)" })
        w.raw(",\"working_days\":")
        w.int(result.workingDays)
        w.raw(",\"children_counted\":")
        w.int(result.seen)
        w.raw(",\"history\":")
        w.jsonString(historyNote)
        w.raw(",\"varied\":[")
        for (i, spec) in job.specs.enumerated() {
            if i > 0 { w.byte(UInt8(ascii: ",")) }
            w.raw("{\"setting\":")
            w.jsonString(spec.label)
            w.raw(",\"baseline\":")
            jsonValue(spec.current, spec.isGrading, &w)
            w.raw(",\"values\":[")
            for (k, v) in spec.values.enumerated() {
                if k > 0 { w.byte(UInt8(ascii: ",")) }
                jsonValue(v, spec.isGrading, &w)
            }
            w.raw("]}")
        }
        w.raw("],\"baseline_figures\":")
        jsonFigures(nil, &w)
        w.raw(",\"combinations\":[")
        for c in job.combinations.indices {
            if c > 0 { w.raw(",\n") }
            jsonFigures(c, &w)
        }
        w.raw("]}\n")
        return String(decoding: w.bytes, as: UTF8.self)
    }

    private func jsonValue(_ v: Double, _ grading: Bool, _ w: inout ByteWriter) {
        if grading {
            w.jsonString(SweepSpec.text(v, grading: true))
        } else {
            w.bytes.append(contentsOf: SweepSpec.text(v, grading: false).utf8)
        }
    }

    private func jsonFigures(_ c: Int?, _ w: inout ByteWriter) {
        w.raw("{\"values\":")
        if let c {
            w.byte(UInt8(ascii: "{"))
            for (i, (spec, v)) in zip(job.specs, job.combinations[c].values).enumerated() {
                if i > 0 { w.byte(UInt8(ascii: ",")) }
                w.jsonString(spec.label)
                w.byte(UInt8(ascii: ":"))
                jsonValue(v, spec.isGrading, &w)
            }
            w.raw("},\"history\":")
            w.jsonString(job.combinations[c].ownHistory == nil ? "shared" : "own")
            w.raw(",\"own_history_because\":")
            w.jsonOptionalString(job.combinations[c].ownHistory)
        } else {
            w.raw("null")
        }
        w.raw(",\"destinations\":[")
        for (d, dest) in destinations.enumerated() {
            let r = row(c, d)
            if d > 0 { w.byte(UInt8(ascii: ",")) }
            w.raw("{\"destination\":")
            w.jsonString(dest)
            for (key, n) in [
                ("routes", r.routes), ("red", r.byRank[3]), ("amber", r.byRank[2]), ("green", r.byRank[1]), ("none", r.byRank[0]),
            ] {
                w.bytes.append(contentsOf: ",\"\(key)\":".utf8)
                w.int(n)
            }
            w.raw(",\"per_working_day\":")
            w.fixed3(perWorkingDay(r.routes) ?? 0)
            w.raw(",\"busiest_week\":")
            w.jsonOptionalString(r.busiest.map { "\($0.day)" })
            w.raw(",\"busiest_week_routes\":")
            w.int(r.busiest?.count ?? 0)
            w.raw(",\"children\":")
            w.int(r.children)
            w.raw(",\"children_gained\":")
            w.int(r.gained)
            w.raw(",\"children_lost\":")
            w.int(r.lost)
            w.byte(UInt8(ascii: "}"))
        }
        let ch = children(c)
        w.raw("],\"children\":{\"reached\":")
        w.int(ch.reached)
        w.raw(",\"reached_by_no_agency\":")
        w.int(ch.unreached)
        w.raw(",\"gained\":")
        w.int(ch.gained)
        w.raw(",\"lost\":")
        w.int(ch.lost)
        w.raw("}}")
    }

    /// One row per policy and destination, and one per policy for any agency (`--csv FILE`).
    package var csv: String {
        var w = ByteWriter()
        let heads =
            ["combination"] + job.specs.map(\.label) + [
                "history", "destination", "routes", "red", "amber", "green", "none", "per_working_day", "busiest_week",
                "busiest_week_routes", "children", "children_gained", "children_lost", "children_reached_by_no_agency",
            ]
        func line(_ cells: [String]) {
            for (i, cell) in cells.enumerated() {
                if i > 0 { w.byte(UInt8(ascii: ",")) }
                w.csvField(cell)
            }
            w.raw("\r\n")
        }
        line(heads)
        for c in [nil] + job.combinations.indices.map(Optional.some) {
            let name = c.map { "\($0 + 1)" } ?? "baseline"
            let vals = c.map(values) ?? job.specs.map { SweepSpec.text($0.current, grading: $0.isGrading) }
            let history = c.map { job.combinations[$0].ownHistory == nil ? "shared" : "own" } ?? "baseline"
            var total = 0
            for (d, dest) in destinations.enumerated() {
                let r = row(c, d)
                total += r.routes
                line(
                    [name] + vals + [
                        history, dest, "\(r.routes)", "\(r.byRank[3])", "\(r.byRank[2])", "\(r.byRank[1])", "\(r.byRank[0])",
                        perWorkingDay(r.routes).map(fixed3) ?? "", r.busiest.map { "\($0.day)" } ?? "", "\(r.busiest?.count ?? 0)",
                        "\(r.children)", "\(r.gained)", "\(r.lost)", "",
                    ])
            }
            let ch = children(c)
            line(
                [name] + vals + [
                    history, "any agency", "\(total)", "", "", "", "", perWorkingDay(total).map(fixed3) ?? "", "", "", "\(ch.reached)",
                    "\(ch.gained)", "\(ch.lost)", "\(ch.unreached)",
                ])
        }
        return String(decoding: w.bytes, as: UTF8.self)
    }

    private func fixed3(_ x: Double) -> String {
        var w = ByteWriter()
        w.fixed3(x)
        return String(decoding: w.bytes, as: UTF8.self)
    }
}
