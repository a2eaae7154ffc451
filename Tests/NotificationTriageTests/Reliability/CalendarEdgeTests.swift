import Testing
import _TriageTestSupport

@testable import NotificationTriage

struct EdgeCase: CustomTestStringConvertible, Sendable {
    var name: String
    var occurredAt: String  // as written in an input file
    var rule: DeadlineRule
    var expected: String
    var testDescription: String { name }
}

/// Calendar and clock edge cases, each checked against a hand-worked answer.
@Suite struct CalendarEdgeTests {
    @Test(arguments: [
        EdgeCase(
            name: "01:30 on the autumn night, first time (BST)", occurredAt: "2026-10-25T01:30:00+01:00", rule: .hours(4),
            expected: "2026-10-25T04:30:00+00:00"),
        EdgeCase(
            name: "01:30 on the autumn night, second time (GMT)", occurredAt: "2026-10-25T01:30:00+00:00", rule: .hours(4),
            expected: "2026-10-25T05:30:00+00:00"),
        EdgeCase(
            name: "01:30 on the autumn night without offset reads as the first", occurredAt: "2026-10-25 01:30", rule: .hours(1),
            expected: "2026-10-25T01:30:00+00:00"),
        EdgeCase(
            name: "spreadsheet time in the spring gap", occurredAt: "29/03/2026 01:30", rule: .hours(1),
            expected: "2026-03-29T03:30:00+01:00"),
        EdgeCase(
            name: "23:59:59 Thursday -> school Friday", occurredAt: "2026-03-12T23:59:59+00:00", rule: .nextSchoolDay,
            expected: "2026-03-13T08:30:00+00:00"),
        EdgeCase(
            name: "00:00:00 Friday -> school Friday", occurredAt: "2026-03-13T00:00:00+00:00", rule: .nextSchoolDay,
            expected: "2026-03-13T08:30:00+00:00"),
        EdgeCase(
            name: "offset other than London's (+05:30)", occurredAt: "2026-03-13T06:00:00+05:30", rule: .nextSchoolDay,
            expected: "2026-03-13T08:30:00+00:00"),
        EdgeCase(
            name: "UTC Z in summer is read exactly (07:15Z is 08:15 BST)", occurredAt: "2026-07-10T07:15:00Z", rule: .nextSchoolDay,
            expected: "2026-07-10T08:30:00+01:00"),
        EdgeCase(
            name: "Sunday before the bank-holiday Monday, working day", occurredAt: "2026-08-30T12:00:00+01:00", rule: .workingDays(1),
            expected: "2026-09-01T17:00:00+01:00"),
        EdgeCase(
            name: "Christmas Eve evening, 3 working days", occurredAt: "2026-12-24T19:00:00+00:00", rule: .workingDays(3),
            expected: "2026-12-31T17:00:00+00:00"),
        EdgeCase(
            name: "Friday night, red 4 hours", occurredAt: "2026-03-13T22:00:00+00:00", rule: .hours(4),
            expected: "2026-03-14T02:00:00+00:00"),
    ])
    func deadline(_ c: EdgeCase) throws {
        let policy = Policy.default
        let t = try #require(policy.zone.instant(parsing: c.occurredAt))
        #expect(policy.zone.iso8601(policy.calendar.deadline(c.rule, after: t, zone: policy.zone)) == c.expected)
    }

    @Test func leapDayBirthdayAndDateOfBirthAfterTheIncident() {
        var s = Screener(policy: .default)
        let d1 = s.screen(Build.incident("L1", at: "2025-02-28 10:00", children: [Build.child("C1", dob: "2020-02-29")]))
        #expect(d1.reasons.contains { $0.rule == "under-5" && $0.text == "child aged 4" })
        let d2 = s.screen(
            Build.incident("L2", at: "2025-03-01 10:00", household: "H2", children: [Build.child("C2", dob: "2020-02-29", urn: "1")]))
        #expect(d2.reasons.contains { $0.rule == "encompass" })
        #expect(!d2.reasons.contains { $0.rule == "under-5" })  // 5 on 1 March
        let d3 = s.screen(Build.incident("L3", at: "2025-03-01 10:00", household: "H3", children: [Build.child("C3", dob: "2025-06-01")]))
        #expect(d3.warnings.contains { $0.field == "child_dob" && $0.message.contains("after the incident") })
    }
}
