import Testing

@testable import NotificationTriage

@Suite struct InputJSONLinesReaderTests {
    typealias F = InputFixtures

    @Test func sameIncidentAsCSV() throws {
        let fromJSON = try F.jsonl(F.jsonLine + "\n")
        let fromCSV = try F.csv(F.header + "\n" + F.row() + "\n")
        #expect(fromJSON.count == 1)
        #expect(fromJSON[0].incident == F.expectedIncident)
        #expect(fromJSON[0].incident == fromCSV[0].incident)
        #expect(fromJSON[0].location == SourceLocation(source: "in.jsonl", line: 1))
    }

    @Test func blankLinesCRLFAndBOM() throws {
        let text = "\n  \r\n" + F.jsonLine + "\r\n\n" + F.jsonLine.replacingOccurrences(of: "INC-1", with: "INC-2")
        let records = try F.jsonl([0xEF, 0xBB, 0xBF] + Array(text.utf8))
        #expect(records.compactMap(\.incident).map(\.incidentID) == ["INC-1", "INC-2"])
        #expect(records.map(\.location.line) == [3, 5])
    }

    @Test func unknownKeysAreSkipped() throws {
        let line =
            #"{"extra":{"a":[1,2.5e3,{"b":null}],"c":"\u00e9\"x"},"incident_id":"INC-1","t":true,"f":false,"#
            + #""occurred_at":"2026-03-14T22:15:00Z","victim":{"person_id":"P1","note":[[]]},"dash_risk":"high","#
            + #""postcode":"NN1 1AA","n":-0.5E-2}"#
        let records = try F.jsonl(line)
        let i = try #require(records.first?.incident)
        #expect(i.victim.personID == "P1" && i.dashRisk == .high && i.postcode == "NN1 1AA")
    }

    @Test func lenientValueForms() throws {
        let line =
            #"{"incident_id":123,"occurred_at":"14/03/2026 22:15","uprn":100023336956,"victim":{"person_id":"P1","#
            + #""pregnant":"Yes"},"dash_risk":"Medium","dash_score":"12","flags":"Injury; stalking","#
            + #""children":[{"person_id":"C1","present":"y"},{}],"perpetrator":null,"relationship":null}"#
        let i = try #require(try F.jsonl(line).first?.incident)
        #expect(i.incidentID == "123" && i.uprn == "100023336956")
        #expect(i.victim.pregnant && i.dashScore == 12 && i.dashRisk == .medium)
        #expect(i.flags == [.injury] && i.unknownFlags == ["stalking"])
        #expect(i.children == [Child(personID: "C1", present: true)])
        #expect(i.perpetrator == nil && i.relationship == nil)
    }

    @Test func escapesAndUnicode() throws {
        let line =
            #"{"incident_id":"INC-\u0031","occurred_at":"2026-03-14T22:15:00Z","postcode":"NN1 1AA","#
            + #""victim":{"person_id":"P1","name":"Zo\u00eb \ud83d\ude00 \"A\"\\\/\t"},"dash_risk":"high"}"#
        let i = try #require(try F.jsonl(line).first?.incident)
        #expect(i.incidentID == "INC-1")
        #expect(i.victim.name == "Zoë 😀 \"A\"\\/")
    }

    struct SyntaxCase: CustomTestStringConvertible, Sendable {
        var name: String
        var line: String
        var column: Int
        var message: String
        var testDescription: String { name }
    }

