import Foundation
import Testing
import _TriageTestSupport

/// `triage screen … --report FILE.html`: the morning meeting's page, checked against the run's own files read
/// independently (destination files, decisions, rejects) and against the input's names.
@Suite(.serialized) struct RunReportTests {
    /// The cells of each body row of the table with `id`, tags removed and entities decoded.
    static func rows(_ html: String, table id: String) -> [[String]] {
        guard let start = html.range(of: "<table id=\"\(id)\""),
            let end = html.range(of: "</table>", range: start.upperBound..<html.endIndex),
            let body = html.range(of: "<tbody>", range: start.upperBound..<end.lowerBound)
        else { return [] }
        let text = html[body.upperBound..<end.lowerBound]
        return text.components(separatedBy: "</tr>").compactMap { row -> [String]? in
            guard row.contains("<tr") else { return nil }
            let cells = row.components(separatedBy: "</t").dropLast().map { cell -> String in
                let raw = cell.components(separatedBy: ">").dropFirst().joined(separator: ">")
                var plain = raw.replacingOccurrences(of: "<br/", with: "\n")
                while let open = plain.range(of: "<"), let close = plain.range(of: ">", range: open.upperBound..<plain.endIndex) {
                    plain.removeSubrange(open.lowerBound..<close.upperBound)
                }
                return plain.replacingOccurrences(of: "&#39;", with: "'").replacingOccurrences(of: "&quot;", with: "\"")
                    .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
                    .replacingOccurrences(of: "&amp;", with: "&")
            }
            return cells.isEmpty ? nil : cells
        }
    }

    /// Runs `screen INPUT --out --report --as-of`, returning the page and the output folder (removed by the caller).
    static func run(_ input: String, asOf: String = "2025-09-01T08:00:00+01:00") throws -> (html: String, out: URL, dir: URL) {
        let dir = Triage.tempDir()
        let out = dir.appendingPathComponent("out")
        let report = dir.appendingPathComponent("run.html")
        let r = try Triage.run(["screen", input, "--quiet", "--out", out.path, "--report", report.path, "--as-of", asOf])
        #expect(r.status == 0 || r.status == 3, "\(r.stderr)")
        return (try String(contentsOf: report, encoding: .utf8), out, dir)
    }

    static func jsonLines(_ url: URL) throws -> [[String: Any]] {
        try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
    }

