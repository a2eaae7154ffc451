import Testing

@testable import NotificationTriage

/// Ids (`incident_id`, person ids, `household_id`, `uprn`, `child_school_urn`) are trimmed of surrounding
/// white space and refused when they hold a control or invisible character, so a re-sent incident whose
/// id carries a stray zero-width space or NUL is not taken for a new one.
@Suite struct InputIdentifierTests {
    typealias F = InputFixtures

    struct Invisible: CustomTestStringConvertible, Sendable {
        var name: String
        var scalar: Unicode.Scalar
        var testDescription: String { name }
    }

    static let invisibles: [Invisible] = [
        Invisible(name: "NUL", scalar: "\u{0}"),
        Invisible(name: "escape", scalar: "\u{1B}"),
        Invisible(name: "tab", scalar: "\u{9}"),
        Invisible(name: "DEL", scalar: "\u{7F}"),
        Invisible(name: "C1 control", scalar: "\u{85}"),
        Invisible(name: "C1 control 9F", scalar: "\u{9F}"),
        Invisible(name: "soft hyphen", scalar: "\u{AD}"),
        Invisible(name: "zero-width space", scalar: "\u{200B}"),
        Invisible(name: "zero-width non-joiner", scalar: "\u{200C}"),
        Invisible(name: "zero-width joiner", scalar: "\u{200D}"),
        Invisible(name: "left-to-right mark", scalar: "\u{200E}"),
        Invisible(name: "word joiner", scalar: "\u{2060}"),
        Invisible(name: "byte-order mark", scalar: "\u{FEFF}"),
        Invisible(name: "line separator", scalar: "\u{2028}"),
    ]

    /// The id fields, with the text each has in the default CSV row and JSON line.
    struct IDField: CustomTestStringConvertible, Sendable {
        var column: String
        var json: String
        var testDescription: String { column }
    }

