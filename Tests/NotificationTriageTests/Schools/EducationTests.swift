import Foundation
import Testing
import _TriageTestSupport

@testable import NotificationTriage

/// Children outside schools (issue 17, item 4) and what a pack may say (item 5): `child_education` and
/// `EHE` as the school, the `education_officer` destination, and the optional `location`, `circumstances`
/// and `child_voice` columns, which reach only the destinations whose `fields` list them.
@Suite struct EducationTests {
    typealias F = InputFixtures

    /// (child_school_urn, child_education, expected URN, expected education)
    static let read: [(String, String, String?, Education?)] = [
        ("123456", "", "123456", nil),
        ("EHE", "", nil, .ehe),
        (" ehe ", "", nil, .ehe),
        ("EHE", "ehe", nil, .ehe),
        ("", "Home educated", nil, .ehe),
        ("", "none", nil, .noEducation),
        ("", "CME", nil, .noEducation),
        ("654321", "early-years", "654321", .earlyYears),
        ("100001", "School", "100001", .school),
    ]

    @Test(arguments: read)
    func csvAndJSONReadTheChildsEducation(_ urn: String, _ education: String, _ wantURN: String?, _ want: Education?) throws {
        let csv = try F.csv(F.header + "\n" + F.row(["child_school_urn": urn, "child_education": education]) + "\n")
        let fromCSV = try #require(csv.first?.incident?.children.first)
        #expect(fromCSV.schoolURN == wantURN)
        #expect(fromCSV.education == want)
        let json = F.jsonLine.replacingOccurrences(of: #""school_urn":"123456""#, with: #""school_urn":"\#(urn)""#)
            .replacingOccurrences(
                of: #""education":null"#, with: education.isEmpty ? #""education":null"# : #""education":"\#(education)""#)
        let fromJSON = try #require(try F.jsonl(json + "\n").first?.incident?.children.first)
        #expect(fromJSON == fromCSV)
    }

    /// (child_school_urn, child_education, message containing)
    static let refused: [(String, String, String)] = [
        ("", "homeschool-ish", "expected school, ehe, none or early_years"),
        ("", "eh", "unknown child_education"),
        ("EHE", "school", "contradicts child_school_urn 'EHE'"),
        ("EHE", "none", "contradicts child_school_urn 'EHE'"),
    ]

    @Test(arguments: refused)
    func anUnknownOrContradictoryEducationIsRejectedNamingTheField(_ urn: String, _ education: String, _ message: String) throws {
        let records = try F.csv(F.header + "\n" + F.row(["child_school_urn": urn, "child_education": education]) + "\n")
        let reject = try #require(records.first?.reject)
        #expect(reject.field == "child_education")
        #expect(reject.message.contains(message), "\(reject.message)")
        #expect(reject.location.line == 2)
    }

    @Test func theOptionalTextColumnsAreRead() throws {
        let row = F.row(["location": "\"1 Example Road, Town\"", "circumstances": "Shouting", "child_voice": "Said he was scared"])
        let i = try #require(try F.csv(F.header + "\n" + row + "\n").first?.incident)
        #expect(i.location == "1 Example Road, Town")
        #expect(i.circumstances == "Shouting")
        #expect(i.children.first?.voice == "Said he was scared")
        let json = F.jsonLine.replacingOccurrences(
            of: #""location":null,"circumstances":null"#, with: #""location":"1 Example Road, Town","circumstances":"Shouting""#
        )
        .replacingOccurrences(of: #""voice":null"#, with: #""voice":"Said he was scared""#)
        #expect(try F.jsonl(json + "\n").first?.incident == i)
    }

    /// The destination files of `triage screen samples/education.csv --out DIR` under `policy`, by name.
    static func screen(policy: String? = nil) throws -> [String: [[String]]] {
        let dir = Triage.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        var args = ["screen", Triage.path("samples/education.csv"), "--quiet", "--out", dir.appendingPathComponent("out").path]
        if let policy {
            let file = dir.appendingPathComponent("policy.yaml")
            try policy.write(to: file, atomically: true, encoding: .utf8)
            args += ["--thresholds", file.path]
        }
        let r = try Triage.run(args)
        #expect(r.status == 0, "\(r.stderr)")
        var files: [String: [[String]]] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("out").path)
        where name.hasSuffix(".csv") {
            let text = try String(contentsOf: dir.appendingPathComponent("out/\(name)"), encoding: .utf8)
            files[name] = ScenarioCSV.rows(text)
        }
        return files
    }

    /// The values of `column` in a CSV's rows (header first).
    static func column(_ rows: [[String]], _ name: String) -> [String] {
        guard let i = rows.first?.firstIndex(of: name) else { return [] }
        return rows.dropFirst().map { $0[i] }
    }

    @Test func homeEducatedAndMissingChildrenGoToTheEducationOfficerNotToSocialCareAsUnknown() throws {
        let files = try Self.screen()
        let officer = try #require(files["education_officer.csv"])
        #expect(Self.column(officer, "child_id") == ["CED1", "CED2"])
        #expect(Self.column(officer, "rules") == ["home-educated", "missing-education"])
        #expect(Self.column(officer, "child_education") == ["ehe", "none"])
        #expect(Self.column(officer, "notify_by") == ["2026-03-03T08:30:00+00:00", "2026-03-03T08:30:00+00:00"])
        // Recorded as at school with no URN: still unknown, still referred.
        let school = try #require(files["school.csv"])
        #expect(Self.column(school, "child_id") == ["CED3", "CED4"])
    }

    @Test func theDefaultPacksHoldNoneOfTheExtendedFields() throws {
        let files = try Self.screen()
        for name in ["school.csv", "education_officer.csv", "health_visitor.csv"] {
            let header = try #require(files[name]?.first, "\(name)")
            for extended in ["location", "circumstances", "child_voice"] { #expect(!header.contains(extended), "\(name)") }
        }
    }

    @Test func anExtendedProfileCarriesLocationCircumstancesAndTheChildsVoice() throws {
        let extended = Policy.defaultText.replacingOccurrences(
            of: "fields: [incident_id, occurred_at, child_id, child_name, child_dob, child_present, child_school_urn]",
            with:
                "fields: [incident_id, occurred_at, location, circumstances, child_id, child_name, child_dob, child_present, child_school_urn, child_voice]"
        )
        #expect(extended != Policy.defaultText)
        let school = try #require(try Self.screen(policy: extended)["school.csv"])
        #expect(Self.column(school, "location") == ["12 Example Road, Northampton", "Car park, Example Retail Park"])
        #expect(
            Self.column(school, "circumstances") == [
                "Neighbour heard shouting; victim had a cut lip", "Argument at handover of the children",
            ])
        #expect(Self.column(school, "child_voice") == ["", "was crying and asked to go home"])
    }

    @Test func anEarlyYearsSettingIsADestinationWhenThePolicyListsOne() throws {
        var policy = Policy.defaultText.replacingOccurrences(
            of: "  - id: health_visitor\n",
            with: """
                  - id: early_years
                    description: the child's early-years setting
                    deadline: next_school_day
                    fields: [incident_id, occurred_at, child_id, child_name, child_dob, child_present, child_school_urn]
                  - id: health_visitor

                """)
        policy = policy.replacingOccurrences(
            of: "rules:\n",
            with: """
                rules:
                  - id: early-years-setting
                    description: a child at an early-years setting is notified to the setting
                    scope: child
                    when:
                      all:
                        - {fact: child.education, eq: early_years}
                        - {fact: child.school_urn, present: true}
                    route: early_years


                """)
        let files = try Self.screen(policy: policy)
        let early = try #require(files["early_years.csv"])
        #expect(Self.column(early, "child_id") == ["CED3"])
        #expect(Self.column(early, "child_school_urn") == ["123456"])
    }

    /// (replacement of the home-educated test, message containing)
    static let badTests: [(String, String)] = [
        ("{fact: child.education, gte: ehe}", "has no order: use eq, ne, in, present or absent"),
        ("{fact: child.education, eq: homeschool}", "expected one of school, ehe, none, early_years"),
    ]

    @Test(arguments: badTests)
    func validateRefusesABadTestOfEducation(_ replacement: String, _ message: String) {
        let text = Policy.defaultText.replacingOccurrences(of: "{fact: child.education, eq: ehe}", with: replacement)
        #expect(text != Policy.defaultText)
        do throws(PolicyErrors) {
            _ = try Policy(yaml: text, source: "bad.yaml")
            Issue.record("accepted a bad test of child.education")
        } catch {
            #expect(error.description.contains(message), "\(error.description)")
        }
    }
}
