import Foundation
import Testing

/// Every `samples/scenarios*.csv` (found at test time, so files added later are covered) screened end to end
/// by the built `triage`: its CSV and JSON Lines versions give byte-identical decisions, a run split with
/// `--state` at any incident boundary equals one run, and there is one decision per incident in input order.
/// The JSON Lines version and the incident boundaries come from the tests' own splitter (`ScenarioCSV`), not
/// from the product's readers.
@Suite(.serialized) struct ScenarioFormatTests {
    static let files = ScenarioCSV.sampleFiles()

    /// Screens `input` with `--quiet` (plus `extra`) and expects a clean run.
    func screen(_ input: String, _ extra: [String] = [], sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> Data {
        let r = try Triage.run(["screen", input, "--quiet"] + extra)
        #expect(r.status == 0, "triage screen \(input) exited \(r.status): \(r.stderr)", sourceLocation: sourceLocation)
        return r.stdout
    }

    /// Where two outputs first differ, by 1-based line number, or nil when they are byte-identical.
    func firstDifference(_ a: Data, _ b: Data, _ aName: String, _ bName: String) -> String? {
        if a == b { return nil }
        let la = a.split(separator: 0x0A, omittingEmptySubsequences: false)
        let lb = b.split(separator: 0x0A, omittingEmptySubsequences: false)
        for i in 0..<max(la.count, lb.count) {
            let x = i < la.count ? String(decoding: la[i], as: UTF8.self) : "<end of output>"
            let y = i < lb.count ? String(decoding: lb[i], as: UTF8.self) : "<end of output>"
            if x != y { return "first difference at line \(i + 1):\n\(aName): \(x)\n\(bName): \(y)" }
        }
        return "outputs differ in bytes but not by line"
    }

    @Test func scenarioFilesAreFound() {
        #expect(Self.files.contains("samples/scenarios.csv"), "found \(Self.files)")
    }

    /// The tests' own splitter: quoted fields, CRLF and a byte-order mark; adjacent rows of one incident
    /// grouped, a row whose incident-level columns differ starting a re-send, and valid nested JSON out.
    @Test func splitterGroupsRowsAndWritesNestedJSON() throws {
        let text =
            "\u{FEFF}incident_id,occurred_at,victim_id,dash_risk,flags,child_id,child_present\r\n"
            + "A,2026-01-01T10:00:00+00:00,V1,standard,\"weapon;injury\",C1,yes\r\n"
            + "A,2026-01-01T10:00:00+00:00,V1,standard,\"weapon;injury\",\"C,\"\"2\"\"\",\r\n"
            + "\r\n"
            + "A,2026-01-01T10:00:00+00:00,V1,high,\"weapon;injury\",C1,no\r\n"
            + "B,2026-01-02T10:00:00+00:00,V2,medium,,,"
        let csv = ScenarioCSV(bytes: Array(text.utf8))
        #expect(csv.columns.first == "incident_id")
        #expect(csv.groups.map(\.incidentID) == ["A", "A", "B"])
        #expect(csv.groups.map(\.records.count) == [2, 1, 1])
        #expect(csv.groups[0].records[1].fields[5] == "C,\"2\"")
        let tail = String(decoding: csv.csv(groups: 1..<3), as: UTF8.self)
        #expect(
            tail == "incident_id,occurred_at,victim_id,dash_risk,flags,child_id,child_present\r\n"
                + "A,2026-01-01T10:00:00+00:00,V1,high,\"weapon;injury\",C1,no\r\n"
                + "B,2026-01-02T10:00:00+00:00,V2,medium,,,\n")
        let lines = csv.jsonLines().split(separator: 0x0A)
        #expect(lines.count == 3)
        let first = try JSONSerialization.jsonObject(with: Data(lines[0])) as? [String: Any]
        let children = first?["children"] as? [[String: Any]]
        #expect(children?.map { $0["person_id"] as? String } == ["C1", "C,\"2\""])
        #expect(children?.first?["present"] as? Bool == true)
        #expect(first?["flags"] as? [String] == ["weapon", "injury"])
        #expect((first?["victim"] as? [String: Any])?["person_id"] as? String == "V1")
        let last = try JSONSerialization.jsonObject(with: Data(lines[2])) as? [String: Any]
        #expect((last?["children"] as? [Any])?.isEmpty == true)
        #expect(last?["dash_score"] is NSNull)
    }

    @Test(arguments: files) func csvAndJSONLinesGiveByteIdenticalDecisions(file: String) throws {
        let scenario = try ScenarioCSV(contentsOf: Triage.root.appendingPathComponent(file))
        let dir = Triage.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let jsonl = dir.appendingPathComponent("scenarios.jsonl")
        try scenario.jsonLines().write(to: jsonl)
        let fromCSV = try screen(Triage.path(file))
        let fromJSONL = try screen(jsonl.path)
        #expect(!fromCSV.isEmpty)
        if let d = firstDifference(fromCSV, fromJSONL, "csv  ", "jsonl") {
            Issue.record("\(file): csv and jsonl decisions differ, \(d)")
        }
    }

    @Test(arguments: files) func everySplitWithStateEqualsOneRun(file: String) throws {
        let scenario = try ScenarioCSV(contentsOf: Triage.root.appendingPathComponent(file))
        let whole = try screen(Triage.path(file))
        let dir = Triage.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let n = scenario.groups.count
        #expect(n >= 2)
        var failures: [String] = []
        // Every boundary between incidents, and both ends (an empty first or second run).
        for cut in 0...n {
            let first = dir.appendingPathComponent("first-\(cut).csv")
            let second = dir.appendingPathComponent("second-\(cut).csv")
            let state = dir.appendingPathComponent("state-\(cut)")
            try scenario.csv(groups: 0..<cut).write(to: first)
            try scenario.csv(groups: cut..<n).write(to: second)
            var split = try screen(first.path, ["--state", state.path])
            split.append(try screen(second.path, ["--state", state.path]))
            if let d = firstDifference(whole, split, "one run", "split  ") {
                let at = cut < n ? "before incident \(cut + 1) of \(n) ('\(scenario.groups[cut].incidentID)')" : "after the last incident"
                failures.append("split \(at): \(d)")
            }
        }
        if !failures.isEmpty {
            Issue.record("\(file): \(failures.count) of \(n + 1) split points differ; \(failures.prefix(3).joined(separator: "\n"))")
        }
    }

    @Test(arguments: files) func oneDecisionPerIncidentInInputOrder(file: String) throws {
        let scenario = try ScenarioCSV(contentsOf: Triage.root.appendingPathComponent(file))
        let out = try screen(Triage.path(file))
        let lines = out.split(separator: 0x0A)
        let ids = try lines.map { line -> String in
            let object = try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any]
            return object?["incident_id"] as? String ?? "<no incident_id>"
        }
        let expected = scenario.groups.map(\.incidentID)
        #expect(ids.count == expected.count, "\(file): \(ids.count) decisions for \(expected.count) incidents")
        #expect(Set(expected).subtracting(ids).sorted() == [], "\(file): incident ids with no decision")
        #expect(ids == expected, "\(file): decisions not one per incident in input order")
    }
}
