import NotificationTriage

/// The sweep as one self-contained HTML page in the compare report's look: a trade-off chart per
/// destination (inline SVG, no scripts or fonts from the network), each with a caption and the table
/// behind it, then the children.
extension SweepReport {
    package var html: String {
        var h = ReportPage.head(title: "Threshold sweep: \(baseline.name)")
        h += """
            <h1>Threshold sweep</h1>
            <p>Baseline: <b>\(esc(baseline.name))</b> from <code>\(esc(baselineName))</code></p>
            <p class="small">\(result.read) incidents read, \(result.rejected) rejected, \(esc(span)), \(result.workingDays) working days; \(job.combinations.count) combinations. History: \(esc(historyNote)).</p>
            <h2>What was varied</h2>
            <table id="varied"><caption>Each setting, its values and its value in the baseline</caption><thead><tr><th scope="col">setting</th><th scope="col">values tried</th><th scope="col" class="n">baseline</th></tr></thead><tbody>

            """
        for spec in job.specs {
            let vs = spec.values.map { SweepSpec.text($0, grading: spec.isGrading) }.joined(separator: ", ")
            h +=
                "<tr><th scope=\"row\"><code>\(esc(spec.label))</code></th><td>\(esc(vs))</td><td class=\"n\">\(esc(SweepSpec.text(spec.current, grading: spec.isGrading)))</td></tr>\n"
        }
        h += "</tbody></table>\n"
        h +=
            "<h2>Workload and children reached, per destination</h2>\n<p class=\"small\">Each point is one combination, labelled by its values (\(esc(job.specs.map(\.label).joined(separator: " / ")))); the ringed point is the baseline. Each axis runs from the smallest value to the largest, not from 0. More notifications or more children is not in itself better or worse: the charts show the trade-off, not a verdict.</p>\n"
        // A destination no combination changes gets a line in one table, not a chart of one point: the charts
        // that show a trade-off come first and are not lost among flat ones.
        let unchanged = destinations.indices.filter { d in
            let base = row(nil, d)
            return job.combinations.indices.allSatisfy { c in
                let r = row(c, d)
                return r.byRank == base.byRank && r.children == base.children && r.gained == 0 && r.lost == 0
            }
        }
        for (d, dest) in destinations.enumerated() where !unchanged.contains(d) {
            h += tradeOffChart(d, dest)
            h += destinationTable(d, dest)
        }
        if !unchanged.isEmpty {
            h +=
                "<table id=\"unchanged\"><caption>Destinations no combination changes</caption><thead><tr><th scope=\"col\">destination</th>"
                + "<th scope=\"col\" class=\"n\">notifications</th><th scope=\"col\" class=\"n\">children reached</th></tr></thead><tbody>\n"
            for d in unchanged {
                let r = row(nil, d)
                h +=
                    "<tr><th scope=\"row\">\(esc(destinations[d]))</th><td class=\"n\">\(r.routes)</td><td class=\"n\">\(r.children)</td></tr>\n"
            }
            h += "</tbody></table>\n"
        }
        h += childrenTable()
        h +=
            "<p class=\"small\">Made by triage sweep. Counts only: no incident ids, names, dates of birth or addresses are shown.</p>\n</body></html>\n"
        return h
    }

