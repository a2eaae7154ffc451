import Testing

@testable import NotificationTriage

@Suite struct InputCSVReaderTests {
    typealias F = InputFixtures

    @Test func readsCanonicalRow() throws {
        let records = try F.csv(F.header + "\n" + F.row() + "\n")
        #expect(records.count == 1)
        #expect(records[0].incident == F.expectedIncident)
        #expect(records[0].location == SourceLocation(source: "in.csv", line: 2))
    }

    @Test func quotedCommasQuotesAndNewlines() throws {
        let text =
            F.header + "\n"
            + F.row(["victim_name": #""Example, Ann ""Annie""""#, "postcode": "\"NN1\n1AA\""]) + "\n"
            + F.row(["incident_id": "INC-2"]) + "\n"
        let records = try F.csv(text)
        #expect(records.count == 2)
        let i = try #require(records[0].incident)
        #expect(i.victim.name == #"Example, Ann "Annie""#)
        #expect(i.postcode == "NN1\n1AA")
        // The second incident starts on line 4: the quoted newline took a line.
        #expect(records[1].location.line == 4)
        #expect(records[1].incident?.incidentID == "INC-2")
    }

    @Test func byteOrderMarkAndCRLF() throws {
        let text = F.header + "\r\n" + F.row() + "\r\n" + F.row(["incident_id": "INC-2", "child_injured": ""]) + "\r\n"
        let records = try F.csv([0xEF, 0xBB, 0xBF] + Array(text.utf8))
        #expect(records.compactMap(\.incident).count == 2)
        #expect(records[0].incident == F.expectedIncident)
        #expect(records[1].incident?.children.first?.injured == false)
    }

    @Test func noTrailingNewline() throws {
        let records = try F.csv(F.header + "\n" + F.row())
        #expect(records.map(\.incident) == [F.expectedIncident])
    }

    @Test func columnsReorderedExtraColumnsAndRenames() throws {
        let names = Column.names.reversed() + ["force_notes"]
        var values = Array(F.row().split(separator: ",", omittingEmptySubsequences: false).map(String.init).reversed())
        values.append("ignored, really")
        let header = names.map { $0 == "incident_id" ? " Ref No " : $0.uppercased() }.joined(separator: ",")
        let text = header + "\n" + values.map { $0.contains(",") ? "\"\($0)\"" : $0 }.joined(separator: ",") + "\n"
        let source = ByteSource(bytes: Array(text.utf8))
        var reader = try CSVIncidentReader(
            source: source, name: "x.csv", zone: F.london, columns: ColumnMap(renames: ["ref no": "Incident_ID"]))
        let records = try F.readAll(&reader)
        #expect(records.map(\.incident) == [F.expectedIncident])
    }

    @Test func optionalColumnsMayBeAbsent() throws {
        let text = "incident_id,occurred_at,victim_id,dash_risk,postcode\nINC-9,2026-01-10 10:00,P1,HIGH,NN1 1AA\n"
        let records = try F.csv(text)
        let i = try #require(records.first?.incident)
        #expect(i.dashRisk == .high && i.children.isEmpty && i.perpetrator == nil && i.uprn == nil)
    }

    struct MissingCase: CustomTestStringConvertible, Sendable {
        var drop: [String]
        var message: String
        var testDescription: String { drop.joined(separator: "+") }
    }

    @Test(arguments: [
        MissingCase(drop: ["victim_id"], message: "missing required column: victim_id"),
        MissingCase(drop: ["incident_id", "dash_risk"], message: "missing required columns: incident_id, dash_risk"),
        MissingCase(
            drop: ["household_id", "uprn", "postcode"],
            message: "missing required column: one of household_id, uprn or postcode"),
    ])
    func missingRequiredColumn(_ c: MissingCase) throws {
        let header = Column.names.filter { !c.drop.contains($0) }.joined(separator: ",")
        let source = ByteSource(bytes: Array((header + "\n").utf8))
        #expect(throws: InputError(c.message, at: SourceLocation(source: "in.csv", line: 1))) {
            _ = try CSVIncidentReader(source: source, name: "in.csv", zone: F.london)
        }
    }

    @Test func emptyInputIsAnError() {
        #expect(throws: InputError.self) { _ = try F.csv("") }
    }

    @Test func groupsAdjacentChildRows() throws {
        let text =
            F.header + "\n"
            + F.row(["child_id": "C1"]) + "\n" + F.row(["child_id": "C2", "child_name": "Dee"]) + "\n"
            + F.row([
                "incident_id": "INC-2", "child_id": "", "child_name": "", "child_dob": "", "child_present": "",
                "child_school_urn": "", "child_injured": "",
            ]) + "\n"
            + F.row(["child_id": "C3"]) + "\n"
        let records = try F.csv(text)
        #expect(records.count == 3)
        #expect(records[0].incident?.children.map(\.personID) == ["C1", "C2"])
        #expect(records[0].incident?.children[1].name == "Dee")
        #expect(records[1].incident?.children == [])
        #expect(records[2].incident?.incidentID == "INC-1")  // not adjacent: a separate incident
        #expect(records.map(\.location.line) == [2, 4, 5])
    }

    struct RejectCase: CustomTestStringConvertible, Sendable {
        var name: String
        var overrides: [String: String]
        var field: String?
        var message: String
        var testDescription: String { name }
    }

    @Test(arguments: [
        RejectCase(
            name: "bad dob", overrides: ["victim_dob": "31/02/1990"], field: "victim_dob",
            message: "invalid date in 'victim_dob': a 10-character text; expected YYYY-MM-DD or DD/MM/YYYY"),
        RejectCase(
            name: "bad risk", overrides: ["dash_risk": "severe"], field: "dash_risk",
            message: "unknown dash_risk: a 6-character text; expected standard, medium or high"),
        RejectCase(
            name: "bad relationship", overrides: ["relationship": "neighbour"], field: "relationship",
            message: "unknown relationship: a 9-character text; expected partner, ex_partner, parent, child, sibling, other_family or other"
        ),
        RejectCase(
            name: "score too high", overrides: ["dash_score": "28"], field: "dash_score",
            message: "invalid dash_score: a 2-digit number; expected a whole number from 0 to 27"),
        RejectCase(
            name: "bad boolean", overrides: ["victim_pregnant": "perhaps"], field: "victim_pregnant",
            message: "invalid boolean in 'victim_pregnant': a 7-character text; expected true/false, yes/no, y/n or 1/0"),
        RejectCase(name: "missing victim", overrides: ["victim_id": ""], field: "victim_id", message: "missing victim_id"),
        RejectCase(
            name: "missing household", overrides: ["uprn": "", "postcode": "", "household_id": " "],
            field: "household_id", message: "missing household: expected household_id, uprn or postcode"),
        RejectCase(
            name: "child without id", overrides: ["child_id": ""], field: "child_id",
            message: "child details without child_id"),
        RejectCase(
            name: "bad occurred_at", overrides: ["occurred_at": "2026-13-01T10:00"], field: "occurred_at",
            message:
                "invalid date-time in 'occurred_at': a 16-character text; expected YYYY-MM-DDTHH:MM[:SS] with optional Z or ±HH:MM offset, or DD/MM/YYYY HH:MM[:SS]"
        ),
        RejectCase(
            name: "personal value never quoted", overrides: ["child_dob": "Cal's birthday"], field: "child_dob",
            message: "invalid date in 'child_dob': a 14-character text; expected YYYY-MM-DD or DD/MM/YYYY"),
    ])
    func fieldRejects(_ c: RejectCase) throws {
        let records = try F.csv(F.header + "\n" + F.row(c.overrides) + "\n" + F.row(["incident_id": "INC-2"]) + "\n")
        #expect(records.count == 2)
        let r = try #require(records[0].reject)
        #expect(r.field == c.field)
        #expect(r.message == c.message)
        #expect(r.incidentID == "INC-1")
        #expect(r.location.line == 2)
        if let field = c.field, let column = Column(name: field) {
            // The column is the byte column of the bad field on its line.
            let row = F.row(c.overrides)
            let prefix = row.split(separator: ",", omittingEmptySubsequences: false).prefix(column.rawValue)
            #expect(r.location.column == prefix.reduce(0) { $0 + $1.utf8.count + 1 } + 1)
        }
        #expect(records[1].incident?.incidentID == "INC-2")
    }

    @Test func invalidUTF8IsRejected() throws {
        var bytes = Array((F.header + "\n").utf8)
        bytes += Array(F.row(["victim_name": "AnnX"]).utf8).map { $0 == UInt8(ascii: "X") ? 0xFF : $0 }
        bytes += Array("\n".utf8)
        let r = try #require(try F.csv(bytes).first?.reject)
        #expect(r.field == "victim_name")
        #expect(r.message == "invalid utf-8 in 'victim_name'")
    }

    @Test func wrongColumnCount() throws {
        let short = F.row().split(separator: ",", omittingEmptySubsequences: false).dropLast().joined(separator: ",")
        let records = try F.csv(F.header + "\n" + short + "\n" + F.row(["incident_id": "INC-2"]) + "\n")
        let r = try #require(records[0].reject)
        #expect(r.message == "expected 26 fields, found 25")
        #expect(r.location.line == 2)
        #expect(r.incidentID == "INC-1")
        #expect(records[1].incident != nil)
    }

    @Test func badRowInsideThreeRowIncidentRejectsOnce() throws {
        let text =
            F.header + "\n"
            + F.row(["child_id": "C1"]) + "\n"
            + F.row(["child_id": "C2", "child_dob": "2019-02-30"]) + "\n"
            + F.row(["child_id": "C3", "child_present": "often"]) + "\n"
            + F.row(["incident_id": "INC-2"]) + "\n"
        let records = try F.csv(text)
        #expect(records.count == 2)
        let r = try #require(records[0].reject)
        #expect(r.location.line == 3)
        #expect(r.field == "child_dob")
        #expect(r.incidentID == "INC-1")
        #expect(records[1].incident?.incidentID == "INC-2")
    }

    @Test func junkAfterClosingQuote() throws {
        let records = try F.csv(F.header + "\n" + F.row(["victim_name": #""Ann"x"#]) + "\n")
        let r = try #require(records.first?.reject)
        #expect(r.field == "victim_name")
        #expect(r.message == "unexpected character after closing quote in 'victim_name'")
    }

    @Test func fileEndingInsideQuote() throws {
        let text = F.header + "\n" + F.row() + "\n" + F.row(["incident_id": "INC-2", "victim_name": "\"Ann\nExample"])
        let records = try F.csv(text)
        #expect(records.count == 2)
        #expect(records[0].incident?.incidentID == "INC-1")
        let r = try #require(records[1].reject)
        #expect(r.message == "file ends inside a quoted field opened at line 3")
        #expect(r.location.line == 3)
        #expect(r.incidentID == "INC-2")
    }

    @Test func oversizeRecordIsSkipped() throws {
        let big = String(repeating: "x", count: 5_000)
        let text =
            F.header + "\n" + F.row() + "\n" + F.row(["incident_id": "INC-2", "victim_name": big]) + "\n"
            + F.row(["incident_id": "INC-3"]) + "\n"
        let records = try F.csv(text, chunkSize: 256, maxRecordBytes: 1_000)
        #expect(records.count == 3)
        #expect(records[1].reject?.message == "record larger than the limit of 1000 bytes: skipped to the next line")
        #expect(records[1].reject?.incidentID == "INC-2")
        #expect(records[2].incident?.incidentID == "INC-3")
        #expect(records[2].location.line == 4)
    }

    @Test func oversizeIncidentGroup() throws {
        var text = F.header + "\n"
        for i in 0..<20 { text += F.row(["child_id": "C\(i)"]) + "\n" }
        text += F.row(["incident_id": "INC-2"]) + "\n"
        let records = try F.csv(text, chunkSize: 300, maxRecordBytes: 2_000)
        #expect(records.count == 2)
        #expect(records[0].reject?.message == "incident larger than the limit of 2000 bytes")
        #expect(records[1].incident?.incidentID == "INC-2")
    }

    @Test func blankLinesSkippedAndCountsAddUp() throws {
        // 6 incidents: 3 good, 3 bad (one bad in the middle of a group), separated by blank lines.
        let text =
            F.header + "\n\n"
            + F.row(["incident_id": "A"]) + "\n"
            + F.row(["incident_id": "B", "dash_risk": ""]) + "\n"
            + F.row(["incident_id": "C", "child_id": "C1"]) + "\n" + F.row(["incident_id": "C", "child_id": "C2"]) + "\n\r\n"
            + F.row(["incident_id": "D", "child_id": "C1"]) + "\n" + F.row(["incident_id": "D", "child_dob": "x"]) + "\n"
            + F.row(["incident_id": "E"]) + "\n"
            + F.row(["incident_id": "", "dash_risk": "high"]) + "\n"
        let records = try F.csv(text)
        #expect(records.count == 6)
        #expect(records.compactMap(\.incident).map(\.incidentID) == ["A", "C", "E"])
        let rejects = records.compactMap(\.reject)
        #expect(rejects.map(\.incidentID) == ["B", "D", nil])
        #expect(rejects.allSatisfy { $0.location.line > 0 && $0.field != nil })
        #expect(rejects.map(\.location.line) == [4, 9, 11])
    }
}
