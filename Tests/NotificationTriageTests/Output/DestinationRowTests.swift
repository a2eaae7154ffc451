import Foundation
import Testing
import _TriageTestSupport

@testable import NotificationTriage

/// A destination's row (CSV) or line (JSON Lines) is written in one piece whose size is worked out first.
/// These incidents reach every bound: text that takes six bytes a byte escaped, quotes and line breaks,
/// unknown flags, dates far outside four-digit years, empty and missing values. Each row is read back by
/// the tests' own CSV parser (`ScenarioCSV.rows`) or by Foundation (JSON), and compared with the incident.
@Suite struct DestinationRowTests {
    static let flatFields = OutputField.allCases.filter { !$0.isRich && !$0.isRouteField }.map(\.rawValue)

    static let policy: Policy = {
        let fields = flatFields.joined(separator: ", ")
        let yaml = """
            version: 1
            name: rows
            destinations:
              - {id: flat, deadline: {working_days: 1}, fields: [\(fields)]}
              - {id: flat_child, deadline: {working_days: 1}, fields: [\(fields)]}
              - {id: rich, deadline: {working_days: 1}, fields: all}
              - {id: rich_child, deadline: {working_days: 1}, fields: all}
            rules:
              - id: every
                description: every incident
                route: [flat, rich]
              - id: each-child
                description: each child with a school
                scope: child
                when: {fact: child.school_urn, present: true}
                route: [flat_child, rich_child]
            """
        return try! Policy(yaml: yaml, source: "rows.yaml")
    }()

    /// Text that JSON escapes at nearly six bytes a byte (mostly control bytes), with a formula start, quotes, separators, line breaks
    /// and non-ASCII text.
    static func hostile(_ n: Int) -> String {
        "=" + String(repeating: "\u{01}\u{1F}\u{02}\u{03}\u{04}\u{05}\u{06}\u{07}", count: 4 * n)
            + String(repeating: "\"q,;\n\r\t\\é🙂", count: n)
    }

    enum Shape: String, CaseIterable, CustomTestStringConvertible {
        /// No slack from other fields: every known flag and unknown ones that need quotes, the rest empty
        /// or missing (the line's bound is summed over the incident, not field by field).
        case lean
        case hostile, empty, extremes
        var testDescription: String { rawValue }
    }

    static func incident(_ shape: Shape) -> Incident {
        switch shape {
        case .hostile:
            let h = hostile(40)
            let kids = (0..<3).map { k in
                Child(
                    personID: hostile(k + 1), name: h, dateOfBirth: Build.date("2015-03-0\(k + 1)"), present: k == 0,
                    schoolURN: hostile(2), injured: k == 1, education: .school, voice: h)
            }
            return Incident(
                incidentID: h, occurredAt: Build.at("2026-03-29 01:30"), uprn: h, postcode: h, householdID: h,
                victim: Person(personID: h, name: h, dateOfBirth: Build.date("1990-05-05"), pregnant: true),
                perpetrator: Person(personID: h, name: h, dateOfBirth: Build.date("1980-01-01")), relationship: .exPartner,
                dashRisk: .high, dashScore: 27, flags: RiskFlags(RiskFlags.named.map(\.flag)),
                unknownFlags: [hostile(3), "", "x"], children: kids, location: h, circumstances: h)
        case .lean:
            return Incident(
                incidentID: "L", occurredAt: Build.at("2026-01-05 09:00"), victim: Person(personID: ""), dashRisk: .standard,
                flags: RiskFlags(RiskFlags.named.map(\.flag)), unknownFlags: ["\"", "\"\"", "=\""],
                children: [Child(personID: "", schoolURN: "")])
        case .empty:
            return Incident(
                incidentID: "E", occurredAt: Build.at("2026-01-05 09:00"), victim: Person(personID: ""), dashRisk: .standard,
                children: [Child(personID: "", schoolURN: "")])
        case .extremes:
            let kids = [Int32.min, Int32.max, -719_529, 2_932_897].map { n in
                Child(personID: "C\(n)", dateOfBirth: CivilDate(dayNumber: n), schoolURN: "1")
            }
            return Incident(
                incidentID: "X", occurredAt: Build.at("2026-10-25 01:30"),
                victim: Person(personID: "V", dateOfBirth: CivilDate(dayNumber: Int32.min)),
                perpetrator: Person(personID: "P", dateOfBirth: CivilDate(dayNumber: Int32.max)), dashRisk: .medium,
                dashScore: Int.min, flags: [.weapon, .childInjured], unknownFlags: ["=sum(1)"], children: kids)
        }
    }

