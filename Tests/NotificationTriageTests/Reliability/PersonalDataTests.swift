import Foundation
import Testing
import _TriageTestSupport

@testable import NotificationTriage

/// Distinctive made-up names and a postcode are put into every input column in turn (one record per
/// column and value, so every field's parser sees each): none may come back in a reject message, on
/// standard error or in the summary. Name columns hold names legitimately; the check is on messages.
@Suite struct PersonalDataTests {
    typealias F = InputFixtures

    static let values = ["Zebedee Quokkasmith", "ZZ9 9ZZ", "Xanthippe Vorobyev"]
    /// Parts that must not appear either (a message could quote a word of a value).
    static let needles = ["Zebedee", "Quokkasmith", "ZZ9", "9ZZ", "Xanthippe", "Vorobyev", "quokkasmith", "vorobyev"]

    /// The default JSON line's text for each column, replaced by `"key":"VALUE"` in turn.
    static let jsonFields: [String: String] = [
        "incident_id": #""incident_id":"INC-1""#, "occurred_at": #""occurred_at":"2026-03-14T22:15:00+00:00""#,
        "uprn": #""uprn":"100023336956""#, "postcode": #""postcode":"NN1 1AA""#, "household_id": #""household_id":null"#,
        "victim_id": #""person_id":"P1""#, "victim_name": #""name":"Ann Example""#, "victim_dob": #""dob":"1990-01-01""#,
        "victim_pregnant": #""pregnant":false"#, "perpetrator_id": #""person_id":"P2""#,
        "perpetrator_name": #""name":"Bob Example""#, "perpetrator_dob": #""dob":"1988-05-05""#,
        "relationship": #""relationship":"partner""#, "dash_risk": #""dash_risk":"medium""#,
        "dash_score": #""dash_score":9"#, "flags": #""flags":["injury","substance_misuse"]"#,
        "child_id": #""person_id":"C1""#, "child_name": #""name":"Cal Example""#, "child_dob": #""dob":"2019-04-01""#,
        "child_present": #""present":true"#, "child_school_urn": #""school_urn":"123456""#,
        "child_injured": #""injured":false"#, "location": #""location":null"#,
        "circumstances": #""circumstances":null"#, "child_education": #""education":null"#, "child_voice": #""voice":null"#,
    ]

    /// CSV: a header and one row per (column, value); incident ids `PD-n` except in the id column's rows.
    static var csv: String {
        var rows = [F.header]
        var n = 0
        for column in Column.names {
            for v in values {
                n += 1
                var overrides = ["incident_id": "PD-\(n)"]
                overrides[column] = v
                rows.append(F.row(overrides))
            }
        }
        return rows.joined(separator: "\n") + "\n"
    }

    /// JSON Lines: one line per (column, value), as for CSV.
    static var jsonl: String {
        var lines: [String] = []
        var n = 0
        for column in Column.names {
            let text = jsonFields[column]!
            let key = text.prefix(while: { $0 != ":" })
            for v in values {
                n += 1
                let line = F.jsonLine.replacingOccurrences(of: #""incident_id":"INC-1""#, with: #""incident_id":"PD-\#(n)""#)
                let target = column == "incident_id" ? #""incident_id":"PD-\#(n)""# : text
                lines.append(line.replacingOccurrences(of: target, with: key + #":""# + v + #"""#))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func leaks(_ text: String) -> [String] { needles.filter { text.contains($0) } }

    @Test(arguments: ["csv", "jsonl"])
    func readersQuoteNoValueInRejects(_ format: String) throws {
        let records = format == "csv" ? try F.csv(Self.csv) : try F.jsonl(Self.jsonl)
        #expect(records.count == Column.names.count * Self.values.count)
        let rejects = records.compactMap(\.reject)
        #expect(rejects.count >= 10)  // dates, gradings, numbers and booleans refuse a name
        for r in rejects {
            #expect(Self.leaks(r.message) == [], "\(r.field ?? "-"): \(r.message)")
            #expect(r.message.utf8.count <= ValueDescription.maxMessageBytes)
        }
    }

    @Test(arguments: ["csv", "jsonl"])
    func screenQuotesNoValueOnStandardErrorRejectsOrSummary(_ format: String) throws {
        let dir = Triage.tempDir()
        let input = dir.appendingPathComponent("in.\(format)")
        try Data((format == "csv" ? Self.csv : Self.jsonl).utf8).write(to: input)
        // Rejects on standard error.
        let plain = try Triage.run(["screen", input.path])
        #expect(plain.status == 3)
        #expect(plain.stderr.contains("reject:"))
        #expect(Self.leaks(plain.stderr) == [], "stderr: \(plain.stderr)")
        // Rejects and summary to files.
        let rejects = dir.appendingPathComponent("rejects.jsonl")
        let summary = dir.appendingPathComponent("summary.json")
        let r = try Triage.run(["screen", input.path, "--rejects", rejects.path, "--summary", summary.path])
        #expect(r.status == 3)
        #expect(Self.leaks(r.stderr) == [])
        let rejectsText = try String(contentsOf: rejects, encoding: .utf8)
        #expect(!rejectsText.isEmpty)
        #expect(Self.leaks(rejectsText) == [], "rejects: \(rejectsText)")
        #expect(Self.leaks(try String(contentsOf: summary, encoding: .utf8)) == [])
    }

    @Test func csvWithoutAHeaderDoesNotEchoItsFirstRow() throws {
        // The first data row is taken as the header: the error names the missing columns, not its cells.
        let text = Self.csv.split(separator: "\n").dropFirst().prefix(5).joined(separator: "\n") + "\n"
        let rowsOnly = text.replacingOccurrences(of: "Ann Example", with: "Zebedee Quokkasmith")
        let error = try #require(throws: InputError.self) { _ = try F.csv(rowsOnly) }
        #expect(error.message.hasPrefix("missing required columns"))
        #expect(Self.leaks(error.message) == [])
        #expect(!error.message.contains("1990-01-01"))
        let dir = Triage.tempDir()
        let input = dir.appendingPathComponent("rows.csv")
        try Data(rowsOnly.utf8).write(to: input)
        let r = try Triage.run(["screen", input.path])
        #expect(r.status != 0)
        #expect(Self.leaks(r.stderr) == [])
    }

    @Test func aDataFileGivenAsTheColumnMappingIsNotEchoed() throws {
        let mapping = "Ref No: Zebedee Quokkasmith\nWhen: occured_at\n"
        let error = try #require(throws: PolicyErrors.self) { _ = try ColumnMap.parse(mapping, source: "m.yaml") }
        let text = error.errors.map(\.message).joined(separator: "\n")
        #expect(Self.leaks(text) == [])
        #expect(text.contains("(did you mean 'occurred_at'?)"))
    }
}
