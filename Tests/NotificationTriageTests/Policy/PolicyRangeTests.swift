import Foundation
import Testing
import _TriageTestSupport

@testable import NotificationTriage
@testable import TriageSynthesis

/// A policy text and the first error it must give (`file:line:col: message`).
struct RefusedPolicy: CustomTestStringConvertible, Sendable {
    var name: String
    var text: String
    var expected: String
    var testDescription: String { name }
}

/// The head of a policy with every required key, for cases that change one number.
private let top = "version: 1\nname: t\n"
private let oneDestination = "destinations:\n  - {id: sc, deadline: {hours: 4}, fields: all}\n"
private let oneRule = "rules:\n  - {id: r, description: d, route: sc}\n"

/// A valid policy with `history` set to `history`.
private func withHistory(_ history: String) -> String { top + "history:\n" + history + oneDestination + oneRule }

/// A valid policy whose one destination has `deadline`.
private func withDeadline(_ deadline: String) -> String {
    top + "destinations:\n  - {id: sc, deadline: \(deadline), fields: all}\n" + oneRule
}

/// A valid policy whose one rule has `when`.
private func withCondition(_ when: String) -> String {
    top + oneDestination + "rules:\n  - {id: r, description: d, when: \(when), route: sc}\n"
}

/// The shipped policy cut just before its `rules:` line.
private let cutBeforeRules = String(Policy.defaultText[..<Policy.defaultText.range(of: "\nrules:")!.lowerBound]) + "\n"

@Suite struct PolicyRangeTests {
    // MARK: required keys (issue 13, item 2)

    @Test(arguments: [
        RefusedPolicy(
            name: "empty file", text: "",
            expected: "t.yaml:1: the policy file has no 'version': expected 'version: 1'"),
        RefusedPolicy(
            name: "only comments", text: "# a policy\n\n",
            expected: "t.yaml:1: the policy file has no 'version': expected 'version: 1'"),
        RefusedPolicy(
            name: "cut before rules", text: cutBeforeRules,
            expected: "t.yaml:1: the policy file has no 'rules': expected a list of at least one rule"),
        RefusedPolicy(
            name: "empty rules", text: top + oneDestination + "rules: []\n",
            expected: "t.yaml:5:1: the policy routes nothing: 'rules' must list at least one rule with a route"),
        RefusedPolicy(
            name: "rules with nothing under them", text: top + oneDestination + "rules:\n",
            expected: "t.yaml:5:1: the policy routes nothing: 'rules' must list at least one rule with a route"),
        RefusedPolicy(
            name: "no version", text: "name: t\n" + oneDestination + oneRule,
            expected: "t.yaml:1: the policy file has no 'version': expected 'version: 1'"),
        RefusedPolicy(
            name: "no name", text: "version: 1\n" + oneDestination + oneRule,
            expected: "t.yaml:1: the policy file has no 'name': expected a short name such as 'name: default-england'"),
        RefusedPolicy(
            name: "no destinations", text: top + oneRule,
            expected: "t.yaml:4:36: unknown destination 'sc'"),
        RefusedPolicy(
            name: "empty destinations", text: top + "destinations: []\nrules: []\n",
            expected: "t.yaml:3:15: 'destinations' must list at least one destination"),
        RefusedPolicy(
            name: "empty route", text: top + oneDestination + "rules:\n  - {id: r, description: d, route: []}\n",
            expected: "t.yaml:6:36: rule 'r' routes nowhere: 'route' must name at least one destination"),
    ])
    func requiredKeys(_ c: RefusedPolicy) {
        expectRefused(c)
    }

    @Test func missingDestinationsIsNamed() {
        do {
            _ = try Policy(yaml: top + oneRule, source: "t.yaml")
            Issue.record("expected an error")
        } catch {
            let all = error.errors.map(\.description)
            #expect(all.contains("t.yaml:1: the policy file has no 'destinations': expected a list of at least one destination"))
        }
    }