    /// A field's expected text, as the incident holds it (before quoting; nil for an empty field).
    static func expected(_ f: String, _ i: Incident, _ child: Child?) -> String? {
        func bool(_ b: Bool) -> String { b ? "true" : "false" }
        switch f {
        case "incident_id": return i.incidentID
        case "occurred_at": return policy.zone.iso8601(i.occurredAt)
        case "uprn": return i.uprn
        case "postcode": return i.postcode
        case "household_id": return i.householdID
        case "victim_id": return i.victim.personID
        case "victim_name": return i.victim.name
        case "victim_dob": return i.victim.dateOfBirth?.description
        case "victim_pregnant": return bool(i.victim.pregnant)
        case "perpetrator_id": return i.perpetrator?.personID
        case "perpetrator_name": return i.perpetrator?.name
        case "perpetrator_dob": return i.perpetrator?.dateOfBirth?.description
        case "relationship": return i.relationship?.rawValue
        case "dash_risk": return i.dashRisk.rawValue
        case "dash_score": return i.dashScore.map { String($0) }
        case "flags": return (i.flags.names + i.unknownFlags).joined(separator: ";")
        case "location": return i.location
        case "circumstances": return i.circumstances
        case "child_id": return child?.personID
        case "child_name": return child?.name
        case "child_dob": return child?.dateOfBirth?.description
        case "child_present": return child.map { bool($0.present) }
        case "child_school_urn": return child?.schoolURN
        case "child_injured": return child.map { bool($0.injured) }
        case "child_education": return child?.education?.rawValue
        case "child_voice": return child?.voice
        default: Issue.record("unexpected field \(f)"); return nil
        }
    }

    /// What a spreadsheet-safe CSV cell holds for a value: a leading `'` before a formula start (the
    /// values here start with `=` or a letter, digit or control byte other than tab and CR).
    static func cell(_ v: String?) -> String {
        guard let v else { return "" }
        return v.hasPrefix("=") ? "'" + v : v
    }

    static func screened(_ shape: Shape) -> (Decision, [Route]) {
        var screener = Screener(policy: policy)
        let d = screener.screen(incident(shape))
        return (d, d.routes)
    }

    @Test(arguments: Shape.allCases)
    func csvRowsReadBackAsTheIncident(_ shape: Shape) throws {
        let (d, routes) = DestinationRowTests.screened(shape)
        let writers = DestinationRowTests.policy.destinations.map {
            DestinationWriter(destination: $0, policy: DestinationRowTests.policy, asOf: nil)
        }
        let flat = routes.filter { !writers[$0.destinationIndex].isJSON }
        // One incident row, and one for each child the child rule takes (the hostile incident's three).
        #expect(flat.contains { $0.childIndex == nil } && (shape != .hostile || flat.count == 4))
        for r in flat {
            let writer = writers[r.destinationIndex]
            var w = ByteWriter(capacity: 0)
            writer.write(d, r, into: &w)
            let rows = ScenarioCSV.rows(String(decoding: w.bytes, as: UTF8.self))
            try #require(rows.count == 1)
            let row = rows[0]
            try #require(row.count == writer.columnNames.count)
            #expect(row[0] == r.destination)
            #expect(row[2] == DestinationRowTests.policy.zone.iso8601(r.notifyBy))
            #expect(row[3] == r.rules.joined(separator: ";"))
            let child = r.childIndex.map { d.incident.children[$0] }
            for (k, f) in writer.fields.enumerated() {
                let want = DestinationRowTests.cell(DestinationRowTests.expected(f.rawValue, d.incident, child))
                #expect(row[5 + k] == want, "\(f.rawValue)")
            }
        }
    }