    /// One destination's trade-off: routes (workload) across, children reached up; each combination a
    /// labelled point, the baseline ringed.
    func tradeOffChart(_ d: Int, _ dest: String) -> String {
        let points =
            [(label: "baseline", row: row(nil, d), base: true)]
            + job.combinations.indices.map { (label: shortLabel($0), row: row($0, d), base: false) }
        let xs = points.map { Double($0.row.routes) }
        let ys = points.map { Double($0.row.children) }
        let w = 620.0, hgt = 300.0, left = 64.0, right = 24.0, top = 20.0, bottom = 44.0
        func scale(_ v: Double, _ lo: Double, _ hi: Double, _ a: Double, _ b: Double) -> Double {
            hi == lo ? (a + b) / 2 : a + (b - a) * (v - lo) / (hi - lo)
        }
        let (x0, x1) = (xs.min() ?? 0, xs.max() ?? 0)
        let (y0, y1) = (ys.min() ?? 0, ys.max() ?? 0)
        func px(_ v: Double) -> Double { scale(v, x0, x1, left + 10, w - right - 10) }
        func py(_ v: Double) -> Double { scale(v, y0, y1, hgt - bottom - 10, top + 10) }
        let caption =
            "\(dest): notifications (workload, across) against distinct children reached (up), one point per combination"
        var s = "<figure id=\"chart-\(esc(dest))\"><figcaption>\(esc(caption))</figcaption>\n"
        s +=
            "<svg role=\"img\" aria-label=\"\(esc(caption))\" width=\"\(Int(w))\" height=\"\(Int(hgt))\" viewBox=\"0 0 \(Int(w)) \(Int(hgt))\">"
        s += "<line x1=\"\(fmt(left))\" y1=\"\(fmt(hgt - bottom))\" x2=\"\(fmt(w - right))\" y2=\"\(fmt(hgt - bottom))\" stroke=\"#999\"/>"
        s += "<line x1=\"\(fmt(left))\" y1=\"\(fmt(top))\" x2=\"\(fmt(left))\" y2=\"\(fmt(hgt - bottom))\" stroke=\"#999\"/>"
        s +=
            "<text x=\"\(fmt(px(x0)))\" y=\"\(fmt(hgt - bottom + 14))\" text-anchor=\"middle\">\(Int(x0))</text>"
            + (x1 != x0 ? "<text x=\"\(fmt(px(x1)))\" y=\"\(fmt(hgt - bottom + 14))\" text-anchor=\"middle\">\(Int(x1))</text>" : "")
        s +=
            "<text x=\"\(fmt(left - 6))\" y=\"\(fmt(py(y0) + 4))\" text-anchor=\"end\">\(Int(y0))</text>"
            + (y1 != y0 ? "<text x=\"\(fmt(left - 6))\" y=\"\(fmt(py(y1) + 4))\" text-anchor=\"end\">\(Int(y1))</text>" : "")
        s += "<text x=\"\(fmt((w - right + left) / 2))\" y=\"\(fmt(hgt - 8))\" text-anchor=\"middle\">notifications to \(esc(dest))</text>"
        s +=
            "<text transform=\"translate(14 \(fmt((hgt - bottom + top) / 2))) rotate(-90)\" text-anchor=\"middle\">children reached</text>"
        for p in points.reversed() {
            // The baseline is drawn last (on top) and ringed; the combinations are plain dots.
            let x = px(Double(p.row.routes))
            let y = py(Double(p.row.children))
            if p.base {
                s += "<circle cx=\"\(fmt(x))\" cy=\"\(fmt(y))\" r=\"7\" fill=\"none\" stroke=\"#1f5fa8\" stroke-width=\"2\"/>"
                s += "<circle cx=\"\(fmt(x))\" cy=\"\(fmt(y))\" r=\"2.5\" fill=\"#1f5fa8\"/>"
                s += "<text x=\"\(fmt(x + 10))\" y=\"\(fmt(y + 16))\" style=\"font-weight:bold\">baseline</text>"
            } else {
                s += "<circle cx=\"\(fmt(x))\" cy=\"\(fmt(y))\" r=\"4\" fill=\"#555\"/>"
                // Labels in the right third read leftwards, so that none runs off the chart.
                let rightward = x < left + (w - left - right) * 2 / 3
                s +=
                    "<text x=\"\(fmt(rightward ? x + 7 : x - 7))\" y=\"\(fmt(y - 6))\" text-anchor=\"\(rightward ? "start" : "end")\">"
                    + "\(esc(p.label))</text>"
            }
        }
        s += "</svg></figure>\n"
        return s
    }

