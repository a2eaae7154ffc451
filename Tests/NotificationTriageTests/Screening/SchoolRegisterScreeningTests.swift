import Foundation
import NotificationTriage
import Testing
import _TriageTestSupport

/// With the national school register, a child's school URN is checked: each case says whether the school
/// is told (`encompass`), whether the child is referred as education unknown, which URN the decision names,
/// and the warning.
@Suite struct SchoolRegisterScreeningTests {
    static let header =
        "\"URN\",\"EstablishmentName\",\"LA (code)\",\"LA (name)\",\"EstablishmentStatus (name)\",\"CloseDate\","
        + "\"PhaseOfEducation (name)\",\"StatutoryLowAge\",\"StatutoryHighAge\",\"Postcode\"\r\n"

    static func row(
        _ urn: String, _ name: String, la: String = "855", laName: String = "Leicestershire", status: String = "Open",
        closed: String = "", low: String = "4", high: String = "11"
    ) -> String {
        "\"\(urn)\",\"\(name)\",\"\(la)\",\"\(laName)\",\"\(status)\",\"\(closed)\",\"Primary\",\"\(low)\",\"\(high)\",\"LE1 1AA\"\r\n"
    }

    static let register: SchoolRegister = {
        let schools =
            header + row("100001", "Open Primary") + row("100002", "Closed Primary", status: "Closed", closed: "31-08-2024")
            + row("100003", "Successor Academy") + row("100004", "Closed Without Successor", status: "Closed", closed: "31-08-2023")
            + row("100005", "Infant School", low: "4", high: "7")
            + row("100006", "Northamptonshire Primary", la: "928", laName: "West Northamptonshire")
        let links =
            "\"URN\",\"LinkURN\",\"LinkName\",\"LinkType\",\"LinkEstablishedDate\"\r\n"
            + "\"100002\",\"100003\",\"Successor Academy\",\"Successor\",\"01-09-2024\"\r\n"
        return try! SchoolRegister(
            bytes: Array(schools.utf8), name: "register.csv", links: Array(links.utf8), linksName: "links.csv")
    }()

    static let policy = try! Policy(
        yaml: Policy.defaultText.replacingOccurrences(of: "\ncalendar:", with: "\nlocal_authorities: [\"855\"]\ncalendar:"),
        source: "area.yaml")

    /// (URN, school told, education unknown, URN in the decision, a warning containing)
    static let cases: [(String, Bool, Bool, String, String?)] = [
        ("100001", true, false, "100001", nil),
        ("Jane Smith", false, true, "Jane Smith", "the school URN (a 10-character text) is not in the school register"),
        ("999999", false, true, "999999", "not in the school register"),
        ("100002", true, false, "100003", "successor 100003 is told instead"),
        ("100004", false, true, "100004", "closed and has no open successor"),
        ("100005", true, false, "100005", "outside school 100005's statutory ages 4 to 7"),
        ("100006", true, false, "100006", "another local authority (928 West Northamptonshire)"),
    ]

    @Test(arguments: cases)
    func aChildsSchoolIsCheckedAgainstTheRegister(
        _ urn: String, _ schoolTold: Bool, _ educationUnknown: Bool, _ named: String, _ warning: String?
    ) {
        var screener = Screener(policy: Self.policy)
        screener.schools = Self.register
        let incident = Build.incident(
            "S-\(urn)", at: "2025-03-04 10:00", risk: .standard, children: [Build.child("C1", dob: "2016-06-01", urn: urn)])
        let d = screener.screen(incident)
        #expect(d.routes.contains { $0.destination == "school" } == schoolTold)
        #expect(d.reasons.contains { $0.rule == "education-unknown" } == educationUnknown)
        #expect(d.incident.children[0].schoolURN == named)
        // The reasons are worded later, from the decision's evidence: they state the school as the rules saw
        // it (none for a URN the register does not know), read after another incident has been screened.
        _ = screener.screen(
            Build.incident("T-\(urn)", at: "2025-03-05 10:00", children: [Build.child("C2", dob: "2015-01-01", urn: "100001")]))
        let reasons = d.reasons.map(\.text).joined(separator: " | ")
        #expect(reasons.contains("no school URN known") == educationUnknown, "\(reasons)")
        let schoolWarnings = d.warnings.filter { $0.field == "child_school_urn" }
        // A value that is not a URN is described, never echoed.
        #expect(schoolWarnings.allSatisfy { !$0.message.contains("Jane") })
        if let warning {
            #expect(schoolWarnings.count == 1)
            #expect(schoolWarnings.first?.message.contains(warning) == true)
        } else {
            #expect(schoolWarnings.isEmpty)
        }
    }

    /// Without a register, a URN is taken as it is: the school is told even if no register knows it.
    @Test func withoutARegisterURNsAreTakenAsTheyAre() {
        var screener = Screener(policy: Self.policy)
        let d = screener.screen(
            Build.incident("S", at: "2025-03-04 10:00", children: [Build.child("C1", dob: "2016-06-01", urn: "999999")]))
        #expect(d.routes.contains { $0.destination == "school" })
        #expect(d.warnings.allSatisfy { $0.field != "child_school_urn" })
    }

    /// A local authority code is three digits.
    @Test func localAuthoritiesAreChecked() {
        let bad = Policy.defaultText.replacingOccurrences(of: "\ncalendar:", with: "\nlocal_authorities: [Leics]\ncalendar:")
        #expect(throws: PolicyErrors.self) { try Policy(yaml: bad, source: "bad.yaml") }
        #expect(Self.policy.localAuthorities == ["855"])
        #expect(Policy.default.localAuthorities.isEmpty)
    }

    /// The CLI: `--schools` and `--school-links` for screen and compare; `--school-links` alone is refused.
    @Test func theCLITakesTheRegister() throws {
        let dir = Triage.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let reg = dir.appendingPathComponent("register.csv")
        try Data((Self.header + Self.row("100001", "Open Primary")).utf8).write(to: reg)
        let input = dir.appendingPathComponent("in.csv")
        try Data(
            ("incident_id,occurred_at,household_id,victim_id,perpetrator_id,dash_risk,child_id,child_dob,child_school_urn\n"
                + "A,2025-03-04T10:00:00Z,H,V,P,standard,C1,2016-06-01,100001\n"
                + "B,2025-03-05T10:00:00Z,H2,V2,P2,standard,C2,2016-06-01,222222\n").utf8
        ).write(to: input)
        let r = try Triage.run(["screen", input.path, "--quiet", "--schools", reg.path])
        #expect(r.status == 0)
        let lines = r.out.split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines[0].contains("\"to\":\"school\""))
        #expect(lines[1].contains("not in the school register"))
        let c = try Triage.run(
            ["compare", "--baseline", "thresholds.yaml", "--candidate", "thresholds.yaml", input.path, "--schools", reg.path])
        #expect(c.status == 0)
        let alone = try Triage.run(["screen", input.path, "--quiet", "--school-links", reg.path])
        #expect(alone.status == 2)
        #expect(alone.stderr.contains("--school-links"))
    }
}