    /// The issue's case: an empty or truncated `thresholds.yaml` in the working directory made `screen`
    /// screen every incident out with exit 0. Now `validate` and `screen` both refuse it with exit 2.
    @Test(arguments: [
        ("empty", ""), ("cut before rules", cutBeforeRules), ("no rules", top + oneDestination + "rules: []\n"),
    ])
    func cliRefusesAPolicyThatRoutesNothing(name: String, text: String) throws {
        let dir = Triage.tempDir()
        try text.write(to: dir.appendingPathComponent("thresholds.yaml"), atomically: true, encoding: .utf8)
        let v = try Triage.run(["validate"], in: dir)
        #expect(v.status == 2, "\(name)")
        #expect(v.stderr.contains("thresholds.yaml:"), "\(name): \(v.stderr)")
        let s = try Triage.run(["screen", Triage.path("samples/scenarios.csv")], in: dir)
        #expect(s.status == 2, "\(name)")
        #expect(s.stdout.isEmpty)
    }

    @Test(arguments: ["thresholds.yaml", "samples/candidate-thresholds.yaml"])
    func shippedPoliciesValidate(path: String) throws {
        let text = try String(contentsOfFile: Triage.path(path), encoding: .utf8)
        let p = try Policy(yaml: text, source: path)
        #expect(!p.ruleIDs.isEmpty)
        #expect(Policy.default.ruleIDs.count == 24)
    }

    // MARK: ranges (issue 13, item 3)