    /// The numbers behind one destination's chart.
    func destinationTable(_ d: Int, _ dest: String) -> String {
        let heads = job.specs.map(\.label)
        var s = "<details><summary>Data behind the \(esc(dest)) chart</summary><div class=\"wide\"><table id=\"table-\(esc(dest))\">"
        s += "<caption>\(esc(dest)): notifications by priority, per working day, busiest week and children reached</caption><thead><tr>"
        for hd in heads { s += "<th scope=\"col\">\(esc(hd))</th>" }
        for hd in ["history", "routes", "red", "amber", "green", "none", "per working day", "busiest week", "children", "gained", "lost"] {
            s += "<th scope=\"col\"\(hd == "history" ? "" : " class=\"n\"")>\(hd)</th>"
        }
        s += "</tr></thead><tbody>\n"
        for c in [nil] + job.combinations.indices.map(Optional.some) {
            let r = row(c, d)
            let names = c.map(values) ?? ["baseline"] + Array(repeating: "", count: max(0, heads.count - 1))
            s += "<tr>"
            for (i, n) in names.enumerated() { s += i == 0 ? "<th scope=\"row\">\(esc(n))</th>" : "<td>\(esc(n))</td>" }
            let history = c.map { job.combinations[$0].ownHistory == nil ? "shared" : "own" } ?? "-"
            s += "<td>\(history)</td><td class=\"n\">\(r.routes)</td><td class=\"n\">\(r.byRank[3])</td><td class=\"n\">\(r.byRank[2])</td>"
            s += "<td class=\"n\">\(r.byRank[1])</td><td class=\"n\">\(r.byRank[0])</td>"
            s += "<td class=\"n\">\(perWorkingDay(r.routes).map(oneDecimal) ?? "-")</td>"
            s += "<td class=\"n\">\(r.busiest.map { "\($0.count) (\($0.day))" } ?? "-")</td><td class=\"n\">\(r.children)</td>"
            s += "<td class=\"n\">\(signed(r.gained))</td><td class=\"n\">\(signed(-r.lost))</td></tr>\n"
        }
        return s + "</tbody></table></div></details>\n"
    }

    /// Children reached by any agency under each combination, by none, and gained and lost against the
    /// baseline (colour kept for children who lose every route).
    func childrenTable() -> String {
        let heads = job.specs.map(\.label)
        var s =
            "<h2>Children</h2>\n<div class=\"wide\"><table id=\"children\"><caption>Distinct children reached by any agency (of \(result.seen) counted in the incidents); gained and lost against the baseline</caption><thead><tr>"
        for hd in heads { s += "<th scope=\"col\">\(esc(hd))</th>" }
        s +=
            "<th scope=\"col\" class=\"n\">reached</th><th scope=\"col\" class=\"n\">by no agency</th><th scope=\"col\" class=\"n\">gained</th><th scope=\"col\" class=\"n\">lost</th></tr></thead><tbody>\n"
        for c in [nil] + job.combinations.indices.map(Optional.some) {
            let r = children(c)
            let names = c.map(values) ?? ["baseline"] + Array(repeating: "", count: max(0, heads.count - 1))
            s += "<tr>"
            for (i, n) in names.enumerated() { s += i == 0 ? "<th scope=\"row\">\(esc(n))</th>" : "<td>\(esc(n))</td>" }
            s +=
                "<td class=\"n\">\(r.reached)</td><td class=\"n\">\(r.unreached)</td><td class=\"n\">\(signed(r.gained))</td>"
                + "<td class=\"n\(r.lost > 0 ? " alert" : "")\">\(signed(-r.lost))</td></tr>\n"
        }
        return s
            + "</tbody></table></div>\n<p class=\"small\">Lost: children reached by some agency under the baseline and by none under the combination.</p>\n"
    }
}
