import Testing
import _TriageTestSupport

@testable import NotificationTriage

struct DeadlineCase: CustomTestStringConvertible, Sendable {
    var name: String
    var incident: String  // local London time
    var rule: DeadlineRule
    var expected: String  // ISO 8601 with offset
    var testDescription: String { name }
}

@Suite struct DeadlineTests {
    @Test(arguments: [
        DeadlineCase(
            name: "02:00 Tuesday -> 08:30 Tuesday", incident: "2026-03-10 02:00", rule: .nextSchoolDay,
            expected: "2026-03-10T08:30:00+00:00"),
        DeadlineCase(
            name: "10:00 Tuesday -> 08:30 Wednesday", incident: "2026-03-10 10:00", rule: .nextSchoolDay,
            expected: "2026-03-11T08:30:00+00:00"),
        DeadlineCase(
            name: "08:30 exactly -> next day (strictly after)", incident: "2026-03-10 08:30", rule: .nextSchoolDay,
            expected: "2026-03-11T08:30:00+00:00"),
        DeadlineCase(
            name: "22:00 Friday -> 08:30 Monday", incident: "2026-03-13 22:00", rule: .nextSchoolDay, expected: "2026-03-16T08:30:00+00:00"),
        DeadlineCase(
            name: "Sunday before bank-holiday Monday -> Tuesday", incident: "2026-05-03 15:00", rule: .nextSchoolDay,
            expected: "2026-05-05T08:30:00+01:00"),
        DeadlineCase(
            name: "Christmas Eve -> after Boxing Day substitute and New Year", incident: "2026-12-24 20:00", rule: .nextSchoolDay,
            expected: "2026-12-29T08:30:00+00:00"),
        DeadlineCase(
            name: "Saturday night before the spring clock change -> Monday in summer time", incident: "2026-03-28 23:30",
            rule: .nextSchoolDay, expected: "2026-03-30T08:30:00+01:00"),
        DeadlineCase(
            name: "Friday incident -> end of Monday", incident: "2026-03-13 22:00", rule: .workingDays(1),
            expected: "2026-03-16T17:00:00+00:00"),
        DeadlineCase(
            name: "3 working days over Easter", incident: "2026-04-02 10:00", rule: .workingDays(3), expected: "2026-04-09T17:00:00+01:00"),
        DeadlineCase(
            name: "23:59 Thursday -> end of Friday", incident: "2026-03-12 23:59", rule: .workingDays(1),
            expected: "2026-03-13T17:00:00+00:00"),
        DeadlineCase(
            name: "00:00 Thursday -> end of Friday", incident: "2026-03-12 00:00", rule: .workingDays(1),
            expected: "2026-03-13T17:00:00+00:00"),
        DeadlineCase(
            name: "4 hours across the spring change", incident: "2026-03-29 00:30", rule: .hours(4), expected: "2026-03-29T05:30:00+01:00"),
        DeadlineCase(
            name: "4 hours across the autumn change", incident: "2026-10-25 00:30", rule: .hours(4), expected: "2026-10-25T03:30:00+00:00"),
    ])
    func deadline(_ c: DeadlineCase) {
        let policy = Policy.default
        let t = Build.at(c.incident)
        let d = policy.calendar.deadline(c.rule, after: t, zone: policy.zone)
        #expect(policy.zone.iso8601(d) == c.expected)
    }

    @Test func schoolClosureRangeIsSkipped() throws {
        let text = Policy.defaultText.replacingOccurrences(
            of: "  school_closures: []", with: "  school_closures:\n    - {from: 2026-03-16, to: 2026-03-20}\n    - 2026-03-23")
        let policy = try Policy(yaml: text, source: "t.yaml")
        let d = policy.calendar.deadline(.nextSchoolDay, after: Build.at("2026-03-13 22:00"), zone: policy.zone)
        #expect(policy.zone.iso8601(d) == "2026-03-24T08:30:00+00:00")
    }
}
