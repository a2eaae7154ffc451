import Foundation
import Testing
import _TriageTestSupport

@testable import NotificationTriage

/// A policy whose calendar reads files: the files written next to it, the calendar keys added, and the
/// school deadline of an incident expected.
struct CalendarFileCase: CustomTestStringConvertible, Sendable {
    var name: String
    /// File name → contents, written in the policy's directory.
    var files: [String: String] = [:]
    /// Lines added to `calendar:` (indented two spaces).
    var keys: String = ""
    /// Keep the default policy's inline bank holidays.
    var inlineHolidays = true
    /// Local London time of the incident.
    var incident: String
    /// The school route's deadline (ISO 8601 with offset).
    var expected: String
    var testDescription: String { name }
}

/// A calendar file that must be refused, and where the first error must point.
struct BadCalendarFile: CustomTestStringConvertible, Sendable {
    var name: String
    var files: [String: String]
    var keys: String
    /// The file the first error names (the end of its path) and its line.
    var file: String
    var line: Int
    /// A part of the message.
    var message: String
    var testDescription: String { name }
}

/// The gov.uk feed's shape with one division's `dates`.
private func feed(_ dates: [String], division: String = "england-and-wales") -> String {
    let events = dates.map { #"{"title":"A holiday","date":"\#($0)","notes":"","bunting":true}"# }
    return #"{"\#(division)":{"division":"\#(division)","events":[\#(events.joined(separator: ","))]}}"#
}

/// England and Wales 2026 with the state funeral of Monday 14 September (a one-off holiday).
private let funeral2026 = feed([
    "2026-01-01", "2026-04-03", "2026-04-06", "2026-05-04", "2026-05-25", "2026-08-31", "2026-09-14", "2026-12-25",
    "2026-12-28",
])
private let plain2026 = feed([
    "2026-01-01", "2026-04-03", "2026-04-06", "2026-05-04", "2026-05-25", "2026-08-31", "2026-12-25", "2026-12-28",
])

/// An iCalendar file with an INSET day on Monday 30 November 2026: CRLF line ends and a folded SUMMARY.
private let insetICS =
    [
        "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Test//EN", "BEGIN:VEVENT", "UID:1@example.invalid",
        "DTSTART;VALUE=DATE:20261130", "DTEND;VALUE=DATE:20261201", "SUMMARY:INSET day: staff training, school clo",
        " sed to pupils", "BEGIN:VALARM", "TRIGGER:-P1D", "END:VALARM", "END:VEVENT", "END:VCALENDAR",
    ].joined(separator: "\r\n") + "\r\n"

/// `lines` as an iCalendar file (LF line ends).
private func ics(_ lines: [String]) -> String {
    (["BEGIN:VCALENDAR", "VERSION:2.0"] + lines + ["END:VCALENDAR"]).joined(separator: "\n") + "\n"
}

/// The default policy with `keys` added to its calendar, written to a new directory with `files`, and
/// loaded from there (so relative paths are read from that directory).
private func load(
    keys: String, files: [String: String], inlineHolidays: Bool = true
) throws -> (policy: Policy, dir: URL) {
    let dir = Triage.tempDir()
    for (name, text) in files {
        try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }
    var text = Policy.defaultText
    if !inlineHolidays {
        let from = text.range(of: "  bank_holidays:")!.lowerBound
        let to = text.range(of: "  school_closures: []")!.lowerBound
        text.replaceSubrange(from..<to, with: "  bank_holidays: []\n")
    }
    text = text.replacingOccurrences(of: "  school_closures: []\n", with: "  school_closures: []\n" + keys)
    let path = dir.appendingPathComponent("thresholds.yaml")
    try text.write(to: path, atomically: true, encoding: .utf8)
    return (try Policy(contentsOfFile: path.path), dir)
}

/// A child at school, so the default policy routes the incident to the school.
private func schoolIncident(at time: String) -> Incident {
    Build.incident("E1", at: time, children: [Build.child("C1", dob: "2016-05-01", present: true, urn: "100001")])
}

@Suite struct CalendarFileTests {
    // MARK: deadlines move

    @Test(arguments: [
        CalendarFileCase(
            name: "no file: Friday night -> Monday", incident: "2026-09-11 22:00", expected: "2026-09-14T08:30:00+01:00"),
        CalendarFileCase(
            name: "feed without the funeral -> Monday", files: ["bh.json": plain2026], keys: "  bank_holidays_file: bh.json\n",
            inlineHolidays: false, incident: "2026-09-11 22:00", expected: "2026-09-14T08:30:00+01:00"),
        CalendarFileCase(
            name: "feed with the state funeral on Monday -> Tuesday", files: ["bh.json": funeral2026],
            keys: "  bank_holidays_file: bh.json\n", inlineHolidays: false, incident: "2026-09-11 22:00",
            expected: "2026-09-15T08:30:00+01:00"),
        CalendarFileCase(
            name: "feed merged with the inline list", files: ["bh.json": funeral2026], keys: "  bank_holidays_file: bh.json\n",
            incident: "2026-09-11 22:00", expected: "2026-09-15T08:30:00+01:00"),
        CalendarFileCase(
            name: "funeral in another division does not count",
            files: ["bh.json": #"{"scotland":{"events":[{"date":"2026-09-14"}]},"# + String(plain2026.dropFirst())],
            keys: "  bank_holidays_file: bh.json\n", incident: "2026-09-11 22:00", expected: "2026-09-14T08:30:00+01:00"),
        CalendarFileCase(
            name: "division picked: scotland", files: ["bh.json": feed(["2026-09-14"], division: "scotland")],
            keys: "  bank_holidays_file: bh.json\n  bank_holidays_division: scotland\n", incident: "2026-09-11 22:00",
            expected: "2026-09-15T08:30:00+01:00"),
        CalendarFileCase(
            name: "no closures file: INSET Monday is a school day", incident: "2026-11-27 22:00",
            expected: "2026-11-30T08:30:00+00:00"),
        CalendarFileCase(
            name: ".ics INSET day (CRLF, folded SUMMARY) -> Tuesday", files: ["closures.ics": insetICS],
            keys: "  school_closures_file: closures.ics\n", incident: "2026-11-27 22:00", expected: "2026-12-01T08:30:00+00:00"),
        CalendarFileCase(
            name: ".ics without DTEND is one day", files: ["c.ics": ics(["BEGIN:VEVENT", "DTSTART;VALUE=DATE:20261130", "END:VEVENT"])],
            keys: "  school_closures_file: c.ics\n", incident: "2026-11-27 22:00", expected: "2026-12-01T08:30:00+00:00"),
        CalendarFileCase(
            name: ".ics cancelled event is skipped",
            files: [
                "c.ics": ics([
                    "BEGIN:VEVENT", "DTSTART;VALUE=DATE:20261130", "STATUS:CANCELLED", "END:VEVENT", "BEGIN:VEVENT",
                    "DTSTART;VALUE=DATE:20270104", "END:VEVENT",
                ])
            ], keys: "  school_closures_file: c.ics\n", incident: "2026-11-27 22:00", expected: "2026-11-30T08:30:00+00:00"),
        CalendarFileCase(
            name: "CSV from,to,label -> Wednesday",
            files: ["c.csv": "from,to,label\r\n2026-11-30,2026-12-01,\"INSET days, autumn\"\r\n"],
            keys: "  school_closures_file: c.csv\n", incident: "2026-11-27 22:00", expected: "2026-12-02T08:30:00+00:00"),
        CalendarFileCase(
            name: "CSV date,label -> Tuesday", files: ["c.csv": "date,label\n2026-11-30,INSET day\n\n"],
            keys: "  school_closures_file: c.csv\n", incident: "2026-11-27 22:00", expected: "2026-12-01T08:30:00+00:00"),
    ])
    func schoolDeadline(_ c: CalendarFileCase) throws {
        let (policy, _) = try load(keys: c.keys, files: c.files, inlineHolidays: c.inlineHolidays)
        var screener = Screener(policy: policy)
        let decision = screener.screen(schoolIncident(at: c.incident))
        let school = try #require(decision.routes.first { $0.destination == "school" })
        #expect(policy.zone.iso8601(school.notifyBy) == c.expected)
    }

    // MARK: bad files

    @Test(arguments: [
        BadCalendarFile(
            name: "missing file", files: [:], keys: "  bank_holidays_file: nowhere.json\n", file: "thresholds.yaml", line: 41,
            message: "bank_holidays_file 'nowhere.json': no such file"),
        BadCalendarFile(
            name: "a device that never ends", files: [:], keys: "  school_closures_file: /dev/zero\n", file: "thresholds.yaml",
            line: 41, message: "school_closures_file '/dev/zero': is larger than 4194304 bytes"),
        BadCalendarFile(
            name: "bad JSON (trailing comma)",
            files: ["bh.json": "{\"england-and-wales\": {\"events\": [\n  {\"date\": \"2026-01-01\",}\n]}}\n"],
            keys: "  bank_holidays_file: bh.json\n", file: "bh.json", line: 2, message: "trailing comma in object"),
        BadCalendarFile(
            name: "not a feed", files: ["bh.json": "[1, 2]"], keys: "  bank_holidays_file: bh.json\n", file: "bh.json", line: 1,
            message: "expected an object of divisions"),
        BadCalendarFile(
            name: "bad date in the feed",
            files: ["bh.json": "{\"england-and-wales\": {\"events\": [\n  {\"date\": \"2026-01-01\"},\n  {\"date\": \"2026-02-30\"}]}}"],
            keys: "  bank_holidays_file: bh.json\n", file: "bh.json", line: 3, message: "found '2026-02-30'"),
        BadCalendarFile(
            name: "unknown division", files: ["bh.json": funeral2026],
            keys: "  bank_holidays_file: bh.json\n  bank_holidays_division: wales\n", file: "thresholds.yaml", line: 42,
            message: "unknown bank_holidays_division 'wales': the file has 'england-and-wales'"),
        BadCalendarFile(
            name: "division without a file", files: [:], keys: "  bank_holidays_division: scotland\n", file: "thresholds.yaml",
            line: 41, message: "bank_holidays_division needs bank_holidays_file"),
        BadCalendarFile(
            name: "RRULE event",
            files: ["c.ics": ics(["BEGIN:VEVENT", "DTSTART;VALUE=DATE:20261130", "RRULE:FREQ=WEEKLY;COUNT=3", "END:VEVENT"])],
            keys: "  school_closures_file: c.ics\n", file: "c.ics", line: 5, message: "recurring events (RRULE) are not supported"),
        BadCalendarFile(
            name: "timed event", files: ["c.ics": ics(["BEGIN:VEVENT", "DTSTART:20261130T090000Z", "END:VEVENT"])],
            keys: "  school_closures_file: c.ics\n", file: "c.ics", line: 4, message: "expected an all-day event"),
        BadCalendarFile(
            name: "bad .ics date", files: ["c.ics": ics(["BEGIN:VEVENT", "DTSTART;VALUE=DATE:20261131", "END:VEVENT"])],
            keys: "  school_closures_file: c.ics\n", file: "c.ics", line: 4, message: "found '20261131'"),
        BadCalendarFile(
            name: "DTEND before DTSTART",
            files: ["c.ics": ics(["BEGIN:VEVENT", "DTSTART;VALUE=DATE:20261130", "DTEND;VALUE=DATE:20261129", "END:VEVENT"])],
            keys: "  school_closures_file: c.ics\n", file: "c.ics", line: 5, message: "DTEND (2026-11-29) must be after DTSTART"),
        BadCalendarFile(
            name: "unclosed event", files: ["c.ics": "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART;VALUE=DATE:20261130\n"],
            keys: "  school_closures_file: c.ics\n", file: "c.ics", line: 2, message: "never closed"),
        BadCalendarFile(
            name: "closure too long", files: ["c.csv": "from,to,label\n2026-01-01,2027-06-01,x\n"],
            keys: "  school_closures_file: c.csv\n", file: "c.csv", line: 2, message: "at most 366 days"),
        BadCalendarFile(
            name: "CSV bad date", files: ["c.csv": "date,label\n2026-11-30,INSET\n30/11/2026,INSET\n"],
            keys: "  school_closures_file: c.csv\n", file: "c.csv", line: 3, message: "expected a date YYYY-MM-DD"),
        BadCalendarFile(
            name: "CSV ends before it starts", files: ["c.csv": "from,to,label\n2026-12-01,2026-11-30,x\n"],
            keys: "  school_closures_file: c.csv\n", file: "c.csv", line: 2, message: "ends (2026-11-30) before it starts"),
        BadCalendarFile(
            name: "CSV wrong header", files: ["c.csv": "start,end,name\n2026-11-30,2026-11-30,x\n"],
            keys: "  school_closures_file: c.csv\n", file: "c.csv", line: 1, message: "expected a CSV header 'date,label'"),
        BadCalendarFile(
            name: "empty CSV", files: ["c.csv": "date,label\n"], keys: "  school_closures_file: c.csv\n", file: "c.csv",
            line: 1, message: "no closures found"),
    ])
    func badFile(_ c: BadCalendarFile) throws {
        do {
            _ = try load(keys: c.keys, files: c.files)
            Issue.record("\(c.name): expected an error")
        } catch let error as PolicyErrors {
            let first = try #require(error.errors.first)
            #expect(first.location.source.hasSuffix("/" + c.file), "\(first)")
            #expect(first.location.line == c.line, "\(first)")
            #expect(first.message.contains(c.message), "\(first)")
        }
    }

    /// A data file named as a calendar by mistake: the message says what was expected and quotes none of it.
    @Test func aDataFileIsNotEchoed() throws {
        let data = "incident_id,victim_name\nINC-1,Jane Alice Smith\n"
        for (key, name) in [("school_closures_file", "x.csv"), ("bank_holidays_file", "x.json")] {
            do {
                _ = try load(keys: "  \(key): \(name)\n", files: [name: data])
                Issue.record("expected an error")
            } catch let error as PolicyErrors {
                for e in error.errors {
                    #expect(!e.description.contains("Jane"))
                    #expect(!e.description.contains("INC-1"))
                }
            }
        }
    }

    // MARK: coverage

    /// The feed covers 2026 only: a deadline on 31 December is known, one on 1 January 2027 is not.
    @Test(arguments: [
        ("2026-12-30 22:00", false),  // -> Thursday 31 December 08:30
        ("2026-12-31 10:00", true),  // -> Friday 1 January 2027 08:30 (not listed: 2027 is unknown)
    ])
    func coverageWarning(incident: String, warned: Bool) throws {
        let (policy, _) = try load(
            keys: "  bank_holidays_file: bh.json\n", files: ["bh.json": plain2026], inlineHolidays: false)
        #expect(policy.calendar.bankHolidaysKnownUntil == Build.date("2026-12-31"))
        var screener = Screener(policy: policy)
        let decision = screener.screen(schoolIncident(at: incident))
        let w = decision.warnings.filter { $0.field == "notify_by" }
        #expect(w.count == (warned ? 1 : 0))
        if warned {
            #expect(w.first?.message == "bank holidays known only to 2026-12-31: the deadline may fall on a holiday")
        }
    }

    @Test func noHolidaysListedMeansNoCoverageWarning() throws {
        let (policy, _) = try load(keys: "", files: [:], inlineHolidays: false)
        #expect(policy.calendar.bankHolidaysKnownUntil == nil)
        var screener = Screener(policy: policy)
        #expect(screener.screen(schoolIncident(at: "2031-01-06 10:00")).warnings.allSatisfy { $0.field != "notify_by" })
    }

    // MARK: reach, samples and hash

    @Test func theSamplesReadAndReach() throws {
        let keys = """
              bank_holidays_file: \(Triage.path("samples/bank-holidays.json"))
              school_closures_file: \(Triage.path("samples/school-closures.ics"))

            """
        let (policy, _) = try load(keys: keys, files: [:], inlineHolidays: false)
        #expect(
            policy.calendar.reach == [
                "bank holidays: 2025-01-01 to 2027-12-31 (24, from \(Triage.path("samples/bank-holidays.json")))",
                "school closures: 2026-07-22 to 2027-09-01 (9, from \(Triage.path("samples/school-closures.ics")))",
            ])
        let scotland = try load(
            keys: "  bank_holidays_file: \(Triage.path("samples/bank-holidays.json"))\n  bank_holidays_division: scotland\n",
            files: [:], inlineHolidays: false
        ).policy
        #expect(scotland.calendar.isBankHoliday(Build.date("2025-12-01")))  // St Andrew's Day, substitute
        #expect(!scotland.calendar.isBankHoliday(Build.date("2025-12-26")))
        #expect(Policy.default.calendar.reach == ["bank holidays: 2025-01-01 to 2027-12-31 (24, inline)", "school closures: none listed"])
    }

    @Test func theFileIsPartOfTheHash() throws {
        let a = try load(keys: "  bank_holidays_file: bh.json\n", files: ["bh.json": plain2026]).policy
        let b = try load(keys: "  bank_holidays_file: bh.json\n", files: ["bh.json": funeral2026]).policy
        #expect(a.hash != b.hash)
        #expect(Policy.default.hash == (try Policy(yaml: Policy.defaultText, source: "x.yaml")).hash)
    }

    @Test func validatePrintsTheReach() throws {
        let (_, dir) = try load(
            keys: "  bank_holidays_file: bh.json\n  school_closures_file: c.csv\n",
            files: ["bh.json": funeral2026, "c.csv": "date,label\n2026-11-30,INSET day\n"])
        let r = try Triage.run(["validate", dir.appendingPathComponent("thresholds.yaml").path])
        let out = String(decoding: r.stdout, as: UTF8.self)
        #expect(r.status == 0)
        #expect(out.contains("  bank holidays: 2025-01-01 to 2027-12-31 (25: 24 inline, 9 from \(dir.path)/bh.json)"), "\(out)")
        #expect(out.contains("  school closures: 2026-11-30 to 2026-11-30 (1, from \(dir.path)/c.csv)"), "\(out)")
    }

    @Test func validatePointsAtTheCalendarFile() throws {
        let dir = Triage.tempDir()
        try "date,label\nnot-a-date,x\n".write(to: dir.appendingPathComponent("c.csv"), atomically: true, encoding: .utf8)
        let text = Policy.defaultText.replacingOccurrences(
            of: "  school_closures: []\n", with: "  school_closures: []\n  school_closures_file: c.csv\n")
        try text.write(to: dir.appendingPathComponent("thresholds.yaml"), atomically: true, encoding: .utf8)
        let r = try Triage.run(["validate"], in: dir)
        #expect(r.status == 2)
        #expect(r.stderr.contains("c.csv:2:1: error: expected a date YYYY-MM-DD, found 'not-a-date'"), "\(r.stderr)")
        // The policy's own line 2 is not shown under an error in another file.
        #expect(!r.stderr.contains(" 2 | "), "\(r.stderr)")
    }
}