    @Test(arguments: [
        RefusedPolicy(
            name: "window of ten billion days", text: withHistory("  window_days: 10000000000\n"),
            expected: "t.yaml:4:16: window_days must be between 1 and 3653, found 10000000000"),
        RefusedPolicy(
            name: "window past ten years", text: withHistory("  window_days: 3654\n"),
            expected: "t.yaml:4:16: window_days must be between 1 and 3653, found 3654"),
        RefusedPolicy(
            name: "window too large for an integer", text: withHistory("  window_days: 99999999999999999999999\n"),
            expected: "t.yaml:4:16: window_days must be a whole number, found '99999999999999999999999'"),
        RefusedPolicy(
            name: "lateness allowance past ten years", text: withHistory("  late_days: 3654\n"),
            expected: "t.yaml:4:14: late_days must be between 0 and 3653, found 3654"),
        RefusedPolicy(
            name: "ids remembered for less than the window", text: withHistory("  remember_ids_days: 300\n"),
            expected: "t.yaml:4:22: remember_ids_days must be at least window_days (365), found 300"),
        RefusedPolicy(
            name: "ids remembered past twenty years", text: withHistory("  remember_ids_days: 7307\n"),
            expected: "t.yaml:4:22: remember_ids_days must be between 1 and 7306, found 7307"),
        RefusedPolicy(
            name: "zero half-life", text: withHistory("  half_life_days: 0\n"),
            expected: "t.yaml:4:19: half_life_days must be more than 0 and at most window_days (365), found 0"),
        RefusedPolicy(
            name: "half-life longer than the window", text: withHistory("  window_days: 30\n  half_life_days: 31\n"),
            expected: "t.yaml:5:19: half_life_days must be more than 0 and at most window_days (30), found 31"),
        RefusedPolicy(
            name: "quoted half-life with a space", text: withHistory("  half_life_days: \"1 80\"\n"),
            expected: "t.yaml:4:19: half_life_days must be a number, found a 4-character text"),
        RefusedPolicy(
            name: "half-life of a long number", text: withHistory("  half_life_days: 1000000000000000000000.5\n"),
            expected: "t.yaml:4:19: half_life_days must be more than 0 and at most window_days (365), found a 24-character text"),
        RefusedPolicy(
            name: "negative near-miss margin", text: withHistory("  near_miss_score_margin: -1\n"),
            expected: "t.yaml:4:27: near_miss_score_margin must be between 0 and 1000, found -1"),
        RefusedPolicy(
            name: "negative grading weight", text: withHistory("  weights: {dash_risk: {high: -10}}\n"),
            expected: "t.yaml:4:31: weight 'high' must be between 0 and 1000, found -10"),
        RefusedPolicy(
            name: "huge flag weight", text: withHistory("  weights: {flags: {weapon: 1000000}}\n"),
            expected: "t.yaml:4:29: weight 'weapon' must be between 0 and 1000, found 1000000"),
        RefusedPolicy(
            name: "weight that is not finite",
            text: withHistory("  weights: {flags: {weapon: 1\(String(repeating: "0", count: 400))}}\n"),
            expected: "t.yaml:4:29: weight 'weapon' must be between 0 and 1000, found a 401-digit number"),
        RefusedPolicy(
            name: "hours that overflow", text: withDeadline("{hours: 2562047788015215}"),
            expected: "t.yaml:4:32: hours must be between 1 and 8760, found 2562047788015215"),
        RefusedPolicy(
            name: "hours past a year", text: withDeadline("{hours: 8761}"),
            expected: "t.yaml:4:32: hours must be between 1 and 8760, found 8761"),
        RefusedPolicy(
            name: "working days past a year", text: withDeadline("{working_days: 100000000}"),
            expected: "t.yaml:4:39: working_days must be between 1 and 260, found 100000000"),
        RefusedPolicy(
            name: "working days per priority", text: withDeadline("{red: {working_days: 261}}"),
            expected: "t.yaml:4:45: working_days must be between 1 and 260, found 261"),
        RefusedPolicy(
            name: "threshold beyond any score", text: withCondition("{fact: household.score, gte: 1e300}"),
            expected: "t.yaml:6:64: fact 'household.score' is a number: expected a number, found '1e300'"),
        RefusedPolicy(
            name: "huge count threshold",
            text: withCondition("{fact: household.incidents, gt: 99999999999999999999}"),
            expected: "t.yaml:6:67: household.incidents must be compared with a number between 0 and 1000000, found 99999999999999999999"),
        RefusedPolicy(
            name: "threshold that is not finite",
            text: withCondition("{fact: household.score, gte: 1\(String(repeating: "0", count: 400))}"),
            expected: "t.yaml:6:64: household.score must be compared with a number between 0 and 1000000000, found a 401-digit number"),
        RefusedPolicy(
            name: "negative DASH score", text: withCondition("{fact: dash_score, between: [-5, 3]}"),
            expected: "t.yaml:6:64: dash_score must be compared with a number between 0 and 100, found -5"),
        RefusedPolicy(
            name: "age of a thousand", text: withCondition("{fact: victim.age, lt: 1000}"),
            expected: "t.yaml:6:58: victim.age must be compared with a number between 0 and 150, found 1000"),
        RefusedPolicy(
            name: "school closure of many years",
            text: top + "calendar:\n  school_closures:\n    - {from: 2000-01-01, to: 2099-12-31}\n" + oneDestination + oneRule,
            expected: "t.yaml:5:7: a school closure must last at most 366 days, found 36525 days"),
    ])
    func absurdNumbers(_ c: RefusedPolicy) {
        expectRefused(c)
    }

    /// A refused deadline is one error, not one more for every rule routed to its destination.
    @Test func aRefusedDeadlineIsReportedOnce() {
        let text =
            top + "destinations:\n  - {id: sc, deadline: {red: {hours: 99999}}, fields: all}\n" + "rules:\n"
            + "  - {id: a, description: d, route: sc, priority: red}\n  - {id: b, description: d, route: sc, priority: red}\n"
        do {
            _ = try Policy(yaml: text, source: "t.yaml")
            Issue.record("expected an error")
        } catch {
            #expect(error.errors.map(\.description) == ["t.yaml:4:38: hours must be between 1 and 8760, found 99999"])
        }
    }

