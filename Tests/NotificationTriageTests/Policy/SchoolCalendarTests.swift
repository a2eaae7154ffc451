import Foundation
import NotificationTriage
import Testing
import _TriageTestSupport

/// `calendar: school_calendars: {URN or LA code: FILE}`: a school's deadline follows its own term dates,
/// else its authority's, else the policy's.
@Suite struct SchoolCalendarTests {
    /// A policy in a directory of its own with an INSET day (Monday 9 March 2026) for school 136945 and a
    /// two-day closure (Monday and Tuesday) for authority 855.
    static func policy() throws -> Policy {
        let dir = Triage.tempDir()
        try
            ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:inset-1\r\nDTSTART;VALUE=DATE:20260309\r\n"
            + "DTEND;VALUE=DATE:20260310\r\nSUMMARY:INSET day\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n").write(
                to: dir.appendingPathComponent("inset.ics"), atomically: true, encoding: .utf8)
        try "from,to,label\n2026-03-09,2026-03-10,authority closure\n".write(
            to: dir.appendingPathComponent("la.csv"), atomically: true, encoding: .utf8)
        let text = Policy.defaultText.replacingOccurrences(
            of: "\ncalendar:\n", with: "\ncalendar:\n  school_calendars:\n    136945: inset.ics\n    855: la.csv\n")
        let path = dir.appendingPathComponent("policy.yaml")
        try text.write(to: path, atomically: true, encoding: .utf8)
        return try Policy(contentsOfFile: path.path)
    }

    static let register = try! SchoolRegister(contentsOfFile: Triage.path("samples/schools-register.csv"))

    /// (school URN, with the register, the child's school deadline)
    static let cases: [(String, Bool, String)] = [
        ("136945", true, "2026-03-10 08:30"),  // its own INSET day: Tuesday
        ("120959", true, "2026-03-11 08:30"),  // its authority's two days: Wednesday
        ("120959", false, "2026-03-09 08:30"),  // no register, so no authority known: the policy's Monday
        ("136945", false, "2026-03-10 08:30"),  // its own calendar needs no register
    ]

    @Test(arguments: cases)
    func aSchoolsDeadlineFollowsItsOwnCalendar(_ urn: String, _ withRegister: Bool, _ expected: String) throws {
        var screener = Screener(policy: try Self.policy())
        if withRegister { screener.schools = Self.register }
        // Friday evening: the next school-day start is Monday, unless the school is closed.
        let d = screener.screen(
            Build.incident("I", at: "2026-03-06 20:00", children: [Build.child("C1", dob: "2016-06-01", urn: urn)]))
        let school = try #require(d.routes.first { $0.destination == "school" })
        #expect(school.notifyBy == Build.at(expected))
    }

    /// `triage validate` lists the schools and authorities with calendars of their own.
    @Test func validateSaysWhichSchoolsHaveTheirOwnCalendar() throws {
        #expect(try Self.policy().calendar.reach.contains("school calendars: 2 (136945, 855)"))
    }

    @Test func aBadKeyIsRefused() throws {
        let text = Policy.defaultText.replacingOccurrences(
            of: "\ncalendar:\n", with: "\ncalendar:\n  school_calendars:\n    Leics: la.csv\n")
        do {
            _ = try Policy(yaml: text, source: "p.yaml")
            Issue.record("accepted a key that is neither a URN nor an LA code")
        } catch {
            #expect(error.errors.contains { $0.message.contains("school_calendars keys") })
        }
    }
}
