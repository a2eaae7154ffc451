import Foundation
import Testing
import _TriageTestSupport

/// Every `samples/scenarios*.csv` (found at test time, so files added later are covered) screened end to end
/// by the built `triage`: its CSV and JSON Lines versions give byte-identical decisions, a run split with
/// `--state` at any incident boundary equals one run, and there is one decision per incident in input order.
/// The JSON Lines version and the incident boundaries come from the tests' own splitter (`ScenarioCSV`), not
/// from the product's readers.
@Suite(.serialized) struct ScenarioFormatTests: ScreenChecks {
    static let files = ScenarioCSV.sampleFiles()

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
