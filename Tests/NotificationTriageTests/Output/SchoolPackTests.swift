import Foundation
import Testing
import _TriageTestSupport

/// Operation Encompass packs: a county's packs from the sample incidents, the sample register and a contacts
/// file, checked against `school.csv` read independently.
@Suite(.serialized) struct SchoolPackTests {
    static func rows(_ text: String) -> [[String]] { ScenarioCSV.rows(text) }

    static func files(under dir: URL) -> [URL] {
        let e = FileManager.default.enumerator(at: dir, includingPropertiesForKeys: nil)
        return (e?.allObjects as? [URL] ?? []).filter { $0.pathExtension == "csv" && !$0.lastPathComponent.hasPrefix(".") }
    }

    @Test func aCountysPacksHoldEverySchoolRouteExactlyOnce() throws {
        let dir = Triage.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let policy = dir.appendingPathComponent("area.yaml")
        let text = try String(contentsOfFile: Triage.path("thresholds.yaml"), encoding: .utf8)
        try text.replacingOccurrences(of: "\ncalendar:", with: "\nlocal_authorities: [\"855\"]\ncalendar:")
            .write(to: policy, atomically: true, encoding: .utf8)
        let contacts = dir.appendingPathComponent("contacts.csv")
        try "urn,dsl_name,email,phone\n121421,A Lead,lead@example.org,0\n".write(to: contacts, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("out")
        let summary = dir.appendingPathComponent("summary.json")
        let r = try Triage.run([
            "screen", "samples/incidents.csv", "--quiet", "--thresholds", policy.path, "--out", out.path,
            "--schools", "samples/schools-register.csv", "--school-links", "samples/schools-links.csv",
            "--school-contacts", contacts.path, "--summary", summary.path,
        ])
        #expect(r.status == 0, "\(r.stderr)")
        let school = Self.rows(try String(contentsOf: out.appendingPathComponent("school.csv"), encoding: .utf8))
        let header = school[0]
        let urnColumn = try #require(header.firstIndex(of: "child_school_urn"))
        let routes = school.dropFirst().map { $0.joined(separator: "\u{1F}") }
        #expect(routes.count > 100)

        let packsDir = out.appendingPathComponent("schools")
        var packed: [String] = []
        var perSchool: [String: Int] = [:]
        var outOfAreaPacks = 0
        for file in Self.files(under: packsDir) where file.lastPathComponent != "index.csv" {
            let urn = String(file.lastPathComponent.dropLast(4))
            let rows = Self.rows(try String(contentsOf: file, encoding: .utf8))
            // Only the school destination's fields, and the school's name.
            #expect(rows[0] == ["school_name"] + header)
            for row in rows.dropFirst() {
                // Each pack holds only its own school's children.
                #expect(row[1 + urnColumn] == urn)
                packed.append(row.dropFirst().joined(separator: "\u{1F}"))
            }
            perSchool[urn] = rows.count - 1
            let outOfArea = file.path.contains("/out-of-area/")
            // Out of the area exactly when the register (read here) puts the school outside authority 855.
            #expect(outOfArea == !["", "855"].contains(laCode(of: urn)), "\(urn)")
            if outOfArea { outOfAreaPacks += 1 }
        }
        #expect(outOfAreaPacks > 0)
        // Every school route is in exactly one pack, and nothing else is.
        #expect(packed.sorted() == routes.sorted())
        let index = Self.rows(try String(contentsOf: packsDir.appendingPathComponent("index.csv"), encoding: .utf8))
        #expect(index[0] == ["urn", "name", "la_code", "la_name", "rows", "children", "earliest_notify_by", "out_of_area", "contact"])
        #expect(index.dropFirst().map { Int($0[4])! }.reduce(0, +) == routes.count)
        for row in index.dropFirst() { #expect(perSchool[row[0]] == Int(row[4])) }
        // Names decoded from the register's Latin-1, and the contact.
        let aero = try #require(index.first { $0[0] == "121421" })
        #expect(aero[1] == "Ærø Academy")
        #expect(aero[8] == "A Lead <lead@example.org>")
        let json = try String(contentsOf: summary, encoding: .utf8)
        #expect(json.contains("\"school_packs_without_contact\":["))
    }

    /// The register's LA code of each URN, read here from the sample (Latin-1 bytes; the codes are ASCII).
    static let laCodes: [String: String] = {
        guard let data = FileManager.default.contents(atPath: Triage.path("samples/schools-register.csv")) else { return [:] }
        let text = String(decoding: data.map { $0 < 0x80 ? $0 : 0x3F }, as: UTF8.self)
        var codes: [String: String] = [:]
        for row in rows(text).dropFirst() where row.count > 1 { codes[row[0]] = row[1] }
        return codes
    }()

    func laCode(of urn: String) -> String { Self.laCodes[urn] ?? "" }

    static let register = ["--schools", "samples/schools-register.csv"]

    /// Without the register there are no packs (they name each school and sort out-of-area ones).
    @Test func packsNeedTheRegister() throws {
        let dir = Triage.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("out")
        #expect(try Triage.run(["screen", "samples/scenarios.csv", "--quiet", "--out", out.path]).status == 0)
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("schools").path))
    }

