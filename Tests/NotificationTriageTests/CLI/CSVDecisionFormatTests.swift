import Foundation
import Testing
import _TriageTestSupport

/// `--format csv`: one row per route with the reasons of its rules, and a screened-out row with its reason,
/// checked against the JSON Lines decisions of the same run.
@Suite struct CSVDecisionFormatTests {
    @Test func csvRowsCarryTheirReasonsAndTheScreenedOutReason() throws {
        let csv = try Triage.run(["screen", "samples/scenarios.csv", "--quiet", "--format", "csv"])
        let json = try Triage.run(["screen", "samples/scenarios.csv", "--quiet"])
        #expect(csv.status == json.status)
        let rows = SchoolPackTests.rows(csv.out)
        let header = rows[0]
        #expect(header.suffix(3) == ["rules", "reasons", "screened_out_reason"])
        #expect(rows.allSatisfy { $0.count == header.count })
        let col = { (name: String) in header.firstIndex(of: name)! }
        var expected: [String] = []
        for line in json.out.split(separator: "\n") {
            let d = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let id = d["incident_id"] as! String
            let routes = d["routes"] as! [[String: Any]]
            let reasons = d["reasons"] as! [[String: Any]]
            if routes.isEmpty {
                expected.append("\(id)||\(d["screened_out_reason"] as? String ?? "")")
            }
            for r in routes {
                let rules = r["rules"] as! [String]
                let child = r["child_id"] as? String
                let texts = reasons.filter { reason in
                    rules.contains(reason["rule"] as! String)
                        && (reason["child_id"] is NSNull || reason["child_id"] as? String == child)
                }.map { $0["text"] as! String }
                expected.append("\(id)|\(texts.joined(separator: " | "))|")
            }
        }
        let got = rows.dropFirst().map { "\($0[col("incident_id")])|\($0[col("reasons")])|\($0[col("screened_out_reason")])" }
        #expect(got.count == expected.count)
        #expect(got == expected)
    }
}