    static let idFields: [IDField] = [
        IDField(column: "incident_id", json: #""incident_id":"INC-1""#),
        IDField(column: "uprn", json: #""uprn":"100023336956""#),
        IDField(column: "household_id", json: #""household_id":null"#),
        IDField(column: "victim_id", json: #""person_id":"P1""#),
        IDField(column: "perpetrator_id", json: #""person_id":"P2""#),
        IDField(column: "child_id", json: #""person_id":"C1""#),
        IDField(column: "child_school_urn", json: #""school_urn":"123456""#),
    ]

    /// `AB<c>12` with the character in the middle.
    static func id(with c: Unicode.Scalar) -> String { "AB" + String(Character(c)) + "12" }

    /// The JSON line with `field` set to `value` (a JSON string literal's contents).
    static func jsonLine(_ field: IDField, _ value: String) -> String {
        let key = field.json.prefix(while: { $0 != ":" })
        return F.jsonLine.replacingOccurrences(of: field.json, with: key + #":""# + value + #"""#)
    }

    /// `\uXXXX` for a scalar of the basic multilingual plane.
    static func jsonEscape(_ c: Unicode.Scalar) -> String {
        let h = String(c.value, radix: 16)
        return "\\u" + String(repeating: "0", count: 4 - h.count) + h
    }

    @Test(arguments: invisibles, idFields)
    func csvIDWithInvisibleCharacterIsRejected(_ c: Invisible, _ field: IDField) throws {
        let text = F.header + "\n" + F.row([field.column: Self.id(with: c.scalar)]) + "\n" + F.row(["incident_id": "INC-2"]) + "\n"
        let records = try F.csv(text)
        #expect(records.count == 2)
        let r = try #require(records[0].reject)
        #expect(r.field == field.column)
        #expect(r.message.contains("'\(field.column)'"))
        #expect(r.message.contains("control character") || r.message.contains("invisible character"))
        #expect(!r.message.contains("AB"), "the message quotes the value")
        #expect(!r.message.unicodeScalars.contains(c.scalar))
        #expect(records[1].incident?.incidentID == "INC-2")
    }

    @Test(arguments: invisibles, idFields)
    func jsonIDWithEscapedInvisibleCharacterIsRejected(_ c: Invisible, _ field: IDField) throws {
        let line = Self.jsonLine(field, "AB" + Self.jsonEscape(c.scalar) + "12")
        let r = try #require(try F.jsonl(line + "\n").first?.reject)
        #expect(r.field == field.column)
        #expect(r.message.contains("control character") || r.message.contains("invisible character"))
        #expect(!r.message.contains("AB"))
        // The column is the id value's.
        let offset = try #require(line.utf8.firstRange(of: Array(("AB" + Self.jsonEscape(c.scalar)).utf8)))
        #expect(r.location.column == line.utf8.distance(from: line.utf8.startIndex, to: offset.lowerBound))
    }

    @Test(arguments: invisibles.filter { $0.scalar.value >= 0xA0 }, idFields)
    func jsonIDWithRawInvisibleCharacterIsRejected(_ c: Invisible, _ field: IDField) throws {
        let r = try #require(try F.jsonl(Self.jsonLine(field, Self.id(with: c.scalar)) + "\n").first?.reject)
        #expect(r.field == field.column)
        #expect(r.message.contains("invisible character"))
    }

    @Test func byteOrderMarkMidFileIsNotANewIncidentID() throws {
        // Two exports concatenated: the second's byte-order mark lands at the start of an id.
        let text = F.header + "\n" + F.row() + "\n" + "\u{FEFF}" + F.row(["incident_id": "INC-1"]) + "\n"
        let records = try F.csv(text)
        #expect(records.count == 2)
        #expect(records[0].incident?.incidentID == "INC-1")
        #expect(records[1].reject?.field == "incident_id")
        // In JSON Lines, inside the id or before a line's object.
        let lines = try F.jsonl(
            F.jsonLine + "\n" + Self.jsonLine(Self.idFields[0], "\u{FEFF}INC-1") + "\n" + "\u{FEFF}" + F.jsonLine + "\n")
        #expect(lines.map { $0.incident != nil } == [true, false, false])
    }

    struct TrimCase: CustomTestStringConvertible, Sendable {
        var name: String
        var raw: String
        var testDescription: String { name }
    }

    @Test(arguments: [
        TrimCase(name: "spaces and tabs", raw: " \tAB12\t "),
        TrimCase(name: "no-break spaces", raw: "\u{A0}AB12\u{A0}"),
        TrimCase(name: "ideographic and thin spaces", raw: "\u{3000}AB12\u{2009}"),
        TrimCase(name: "next line", raw: "AB12\u{85}"),
    ])
    func idsAreTrimmedOfSurroundingWhiteSpace(_ c: TrimCase) throws {
        for field in Self.idFields {
            let text = F.header + "\n" + F.row([field.column: c.raw]) + "\n"
            let fromCSV = try #require(try F.csv(text).first?.incident, "\(field.column)")
            let json = c.raw.unicodeScalars.map { $0.value < 0x80 && $0 != "\t" ? String($0) : Self.jsonEscape($0) }.joined()
            let fromJSON = try #require(try F.jsonl(Self.jsonLine(field, json) + "\n").first?.incident, "\(field.column)")
            for i in [fromCSV, fromJSON] {
                let value: String? =
                    switch field.column {
                    case "incident_id": i.incidentID
                    case "uprn": i.uprn
                    case "household_id": i.householdID
                    case "victim_id": i.victim.personID
                    case "perpetrator_id": i.perpetrator?.personID
                    case "child_id": i.children.first?.personID
                    default: i.children.first?.schoolURN
                    }
                #expect(value == "AB12", "\(field.column)")
            }
        }
    }

    @Test func visibleUnicodeIDsAreKept() throws {
        let text = F.header + "\n" + F.row(["victim_id": "Zoë-Ø1", "incident_id": "INC-é"]) + "\n"
        let i = try #require(try F.csv(text).first?.incident)
        #expect(i.victim.personID == "Zoë-Ø1" && i.incidentID == "INC-é")
    }

    @Test func leadingByteOrderMarkOfTheFileIsStillSkipped() throws {
        let records = try F.csv([0xEF, 0xBB, 0xBF] + Array((F.header + "\n" + F.row() + "\n").utf8))
        #expect(records.first?.incident?.incidentID == "INC-1")
    }
}
