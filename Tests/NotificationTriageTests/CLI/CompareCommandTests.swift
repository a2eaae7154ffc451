import Foundation
import Testing
import _TriageTestSupport

@testable import NotificationTriage
@testable import TriageJobs
@testable import TriageSynthesis

#if canImport(FoundationXML)
    import FoundationXML
#endif

@Suite(.serialized) struct CompareCommandTests {
    func json(_ url: URL) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
    }

    /// The children reached are counted as a set would count them, across word boundaries and in any
    /// insertion order; the difference of two sets is what one reaches and the other does not.
    @Test(arguments: [[0, 1, 63, 64, 65, 1000, 1], [5, 5, 5], [], [999, 0, 127, 128, 64, 63]])
    func reachedChildrenCountAsASet(_ members: [Int32]) {
        var set = BitSet()
        var seen = Set<Int32>()
        for m in members { #expect(set.insert(m) == seen.insert(m).inserted) }
        #expect(set.count == Set(members).count)
        for m in members { #expect(set.contains(m)) }
        #expect(!set.contains(2) || members.contains(2))
        var other = BitSet()
        for m in members where m % 2 == 0 { other.insert(m) }
        other.insert(5_000)
        #expect(set.subtracting(other).count == Set(members.filter { $0 % 2 != 0 }).count)
        #expect(other.subtracting(set).count == 1)
    }

    /// Children are numbered by id in the order first met, the empty id like any other (a `Set<String>`
    /// counted it once, so must the numbering).
    @Test func childNumbersAreStablePerId() {
        var numbers = ChildNumbers()
        let ids = ["C1", "", "C2", "C1", "", "a child id longer than fifteen bytes", "C2"]
        let got = ids.map { numbers.number($0) }
        #expect(got == [0, 1, 2, 0, 1, 3, 2])
    }

    /// Past the few it keeps at hand: 20 ids met in turns, each again and again, keep the numbers of their
    /// first meeting (counted here with a dictionary).
    @Test func childNumbersStayStablePastTheRecentFew() {
        var numbers = ChildNumbers()
        var expected: [String: Int32] = [:]
        var rng = SystemRandomNumberGenerator()
        for round in 0..<200 {
            let id = "C-\(round < 20 ? round : Int.random(in: 0..<25, using: &rng))"
            let n = numbers.number(id)
            if let e = expected[id] { #expect(n == e, "\(id)") } else { expected[id] = Int32(expected.count) }
            #expect(n == expected[id])
        }
    }

    @Test func aPolicyComparedWithItselfChangesNothing() throws {
        let dir = Triage.tempDir()
        let changes = dir.appendingPathComponent("changes.jsonl")
        let report = dir.appendingPathComponent("r.json")
        let r = try Triage.run([
            "compare", "--baseline", "thresholds.yaml", "--candidate", "thresholds.yaml", "samples/scenarios.csv",
            "--changes", changes.path, "--json", report.path,
        ])
        #expect(r.status == 0)
        #expect(try Data(contentsOf: changes).isEmpty)
        let j = try json(report)
        #expect(j["changed_decisions"] as! Int == 0)
        for row in j["routes"] as! [[String: Any]] { #expect(row["change"] as! Int == 0) }
        #expect((j["children"] as! [String: Int])["lost_under_b"] == 0)
    }

    @Test func countsEqualScreeningEachPolicyAlone() throws {
        let dir = Triage.tempDir()
        let report = dir.appendingPathComponent("r.json")
        _ = try Triage.run([
            "compare", "--baseline", "thresholds.yaml", "--candidate", "samples/candidate-thresholds.yaml",
            "samples/incidents.jsonl", "--json", report.path,
        ])
        let j = try json(report)
        for (policy, key) in [("thresholds.yaml", "a"), ("samples/candidate-thresholds.yaml", "b")] {
            let sum = dir.appendingPathComponent("\(key).json")
            _ = try Triage.run(["screen", "samples/incidents.jsonl", "--thresholds", policy, "--quiet", "--summary", sum.path])
            let routes = try json(sum)["routes"] as! [String: [String: Int]]
            for row in j["routes"] as! [[String: Any]] {
                let dest = row["destination"] as! String
                let priority = row["priority"] as! String
                let expected = routes[dest]![priority == "all" ? "total" : priority]!
                #expect(row[key] as! Int == expected, "\(dest) \(priority) under \(key)")
            }
        }
    }

    /// Unreadable records and dates in the future are rejected by `compare` exactly as by `screen`.
    @Test func rejectsAreCountedAsScreenCountsThem() throws {
        let dir = Triage.tempDir()
        // The messy sample holds invalid UTF-8 on purpose, so it is handled as bytes.
        let messy = [UInt8](try Data(contentsOf: Triage.root.appendingPathComponent("samples/messy.csv")))
        var lines = messy.split(separator: 0x0A, omittingEmptySubsequences: false).map(Array.init)
        let row = lines[1].split(separator: UInt8(ascii: ","), maxSplits: 2, omittingEmptySubsequences: false)
        lines.insert(Array("FUTURE-1,2099-01-01T10:00:00+00:00,".utf8) + row[2], at: 2)
        let input = dir.appendingPathComponent("input.csv")
        try Data(Array(lines.joined(separator: [0x0A]))).write(to: input)
        let report = dir.appendingPathComponent("r.json")
        _ = try Triage.run([
            "compare", "--baseline", "thresholds.yaml", "--candidate", "samples/candidate-thresholds.yaml", input.path,
            "--json", report.path,
        ])
        let sum = dir.appendingPathComponent("s.json")
        _ = try Triage.run(["screen", input.path, "--quiet", "--summary", sum.path])
        let c = try json(report)
        let s = try json(sum)
        #expect(c["read"] as? Int == s["read"] as? Int)
        #expect(c["rejected"] as? Int == s["rejected"] as? Int)
        #expect((s["rejected"] as? Int ?? 0) >= 1)
    }

    @Test func exactlyTheChangedIncidentsAreListedWithTheirRules() throws {
        let dir = Triage.tempDir()
        let candidate = dir.appendingPathComponent("b.yaml")
        let base = try String(contentsOf: Triage.root.appendingPathComponent("thresholds.yaml"), encoding: .utf8)
        try base.replacingOccurrences(of: "{fact: dash_score, gte: 14}", with: "{fact: dash_score, gte: 13}")
            .write(to: candidate, atomically: true, encoding: .utf8)
        let header = IncidentEncoder.csvHeader
        var rows = [header]
        let scores = [13, 5, 13, 14, 12, 13]  // three at 13 change; 5, 12 stay screened out; 14 goes to MARAC under both
        for (i, s) in scores.enumerated() {
            rows.append(
                "K-\(i),2026-03-1\(i)T10:00:00+00:00,,NN1 1AA,HK\(i),VK\(i),Victim,1990-01-01,false,PK\(i),Perp,1980-01-01,partner,standard,\(s),,,,,,,"
            )
        }
        let input = dir.appendingPathComponent("k.csv")
        try (rows.joined(separator: "\n") + "\n").write(to: input, atomically: true, encoding: .utf8)
        let changes = dir.appendingPathComponent("c.jsonl")
        let r = try Triage.run([
            "compare", "--baseline", "thresholds.yaml", "--candidate", candidate.path, input.path, "--changes", changes.path,
        ])
        #expect(r.status == 0)
        let lines = String(decoding: try Data(contentsOf: changes), as: UTF8.self).split(separator: "\n")
        let ids = lines.map { (try! JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any])["incident_id"] as! String }
        #expect(ids == ["K-0", "K-2", "K-5"])
        for l in lines { #expect(l.contains("\"rules_differing\":[\"+marac-high-risk\"]")) }
        #expect(r.out.contains("3 decisions changed"))
    }

    @Test func htmlReportIsWellFormedAndHoldsTheFigures() throws {
        let dir = Triage.tempDir()
        let html = dir.appendingPathComponent("r.html")
        let r = try Triage.run([
            "compare", "--baseline", "thresholds.yaml", "--candidate", "samples/candidate-thresholds.yaml",
            "samples/incidents.jsonl", "--html", html.path,
        ])
        #expect(r.status == 0)
        let data = try Data(contentsOf: html)
        let text = String(decoding: data, as: UTF8.self)
        #expect(!text.contains("<script"))
        #expect(!text.contains("http://") && !text.contains("https://"))
        let parser = XMLParser(data: data)
        let ok = parser.parse()
        #expect(ok, "HTML is not well-formed: \(String(describing: parser.parserError))")
        // Every headline figure of the text report appears in the page's table.
        for line in r.out.split(separator: "\n") where line.hasPrefix("health_visitor  all") || line.hasPrefix("social_care     all") {
            let f = line.split(separator: " ", omittingEmptySubsequences: true)
            #expect(text.contains("<td class=\"n\">\(f[2])</td><td class=\"n\">\(f[3])</td>"))
        }
        #expect(text.contains("<svg"))
        // Fit for a board paper: captions and header scopes, a data table behind every chart, a print
        // stylesheet, and direction not coloured as good or bad.
        #expect(text.components(separatedBy: "<caption>").count - 1 >= 4)
        #expect(text.contains("<th scope=\"col\">destination</th>"))
        #expect(text.contains("<table id=\"load\">") && text.contains("<table id=\"fires\">"))
        #expect(text.contains("@media print"))
        #expect(!text.contains("class=\"n up\"") && !text.contains("class=\"n down\""))
        // The changes grouped by what made the difference: the groups' counts add up to every change.
        let groups = text.components(separatedBy: "<table id=\"groups\">").dropFirst().first?.components(separatedBy: "</table>").first
        let counts = (groups ?? "").components(separatedBy: "</th><td class=\"n\">").dropFirst()
            .compactMap { Int($0.prefix { $0.isNumber }) }
        let total = r.out.split(separator: "\n").first { $0.contains("decisions changed") }
            .flatMap { line in line.components(separatedBy: "; ").last?.split(separator: " ").compactMap { Int($0) }.first }
        #expect(!counts.isEmpty)
        #expect(counts.reduce(0, +) == total)
    }
}

/// `--changes` lines carry their group, and the page's groups link to them.
@Suite struct CompareChangeGroupTests {
    @Test func eachGroupsFullListIsItsLinesInTheChangesFile() throws {
        let dir = Triage.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let html = dir.appendingPathComponent("r.html")
        let changes = dir.appendingPathComponent("changes.jsonl")
        let r = try Triage.run([
            "compare", "--baseline", "thresholds.yaml", "--candidate", "samples/candidate-thresholds.yaml",
            "samples/incidents.csv", "--html", html.path, "--changes", changes.path,
        ])
        #expect(r.status == 0, "\(r.stderr)")
        // The groups counted here from the changes file's rules_differing, children left out.
        var expected: [String: Int] = [:]
        for line in try String(contentsOf: changes, encoding: .utf8).split(separator: "\n") {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let rules = (object["rules_differing"] as? [String] ?? []).map { String($0.split(separator: " ")[0]) }
            let group = Set(rules).sorted().joined(separator: " ")
            #expect(object["group"] as? String == group)
            expected[group, default: 0] += 1
        }
        let text = try String(contentsOf: html, encoding: .utf8)
        let table = try #require(
            text.components(separatedBy: "<table id=\"groups\">").dropFirst().first?.components(separatedBy: "</table>").first)
        var listed: [String: Int] = [:]
        for row in table.components(separatedBy: "<tr><th scope=\"row\">").dropFirst() {
            let name = String(row.prefix { $0 != "<" })
            let n = Int(row.components(separatedBy: "<td class=\"n\">")[1].prefix { $0.isNumber }) ?? -1
            listed[name] = n
            #expect(row.contains("<a href=\"changes.jsonl\">"))
        }
        #expect(!expected.isEmpty)
        #expect(listed == expected)
    }

    /// (changes, html, link)
    static let links: [(String, String, String)] = [
        ("out/changes.jsonl", "out/r.html", "changes.jsonl"),
        ("changes.jsonl", "r.html", "changes.jsonl"),
        ("a/changes one.jsonl", "b/r.html", "file:///work/a/changes%20one.jsonl"),
        ("/tmp/c.jsonl", "r.html", "file:///tmp/c.jsonl"),
    ]

    @Test(arguments: links)
    func thePageLinksToTheChangesFile(_ changes: String, _ html: String, _ link: String) {
        #expect(CompareReport.link(to: changes, from: html, cwd: "/work") == link)
    }

    @Test(.enabled(if: Browser.path != nil, "Chromium is not installed (apt-get install chromium)"))
    func nothingIsCutOffAt1024Pixels() throws {
        let dir = Triage.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let html = dir.appendingPathComponent("r.html")
        _ = try Triage.run([
            "compare", "--baseline", "thresholds.yaml", "--candidate", "samples/candidate-thresholds.yaml",
            "samples/incidents.csv", "--html", html.path,
        ])
        let width = try #require(try Browser.layoutWidth(of: try String(contentsOf: html, encoding: .utf8), at: 1024))
        #expect(width <= 1024, "the page is \(width) px wide at 1024")
    }
}

/// The report must look right in a real browser: render it with headless Chromium and check a screenshot
/// was drawn. Needs `apt-get install chromium`, which CI does not install: skipped when absent.
@Suite struct CompareReportBrowserTests {
    static let browser: String? = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    @Test(.enabled(if: browser != nil, "chromium is not installed"))
    func rendersInHeadlessChromium() throws {
        let dir = Triage.tempDir()
        let html = dir.appendingPathComponent("r.html")
        _ = try Triage.run([
            "compare", "--baseline", "thresholds.yaml", "--candidate", "samples/candidate-thresholds.yaml",
            "samples/incidents.jsonl", "--html", html.path,
        ])
        let png = dir.appendingPathComponent("r.png")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Self.browser!)
        p.arguments = [
            "--headless", "--no-sandbox", "--disable-gpu", "--window-size=1200,1600", "--screenshot=\(png.path)", html.absoluteString,
        ]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        let data = try Data(contentsOf: png)
        #expect(data.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        #expect(data.count > 20_000)  // a blank page compresses to a few kB
    }
}
