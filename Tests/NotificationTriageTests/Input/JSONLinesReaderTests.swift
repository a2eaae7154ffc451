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
            message: "invalid date in 'victim_dob': a 10-character text; expected YYYY-MM-DD or DD/MM/YYYY"),
        FieldCase(name: "no victim id", replace: (#""person_id":"P1","#, ""), field: "victim_id", message: "missing victim_id"),
        FieldCase(
            name: "no household", replace: (#""uprn":"100023336956","postcode":"NN1 1AA","#, ""), field: "household_id",
            message: "missing household: expected household_id, uprn or postcode"),
        FieldCase(
            name: "fractional score", replace: (#""dash_score":9"#, #""dash_score":9.5"#), field: "dash_score",
            message: "invalid dash_score: a 3-character text; expected a whole number from 0 to 27"),
        FieldCase(
            name: "negative score", replace: (#""dash_score":9"#, #""dash_score":-1"#), field: "dash_score",
            message: "invalid dash_score: a 2-character text; expected a whole number from 0 to 27"),
        FieldCase(
            name: "child without id", replace: (#""person_id":"C1","#, ""), field: "child_id",
            message: "child details without child_id"),
        FieldCase(
            name: "victim not an object", replace: (#""victim":{"#, #""victim":7,"v":{"#), field: "victim",
            message: "expected an object, found a number"),
        FieldCase(
            name: "boolean as number", replace: (#""pregnant":false"#, #""pregnant":0"#), field: "victim_pregnant",
            message: "expected true or false in 'victim_pregnant', found a number"),
        FieldCase(
            name: "risk as a number", replace: (#""dash_risk":"medium""#, #""dash_risk":3"#), field: "dash_risk",
            message: "expected a string in 'dash_risk', found a number"),
        FieldCase(
            name: "children as an object", replace: (#""children":["#, #""children":{"a":["#), field: "children",
            message: "expected an array, found an object"),
        FieldCase(
            name: "flag as an object", replace: (#""flags":["injury""#, #""flags":[{}"#), field: "flags",
            message: "expected strings in 'flags', found an object"),
        FieldCase(
            name: "unknown risk", replace: (#""dash_risk":"medium""#, #""dash_risk":"severe""#), field: "dash_risk",
            message: "unknown dash_risk: a 6-character text; expected standard, medium or high"),
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

    struct DuplicateCase: CustomTestStringConvertible, Sendable {
        var name: String
        /// Text inserted into the default line, and what it replaces.
        var replace: (String, String)
        /// The repeated key as written the second time (its column is the reject's).
        var second: String
        var field: String?
        var message: String
        var testDescription: String { name }
    }

    @Test(arguments: [
        DuplicateCase(
            name: "scalar at top level", replace: (#""dash_risk":"medium""#, #""dash_risk":"high","dash_risk":"standard""#),
            second: #""dash_risk":"standard""#, field: "dash_risk", message: "duplicate key 'dash_risk'"),
        DuplicateCase(
            name: "same value twice", replace: (#""uprn":"100023336956""#, #""uprn":"100023336956","uprn":"100023336956""#),
            second: #","uprn""#, field: "uprn", message: "duplicate key 'uprn'"),
        DuplicateCase(
            name: "array twice", replace: (#""flags":["#, #""flags":["stalking"],"flags":["#), second: #","flags":["injury""#,
            field: "flags", message: "duplicate key 'flags'"),
        DuplicateCase(
            name: "object twice", replace: (#""perpetrator":{"#, #""perpetrator":null,"perpetrator":{"#),
            second: #""perpetrator":{"#, field: "perpetrator", message: "duplicate key 'perpetrator'"),
        DuplicateCase(
            name: "children twice", replace: (#""children":["#, #""children":[],"children":["#), second: #""children":[{"#,
            field: "children", message: "duplicate key 'children'"),
        DuplicateCase(
            name: "inside victim", replace: (#""person_id":"P1""#, #""person_id":"P1","person_id":"P9""#),
            second: #""person_id":"P9""#, field: "victim_id", message: "duplicate key 'person_id' in 'victim'"),
        DuplicateCase(
            name: "inside perpetrator", replace: (#""name":"Bob Example""#, #""name":"Bob Example","name":"Rob""#),
            second: #""name":"Rob""#, field: "perpetrator_name", message: "duplicate key 'name' in 'perpetrator'"),
        DuplicateCase(
            name: "inside a child", replace: (#""present":true"#, #""present":true,"present":false"#),
            second: #""present":false"#, field: "child_present", message: "duplicate key 'present' in a child"),
        DuplicateCase(
            name: "escaped spelling of a known key", replace: (#""dash_risk":"medium""#, #""dash_risk":"medium","dash\u005frisk":"high""#),
            second: #""dash\u005frisk""#, field: "dash_risk", message: "duplicate key 'dash_risk'"),
        DuplicateCase(
            name: "unknown key", replace: (#""relationship""#, #""note":1,"note":[2],"relationship""#), second: #""note":["#,
            field: nil, message: "duplicate key 'note'"),
        DuplicateCase(
            name: "unknown key in victim", replace: (#""pregnant":false"#, #""pregnant":false,"x":1,"x":1"#),
            second: #","x":1}"#, field: nil, message: "duplicate key 'x' in 'victim'"),
        DuplicateCase(
            name: "inside an unknown object", replace: (#""relationship""#, #""extra":{"a":{"b":1,"b":2}},"relationship""#),
            second: #""b":2"#, field: nil, message: "duplicate key 'b'"),
        DuplicateCase(
            name: "key that is not name-like is not quoted",
            replace: (#""relationship""#, #""Zebedee Quokkasmith":1,"Zebedee Quokkasmith":2,"relationship""#),
            second: #""Zebedee Quokkasmith":2"#, field: nil, message: "duplicate key (a 19-character text)"),
    ])
    func duplicateKeysAreRejected(_ c: DuplicateCase) throws {
        let line = F.jsonLine.replacingOccurrences(of: c.replace.0, with: c.replace.1)
        #expect(line != F.jsonLine)
        let records = try F.jsonl(line + "\n" + F.jsonLine.replacingOccurrences(of: "INC-1", with: "INC-2") + "\n")
        #expect(records.count == 2)
        let r = try #require(records[0].reject)
        #expect(r.field == c.field)
        #expect(r.message == c.message)
        #expect(r.location.line == 1)
        // The column is the second key's opening quote.
        let range = try #require(line.utf8.ranges(of: Array(c.second.utf8)).last)
        var column = line.utf8.distance(from: line.utf8.startIndex, to: range.lowerBound) + 1
        if c.second.hasPrefix(",") { column += 1 }
        #expect(r.location.column == column)
        #expect(records[1].incident?.incidentID == "INC-2")
    }

    @Test func manyDistinctUnknownKeysAreFine() throws {
        let extra = (0..<40).map { #""k\#($0)":\#($0),"# }.joined()
        let line = F.jsonLine.replacingOccurrences(of: #""relationship""#, with: extra + #""relationship""#)
        #expect(try F.jsonl(line).first?.incident == F.expectedIncident)
        // Past the short list (a set then): a repeat is still found.
        let repeated = F.jsonLine.replacingOccurrences(of: #""relationship""#, with: extra + #""k3":0,"relationship""#)
        #expect(try F.jsonl(repeated).first?.reject?.message == "duplicate key 'k3'")
    }

    @Test func sameUnknownKeyInDifferentObjectsIsFine() throws {
        // The record, the victim, two sibling children and an object nested in an unknown value each have
        // an "x": no object repeats a key.
        let line = F.jsonLine
            .replacingOccurrences(of: #""relationship""#, with: #""x":{"x":1,"y":{"x":2}},"relationship""#)
            .replacingOccurrences(of: #""pregnant":false"#, with: #""pregnant":false,"x":1"#)
            .replacingOccurrences(of: #""voice":null}"#, with: #""voice":null,"x":1},{"person_id":"C2","x":2}"#)
        let i = try #require(try F.jsonl(line + "\n" + line).first?.incident)
        #expect(i.children.map(\.personID) == ["C1", "C2"])
    }

    struct TypoCase: CustomTestStringConvertible, Sendable {
        var name: String
        var replace: (String, String)
        var message: String
        var testDescription: String { name }
    }

    @Test(arguments: [
        TypoCase(
            name: "risk typo", replace: (#""dash_risk":"medium""#, #""dash_risk":"hgh""#),
            message: "unknown dash_risk 'hgh' (did you mean 'high'?)"),
        TypoCase(
            name: "relationship typo", replace: (#""relationship":"partner""#, #""relationship":"partnr""#),
            message: "unknown relationship 'partnr' (did you mean 'partner'?)"),
        TypoCase(
            name: "boolean typo", replace: (#""pregnant":false"#, #""pregnant":"tru""#),
            message: "invalid boolean in 'victim_pregnant' 'tru' (did you mean 'true'?)"),
        TypoCase(
            name: "a name is not a typo", replace: (#""dash_risk":"medium""#, #""dash_risk":"Zebedee Quokkasmith""#),
            message: "unknown dash_risk: a 19-character text; expected standard, medium or high"),
        TypoCase(
            name: "a postcode as a score", replace: (#""dash_score":9"#, #""dash_score":"ZZ9 9ZZ""#),
            message: "invalid dash_score: a 7-character text; expected a whole number from 0 to 27"),
        TypoCase(
            name: "a name as a date", replace: (#""dob":"1990-01-01""#, #""dob":"Xanthippe Vorobyev""#),
            message: "invalid date in 'victim_dob': a 18-character text; expected YYYY-MM-DD or DD/MM/YYYY"),
    ])
    func valuesAreDescribedNotQuoted(_ c: TypoCase) throws {
        let line = F.jsonLine.replacingOccurrences(of: c.replace.0, with: c.replace.1)
        #expect(line != F.jsonLine)
        let r = try #require(try F.jsonl(line).first?.reject)
        #expect(r.message == c.message)
    }
}