    @Test func theCountsAreTheRunsOwnFiles() throws {
        let (html, out, dir) = try Self.run("samples/incidents.csv")
        defer { try? FileManager.default.removeItem(at: dir) }
        let asOf = "2025-09-01T08:00:00+01:00"
        // Destination files, read here: rows per destination and priority, and overdue ones.
        var expected: [String: [Int]] = [:]  // total, red, amber, green, none, overdue
        var red: [String] = []
        for name in try FileManager.default.contentsOfDirectory(atPath: out.path) {
            let url = out.appendingPathComponent(name)
            var routes: [(priority: String, notifyBy: String, incident: String, child: String, overdue: Bool)] = []
            if name.hasSuffix(".csv") && !["screened_out.csv"].contains(name) {
                let rows = ScenarioCSV.rows(try String(contentsOf: url, encoding: .utf8))
                let h = rows[0]
                let p = try #require(h.firstIndex(of: "priority")), n = try #require(h.firstIndex(of: "notify_by"))
                let o = try #require(h.firstIndex(of: "overdue")), i = try #require(h.firstIndex(of: "incident_id"))
                let c = h.firstIndex(of: "child_id")
                for row in rows.dropFirst() { routes.append((row[p], row[n], row[i], c.map { row[$0] } ?? "", row[o] == "true")) }
            } else if name.hasSuffix(".jsonl") && !["decisions.jsonl", "rejects.jsonl"].contains(name) {
                for line in try Self.jsonLines(url) {
                    let route = try #require(line["route"] as? [String: Any])
                    routes.append(
                        (
                            route["priority"] as? String ?? "", route["notify_by"] as? String ?? "", line["incident_id"] as? String ?? "",
                            route["child_id"] as? String ?? "", route["overdue"] as? Bool ?? false
                        ))
                }
            } else {
                continue
            }
            let destination = String(name.split(separator: ".")[0])
            var counts = [routes.count, 0, 0, 0, 0, 0]
            for r in routes {
                counts[["red": 1, "amber": 2, "green": 3][r.priority] ?? 4] += 1
                if r.overdue { counts[5] += 1 }
                if r.priority == "red" { red.append(r.incident + "|" + r.child) }
            }
            expected[destination] = counts
        }
        #expect(expected.count == 6)
        let table = Self.rows(html, table: "destinations")
        #expect(table.count == expected.count)
        for row in table {
            #expect(row.dropFirst().compactMap { Int($0) } == expected[row[0]], "\(row[0])")
        }
        #expect(html.contains(asOf))
        // The red list: every red route, once.
        let listed = Self.rows(html, table: "red").map { $0[0] + "|" + $0[3] }
        #expect(listed.count == red.count && red.count > 0)
        #expect(listed.sorted() == red.sorted())

        // Children with three or more incidents in the window, from decisions.jsonl read here.
        var often: [String: Int] = [:]
        var warnings = 0
        for d in try Self.jsonLines(out.appendingPathComponent("decisions.jsonl")) {
            warnings += (d["warnings"] as? [Any])?.count ?? 0
            for c in (d["history"] as? [String: Any])?["children"] as? [[String: Any]] ?? [] {
                let id = c["child_id"] as? String ?? "", n = c["incidents"] as? Int ?? 0
                if n >= 3 { often[id] = max(often[id] ?? 0, n) }
            }
        }
        let children = Self.rows(html, table: "children")
        #expect(!often.isEmpty)
        #expect(Dictionary(uniqueKeysWithValues: children.map { ($0[0], Int($0[1]) ?? -1) }) == often)
        #expect(Self.rows(html, table: "warnings").compactMap { Int($0[1]) }.reduce(0, +) == warnings)
    }

    @Test func rejectsAreCountedByKind() throws {
        let (html, out, dir) = try Self.run("samples/messy.csv")
        defer { try? FileManager.default.removeItem(at: dir) }
        let rejects = try String(contentsOf: out.appendingPathComponent("rejects.jsonl"), encoding: .utf8).split(separator: "\n").count
        let kinds = Self.rows(html, table: "rejects")
        #expect(rejects > 0)
        #expect(kinds.compactMap { Int($0[1]) }.reduce(0, +) == rejects)
        // Kinds, not particulars: fewer kinds than rejects, and no digits left in a kind.
        #expect(kinds.count < rejects)
        #expect(kinds.allSatisfy { !$0[0].contains(where: \.isNumber) })
    }

    @Test func thePageNamesNoOne() throws {
        let (html, _, dir) = try Self.run("samples/incidents.csv")
        defer { try? FileManager.default.removeItem(at: dir) }
        let rows = ScenarioCSV.rows(try String(contentsOfFile: Triage.path("samples/incidents.csv"), encoding: .utf8))
        let header = rows[0]
        var names = Set<String>()
        for column in ["victim_name", "perpetrator_name", "child_name", "postcode", "uprn"] {
            guard let i = header.firstIndex(of: column) else { continue }
            for row in rows.dropFirst() where !row[i].isEmpty { names.insert(row[i]) }
        }
        #expect(names.count > 1000)
        for name in names { #expect(!html.contains(name), "\(name)") }
    }

    /// At 1024 px nothing is wider than the window (headless Chromium; skipped when it is not installed).
    @Test(.enabled(if: Browser.path != nil, "Chromium is not installed (apt-get install chromium)"))
    func nothingIsCutOffAt1024Pixels() throws {
        let (html, _, dir) = try Self.run("samples/incidents.csv")
        defer { try? FileManager.default.removeItem(at: dir) }
        let width = try #require(try Browser.layoutWidth(of: html, at: 1024))
        #expect(width <= 1024, "the page is \(width) px wide at 1024")
    }
}
