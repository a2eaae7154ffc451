import Foundation
import Testing
import _TriageTestSupport

/// Nothing is lost, checked from outside: a generated file gets stray quotes opened in some of its rows
/// (as `sed -i 'Ns/^\(\([^,]*,\)\{6\}\)/\1"/'` does), and `triage screen` must reject exactly the incidents
/// those rows belong to and screen every other incident, with its summary's line counts equal to counts
/// made here by a plain comma split of the file (which holds no other quotes).
@Suite struct LineAccountingTests {
    @Test(arguments: [[2], [2, 500, 501, 7_777], Array(stride(from: 40, to: 12_000, by: 997))])
    func strayQuotesLoseOnlyTheirIncidents(_ damagedRows: [Int]) throws {
        let dir = Triage.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("in.csv")
        try Triage.run(["generate", "--incidents", "10000", "--seed", "5", "--output", file.path])
        var lines = try String(contentsOf: file, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
            .map(String.init)
        if lines.last == "" { lines.removeLast() }
        #expect(!lines.joined().contains("\""), "the generated file has no quotes of its own")
        // The oracle: incident ids by line, and the incidents a damaged line belongs to.
        let ids = lines.map { String($0.prefix { $0 != "," }) }
        let damagedIDs = Set(damagedRows.map { ids[$0 - 1] })
        for row in damagedRows {
            var fields = lines[row - 1].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            fields[6] = "\"" + fields[6]
            lines[row - 1] = fields.joined(separator: ",")
        }
        try (lines.joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)
        let data = lines.dropFirst()
        let rejectedLines = data.filter { damagedIDs.contains(String($0.prefix { $0 != "," })) }.count
        let screenedIDs = Set(ids.dropFirst()).subtracting(damagedIDs)

        let summaryFile = dir.appendingPathComponent("summary.json")
        let rejectsFile = dir.appendingPathComponent("rejects.jsonl")
        let r = try Triage.run([
            "screen", file.path, "--thresholds", Triage.path("thresholds.yaml"), "--quiet",
            "--summary", summaryFile.path, "--rejects", rejectsFile.path,
        ])
        #expect(r.status == 3)
        let decisions = r.out.split(separator: "\n").compactMap {
            (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any]
        }
        // Re-sent ids are screened again: count distinct ids against distinct ids.
        #expect(Set(decisions.compactMap { $0["incident_id"] as? String }) == screenedIDs)
        let rejects = try String(contentsOf: rejectsFile, encoding: .utf8).split(separator: "\n")
        #expect(rejects.count == damagedIDs.count)
        let summary = try #require(
            JSONSerialization.jsonObject(with: Data(contentsOf: summaryFile)) as? [String: Any])
        let counts = try #require(summary["lines"] as? [String: Int])
        #expect(counts["read"] == lines.count)
        #expect(counts["rejected"] == rejectedLines)
        #expect(counts["screened"] == data.count - rejectedLines)
        #expect(counts["header_or_blank"] == 1)
        #expect(summary["rejected"] as? Int == damagedIDs.count)
    }
}
