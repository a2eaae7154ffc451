import Foundation
import Testing

@testable import NotificationTriage

struct BadPolicy: CustomTestStringConvertible, Sendable {
    var name: String
    var text: String
    var expected: String
    var testDescription: String { name }
}

private let head = """
    destinations:
      - {id: social_care, deadline: {hours: 4}, fields: all}
    rules:
      - id: r1
        description: d

    """

@Suite struct PolicyValidationTests {
    @Test(arguments: [
        BadPolicy(
            name: "misspelt fact", text: head + "    when: {fact: houshold.incidents, gte: 3}\n    route: social_care\n",
            expected: "t.yaml:6:18: unknown fact 'houshold.incidents' (did you mean 'household.incidents'?)"),
        BadPolicy(
            name: "misspelt destination", text: head + "    route: social_car\n",
            expected: "t.yaml:6:12: unknown destination 'social_car' (did you mean 'social_care'?)"),
        BadPolicy(
            name: "misspelt top-level key", text: "rulez: []\n",
            expected: "t.yaml:1:1: unknown key 'rulez' in the policy file (did you mean 'rules'?)"),
        BadPolicy(
            name: "child fact in an incident rule", text: head + "    when: {fact: child.age, lt: 5}\n    route: social_care\n",
            expected: "t.yaml:6:18: fact 'child.age' is about one child: the rule needs 'scope: child'"),
        BadPolicy(
            name: "unknown operator", text: head + "    when: {fact: dash_score, gtx: 3}\n    route: social_care\n",
            expected: "t.yaml:6:30: unknown operator 'gtx': expected one of eq, ne, lt, lte, gt, gte, between, in, present, absent, has"),
        BadPolicy(
            name: "text where a number is expected", text: head + "    when: {fact: dash_score, gte: high}\n    route: social_care\n",
            expected: "t.yaml:6:35: fact 'dash_score' is a number: expected a number, found 'high'"),
        BadPolicy(
            name: "misspelt flag", text: head + "    when: {fact: flags, has: strangulaton}\n    route: social_care\n",
            expected: "t.yaml:6:30: unknown flag 'strangulaton' (did you mean 'strangulation'?)"),
        BadPolicy(
            name: "unknown deadline kind", text: "destinations:\n  - {id: social_care, deadline: {days: 4}, fields: all}\n",
            expected: "t.yaml:2:34: unknown deadline kind 'days' for social_care: expected next_school_day, working_days or hours"),
        BadPolicy(
            name: "unsupported version", text: "version: 2\n",
            expected: "t.yaml:1:10: unsupported policy version '2': expected 1"),
        BadPolicy(
            name: "unknown time zone", text: "timezone: Europe/Londn\n",
            expected: "t.yaml:1:11: unknown time zone 'Europe/Londn': expected an IANA name such as 'Europe/London'"),
        BadPolicy(
            name: "bad school start time", text: "calendar: {school_day_start: \"8.30\"}\n",
            expected: "t.yaml:1:30: school_day_start must be a time 'HH:MM' (for example \"08:30\"), found '8.30'"),
        BadPolicy(
            name: "between with low above high", text: head + "    when: {fact: dash_score, between: [9, 3]}\n    route: social_care\n",
            expected: "t.yaml:6:39: 'between' needs [low, high] with low <= high"),
        BadPolicy(
            name: "rule with no route", text: head,
            expected: "t.yaml:4:5: rule 'r1' needs a 'route' (a destination or a list)"),
        BadPolicy(
            name: "per-priority destination, rule without priority",
            text: "destinations:\n  - {id: sc, deadline: {red: {hours: 4}}, fields: all}\nrules:\n  - {id: r, description: d, route: sc}\n",
            expected:
                "t.yaml:4:36: destination 'sc' has no deadline for a rule without a priority; give the rule a priority or the destination a default deadline"
        ),
        BadPolicy(
            name: "unknown field for a destination",
            text: "destinations:\n  - {id: school, deadline: next_school_day, fields: [child_nme]}\n",
            expected: "t.yaml:2:54: unknown field 'child_nme' for destination 'school' (did you mean 'child_name'?)"),
        BadPolicy(
            name: "bad bank holiday", text: "calendar:\n  bank_holidays: [2026-02-30]\n",
            expected: "t.yaml:2:19: bank holiday must be a date YYYY-MM-DD, found '2026-02-30'"),
        BadPolicy(
            name: "has on a number fact", text: head + "    when: {fact: dash_score, has: weapon}\n    route: social_care\n",
            expected: "t.yaml:6:30: 'has' works only with the fact 'flags', not 'dash_score'"),
    ])
    func malformed(_ c: BadPolicy) {
        do {
            _ = try Policy(yaml: c.text, source: "t.yaml")
            Issue.record("expected an error")
        } catch {
            #expect(error.errors.first?.description == c.expected, "all: \(error.errors.map(\.description))")
        }
    }

    @Test func everyProblemIsReported() {
        let text = "version: 3\nname: n\ntimezone: Mars/Base\nrulez: []\n"
        do {
            _ = try Policy(yaml: text, source: "t.yaml")
            Issue.record("expected errors")
        } catch {
            // The three above, then the missing 'destinations' and 'rules'.
            #expect(error.errors.count == 5)
        }
    }

    /// An empty file is refused rather than read as a policy that screens everything out; the optional
    /// sections take their defaults.
    @Test func emptyFileIsRefusedAndOptionalSectionsDefault() throws {
        #expect(throws: PolicyErrors.self) { _ = try Policy(yaml: "", source: "empty.yaml") }
        let minimal = """
            version: 1
            name: minimal
            destinations:
              - {id: sc, deadline: {hours: 4}, fields: all}
            rules:
              - {id: r, description: d, route: sc}

            """
        let p = try Policy(yaml: minimal, source: "minimal.yaml")
        #expect(p.zone.identifier == "Europe/London")
        #expect(p.calendar.schoolDayStart == 8 * 3600 + 30 * 60)
        #expect(p.calendar.workingDayEnd == 17 * 3600)
        #expect(p.history.windowDays == 365)
        #expect(p.history.halfLifeDays == 180)
        #expect(p.ruleIDs == ["r"])
        #expect(p.destinationIDs == ["sc"])
    }

    @Test func builtInPolicyIsTheShippedFile() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let file = try String(contentsOf: root.appendingPathComponent("thresholds.yaml"), encoding: .utf8)
        #expect(file == Policy.defaultText)
        let fromFile = try Policy(yaml: file, source: "thresholds.yaml")
        #expect(fromFile.hash == Policy.default.hash)
        #expect(fromFile.ruleIDs == Policy.default.ruleIDs)
    }

    @Test func defaultPolicyHasTheSpecifiedRulesAndDestinations() {
        let p = Policy.default
        #expect(p.destinationIDs == ["school", "education_officer", "health_visitor", "midwifery", "social_care", "marac"])
        #expect(p.ruleIDs.count == 24)
        #expect(p.calendar.bankHolidays.count == 24)
        #expect(p.fields(for: "school")?.contains("perpetrator_name") == false)
        #expect(p.fields(for: "school")?.contains("flags") == false)
        // The extended pack fields are never the default for a school (issue 17, item 5).
        for extended in ["location", "circumstances", "child_voice"] {
            #expect(p.fields(for: "school")?.contains(extended) == false)
            #expect(p.fields(for: "education_officer")?.contains(extended) == false)
        }
    }

    @Test func explanationHasOneLinePerRule() {
        let text = Policy.default.explanation
        for id in Policy.default.ruleIDs { #expect(text.contains("  \(id): ")) }
    }
}