    @Test(arguments: [
        SyntaxCase(name: "bad escape", line: #"{"incident_id":"a\qb"}"#, column: 18, message: "invalid escape in string"),
        SyntaxCase(name: "trailing comma in object", line: #"{"incident_id":"a",}"#, column: 20, message: "trailing comma in object"),
        SyntaxCase(name: "trailing comma in array", line: #"{"flags":["a",]}"#, column: 15, message: "trailing comma in array"),
        SyntaxCase(name: "unterminated string", line: #"{"incident_id":"abc"#, column: 16, message: "unterminated string"),
        SyntaxCase(name: "missing colon", line: #"{"incident_id" "a"}"#, column: 16, message: "expected ':' after object key"),
        SyntaxCase(name: "missing comma", line: #"{"a":1 "b":2}"#, column: 8, message: "expected ',' or '}' in object"),
        SyntaxCase(name: "single quotes", line: #"{'a':1}"#, column: 2, message: "expected a string key in object"),
        SyntaxCase(name: "bad literal", line: #"{"a":tru}"#, column: 6, message: "invalid literal: expected true, false or null"),
        SyntaxCase(name: "leading zero", line: #"{"a":01}"#, column: 7, message: "expected ',' or '}' in object"),
        SyntaxCase(name: "bare fraction", line: #"{"a":1.}"#, column: 8, message: "invalid number: expected a digit after '.'"),
        SyntaxCase(name: "lone low surrogate", line: #"{"a":"\udc00"}"#, column: 7, message: #"invalid \u escape: lone low surrogate"#),
        SyntaxCase(
            name: "high surrogate alone", line: #"{"a":"\ud83dx"}"#, column: 7,
            message: #"invalid \u escape: high surrogate without a low surrogate"#),
        SyntaxCase(name: "short \\u", line: #"{"a":"\u12"}"#, column: 7, message: #"invalid \u escape: expected four hex digits"#),
        SyntaxCase(
            name: "raw tab in string", line: "{\"a\":\"x\ty\"}", column: 8, message: "control character in string: expected it escaped"),
        SyntaxCase(name: "not an object", line: #"[1,2]"#, column: 1, message: "expected an object"),
        SyntaxCase(name: "content after object", line: #"{"a":1} x"#, column: 9, message: "unexpected content after the object"),
        SyntaxCase(name: "unclosed object", line: #"{"a":1"#, column: 7, message: "unexpected end of line inside an object"),
        SyntaxCase(name: "unexpected character", line: #"{"a":@}"#, column: 6, message: "unexpected character: expected a value"),
    ])
    func syntaxErrors(_ c: SyntaxCase) throws {
        let records = try F.jsonl(c.line + "\n" + F.jsonLine + "\n")
        #expect(records.count == 2)
        let r = try #require(records[0].reject)
        #expect(r.location == SourceLocation(source: "in.jsonl", line: 1, column: c.column))
        #expect(r.message == c.message)
        #expect(records[1].incident == F.expectedIncident)  // reading continues at the next line
    }

    @Test func invalidUTF8InString() throws {
        var bytes = Array(#"{"incident_id":"a"#.utf8)
        bytes += [0xC3, 0x28]
        bytes += Array("\"}\n".utf8)
        let r = try #require(try F.jsonl(bytes).first?.reject)
        #expect(r.message == "invalid utf-8 in string")
        #expect(r.location.column == 18)
    }

    @Test func deepNesting() throws {
        let ok = #"{"incident_id":"INC-1","x":"# + String(repeating: "[", count: 63) + String(repeating: "]", count: 63) + "}"
        let tooDeep = #"{"x":"# + String(repeating: "[", count: 64) + String(repeating: "]", count: 64) + "}"
        let records = try F.jsonl(ok + "\n" + tooDeep + "\n")
        #expect(records[0].reject?.message == "missing occurred_at")  // parsed: 64 levels are allowed
        let r = try #require(records[1].reject)
        #expect(r.message == "nesting deeper than 64 levels")
        #expect(r.location.column == 6 + 63)
    }

    struct FieldCase: CustomTestStringConvertible, Sendable {
        var name: String
        var replace: (String, String)
        var field: String?
        var message: String
        var testDescription: String { name }
    }

    @Test(arguments: [
        FieldCase(
            name: "bad dob", replace: (#""dob":"1990-01-01""#, #""dob":"1990-02-30""#), field: "victim_dob",
            message: "invalid date in 'victim_dob': expected YYYY-MM-DD or DD/MM/YYYY"),
        FieldCase(name: "no victim id", replace: (#""person_id":"P1","#, ""), field: "victim_id", message: "missing victim_id"),
        FieldCase(
            name: "no household", replace: (#""uprn":"100023336956","postcode":"NN1 1AA","#, ""), field: "household_id",
            message: "missing household: expected household_id, uprn or postcode"),
        FieldCase(
            name: "fractional score", replace: (#""dash_score":9"#, #""dash_score":9.5"#), field: "dash_score",
            message: "invalid dash_score '9.5': expected a whole number from 0 to 27"),
        FieldCase(
            name: "negative score", replace: (#""dash_score":9"#, #""dash_score":-1"#), field: "dash_score",
            message: "invalid dash_score '-1': expected a whole number from 0 to 27"),
        FieldCase(
            name: "child without id", replace: (#""person_id":"C1","#, ""), field: "child_id",
            message: "child details without child_id"),
        FieldCase(
            name: "victim not an object", replace: (#""victim":{"#, #""victim":7,"v":{"#), field: "victim",
            message: "expected an object"),
        FieldCase(
            name: "boolean as number", replace: (#""pregnant":false"#, #""pregnant":0"#), field: "victim_pregnant",
            message: "expected true or false in 'victim_pregnant'"),
        FieldCase(
            name: "unknown risk", replace: (#""dash_risk":"medium""#, #""dash_risk":"severe""#), field: "dash_risk",
            message: "unknown dash_risk 'severe': expected standard, medium or high"),
    ])
    func fieldRejects(_ c: FieldCase) throws {
        let line = F.jsonLine.replacingOccurrences(of: c.replace.0, with: c.replace.1)
        #expect(line != F.jsonLine)
        let r = try #require(try F.jsonl(line).first?.reject)
        #expect(r.field == c.field)
        #expect(r.message == c.message)
        #expect(r.incidentID == "INC-1")
        #expect(r.location.line == 1)
    }
}