    /// The extremes of every accepted range validate, and screening with them neither traps nor gives a
    /// deadline before the incident or more than the range allows after it.
    @Test(arguments: Self.extremes)
    func extremePoliciesScreenSafely(_ c: ExtremePolicy) throws {
        let policy = try Policy(yaml: c.text, source: "extreme.yaml")
        var screener = Screener(policy: policy)
        var routed = 0
        let encoder = DecisionEncoder(policy: policy)
        var out: [UInt8] = []
        for incident in generate(GeneratorOptions(incidents: 400, seed: 13, years: 2)) {
            let t = incident.occurredAt.seconds
            let d = screener.screen(incident)
            for r in d.routes {
                routed += 1
                #expect(r.notifyBy.seconds >= t)
                #expect(r.notifyBy.seconds - t <= c.maxDeadlineSeconds)
            }
            #expect(d.history.householdScore.isFinite)
            encoder.appendJSONLine(d, to: &out)
        }
        #expect(routed > 0)
        #expect(!out.isEmpty)
    }

    static let extremes: [ExtremePolicy] = {
        let day: Int64 = 86_400
        let everyFact = """
                when:
                  any:
                    - {fact: household.score, gte: 1000000000}
                    - {fact: victim.score, gt: 0}
                    - {fact: household.incidents, gte: 1000000}
                    - {fact: pair.incidents, gt: 0}
                    - {fact: dash_score, between: [0, 100]}
                    - {fact: victim.age, lte: 150}
                    - {fact: children, gte: 0}

            """
        func policy(_ history: String, deadline: String, calendar: String = "") -> String {
            top + calendar + "history:\n" + history + "destinations:\n  - {id: sc, deadline: \(deadline), fields: all}\n"
                + "rules:\n  - id: r\n    description: d\n" + everyFact + "    route: sc\n"
        }
        let maxWeights = """
              weights:
                dash_risk: {standard: 1000, medium: 1000, high: 1000}
                flags: {\(RiskFlags.named.map { "\($0.name): 1000" }.joined(separator: ", "))}

            """
        let zeroWeights = """
              weights:
                dash_risk: {standard: 0, medium: 0, high: 0}
                flags: {}

            """
        return [
            ExtremePolicy(
                name: "longest window, half-life and hours, largest weights",
                text: policy(
                    "  window_days: 3653\n  half_life_days: 3653\n  near_miss_score_margin: 1000\n" + maxWeights,
                    deadline: "{hours: 8760}"),
                maxDeadlineSeconds: 8_760 * 3_600),
            ExtremePolicy(
                name: "most working days, one working day a week",
                text: policy(
                    "  window_days: 3653\n  half_life_days: 0.001\n" + maxWeights, deadline: "{working_days: 260}",
                    calendar: "calendar:\n  working_days: [sun]\n"),
                maxDeadlineSeconds: (260 * 7 + 14) * day),
            ExtremePolicy(
                name: "shortest window, zero weights and margin",
                text: policy(
                    "  window_days: 1\n  half_life_days: 1\n  near_miss_score_margin: 0\n" + zeroWeights,
                    deadline: "{hours: 1}"),
                maxDeadlineSeconds: 3_600),
            ExtremePolicy(
                name: "next school day with long closures",
                text: policy(
                    "  window_days: 3653\n", deadline: "next_school_day",
                    calendar:
                        "calendar:\n  school_days: [sat]\n  school_closures:\n    - {from: 2024-01-01, to: 2024-12-31}\n"
                        + "    - {from: 2025-01-01, to: 2026-01-01}\n    - {from: 2026-01-02, to: 2027-01-02}\n"),
                maxDeadlineSeconds: 1_100 * day),
        ]
    }()

    private func expectRefused(_ c: RefusedPolicy) {
        do {
            _ = try Policy(yaml: c.text, source: "t.yaml")
            Issue.record("expected an error")
        } catch {
            #expect(error.errors.first?.description == c.expected, "all: \(error.errors.map(\.description))")
        }
    }
}

/// A policy at the edges of the accepted ranges, and the latest a deadline may fall after its incident.
struct ExtremePolicy: CustomTestStringConvertible, Sendable {
    var name: String
    var text: String
    var maxDeadlineSeconds: Int64
    var testDescription: String { name }
}