    /// A later run's packs replace an earlier run's: a school not in the later run loses its old pack.
    /// A `school` destination that receives reasons writes JSON Lines: its packs are JSON Lines too, each line
    /// the destination's with the school's name first, every school route in exactly one pack.
    @Test func aJSONSchoolDestinationHasJSONPacks() throws {
        let dir = Triage.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let policy = dir.appendingPathComponent("reasons.yaml")
        let text = try String(contentsOfFile: Triage.path("thresholds.yaml"), encoding: .utf8)
        let withReasons = text.replacingOccurrences(
            of: "child_present, child_school_urn]\n  - id: education_officer",
            with: "child_present, child_school_urn, reasons]\n  - id: education_officer")
        #expect(withReasons != text)
        try withReasons.write(to: policy, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("out")
        let r = try Triage.run(
            ["screen", "samples/incidents.csv", "--quiet", "--thresholds", policy.path, "--out", out.path] + Self.register)
        #expect(r.status == 0, "\(r.stderr)")
        let routes = try String(contentsOf: out.appendingPathComponent("school.jsonl"), encoding: .utf8)
            .split(separator: "\n").map(String.init)
        #expect(routes.count > 100)
        let e = FileManager.default.enumerator(at: out.appendingPathComponent("schools"), includingPropertiesForKeys: nil)
        let packs = (e?.allObjects as? [URL] ?? []).filter { $0.pathExtension == "jsonl" }
        #expect(!packs.isEmpty)
        var packed: [String] = []
        for file in packs {
            let urn = String(file.lastPathComponent.dropLast(6))
            for line in try String(contentsOf: file, encoding: .utf8).split(separator: "\n") {
                let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
                #expect(object["school_name"] is String)
                let children = try #require(object["children"] as? [[String: Any]])
                #expect(children.map { $0["child_school_urn"] as? String } == [urn])
                // The destination's own line, once the name is taken out again.
                let name = try #require(line.range(of: #"{"school_name":"#))
                let rest = line[name.upperBound...]
                let comma = try #require(rest.range(of: #"","route":"#))
                packed.append("{" + String(rest[rest.index(after: comma.lowerBound)...].dropFirst()))
            }
        }
        #expect(packed.sorted() == routes.sorted())
    }

    @Test func theSchoolsFolderHoldsThisRunsPacksOnly() throws {
        let dir = Triage.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("out")
        let first = dir.appendingPathComponent("a.csv")
        try
            ("incident_id,occurred_at,household_id,victim_id,perpetrator_id,dash_risk,child_id,child_dob,child_school_urn\n"
            + "A,2025-03-04T10:00:00Z,H,V,P,standard,C1,2016-06-01,136945\n").write(to: first, atomically: true, encoding: .utf8)
        let second = dir.appendingPathComponent("b.csv")
        try
            ("incident_id,occurred_at,household_id,victim_id,perpetrator_id,dash_risk,child_id,child_dob,child_school_urn\n"
            + "B,2025-03-05T10:00:00Z,H2,V2,P2,standard,C2,2016-06-01,120959\n").write(to: second, atomically: true, encoding: .utf8)
        #expect(try Triage.run(["screen", first.path, "--quiet", "--out", out.path] + Self.register).status == 0)
        let packs = out.appendingPathComponent("schools")
        #expect(FileManager.default.fileExists(atPath: packs.appendingPathComponent("136945.csv").path))
        #expect(try Triage.run(["screen", second.path, "--quiet", "--out", out.path] + Self.register).status == 0)
        #expect(!FileManager.default.fileExists(atPath: packs.appendingPathComponent("136945.csv").path))
        #expect(FileManager.default.fileExists(atPath: packs.appendingPathComponent("120959.csv").path))
        // Without --out, --school-contacts is refused.
        let refused = try Triage.run(["screen", second.path, "--quiet", "--school-contacts", second.path])
        #expect(refused.status == 2)
        // Nor with --out alone: without the register there are no packs to give a contact to.
        let noRegister = try Triage.run(["screen", second.path, "--quiet", "--out", out.path, "--school-contacts", second.path])
        #expect(noRegister.status == 2)
        #expect(noRegister.stderr.contains("--schools"))
    }
}

/// `triage compare --schools`: which schools gain or lose notifications, checked against two screens'
/// `school.csv` counted here.
@Suite struct SchoolCompareTests {
    @Test func compareSaysWhichSchoolsGainOrLose() throws {
        let dir = Triage.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let text = try String(contentsOfFile: Triage.path("thresholds.yaml"), encoding: .utf8)
        let old = "    when: {fact: child.school_urn, present: true}\n    route: school"
        #expect(text.contains(old))
        let candidate = dir.appendingPathComponent("present-only.yaml")
        try text.replacingOccurrences(
            of: old,
            with:
                "    when:\n      all:\n        - {fact: child.school_urn, present: true}\n        - {fact: child.present, eq: true}\n    route: school"
        ).write(to: candidate, atomically: true, encoding: .utf8)
        let register = ["--schools", "samples/schools-register.csv"]
        func perSchool(_ policy: String, _ name: String) throws -> [String: Int] {
            let out = dir.appendingPathComponent(name)
            let r = try Triage.run(["screen", "samples/incidents.csv", "--quiet", "--thresholds", policy, "--out", out.path] + register)
            #expect(r.status == 0)
            let rows = SchoolPackTests.rows(try String(contentsOf: out.appendingPathComponent("school.csv"), encoding: .utf8))
            let k = try #require(rows[0].firstIndex(of: "child_school_urn"))
            var n: [String: Int] = [:]
            for row in rows.dropFirst() { n[row[k], default: 0] += 1 }
            return n
        }
        let a = try perSchool("thresholds.yaml", "a")
        let b = try perSchool(candidate.path, "b")
        let expected = Set(a.keys).union(b.keys).filter { a[$0, default: 0] != b[$0, default: 0] }
        #expect(!expected.isEmpty)
        let json = dir.appendingPathComponent("cmp.json")
        let c = try Triage.run(
            ["compare", "--baseline", "thresholds.yaml", "--candidate", candidate.path, "samples/incidents.csv", "--json", json.path]
                + register)
        #expect(c.status == 0)
        #expect(c.out.contains("schools whose notifications change under B: \(expected.count)"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: json)) as? [String: Any])
        let schools = try #require(object["schools"] as? [String: Any])
        #expect(schools["told"] as? Int == Set(a.keys).union(b.keys).count)
        let changed = try #require(schools["changed"] as? [[String: Any]])
        #expect(Set(changed.compactMap { $0["urn"] as? String }) == expected)
        for entry in changed {
            let urn = entry["urn"] as! String
            #expect(entry["a"] as? Int == a[urn, default: 0])
            #expect(entry["b"] as? Int == b[urn, default: 0])
        }
        // Without the register, the report says nothing per school (as before).
        let plain = try Triage.run(
            ["compare", "--baseline", "thresholds.yaml", "--candidate", candidate.path, "samples/incidents.csv"])
        #expect(!plain.out.contains("schools whose notifications change"))
    }
}
