import Foundation
import NotificationTriage

/// Renders a comparison of two policies as aligned text, JSON and (in CompareReport+HTML) a
/// self-contained HTML page. All figures come from one ``CompareJob/Result``.
package struct CompareReport {
    let result: CompareJob.Result
    let baseline: Policy
    let candidate: Policy
    let baselineName: String
    let candidateName: String
    let bucket: CompareJob.Bucket
    /// The `--changes` file as the HTML page links to it (its name when it sits beside the page), if written.
    package var changesLink: String? = nil

    package init(
        result: CompareJob.Result, baseline: Policy, candidate: Policy, baselineName: String, candidateName: String,
        bucket: CompareJob.Bucket
    ) {
        self.result = result
        self.baseline = baseline
        self.candidate = candidate
        self.baselineName = baselineName
        self.candidateName = candidateName
        self.bucket = bucket
    }

    /// One row of the headline table: a destination and priority ("all" for the total).
    struct Row {
        var destination: String
        var priority: String
        var a: Int
        var b: Int
        var change: Int { b - a }
        var percent: String { a == 0 ? (b == 0 ? "0.0%" : "new") : signed1(Double(b - a) * 100 / Double(a)) + "%" }
    }

    var destinations: [String] {
        var ids = baseline.destinationIDs
        for id in candidate.destinationIDs where !ids.contains(id) { ids.append(id) }
        return ids
    }

    var rules: [String] {
        var ids = baseline.ruleIDs
        for id in candidate.ruleIDs where !ids.contains(id) { ids.append(id) }
        return ids
    }

    func routes(_ f: PolicyFigures, _ p: Policy, _ dest: String, _ rank: Int?) -> Int {
        guard let i = p.destinationIndex(dest) else { return 0 }
        return rank.map { f.summary.routes[i][$0] } ?? f.summary.routes[i].reduce(0, +)
    }

    var rows: [Row] {
        var out: [Row] = []
        for d in destinations {
            out.append(Row(destination: d, priority: "all", a: routes(result.a, baseline, d, nil), b: routes(result.b, candidate, d, nil)))
            for (name, rank) in [("red", 3), ("amber", 2), ("green", 1)] {
                let a = routes(result.a, baseline, d, rank)
                let b = routes(result.b, candidate, d, rank)
                if a != 0 || b != 0 { out.append(Row(destination: d, priority: name, a: a, b: b)) }
            }
        }
        return out
    }

    func busiest(_ f: PolicyFigures, _ p: Policy, _ dest: String) -> (day: CivilDate, count: Int)? {
        guard let i = p.destinationIndex(dest) else { return nil }
        return f.buckets[i].max { ($0.value, -$0.key) < ($1.value, -$1.key) }.map { (CivilDate(dayNumber: $0.key), $0.value) }
    }

    func perWorkingDay(_ n: Int) -> String {
        result.workingDays == 0 ? "-" : oneDecimal(Double(n) / Double(result.workingDays))
    }

    func children(_ f: PolicyFigures, _ p: Policy, _ dest: String) -> Int {
        p.destinationIndex(dest).map { f.children[$0].count } ?? 0
    }

    func fires(_ f: PolicyFigures, _ p: Policy, _ rule: String) -> Int? {
        p.ruleIDs.contains(rule) ? f.summary.fireCount(rule) : nil
    }

    /// With the register: each school told under A or B whose notifications differ, most changed first, as
    /// (URN, name, under A, under B); and how many schools were told under either.
    var schoolChanges: (changed: [(urn: String, name: String, a: Int, b: Int)], told: Int)? {
        guard let register = result.schools else { return nil }
        let urns = Set(result.a.schools.keys).union(result.b.schools.keys)
        let changed = urns.map { u in (urn: u, name: register[u]?.name ?? "", a: result.a.schools[u] ?? 0, b: result.b.schools[u] ?? 0) }
            .filter { $0.a != $0.b }
            .sorted { (abs($0.b - $0.a), $1.urn) > (abs($1.b - $1.a), $0.urn) }
        return (changed, urns.count)
    }

    var lostChildren: Int { result.a.reached.subtracting(result.b.reached).count }
    var gainedChildren: Int { result.b.reached.subtracting(result.a.reached).count }

    /// The plain-text report for a terminal.
    package var text: String {
        var s = "baseline  (A): '\(baseline.name)' from \(baselineName)\ncandidate (B): '\(candidate.name)' from \(candidateName)\n"
        let span = result.firstDay.map { "\($0) to \(result.lastDay!)" } ?? "no incidents"
        s +=
            "\(result.read) incidents read, \(result.rejected) rejected; \(span), \(result.workingDays) working days; \(result.changedCount) decisions changed\n\n"
        var t = TextTable(["destination", "priority", "A", "B", "change", "%"], rightAligned: [2, 3, 4, 5])
        for r in rows { t.add([r.destination, r.priority, "\(r.a)", "\(r.b)", signed(r.change), r.percent]) }
        s += t.render() + "\n"
        var load = TextTable(
            ["destination", "busiest \(bucket.rawValue) A", "n", "busiest \(bucket.rawValue) B", "n", "per working day A", "B"],
            rightAligned: [2, 4, 5, 6])
        for d in destinations {
            let ba = busiest(result.a, baseline, d)
            let bb = busiest(result.b, candidate, d)
            load.add([
                d, ba.map { "\($0.day)" } ?? "-", "\(ba?.count ?? 0)", bb.map { "\($0.day)" } ?? "-", "\(bb?.count ?? 0)",
                perWorkingDay(routes(result.a, baseline, d, nil)), perWorkingDay(routes(result.b, candidate, d, nil)),
            ])
        }
        s += load.render() + "\n"
        var rt = TextTable(["rule", "fires A", "fires B", "change"], rightAligned: [1, 2, 3])
        for r in rules {
            let fa = fires(result.a, baseline, r)
            let fb = fires(result.b, candidate, r)
            rt.add([
                r + (fa == nil ? " (added)" : fb == nil ? " (removed)" : ""), fa.map(String.init) ?? "-", fb.map(String.init) ?? "-",
                signed((fb ?? 0) - (fa ?? 0)),
            ])
        }
        s += rt.render() + "\n"
        var ct = TextTable(["children reaching", "A", "B", "change"], rightAligned: [1, 2, 3])
        for d in destinations {
            let a = children(result.a, baseline, d)
            let b = children(result.b, candidate, d)
            ct.add([d, "\(a)", "\(b)", signed(b - a)])
        }
        ct.add([
            "any agency", "\(result.a.reached.count)", "\(result.b.reached.count)", signed(result.b.reached.count - result.a.reached.count),
        ])
        s += ct.render()
        s += "children reached under A but no agency under B: \(lostChildren)\n"
        s += "children reached under B but no agency under A: \(gainedChildren)\n"
        if let (changed, told) = schoolChanges {
            s += "\nschools whose notifications change under B: \(changed.count) of \(told) told under A or B\n"
            var st = TextTable(["school", "name", "A", "B", "change"], rightAligned: [2, 3, 4])
            for c in changed.prefix(20) { st.add([c.urn, c.name, "\(c.a)", "\(c.b)", signed(c.b - c.a)]) }
            if !changed.isEmpty { s += st.render() }
            if changed.count > 20 { s += "(\(changed.count - 20) more in --json)\n" }
        }
        return s
    }

    /// The same figures as JSON (keys in a fixed order).
    package var json: String {
        var w = ByteWriter()
        w.raw("{\"baseline\":{\"name\":")
        w.jsonString(baseline.name)
        w.raw(",\"hash\":")
        w.jsonString(baseline.hash)
        w.raw("},\"candidate\":{\"name\":")
        w.jsonString(candidate.name)
        w.raw(",\"hash\":")
        w.jsonString(candidate.hash)
        w.raw("},\"read\":")
        w.int(result.read)
        w.raw(",\"rejected\":")
        w.int(result.rejected)
        w.raw(",\"working_days\":")
        w.int(result.workingDays)
        w.raw(",\"changed_decisions\":")
        w.int(result.changedCount)
        w.raw(",\"routes\":[")
        for (i, r) in rows.enumerated() {
            if i > 0 { w.byte(UInt8(ascii: ",")) }
            w.raw("{\"destination\":")
            w.jsonString(r.destination)
            w.raw(",\"priority\":")
            w.jsonString(r.priority)
            w.raw(",\"a\":")
            w.int(r.a)
            w.raw(",\"b\":")
            w.int(r.b)
            w.raw(",\"change\":")
            w.int(r.change)
            w.byte(UInt8(ascii: "}"))
        }
        w.raw("],\"load\":[")
        for (i, d) in destinations.enumerated() {
            if i > 0 { w.byte(UInt8(ascii: ",")) }
            w.raw("{\"destination\":")
            w.jsonString(d)
            for (key, f, p) in [("a", result.a, baseline), ("b", result.b, candidate)] {
                w.raw(",\"")
                w.bytes.append(contentsOf: key.utf8)
                w.raw("\":{\"busiest\":")
                let bz = busiest(f, p, d)
                w.jsonOptionalString(bz.map { "\($0.day)" })
                w.raw(",\"busiest_count\":")
                w.int(bz?.count ?? 0)
                w.raw(",\"per_working_day\":")
                let n = routes(f, p, d, nil)
                w.fixed3(result.workingDays == 0 ? 0 : Double(n) / Double(result.workingDays))
                w.raw(",\"children\":")
                w.int(children(f, p, d))
                w.byte(UInt8(ascii: "}"))
            }
            w.byte(UInt8(ascii: "}"))
        }
        w.raw("],\"rules\":[")
        for (i, r) in rules.enumerated() {
            if i > 0 { w.byte(UInt8(ascii: ",")) }
            w.raw("{\"rule\":")
            w.jsonString(r)
            w.raw(",\"a\":")
            if let v = fires(result.a, baseline, r) { w.int(v) } else { w.raw("null") }
            w.raw(",\"b\":")
            if let v = fires(result.b, candidate, r) { w.int(v) } else { w.raw("null") }
            w.byte(UInt8(ascii: "}"))
        }
        w.raw("],\"children\":{\"reached_a\":")
        w.int(result.a.reached.count)
        w.raw(",\"reached_b\":")
        w.int(result.b.reached.count)
        w.raw(",\"lost_under_b\":")
        w.int(lostChildren)
        w.raw(",\"gained_under_b\":")
        w.int(gainedChildren)
        w.byte(UInt8(ascii: "}"))
        if let (changed, told) = schoolChanges {
            w.raw(",\"schools\":{\"told\":")
            w.int(told)
            w.raw(",\"changed\":[")
            for (i, c) in changed.enumerated() {
                w.raw(i > 0 ? ",{\"urn\":" : "{\"urn\":")
                w.jsonString(c.urn)
                w.raw(",\"name\":")
                w.jsonString(c.name)
                w.raw(",\"a\":")
                w.int(c.a)
                w.raw(",\"b\":")
                w.int(c.b)
                w.byte(UInt8(ascii: "}"))
            }
            w.raw("]}")
        }
        w.raw("}\n")
        return String(decoding: w.bytes, as: UTF8.self)
    }

    /// How the page at `html` links to the file at `changes` (paths as given on the command line, relative to
    /// `cwd`): its name when the two share a folder, so the link survives moving both; else a `file://` URL.
    package static func link(to changes: String, from html: String, cwd: String) -> String {
        func folder(_ p: String) -> Substring { p.lastIndex(of: "/").map { p[..<$0] } ?? "." }
        func name(_ p: String) -> Substring { p.lastIndex(of: "/").map { p[p.index(after: $0)...] } ?? p[...] }
        func escaped(_ p: String) -> String { p.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? p }
        if folder(changes) == folder(html) { return escaped(String(name(changes))) }
        return "file://" + escaped(changes.hasPrefix("/") ? changes : cwd + "/" + changes)
    }

    /// One changed decision as a JSON line (for `--changes FILE`).
    package static func changeLine(_ c: ChangedDecision, baseline: Policy, candidate: Policy) -> [UInt8] {
        var w = ByteWriter(capacity: 512)
        let ea = DecisionEncoder(policy: baseline)
        let eb = DecisionEncoder(policy: candidate)
        w.raw("{\"incident_id\":")
        w.jsonString(c.incidentID)
        w.raw(",\"occurred_at\":\"")
        baseline.zone.appendISO8601(c.occurredAt, to: &w.bytes)
        w.raw("\",\"routes_a\":[")
        for (i, r) in c.routesA.enumerated() {
            if i > 0 { w.byte(UInt8(ascii: ",")) }
            ea.writeRoute(r, &w)
        }
        w.raw("],\"routes_b\":[")
        for (i, r) in c.routesB.enumerated() {
            if i > 0 { w.byte(UInt8(ascii: ",")) }
            eb.writeRoute(r, &w)
        }
        w.raw("],\"rules_differing\":[")
        for (i, r) in c.differences.enumerated() {
            if i > 0 { w.byte(UInt8(ascii: ",")) }
            w.jsonString(r)
        }
        // The report's "What changed, grouped" names each group by this key: its full list is these lines.
        w.raw("],\"group\":")
        w.jsonString(c.group)
        w.raw("}\n")
        return w.bytes
    }
}

/// A plain-text table with columns padded to their widest cell.
struct TextTable {
    var header: [String]
    var rightAligned: Set<Int>
    var rows: [[String]] = []

    init(_ header: [String], rightAligned: Set<Int>) {
        self.header = header
        self.rightAligned = rightAligned
    }

    mutating func add(_ row: [String]) { rows.append(row) }

    func render() -> String {
        var widths = header.map(\.count)
        for r in rows { for (i, c) in r.enumerated() { widths[i] = max(widths[i], c.count) } }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, c in
                let pad = String(repeating: " ", count: widths[i] - c.count)
                return rightAligned.contains(i) ? pad + c : c + pad
            }.joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }
        var s = line(header) + "\n" + line(widths.map { String(repeating: "-", count: $0) }) + "\n"
        for r in rows { s += line(r) + "\n" }
        return s
    }
}

func signed(_ n: Int) -> String { n > 0 ? "+\(n)" : "\(n)" }
func signed1(_ x: Double) -> String { (x > 0 ? "+" : "") + oneDecimal(x) }
