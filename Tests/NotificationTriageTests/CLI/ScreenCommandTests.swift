import Foundation
import Testing
import _TriageTestSupport

@testable import NotificationTriage

/// End-to-end tests of the built `triage` binary on the samples and on generated files.
@Suite(.serialized) struct ScreenCommandTests {
    func lines(_ data: Data) -> [String] {
        String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    func summary(_ path: URL) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(contentsOf: path)) as! [String: Any]
    }

    @Test func scenariosMatchTheExpectedDecisions() throws {
        let r = try Triage.run(["screen", "samples/scenarios.csv", "--quiet"])
        #expect(r.status == 0)
        let expectedPath = Triage.root.appendingPathComponent("samples/scenarios.expected.jsonl")
        if ProcessInfo.processInfo.environment["TRIAGE_RECORD"] == "1" { try r.stdout.write(to: expectedPath) }
        let expected = try Data(contentsOf: expectedPath)
        #expect(lines(r.stdout) == lines(expected))
    }

    @Test func messyInputLosesNothing() throws {
        let dir = Triage.tempDir()
        let rejects = dir.appendingPathComponent("rejects.jsonl")
        let sum = dir.appendingPathComponent("summary.json")
        let r = try Triage.run(["screen", "samples/messy.csv", "--quiet", "--rejects", rejects.path, "--summary", sum.path])
        #expect(r.status == 3)
        let s = try summary(sum)
        let read = s["read"] as! Int
        let screened = s["screened"] as! Int
        let rejected = s["rejected"] as! Int
        #expect(read == screened + rejected)
        #expect(rejected > 0)
        #expect(lines(r.stdout).count == screened)
        let got = try Data(contentsOf: rejects)
        #expect(lines(got).count == rejected)
        #expect(lines(got) == lines(try Data(contentsOf: Triage.root.appendingPathComponent("samples/messy.rejects.jsonl"))))
    }

    @Test func highDefectRateStillAddsUp() throws {
        let dir = Triage.tempDir()
        let file = dir.appendingPathComponent("m.csv")
        try Triage.run(["generate", "--incidents", "2000", "--seed", "9", "--messy", "0.3", "--output", file.path])
        let sum = dir.appendingPathComponent("s.json")
        let r = try Triage.run([
            "screen", file.path, "--quiet", "--summary", sum.path, "--rejects", dir.appendingPathComponent("r.jsonl").path,
        ])
        #expect(r.status == 3)
        let s = try summary(sum)
        #expect(s["read"] as! Int == (s["screened"] as! Int) + (s["rejected"] as! Int))
        #expect(s["read"] as! Int == 2000)
    }

    /// Ways of running a screen whose summary is counted on a different path (decision lines to standard
    /// output a batch at a time; `--out`'s decisions file; `--sort`; with a report).
    static let summaryModes: [[String]] = [
        [], ["--out", "OUT"], ["--sort"], ["--report", "OUT/r.html"], ["--out", "OUT", "--as-of", "2025-06-01T09:00:00+00:00"],
    ]

    /// The summary's counts are the decision lines' own, counted here from the lines alone: incidents,
    /// re-sends, late arrivals, screened out, warnings, routes per destination and priority (overdue with
    /// `--as-of`), and each rule's fires (one reason per rule and child).
    @Test(arguments: summaryModes) func summaryCountsWhatTheDecisionLinesSay(_ mode: [String]) throws {
        let dir = Triage.tempDir()
        let sum = dir.appendingPathComponent("s.json")
        let args = mode.map { $0.replacingOccurrences(of: "OUT", with: dir.appendingPathComponent("out").path) }
        if args.contains(where: { $0.hasSuffix("r.html") }) {
            try FileManager.default.createDirectory(at: dir.appendingPathComponent("out"), withIntermediateDirectories: true)
        }
        let r = try Triage.run(["screen", "samples/incidents.csv", "--quiet", "--summary", sum.path] + args)
        #expect(r.status == 0)
        let text = mode.first == "--out" ? try Data(contentsOf: dir.appendingPathComponent("out/decisions.jsonl")) : r.stdout
        var counts: [String: Int] = [:]
        var routes: [String: [String: Int]] = [:]
        var fires: [String: Int] = [:]
        for line in lines(text) {
            let d = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            counts["screened", default: 0] += 1
            for key in ["duplicate", "out_of_order", "screened_out"] where d[key] as! Bool { counts[key, default: 0] += 1 }
            counts["warnings", default: 0] += (d["warnings"] as! [Any]).count
            for route in d["routes"] as! [[String: Any]] {
                let to = route["to"] as! String
                routes[to, default: [:]]["total", default: 0] += 1
                routes[to, default: [:]][route["priority"] as? String ?? "none", default: 0] += 1
                if route["overdue"] as? Bool == true { routes[to, default: [:]]["overdue", default: 0] += 1 }
            }
            for reason in d["reasons"] as! [[String: Any]] { fires[reason["rule"] as! String, default: 0] += 1 }
        }
        let s = try summary(sum)
        #expect(counts["screened"] == 9_000)
        #expect(s["screened"] as? Int == counts["screened"])
        #expect(s["duplicates"] as? Int == counts["duplicate"] ?? 0)
        #expect(s["out_of_order"] as? Int == counts["out_of_order"] ?? 0)
        #expect(s["screened_out"] as? Int == counts["screened_out"] ?? 0)
        #expect(s["warnings"] as? Int == counts["warnings"] ?? 0)
        #expect((s["duplicates"] as? Int ?? 0) > 0 && (s["warnings"] as? Int ?? 0) > 0)
        let summaryRoutes = try #require(s["routes"] as? [String: [String: Int]])
        for (to, row) in summaryRoutes {
            for (column, n) in row { #expect(n == routes[to]?[column] ?? 0, "\(mode) \(to) \(column)") }
        }
        #expect(Set(routes.keys).isSubset(of: Set(summaryRoutes.keys)))
        if mode.contains("--as-of") { #expect(summaryRoutes.values.contains { ($0["overdue"] ?? 0) > 0 }) }
        let summaryFires = try #require(s["fires"] as? [String: Int])
        for (rule, n) in summaryFires { #expect(n == fires[rule] ?? 0, "\(mode) \(rule)") }
        #expect(Set(fires.keys).isSubset(of: Set(summaryFires.keys)))
    }

    /// Decisions written as CSV or to a workbook are counted on the writer's other path: the summary is the
    /// one decision lines give (its timings aside).
    @Test(arguments: [["--format", "csv"], ["--output", "OUT/d.xlsx"]])
    func summaryIsTheSameForEveryDecisionFormat(_ mode: [String]) throws {
        let dir = Triage.tempDir()
        func counts(_ extra: [String], _ name: String) throws -> NSDictionary {
            let sum = dir.appendingPathComponent(name)
            let r = try Triage.run(["screen", "samples/incidents.csv", "--quiet", "--summary", sum.path] + extra)
            #expect(r.status == 0)
            let s = NSMutableDictionary(dictionary: try summary(sum))
            s.removeObjects(forKeys: ["elapsed_seconds", "incidents_per_second"])
            return s
        }
        let lines = try counts([], "lines.json")
        let other = try counts(mode.map { $0.replacingOccurrences(of: "OUT", with: dir.path) }, "other.json")
        #expect(lines["screened"] as? Int == 9_000)
        #expect(other == lines)
    }

    @Test func csvAndJSONLinesGiveTheSameDecisions() throws {
        let jsonl = try Triage.run(["screen", "samples/incidents.jsonl", "--quiet"])
        let csv = try Triage.run(["screen", "samples/incidents.csv", "--quiet"])
        let a = lines(jsonl.stdout)
        #expect(a.count == 1000)
        #expect(a == Array(lines(csv.stdout).prefix(1000)))
    }

    @Test func twoHalvesWithStateEqualOneRun() throws {
        let dir = Triage.tempDir()
        let whole = dir.appendingPathComponent("whole.csv")
        try Triage.run(["generate", "--incidents", "3000", "--seed", "11", "--output", whole.path])
        let text = try String(contentsOf: whole, encoding: .utf8)
        var rows = text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        let header = rows.removeFirst()
        // Split at an incident boundary near the middle.
        var cut = rows.count / 2
        func id(_ row: String) -> Substring { row.split(separator: ",", maxSplits: 1)[0] }
        while id(rows[cut]) == id(rows[cut - 1]) { cut += 1 }
        let first = dir.appendingPathComponent("a.csv")
        let second = dir.appendingPathComponent("b.csv")
        try ([header] + rows[..<cut]).joined(separator: "\n").appending("\n").write(to: first, atomically: true, encoding: .utf8)
        try ([header] + rows[cut...]).joined(separator: "\n").appending("\n").write(to: second, atomically: true, encoding: .utf8)
        let state = dir.appendingPathComponent("state")
        let all = try Triage.run(["screen", whole.path, "--quiet"])
        let a = try Triage.run(["screen", first.path, "--quiet", "--state", state.path])
        let b = try Triage.run(["screen", second.path, "--quiet", "--state", state.path])
        #expect(a.status == 0 && b.status == 0)
        #expect(lines(a.stdout) + lines(b.stdout) == lines(all.stdout))
    }

    /// Screening the same file again and again adds nothing: every incident is recognised (but one older than
    /// ids are remembered for, which says so), and a third run counts exactly what the second did. (The
    /// second run may count more than the first: incidents that arrived late the first time are history now.)
    @Test func reScreeningAddsNoCounts() throws {
        let dir = Triage.tempDir()
        let state = dir.appendingPathComponent("state")
        let runs = try (0..<3).map { _ in try Triage.run(["screen", "samples/scenarios.csv", "--quiet", "--state", state.path]) }
        let d = runs.map { lines($0.stdout).map { try! JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] } }
        #expect(d[0].count == d[1].count && d[1].count == d[2].count)
        for i in d[0].indices {
            let tooOld = (d[0][i]["warnings"] as! [[String: Any]]).contains { ($0["message"] as! String).contains("remembered for") }
            #expect(d[1][i]["duplicate"] as! Bool == !tooOld)
            #expect(d[2][i]["duplicate"] as! Bool == !tooOld)
            #expect(
                NSDictionary(dictionary: d[1][i]["history"] as! [String: Any])
                    == NSDictionary(dictionary: d[2][i]["history"] as! [String: Any]))
        }
    }

    @Test func outDirectoryHoldsOnlyAllowedFields() throws {
        let dir = Triage.tempDir().appendingPathComponent("out")
        let r = try Triage.run([
            "screen", "samples/scenarios.csv", "--quiet", "--out", dir.path, "--excel", "--order", "deadline", "--schools",
            "samples/schools-register.csv",
        ])
        #expect(r.status == 0)
        #expect(r.stdout.isEmpty)
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
        #expect(
            files == [
                "decisions.jsonl", "education_officer.csv", "health_visitor.csv", "marac.jsonl", "midwifery.csv", "rejects.jsonl",
                "school.csv", "schools", "screened_out.csv", "social_care.jsonl",
            ])
        // The school packs: the school's fields only, each file with the byte-order mark --excel asks for.
        let packs = dir.appendingPathComponent("schools")
        for f in try FileManager.default.contentsOfDirectory(atPath: packs.path) where f.hasSuffix(".csv") {
            let bytes = try Data(contentsOf: packs.appendingPathComponent(f))
            #expect(bytes.starts(with: [0xEF, 0xBB, 0xBF]), "\(f)")
            #expect(!String(decoding: bytes, as: UTF8.self).contains("Perp "), "\(f)")
        }
        let schoolBytes = try Data(contentsOf: dir.appendingPathComponent("school.csv"))
        #expect(schoolBytes.starts(with: [0xEF, 0xBB, 0xBF]))
        let school = String(decoding: schoolBytes.dropFirst(3), as: UTF8.self)
        let header = school.split(separator: "\r\n").first.map(String.init) ?? ""
        #expect(
            header
                == "to,priority,notify_by,rules,resend,incident_id,occurred_at,child_id,child_name,child_dob,child_present,child_school_urn"
        )
        #expect(!school.contains("Perp "))
        // Ordered by deadline.
        let deadlines = school.split(separator: "\r\n").dropFirst().map { $0.split(separator: ",")[2] }
        #expect(deadlines == deadlines.sorted())
        let social = try String(contentsOf: dir.appendingPathComponent("social_care.jsonl"), encoding: .utf8)
        #expect(social.contains("\"reasons\""))
    }

    @Test func asOfMarksOverdueRoutes() throws {
        let dir = Triage.tempDir()
        let sum = dir.appendingPathComponent("s.json")
        let r = try Triage.run([
            "screen", "samples/scenarios.csv", "--quiet", "--as-of", "2026-03-11T09:00:00+00:00", "--summary", sum.path,
        ])
        #expect(r.status == 0)
        #expect(r.out.contains("\"overdue\":true"))
        #expect(r.out.contains("\"overdue\":false"))
        let routes = try summary(sum)["routes"] as! [String: [String: Int]]
        #expect(routes["school"]!["overdue"]! > 0)
    }

    @Test func aFutureDateIsRejectedNotTrusted() throws {
        let input = Data(
            "incident_id,occurred_at,household_id,victim_id,dash_risk\nF1,2062-01-01T10:00:00Z,H1,V1,standard\nF2,2026-01-01T10:00:00Z,H1,V1,standard\n"
                .utf8)
        let r = try Triage.run(["screen", "-", "--input-format", "csv", "--quiet"], input: input)
        #expect(r.status == 3)
        #expect(lines(r.stdout).count == 1)
        #expect(r.stderr.contains("<stdin>:2: occurred_at: occurred_at is more than a day in the future"))
    }

    @Test func forceExportWithColumnMap() throws {
        let r = try Triage.run(["screen", "samples/force-export.csv", "--columns", "samples/columns-example.yaml", "--quiet"])
        #expect(r.status == 0)
        #expect(lines(r.stdout).count > 20)
    }

    @Test func usageAndPolicyErrorsExitTwo() throws {
        #expect(try Triage.run(["screen", "--bogus"]).status == 2)
        #expect(try Triage.run(["frobnicate"]).status == 2)
        let dir = Triage.tempDir()
        let bad = dir.appendingPathComponent("bad.yaml")
        try "rules:\n  - id: r\n    description: d\n    when: {fact: houshold.incidents, gte: 3}\n    route: x\n".write(
            to: bad, atomically: true, encoding: .utf8)
        let v = try Triage.run(["validate", bad.path])
        #expect(v.status == 2)
        #expect(v.stderr.contains("bad.yaml:4:18: error: unknown fact 'houshold.incidents' (did you mean 'household.incidents'?)"))
        #expect(v.stderr.contains("^"))
        let s = try Triage.run(["screen", "samples/scenarios.csv", "--thresholds", bad.path])
        #expect(s.status == 2)
        #expect(s.stdout.isEmpty)
        #expect(try Triage.run(["--version"]).out.hasPrefix("triage "))
        #expect(try Triage.run(["help", "screen"]).out.contains("--state FILE"))
    }

    @Test func noPersonalDataInLogs() throws {
        // Rejects to standard error, summary and warnings: none may carry a name or a date of birth.
        let r = try Triage.run(["screen", "samples/messy.csv"])
        let messy = String(decoding: try Data(contentsOf: Triage.root.appendingPathComponent("samples/messy.csv")), as: UTF8.self)
        var names = Set<String>()
        for row in messy.split(separator: "\n").dropFirst() {
            let f = row.split(separator: ",", omittingEmptySubsequences: false)
            if f.count > 17 {
                for i in [6, 10, 17] where f[i].count > 3 { names.insert(String(f[i])) }
            }
        }
        #expect(!names.isEmpty)
        for n in names { #expect(!r.stderr.contains(n), "stderr leaks a name") }
        #expect(!r.stderr.contains("1990-"))
    }
}