    @Test(arguments: Shape.allCases)
    func jsonLinesReadBackAsTheIncident(_ shape: Shape) throws {
        let (d, routes) = DestinationRowTests.screened(shape)
        let writers = DestinationRowTests.policy.destinations.map {
            DestinationWriter(destination: $0, policy: DestinationRowTests.policy, asOf: nil)
        }
        let rich = routes.filter { writers[$0.destinationIndex].isJSON }
        #expect(rich.contains { $0.childIndex == nil } && (shape != .hostile || rich.count == 4))
        for r in rich {
            var w = ByteWriter(capacity: 0)
            writers[r.destinationIndex].write(d, r, into: &w)
            #expect(w.bytes.last == 0x0A && w.bytes.dropLast().allSatisfy { $0 != 0x0A })
            let object = try #require(try JSONSerialization.jsonObject(with: Data(w.bytes)) as? [String: Any])
            for f in DestinationRowTests.flatFields where !f.hasPrefix("child_") {
                let value = object[f]
                switch f {
                case "flags":
                    #expect(value as? [String] == d.incident.flags.names + d.incident.unknownFlags)
                case "dash_score":
                    #expect((value as? NSNumber)?.int64Value == d.incident.dashScore.map(Int64.init), "\(f)")
                case "victim_pregnant":
                    #expect(value as? Bool == d.incident.victim.pregnant)
                default:
                    let want = DestinationRowTests.expected(f, d.incident, nil)
                    if let want { #expect(value as? String == want, "\(f)") } else { #expect(value is NSNull, "\(f)") }
                }
            }
            let children = try #require(object["children"] as? [[String: Any]])
            let listed = r.childIndex.map { [d.incident.children[$0]] } ?? d.incident.children
            try #require(children.count == listed.count)
            for (child, got) in zip(listed, children) {
                #expect(got["child_present"] as? Bool == child.present)
                #expect(got["child_injured"] as? Bool == child.injured)
                for f in ["child_id", "child_name", "child_dob", "child_school_urn", "child_education", "child_voice"] {
                    let want = DestinationRowTests.expected(f, d.incident, child)
                    if let want { #expect(got[f] as? String == want, "\(f)") } else { #expect(got[f] is NSNull, "\(f)") }
                }
            }
            #expect((object["reasons"] as? [[String: Any]])?.isEmpty == false)
        }
    }

    /// The decision line's head and each route are one piece each too: with the same incidents, the line
    /// reads back as the decision.
    @Test(arguments: Shape.allCases)
    func decisionLinesReadBackAsTheDecision(_ shape: Shape) throws {
        let (d, routes) = DestinationRowTests.screened(shape)
        let zone = DestinationRowTests.policy.zone
        for asOf in [nil, d.incident.occurredAt] {
            let line = DecisionEncoder(policy: DestinationRowTests.policy, asOf: asOf).jsonLine(d)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect(object["incident_id"] as? String == d.incident.incidentID)
            #expect(object["occurred_at"] as? String == zone.iso8601(d.incident.occurredAt))
            #expect(object["screened_out"] as? Bool == d.screenedOut)
            #expect(object["supersedes"] is NSNull)
            let got = try #require(object["routes"] as? [[String: Any]])
            try #require(got.count == routes.count)
            for (r, o) in zip(routes, got) {
                #expect(o["to"] as? String == r.destination)
                #expect(o["child_id"] as? String == r.childID)
                #expect(o["notify_by"] as? String == zone.iso8601(r.notifyBy))
                #expect(o["rules"] as? [String] == r.rules)
                #expect(o["priority"] is NSNull)
                #expect(o["overdue"] as? Bool == asOf.map { r.notifyBy < $0 })
            }
        }
    }

    /// A policy lists each field once (the validator keeps them in the vocabulary's order), but a destination
    /// made in code may repeat one: each copy is written, and the line's bound counts each. The incident's
    /// one long text is the repeated field (no slack from any other), escaped at nearly six bytes a byte.
    @Test(arguments: [false, true])
    func repeatedFieldsAreEachWritten(_ rich: Bool) throws {
        let policy = DestinationRowTests.policy
        let voice = DestinationRowTests.hostile(40)
        let incident = Incident(
            incidentID: "R", occurredAt: Build.at("2026-01-05 09:00"), victim: Person(personID: ""), dashRisk: .standard,
            children: [Child(personID: "", schoolURN: "1", voice: voice)])
        var screener = Screener(policy: policy)
        let d = screener.screen(incident)
        let name = rich ? "rich_child" : "flat_child"
        let route = try #require(d.routes.first { $0.destination == name })
        var destination = try #require(policy.destinations.first { $0.id == name })
        let repeated = ["child_voice", "child_voice", "child_voice"]
        destination.fields = rich ? ["reasons"] + repeated : repeated
        let writer = DestinationWriter(destination: destination, policy: policy, asOf: nil)
        var w = ByteWriter(capacity: 0)
        writer.write(d, route, into: &w)
        if rich {
            // Foundation keeps one of a repeated key: the copies are counted in the text instead.
            let key = Array("\"child_voice\":".utf8) + Array(try JSONSerialization.data(withJSONObject: voice, options: .fragmentsAllowed))
            let copies = (0...(w.bytes.count - key.count)).filter { w.bytes[$0..<($0 + key.count)].elementsEqual(key) }.count
            #expect(copies == 3, "the voice written \(copies) times")
            #expect((try? JSONSerialization.jsonObject(with: Data(w.bytes))) is [String: Any])
        } else {
            let rows = ScenarioCSV.rows(String(decoding: w.bytes, as: UTF8.self))
            try #require(rows.count == 1 && rows[0].count == writer.columnNames.count)
            #expect(rows[0].suffix(3).allSatisfy { $0 == DestinationRowTests.cell(voice) }, "the repeated fields differ")
        }
    }
}
