import Foundation
import Testing
import _TriageTestSupport

@testable import NotificationTriage
@testable import TriageSynthesis

/// A hand-built incident with awkward names, for exact encoder output.
func awkwardIncident(children: [Child]) -> Incident {
    Incident(
        incidentID: "INC-000042",
        occurredAt: london.instant(LocalDateTime(date: CivilDate(year: 2026, month: 7, day: 14)!, secondOfDay: 22 * 3600 + 15 * 60)),
        uprn: "100012345678", postcode: "NN1 4AB", householdID: nil,
        victim: Person(personID: "P-0000001", name: "Smith, \"Jo\"", dateOfBirth: CivilDate(year: 1990, month: 1, day: 2), pregnant: true),
        perpetrator: nil, relationship: .exPartner, dashRisk: .high, dashScore: 15,
        flags: [.strangulation, .weapon], unknownFlags: ["stalking"], children: children)
}

@Suite struct GeneratorEncoderTests {
    @Test func csvQuotingAndRowsPerChild() {
        let kids = [
            Child(
                personID: "C-1", name: "Line\nBreak", dateOfBirth: CivilDate(year: 2019, month: 4, day: 1), present: true,
                schoolURN: "123456"),
            Child(personID: "C-2", name: "Zoë O'Brien", dateOfBirth: nil, present: false, schoolURN: nil, injured: true),
        ]
        var out: [UInt8] = []
        IncidentEncoder.appendCSV(awkwardIncident(children: kids), zone: london, to: &out)
        let prefix =
            "INC-000042,2026-07-14T22:15:00+01:00,100012345678,NN1 4AB,,P-0000001,\"Smith, \"\"Jo\"\"\",1990-01-02,true,,,,ex_partner,high,15,weapon;strangulation;stalking,"
        #expect(
            String(decoding: out, as: UTF8.self) == prefix + "C-1,\"Line\nBreak\",2019-04-01,true,123456,false\n" + prefix
                + "C-2,Zoë O'Brien,,false,,true\n")
        out.removeAll()
        IncidentEncoder.appendCSV(awkwardIncident(children: []), zone: london, to: &out)
        #expect(String(decoding: out, as: UTF8.self) == prefix + ",,,,,\n")
    }

    @Test func csvQuotesUnknownFlagWithComma() {
        var i = awkwardIncident(children: [])
        i.unknownFlags = ["odd,flag"]
        var out: [UInt8] = []
        IncidentEncoder.appendCSV(i, zone: london, to: &out)
        #expect(String(decoding: out, as: UTF8.self).contains(",15,\"weapon;strangulation;odd,flag\",,,,,,\n"))
    }

    @Test func jsonEscapingAndShape() throws {
        var i = awkwardIncident(children: [Child(personID: "C-1", name: "Tab\there \\ \u{01}", present: true)])
        i.perpetrator = Person(personID: "P-2", name: "Zoë", dateOfBirth: nil)
        var out: [UInt8] = []
        IncidentEncoder.appendJSONLine(i, zone: london, to: &out)
        let expected =
            #"{"incident_id":"INC-000042","occurred_at":"2026-07-14T22:15:00+01:00","uprn":"100012345678","postcode":"NN1 4AB","household_id":null,"#
            + #""victim":{"person_id":"P-0000001","name":"Smith, \"Jo\"","dob":"1990-01-02","pregnant":true},"#
            + #""perpetrator":{"person_id":"P-2","name":"Zoë","dob":null},"relationship":"ex_partner","dash_risk":"high","dash_score":15,"#
            + #""flags":["weapon","strangulation","stalking"],"children":[{"person_id":"C-1","name":"Tab\there \\ \u0001","dob":null,"#
            + #""present":true,"school_urn":null,"injured":false}]}"# + "\n"
        #expect(String(decoding: out, as: UTF8.self) == expected)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(out)) as? [String: Any])
        #expect((object["victim"] as? [String: Any])?["name"] as? String == "Smith, \"Jo\"")
        #expect(((object["children"] as? [[String: Any]])?.first?["name"] as? String) == "Tab\there \\ \u{01}")
    }

    @Test func generatedLinesAreValidJSONAndMatchCSVTimes() throws {
        let incidents = generate(GeneratorOptions(incidents: 2_000, seed: 3, start: CivilDate(year: 2025, month: 3, day: 20)!))
        for i in incidents {
            var line: [UInt8] = []
            IncidentEncoder.appendJSONLine(i, zone: london, to: &line)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any])
            #expect(object["occurred_at"] as? String == london.iso8601(i.occurredAt))
            #expect((object["children"] as? [Any])?.count == i.children.count)
            var reference: [UInt8] = []
            london.appendISO8601(i.occurredAt, to: &reference)
            var csv: [UInt8] = []
            IncidentEncoder.appendCSV(i, zone: london, to: &csv)
            #expect(String(decoding: csv, as: UTF8.self).contains(String(decoding: reference, as: UTF8.self)))
        }
    }

    @Test func flagNamesMatchModelOrder() {
        for (bit, entry) in RiskFlags.named.enumerated() {
            #expect(entry.flag.rawValue == 1 << bit)
            #expect(IncidentEncoder.flagName(bit).description == entry.name)
        }
    }

    @Test func fastCivilMatchesModel() {
        for day in stride(from: Int32(-800_000), through: 800_000, by: 7) {
            let a = ByteCursor.civil(day)
            let b = CivilDate.civilFromDays(Int(day))
            #expect(a == b)
            if a != b { break }
        }
    }
}
