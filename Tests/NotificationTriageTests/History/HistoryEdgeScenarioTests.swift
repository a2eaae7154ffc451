import Foundation
import Testing
import _TriageTestSupport

@testable import NotificationTriage

/// One scenario of `samples/scenarios.csv` for issue 14 (re-sends and the exact meaning of history): which
/// decision of the file (an incident id and, for a re-send, which version), and what it must say. Every
/// expectation is worked out by hand in the comment beside it, from the default policy and the rows.
struct HistoryEdgeCase: CustomTestStringConvertible, Sendable {
    var item: String
    var id: String
    /// 1 for the first decision with this id in the file, 2 for the second (a re-send).
    var version = 1
    var fires: [String] = []
    var doesNotFire: [String] = []
    var householdIncidents: Int? = nil
    var householdScore: Double? = nil
    var victimIncidents: Int? = nil
    var pairMaracReferrals: Int? = nil
    var duplicate = false
    /// The decision's `supersedes` object as written (nil: `null`).
    var supersedes: String? = nil
    /// Text each warning must contain (and no other warnings).
    var warnings: [String] = []
    var nearMiss: String? = nil
    var occurredAt: String? = nil
    var testDescription: String { "\(item): \(id) v\(version)" }
}

let historyEdgeCases: [HistoryEdgeCase] = [
    // 1. A re-grade reaches history. SC-70 (H70, V70/P70) is sent standard on 2026-01-05 (no route) and re-sent
    // high: marac-high-risk routes it to MARAC, and the decision says what changed.
    HistoryEdgeCase(
        item: "1 re-grade", id: "SC-70", version: 2, fires: ["marac-high-risk"], duplicate: true,
        supersedes: #"{"earlier_version_held":true,"dash_risk":["standard","high"],"routes_added":["marac"]}"#),
    // SC-71, the same pair on 2026-03-05, standard: the pair's earlier incident is the high version, referred to
    // MARAC, so pair.marac_referrals = 1 and marac-repeat fires (it was 0 when history kept the first version).
    HistoryEdgeCase(item: "1 re-grade", id: "SC-71", fires: ["marac-repeat"], pairMaracReferrals: 1),
    // SC-72 (H72, child C72 at a school) sent standard (weight 1), re-sent high with strangulation, weapon,
    // threats to kill and injury: 10 + 5 + 3 + 3 + 2 = 23.
    HistoryEdgeCase(
        item: "1 re-grade", id: "SC-72", version: 2, fires: ["cumulative-risk", "marac-judgement"], householdScore: 23,
        duplicate: true,
        supersedes:
            #"{"earlier_version_held":true,"dash_risk":["standard","high"],"flags_added":["weapon","injury","strangulation","threats_to_kill"],"routes_added":["social_care","marac"]}"#
    ),
    // SC-73 at H72 nine days later, standard with C72: 23 × 0.5^(9/180) + 1 = 23 × 0.96594 + 1 = 23.217 ≥ 20,
    // so cumulative-risk fires (with the first version's weight it was 1 × 0.966 + 1 = 1.97).
    HistoryEdgeCase(
        item: "1 re-grade", id: "SC-73", fires: ["cumulative-risk", "marac-repeat"], householdIncidents: 2,
        householdScore: 23.217),
    // SC-74 sent dated 2025-03-01, re-sent dated 2025-04-01 (the date was wrong): the event moves.
    HistoryEdgeCase(
        item: "1 moved", id: "SC-74", version: 2, duplicate: true,
        supersedes: #"{"earlier_version_held":true,"occurred_at":["2025-03-01T11:00:00+00:00","2025-04-01T11:00:00+01:00"]}"#),
    // SC-75 at H74 on 2026-03-10 with a child present: the moved event is 343 days earlier (the first date
    // would be 374, outside the window), so 2 household incidents and second-incident-early-help fires;
    // score 1 + 0.5^(343/180) = 1 + 0.2670 = 1.267.
    HistoryEdgeCase(
        item: "1 moved", id: "SC-75", fires: ["second-incident-early-help"], householdIncidents: 2, householdScore: 1.267),
    // 2. SC-76: two adjacent rows, the second graded high: read as the incident and its re-send, as two JSON
    // lines would be. The first is standard with C76 at a school (encompass only)...
    HistoryEdgeCase(item: "2 adjacent rows", id: "SC-76", fires: ["encompass"], doesNotFire: ["high-risk-children"]),
    // ... the second high with C76: high-risk-children and marac-high-risk.
    HistoryEdgeCase(
        item: "2 adjacent rows", id: "SC-76", version: 2, fires: ["encompass", "high-risk-children", "marac-high-risk"],
        duplicate: true,
        supersedes: #"{"earlier_version_held":true,"dash_risk":["standard","high"],"routes_added":["social_care","marac"]}"#),
    // 3. SC-78 lists C78 twice, identically: one child, one school route, a warning.
    HistoryEdgeCase(item: "3 child twice", id: "SC-78", fires: ["encompass"], warnings: ["child listed twice"]),
    // 4. SC-79: C79 born 2024-02-29 is 11 months old on 2025-02-28 (the birthday counts on 1 March), with
    // injury: infant-harm fires.
    HistoryEdgeCase(item: "4 29 February", id: "SC-79", fires: ["infant-harm", "under-5"]),
    // SC-80: C80, born the same day, is 12 months old on 2025-03-01: infant-harm does not fire.
    HistoryEdgeCase(item: "4 29 February", id: "SC-80", fires: ["under-5"], doesNotFire: ["infant-harm"]),
    // 5. SC-81 at H81 on 2025-10-25 12:00 BST; SC-82 there on 2026-10-25 12:00 GMT: 365 local days (365 days
    // and an hour elapsed), so 2 household incidents and, with a child present, second-incident-early-help;
    // score 1 + 0.5^(365/180) = 1 + 0.2453 = 1.245.
    HistoryEdgeCase(
        item: "5 calendar days", id: "SC-82", fires: ["second-incident-early-help"], householdIncidents: 2,
        householdScore: 1.245),
    // SC-83 at H83 on 2025-10-24; SC-84 there on 2026-10-25: 366 local days, not counted.
    HistoryEdgeCase(
        item: "5 calendar days", id: "SC-84", doesNotFire: ["second-incident-early-help"], householdIncidents: 1),
    // 6. H85 has SC-85 (2025-02-01), SC-86 (2025-12-01) and SC-87 (2026-03-01). SC-88, dated 2026-01-10,
    // arrives after SC-87 (50 days late, within the 90 allowed): SC-85 is 343 days before it and still held, so
    // 3 household incidents (SC-87 is later, not counted) and repeat-household fires (it counted 2 when
    // history was swept a window behind SC-87).
    HistoryEdgeCase(item: "6 late", id: "SC-88", fires: ["repeat-household"], householdIncidents: 3),
    // SC-89, dated 2026-06-01, arrives after 2026-10-25: 146 days late, more than 90: screened with a warning.
    HistoryEdgeCase(item: "6 late", id: "SC-89", warnings: ["more than 90 days behind the latest incident"]),
    // 7. SC-30 (2025-06-01) re-sent after SC-90 (2026-11-20): its events left history (458 days: the window,
    // 90 late days and 3), but its id is remembered for 730 days: a duplicate whose changes cannot be said.
    HistoryEdgeCase(
        item: "7 old duplicate", id: "SC-30", version: 2, duplicate: true, supersedes: #"{"earlier_version_held":false}"#,
        warnings: ["re-sent after its earlier version left history", "more than 90 days behind"]),
    // SC-91, dated 2024-11-01, is more than 730 days before 2026-11-20: a re-send of it could not be recognised.
    HistoryEdgeCase(
        item: "7 old duplicate", id: "SC-91",
        warnings: ["older than the 730 days incident ids are remembered for", "more than 90 days behind"]),
    // 8. SC-92: C92 has no date of birth and no school: social care (green), "age and education setting
    // unknown".
    HistoryEdgeCase(
        item: "8 unknown child", id: "SC-92", fires: ["unknown-age-and-education"], warnings: ["no date of birth"]),
    // SC-93: no date of birth, but a school: the school is told; the new rule does not fire.
    HistoryEdgeCase(
        item: "8 unknown child", id: "SC-93", fires: ["encompass"], doesNotFire: ["unknown-age-and-education"],
        warnings: ["no date of birth"]),
    // SC-63: date of birth after the incident and no school: treated as no date of birth.
    HistoryEdgeCase(
        item: "8 unknown child", id: "SC-63", fires: ["unknown-age-and-education"],
        warnings: ["date of birth is after the incident"]),
    // 9. H94: SC-94 on 2025-06-10 and SC-95 on 2025-09-01 (with a child): 2 of 3, and the first counts for an
    // incident on 2025-06-10 + 365 days = 2026-06-10 and no later.
    HistoryEdgeCase(
        item: "9 near miss", id: "SC-95", fires: ["encompass"], householdIncidents: 2,
        nearMiss:
            "2 of 3 incidents at this household in 365 days; another on or before 2026-06-10 would refer to social_care"),
    // SC-96 on 2026-06-10 itself: 3 household incidents, repeat-household fires.
    HistoryEdgeCase(item: "9 near miss", id: "SC-96", fires: ["repeat-household"], householdIncidents: 3),
    // 10. V97 with no perpetrator recorded: SC-97 (2026-04-01), SC-98 (04-15), SC-99 (05-01). The third makes
    // victim.incidents 3: marac-victim-repeat. Each warns about the blank perpetrator id.
    HistoryEdgeCase(
        item: "10 no perpetrator", id: "SC-98", doesNotFire: ["marac-victim-repeat"], victimIncidents: 2,
        warnings: ["no perpetrator id"]),
    HistoryEdgeCase(
        item: "10 no perpetrator", id: "SC-99", fires: ["marac-victim-repeat"], victimIncidents: 3,
        warnings: ["no perpetrator id"]),
    // 11. SC-100 at 01:30 with no offset on 2025-10-26, the autumn change night: the first (summer-time)
    // occurrence.
    HistoryEdgeCase(item: "11 times", id: "SC-100", occurredAt: "2025-10-26T01:30:00+01:00"),
    // SC-101 at 01:30 with no offset on 2026-03-29, inside the spring-forward gap: moved forward by the gap.
    HistoryEdgeCase(item: "11 times", id: "SC-101", occurredAt: "2026-03-29T02:30:00+01:00"),
]

@Suite(.serialized) struct HistoryEdgeScenarioTests {
    /// The decisions of `samples/scenarios.csv`, screened once by the built binary, as written.
    static let lines: [String] = {
        guard let r = try? Triage.run(["screen", "samples/scenarios.csv", "--quiet"]) else { return [] }
        return String(decoding: r.stdout, as: UTF8.self).split(separator: "\n").map(String.init)
    }()

    @Test(arguments: historyEdgeCases)
    func scenario(_ c: HistoryEdgeCase) throws {
        let decisions = Self.lines.map { try! JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
        let matching = decisions.indices.filter { decisions[$0]["incident_id"] as? String == c.id }
        try #require(matching.count >= c.version, "\(c.id) has \(matching.count) decisions")
        let i = matching[c.version - 1]
        let d = decisions[i]
        let fired = Set((d["reasons"] as! [[String: Any]]).map { $0["rule"] as! String })
        for r in c.fires { #expect(fired.contains(r), "\(r) should fire; fired \(fired.sorted())") }
        for r in c.doesNotFire { #expect(!fired.contains(r), "\(r) should not fire") }
        let h = d["history"] as! [String: Any]
        if let n = c.householdIncidents { #expect(h["household_incidents"] as? Int == n) }
        if let s = c.householdScore { #expect(abs((h["household_score"] as! Double) - s) < 0.0005, "\(h)") }
        if let n = c.victimIncidents { #expect(h["victim_incidents"] as? Int == n) }
        if let n = c.pairMaracReferrals { #expect(h["pair_marac_referrals"] as? Int == n) }
        #expect(d["duplicate"] as? Bool == c.duplicate)
        let line = Self.lines[i]
        #expect(line.contains("\"supersedes\":\(c.supersedes ?? "null"),"), "\(line)")
        let warnings = (d["warnings"] as! [[String: Any]]).map { $0["message"] as! String }
        #expect(warnings.count == c.warnings.count, "\(warnings)")
        for w in c.warnings { #expect(warnings.contains { $0.contains(w) }, "no warning '\(w)' in \(warnings)") }
        if let near = c.nearMiss {
            #expect((d["near_misses"] as! [[String: Any]]).contains { $0["text"] as? String == near })
        }
        if let at = c.occurredAt { #expect(d["occurred_at"] as? String == at) }
    }

    /// Destination files mark a re-send, so that an agency updates its record rather than logging a new
    /// incident: SC-72's two school rows (C72), the second a re-send; and its MARAC line.
    @Test func destinationFilesMarkReSends() throws {
        let dir = Triage.tempDir().appendingPathComponent("out")
        let r = try Triage.run(["screen", "samples/scenarios.csv", "--quiet", "--out", dir.path])
        #expect(r.status == 0)
        let school = try String(contentsOf: dir.appendingPathComponent("school.csv"), encoding: .utf8)
        let rows = school.split(separator: "\r\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        let header = try #require(rows.first)
        let resend = try #require(header.firstIndex(of: "resend"))
        let id = try #require(header.firstIndex(of: "incident_id"))
        #expect(rows.dropFirst().filter { $0[id] == "SC-72" }.map { $0[resend] } == ["false", "true"])
        let marac = try String(contentsOf: dir.appendingPathComponent("marac.jsonl"), encoding: .utf8)
        let line = try #require(marac.split(separator: "\n").first { $0.contains("\"incident_id\":\"SC-72\"") })
        #expect(line.contains("\"resend\":true"))
    }

    /// Every item of the issue has a scenario in the sample file.
    @Test func everyItemHasAScenario() {
        let items = Set(historyEdgeCases.map { String($0.item.split(separator: " ")[0]) })
        #expect(items == Set((1...11).map { String($0) }))
    }
}
