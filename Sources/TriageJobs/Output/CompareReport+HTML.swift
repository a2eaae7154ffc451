import NotificationTriage

/// The comparison as one self-contained HTML page: no scripts, fonts or images from the network; the
/// charts are inline SVG drawn here.
extension CompareReport {
    package var html: String {
        var h = ReportPage.head(title: "Threshold impact: \(baseline.name) vs \(candidate.name)")
        h += """
            <h1>Threshold impact</h1>
            <p>Baseline (A): <b>\(esc(baseline.name))</b> from <code>\(esc(baselineName))</code><br/>
            Candidate (B): <b>\(esc(candidate.name))</b> from <code>\(esc(candidateName))</code></p>
            <p class="small">\(result.read) incidents read, \(result.rejected) rejected, \(esc(result.firstDay.map { "\($0) to \(result.lastDay!)" } ?? "no incidents")), \(result.workingDays) working days. <b>\(result.changedCount)</b> decisions changed.</p>
            <h2>Notifications per destination</h2>
            <div class="wide"><table id="headline"><caption>Notifications under A and B by destination and priority (a change is a change in workload, not good or bad in itself)</caption><thead><tr><th scope="col">destination</th><th scope="col">priority</th><th scope="col" class="n">A</th><th scope="col" class="n">B</th><th scope="col" class="n">change</th><th scope="col" class="n">%</th><th scope="col" class="n">busiest \(bucket.rawValue) A</th><th scope="col" class="n">busiest \(bucket.rawValue) B</th><th scope="col" class="n">per working day A</th><th scope="col" class="n">per working day B</th></tr></thead><tbody>

            """
        for r in rows {
            // Direction is not coloured: fewer notifications to an agency is not in itself good. Colour is kept
            // for children who lose every route.
            let cls = ""
            var extra = "<td></td><td></td><td></td><td></td>"
            if r.priority == "all" {
                let ba = busiest(result.a, baseline, r.destination)
                let bb = busiest(result.b, candidate, r.destination)
                extra =
                    "<td class=\"n\">\(ba.map { "\($0.count) (\($0.day))" } ?? "-")</td><td class=\"n\">\(bb.map { "\($0.count) (\($0.day))" } ?? "-")</td><td class=\"n\">\(perWorkingDay(r.a))</td><td class=\"n\">\(perWorkingDay(r.b))</td>"
            }
            h +=
                "<tr><th scope=\"row\">\(esc(r.destination))</th><td>\(r.priority)</td><td class=\"n\">\(r.a)</td><td class=\"n\">\(r.b)</td><td class=\"n \(cls)\">\(signed(r.change))</td><td class=\"n \(cls)\">\(r.percent)</td>\(extra)</tr>\n"
        }
        h += "</tbody></table></div>\n"
        h +=
            "<h2>Children</h2>\n<table id=\"children\"><caption>Distinct children each agency hears of, under A and B</caption><thead><tr><th scope=\"col\">children reaching</th><th scope=\"col\" class=\"n\">A</th><th scope=\"col\" class=\"n\">B</th><th scope=\"col\" class=\"n\">change</th></tr></thead><tbody>\n"
        for d in destinations {
            let a = children(result.a, baseline, d)
            let b = children(result.b, candidate, d)
            h +=
                "<tr><th scope=\"row\">\(esc(d))</th><td class=\"n\">\(a)</td><td class=\"n\">\(b)</td>"
                + "<td class=\"n\">\(signed(b - a))</td></tr>\n"
        }
        h +=
            "<tr><th scope=\"row\">any agency</th><td class=\"n\">\(result.a.reached.count)</td><td class=\"n\">\(result.b.reached.count)</td><td class=\"n\">\(signed(result.b.reached.count - result.a.reached.count))</td></tr>\n</tbody></table>\n"
        h +=
            "<p\(lostChildren > 0 ? " class=\"alert\"" : "")><b>\(lostChildren)</b> children reached under A reach no agency under B; <b>\(gainedChildren)</b> children reached under B reach no agency under A.</p>\n"
        h +=
            "<h2>Notifications per \(bucket.rawValue)</h2>\n<p class=\"legend\"><span><i class=\"sw\" style=\"background:#1f5fa8\"></i>A (baseline)</span><span><i class=\"sw\" style=\"background:#e07b00\"></i>B (candidate)</span></p>\n"
        h += loadChart()
        h += partialNote()
        h += loadTable()
        h += "<h2>Rule fires</h2>\n" + rulesChart() + rulesTable()
        h += changeGroupsTable()
        h += "<h2>Changed decisions (first \(result.changed.count) of \(result.changedCount))</h2>\n"
        h +=
            "<div class=\"wide\"><table id=\"changes\"><caption>Decisions whose routes differ (every one is in the --changes file)</caption><thead><tr><th scope=\"col\">incident</th><th scope=\"col\">occurred</th><th scope=\"col\">routes A</th><th scope=\"col\">routes B</th><th scope=\"col\">what made the difference</th></tr></thead><tbody>\n"
        for c in result.changed {
            let ra = c.routesA.map(routeText).joined(separator: "<br/>")
            let rb = c.routesB.map(routeText).joined(separator: "<br/>")
            var why: [String] = []
            for d in c.differences {
                let rule = String(d.dropFirst().split(separator: " ").first ?? "")
                let reasons = d.hasPrefix("+") ? c.reasonsB : c.reasonsA
                let text = reasons.first { $0.rule == rule }?.text ?? ""
                why.append("<b>\(esc(d.hasPrefix("+") ? "only B: " : "only A: "))\(esc(String(d.dropFirst())))</b> \(esc(text))")
            }
            h +=
                "<tr><td class=\"nowrap\">\(esc(c.incidentID))</td><td class=\"nowrap\">\(esc(baseline.zone.iso8601(c.occurredAt)))</td><td>\(ra.isEmpty ? "(screened out)" : ra)</td><td>\(rb.isEmpty ? "(screened out)" : rb)</td><td>\(why.joined(separator: "<br/>"))</td></tr>\n"
        }
        h +=
            "</tbody></table></div>\n<p class=\"small\">Made by triage compare. Incident ids are police references; no names, dates of birth or addresses are shown.</p>\n</body></html>\n"
        return h
    }

    /// Says when the first or last bucket is partial (the data start or end inside it), so that its lower
    /// count is not read as a change in workload.
    func partialNote() -> String {
        guard let first = result.firstDay, let last = result.lastDay else { return "" }
        var notes: [String] = []
        if bucket.start(of: first) != first.dayNumber { notes.append("the first \(bucket.rawValue) starts on \(first)") }
        if bucket.start(of: last.adding(days: 1)) == bucket.start(of: last) { notes.append("the last \(bucket.rawValue) ends on \(last)") }
        guard !notes.isEmpty else { return "" }
        return "<p class=\"small\">Partial: " + notes.joined(separator: "; ")
            + " (the data's first and last days), so its count is lower.</p>\n"
    }

    /// The numbers behind the load charts, for a screen reader and for print.
    func loadTable() -> String {
        var days = Set<Int32>()
        for f in [result.a, result.b] { for m in f.buckets { days.formUnion(m.keys) } }
        let xs = days.sorted()
        guard !xs.isEmpty else { return "" }
        var s =
            "<details><summary>Data behind the charts</summary><div class=\"wide\"><table id=\"load\"><caption>Notifications per \(bucket.rawValue) (start day), A / B</caption><thead><tr><th scope=\"col\">\(bucket.rawValue)</th>"
        for d in destinations { s += "<th scope=\"col\" class=\"n\">\(esc(d))</th>" }
        s += "</tr></thead><tbody>\n"
        for x in xs {
            s += "<tr><th scope=\"row\" class=\"nowrap\">\(CivilDate(dayNumber: x))</th>"
            for d in destinations {
                let a = baseline.destinationIndex(d).map { result.a.buckets[$0][x] ?? 0 } ?? 0
                let b = candidate.destinationIndex(d).map { result.b.buckets[$0][x] ?? 0 } ?? 0
                s += "<td class=\"n\">\(a) / \(b)</td>"
            }
            s += "</tr>\n"
        }
        return s + "</tbody></table></div></details>\n"
    }

    /// Every changed decision counted by what made the difference, most common first: what the change does,
    /// group by group (each group's decisions are the lines of `--changes` with those differences).
    func changeGroupsTable() -> String {
        guard !result.changeGroups.isEmpty else { return "" }
        var s =
            "<h2>What changed, grouped</h2>\n<table id=\"groups\"><caption>Changed decisions by the rules that fired under "
            + "one policy only (+ only under B, - only under A); each group's decisions are in the --changes file</caption>"
            + "<thead><tr><th scope=\"col\">rules that differ</th><th scope=\"col\" class=\"n\">decisions</th>"
            + "<th scope=\"col\">full list</th></tr></thead><tbody>\n"
        for (group, n) in result.changeGroups.sorted(by: { ($0.value, $1.key) > ($1.value, $0.key) }) {
            // Each line of --changes carries its group: the full list is the lines whose "group" is this one.
            let key = "\"group\":" + jsonQuoted(group)
            let list =
                changesLink.map { "lines with <code>\(esc(key))</code> in <a href=\"\(esc($0))\">\(esc($0))</a>" }
                ?? "with --changes FILE: its lines with <code>\(esc(key))</code>"
            s +=
                "<tr><th scope=\"row\">\(esc(group.isEmpty ? "(routes differ, no rule differs)" : group))</th><td class=\"n\">\(n)</td>"
                + "<td>\(list)</td></tr>\n"
        }
        return s + "</tbody></table>\n"
    }

    /// The numbers behind the rule chart.
    func rulesTable() -> String {
        var s =
            "<details><summary>Data behind the chart</summary><table id=\"fires\"><caption>Fires per rule</caption><thead><tr><th scope=\"col\">rule</th><th scope=\"col\" class=\"n\">A</th><th scope=\"col\" class=\"n\">B</th></tr></thead><tbody>\n"
        for id in rules {
            let a = fires(result.a, baseline, id).map(String.init) ?? "-"
            let b = fires(result.b, candidate, id).map(String.init) ?? "-"
            s += "<tr><th scope=\"row\">\(esc(id))</th><td class=\"n\">\(a)</td><td class=\"n\">\(b)</td></tr>\n"
        }
        return s + "</tbody></table></details>\n"
    }

    func routeText(_ r: Route) -> String {
        esc(r.destination + (r.priority.map { " " + $0.rawValue } ?? "") + (r.childID.map { " (child \($0))" } ?? ""))
    }

    /// Small multiples: one line chart per destination, A and B, per bucket.
    func loadChart() -> String {
        var days = Set<Int32>()
        for f in [result.a, result.b] { for m in f.buckets { days.formUnion(m.keys) } }
        let xs = days.sorted()
        guard !xs.isEmpty else { return "<p>No notifications.</p>\n" }
        let w = 520.0, hgt = 150.0, left = 44.0, bottom = 22.0, top = 18.0
        var s = "<div>\n"
        for d in destinations {
            let ia = baseline.destinationIndex(d)
            let ib = candidate.destinationIndex(d)
            let va = xs.map { x in ia.map { result.a.buckets[$0][x] ?? 0 } ?? 0 }
            let vb = xs.map { x in ib.map { result.b.buckets[$0][x] ?? 0 } ?? 0 }
            let maxV = max(1, (va + vb).max() ?? 1)
            func px(_ i: Int) -> Double { left + (w - left - 8) * (xs.count == 1 ? 0.5 : Double(i) / Double(xs.count - 1)) }
            func py(_ v: Int) -> Double { top + (hgt - top - bottom) * (1 - Double(v) / Double(maxV)) }
            func path(_ v: [Int]) -> String {
                v.enumerated().map { "\($0.offset == 0 ? "M" : "L")\(fmt(px($0.offset))),\(fmt(py($0.element)))" }.joined()
            }
            s +=
                "<svg role=\"img\" aria-label=\"\(esc(d)) per \(bucket.rawValue)\" width=\"\(Int(w))\" height=\"\(Int(hgt))\" viewBox=\"0 0 \(Int(w)) \(Int(hgt))\" style=\"margin:0 1em 1em 0\">"
            s += "<text x=\"\(fmt(left))\" y=\"12\" style=\"font-weight:bold\">\(esc(d))</text>"
            s += "<line x1=\"\(fmt(left))\" y1=\"\(fmt(hgt - bottom))\" x2=\"\(fmt(w - 8))\" y2=\"\(fmt(hgt - bottom))\" stroke=\"#999\"/>"
            s += "<line x1=\"\(fmt(left))\" y1=\"\(fmt(top))\" x2=\"\(fmt(left))\" y2=\"\(fmt(hgt - bottom))\" stroke=\"#999\"/>"
            s +=
                "<text x=\"\(fmt(left - 4))\" y=\"\(fmt(top + 4))\" text-anchor=\"end\">\(maxV)</text><text x=\"\(fmt(left - 4))\" y=\"\(fmt(hgt - bottom))\" text-anchor=\"end\">0</text>"
            s +=
                "<text x=\"\(fmt(left))\" y=\"\(fmt(hgt - 6))\">\(CivilDate(dayNumber: xs.first!))</text><text x=\"\(fmt(w - 8))\" y=\"\(fmt(hgt - 6))\" text-anchor=\"end\">\(CivilDate(dayNumber: xs.last!))</text>"
            s += "<path d=\"\(path(va))\" fill=\"none\" stroke=\"#1f5fa8\" stroke-width=\"1.6\"/>"
            s += "<path d=\"\(path(vb))\" fill=\"none\" stroke=\"#e07b00\" stroke-width=\"1.6\" stroke-dasharray=\"4 2\"/>"
            s += "</svg>\n"
        }
        return s + "</div>\n"
    }

    /// Horizontal bars: fires per rule under A and B.
    func rulesChart() -> String {
        let ids = rules
        let fa = ids.map { fires(result.a, baseline, $0) ?? 0 }
        let fb = ids.map { fires(result.b, candidate, $0) ?? 0 }
        let maxV = max(1, (fa + fb).max() ?? 1)
        let labelW = 200.0, barW = 560.0, rowH = 22.0
        let height = Double(ids.count) * rowH + 10
        var s =
            "<svg role=\"img\" aria-label=\"rule fires\" width=\"\(Int(labelW + barW + 80))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(labelW + barW + 80)) \(Int(height))\">"
        for (i, id) in ids.enumerated() {
            let y = Double(i) * rowH + 4
            let wa = barW * Double(fa[i]) / Double(maxV)
            let wb = barW * Double(fb[i]) / Double(maxV)
            s += "<text x=\"\(fmt(labelW - 6))\" y=\"\(fmt(y + 13))\" text-anchor=\"end\">\(esc(id))</text>"
            s += "<rect x=\"\(fmt(labelW))\" y=\"\(fmt(y + 1))\" width=\"\(fmt(wa))\" height=\"8\" fill=\"#1f5fa8\"/>"
            s += "<rect x=\"\(fmt(labelW))\" y=\"\(fmt(y + 10))\" width=\"\(fmt(wb))\" height=\"8\" fill=\"#e07b00\"/>"
            s += "<text x=\"\(fmt(labelW + max(wa, wb) + 4))\" y=\"\(fmt(y + 14))\">\(fa[i]) / \(fb[i])</text>"
        }
        return s + "</svg>\n"
    }
}

/// HTML text escaping.
func esc(_ s: String) -> String {
    var out = ""
    out.reserveCapacity(s.utf8.count)
    for c in s {
        switch c {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&#39;"
        default: out.append(c)
        }
    }
    return out
}

/// `s` as a JSON string, quotes included (as `--changes` writes it).
func jsonQuoted(_ s: String) -> String {
    var w = ByteWriter(capacity: s.utf8.count + 2)
    w.jsonString(s)
    return String(decoding: w.bytes, as: UTF8.self)
}

/// A coordinate with one decimal.
func fmt(_ x: Double) -> String { oneDecimal(x) }
