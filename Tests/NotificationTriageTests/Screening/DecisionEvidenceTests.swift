import Foundation
import Testing
import _TriageTestSupport

@testable import NotificationTriage

/// A decision keeps the evidence its reasons are worded from, and words them when read: what it says must not
/// depend on when it is read, however far history has moved on since.
@Suite struct DecisionEvidenceTests {
    /// Three incidents at one household (the third is a repeat), then more at the same household and a re-send
    /// of the first: the third's reasons and near misses read the same before and after, and name the dates
    /// of the three incidents it counted.
    @Test(arguments: [false, true])
    func reasonsReadLaterSayWhatTheySaidWhenScreened(readThroughJSON: Bool) {
        var screener = Screener(policy: .default)
        let kids = [Build.child("C1", dob: "2019-04-01", present: true, urn: "100001"), Build.child("C2", dob: "2025-06-01")]
        let times = ["2026-01-10 21:00", "2026-02-14 22:30", "2026-03-20 23:15"]
        var decisions: [Decision] = []
        for (i, t) in times.enumerated() {
            decisions.append(screener.screen(Build.incident("I\(i)", at: t, children: kids)))
        }
        let third = decisions[2]
        let encoder = DecisionEncoder(policy: .default)
        func said(_ d: Decision) -> [String] {
            readThroughJSON
                ? [encoder.jsonLine(d)]
                : d.reasons.map { "\($0.rule)|\($0.childID ?? "-")|\($0.text)" }
                    + d.nearMisses.map { "near|\($0.rule)|\($0.childID ?? "-")|\($0.text)" }
        }
        let before = said(third)
        #expect(third.reasons.contains { $0.rule == "repeat-household" })
        let repeatText = third.reasons.first { $0.rule == "repeat-household" }?.text ?? ""
        // The dates counted, written here from the incidents' own local times.
        for t in times { #expect(repeatText.contains(String(t.prefix(10)))) }

        // History moves on: later incidents at the household, and the first re-sent a day later and graded high
        // (its new version replaces the old in history, so a reason read from history now would say 11 January).
        for (i, t) in ["2026-04-02 20:00", "2026-05-09 19:00", "2026-06-30 18:00"].enumerated() {
            _ = screener.screen(Build.incident("L\(i)", at: t, children: kids))
        }
        _ = screener.screen(Build.incident("I0", at: "2026-01-11 21:00", risk: .high, children: kids))
        #expect(said(third) == before)
    }

    /// The encoder's reasons and near misses (worded straight into the line) are the decision's own, as
    /// `reasons` and `nearMisses` word them, in the same order.
    @Test func theEncoderWordsWhatTheDecisionSays() throws {
        var screener = Screener(policy: .default)
        let kids = [Build.child("C1", dob: "2012-04-01", present: true, urn: "100001"), Build.child("C2", dob: "2024-06-01")]
        var lines: [(Decision, String)] = []
        for (i, t) in ["2026-01-10 21:00", "2026-02-14 22:30", "2026-03-20 23:15", "2026-03-21 01:00"]
            .enumerated()
        {
            let d = screener.screen(Build.incident("I\(i)", at: t, risk: i == 3 ? .high : .medium, score: 9 + i, children: kids))
            lines.append((d, DecisionEncoder(policy: .default).jsonLine(d)))
        }
        for (d, line) in lines {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let reasons = try #require(object["reasons"] as? [[String: Any]])
            let near = try #require(object["near_misses"] as? [[String: Any]])
            #expect(reasons.map { $0["rule"] as? String } == d.reasons.map(\.rule))
            #expect(reasons.map { $0["text"] as? String } == d.reasons.map(\.text))
            #expect(reasons.map { $0["child_id"] as? String } == d.reasons.map(\.childID))
            #expect(near.map { $0["text"] as? String } == d.nearMisses.map(\.text))
        }
        #expect(lines.contains { !$0.0.nearMisses.isEmpty })
        #expect(lines.contains { $0.0.reasons.contains { $0.childID != nil } })
    }

    /// The firings listed without wording (what `compare` tells changes apart by) are the rules and children
    /// of the worded reasons, in their order.
    @Test func firingsAreTheReasonsRulesAndChildren() {
        var screener = Screener(policy: .default)
        let kids = [Build.child("C1", dob: "2012-04-01", present: true, urn: "100001"), Build.child("C2", dob: "2024-06-01")]
        var seen = 0
        for (i, t) in ["2026-01-10 21:00", "2026-02-14 22:30", "2026-03-20 23:15", "2026-03-21 01:00"].enumerated() {
            let d = screener.screen(Build.incident("F\(i)", at: t, risk: i == 3 ? .high : .medium, score: 9 + i, children: kids))
            var firings: [String] = []
            let ids = Policy.default.ruleIDs
            d.forEachFiredRuleAndChild { rule, child in
                firings.append(ids[rule] + "|" + (child < 0 ? "-" : d.incident.children[child].personID))
            }
            #expect(firings == d.reasons.map { $0.rule + "|" + ($0.childID ?? "-") })
            seen += firings.count
        }
        #expect(seen > 4)
    }

    /// A reason that quotes the policy's own text (a rule with no condition is explained by its description)
    /// is escaped when that text needs it, and copied as it is when the policy's texts are all plain.
    @Test(arguments: [#"told "at once" \ by phone"#, "told at once by phone"])
    func aDescriptionThatNeedsEscapingIsEscaped(_ description: String) throws {
        let yaml = """
            version: 1
            name: escapes
            destinations:
              - {id: social_care, deadline: {working_days: 1}, fields: all}
            rules:
              - id: always
                description: '\(description)'
                route: social_care
            """
        let policy = try Policy(yaml: yaml, source: "escapes.yaml")
        var screener = Screener(policy: policy)
        let d = screener.screen(Build.incident("E1", at: "2026-02-02 10:00"))
        #expect(d.reasons.map(\.text) == [description])
        let line = DecisionEncoder(policy: policy).jsonLine(d)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        let reasons = try #require(object["reasons"] as? [[String: Any]])
        #expect(reasons.map { $0["text"] as? String } == [description])
        #expect(policy.storage.plainWords == !description.contains("\""))
    }
}
