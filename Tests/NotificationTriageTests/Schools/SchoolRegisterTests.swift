import Foundation
import Testing
import _TriageTestSupport

@testable import NotificationTriage

/// The columns the reader uses, in a different order from the real download's and among others it does not
/// use, so that a reader looking columns up by position would fail.
private let registerColumns = [
    "LA (code)", "TypeOfEstablishment (name)", "URN", "Postcode", "EstablishmentName", "LA (name)", "OpenDate",
    "EstablishmentStatus (name)", "CloseDate", "PhaseOfEducation (name)", "StatutoryHighAge", "StatutoryLowAge",
    "Country (name)",
]

/// The text as ISO-8859-1 bytes (every scalar below U+0100 is one byte), as the register is published.
private func latin1(_ text: String) -> [UInt8] {
    text.unicodeScalars.map { scalar in
        precondition(scalar.value < 0x100, "not Latin-1: \(scalar)")
        return UInt8(scalar.value)
    }
}

/// A text whose Latin-1 bytes are the UTF-8 bytes of `text`: a register someone already converted to UTF-8.
private func utf8AsLatin1(_ text: String) -> String {
    String(String.UnicodeScalarView(text.utf8.map { Unicode.Scalar($0) }))
}

/// A register file as published: a header, every field quoted, CRLF, Latin-1. Each row starts from a plain
/// open primary school and overrides the given columns; `columns` is the header.
private func registerFile(_ rows: [[String: String]], columns: [String] = registerColumns) -> [UInt8] {
    var lines = [columns]
    for (i, overrides) in rows.enumerated() {
        var values: [String: String] = [
            "URN": String(100_001 + i), "EstablishmentName": "School \(i + 1)", "LA (code)": "855",
            "LA (name)": "Leicestershire", "EstablishmentStatus (name)": "Open", "CloseDate": "",
            "PhaseOfEducation (name)": "Primary", "StatutoryLowAge": "4", "StatutoryHighAge": "11", "Postcode": "LE1 1AA",
            "TypeOfEstablishment (name)": "Community school", "OpenDate": "", "Country (name)": "",
        ]
        values.merge(overrides) { $1 }
        lines.append(columns.map { values[$0] ?? "" })
    }
    let text = lines.map { $0.map { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }.joined(separator: ",") }
    return latin1(text.joined(separator: "\r\n") + "\r\n")
}

/// A links file: `(URN, LinkURN, LinkType)` rows, as published.
private func linksFile(_ links: [(String, String, String)]) -> [UInt8] {
    var text = "\"URN\",\"LinkURN\",\"LinkName\",\"LinkType\",\"LinkEstablishedDate\"\r\n"
    for (from, to, type) in links { text += "\"\(from)\",\"\(to)\",\"A school\",\"\(type)\",\"01-09-2024\"\r\n" }
    return latin1(text)
}

/// The one school of a one-row register.
private func onlySchool(_ overrides: [String: String]) throws -> School {
    let register = try SchoolRegister(bytes: registerFile([overrides]), name: "register.csv")
    return try #require(register["100001"])
}

/// How a reading must fail: the line and column the error points at, and its message.
struct RegisterFailure: CustomTestStringConvertible, Sendable {
    var name: String
    var rows: [[String: String]]
    var columns: [String] = registerColumns
    var line: Int
    /// 1-based byte column, 0 for the whole row or file.
    var column: Int = 0
    var message: String
    var testDescription: String { name }
}

/// The byte column where field `index` (0-based) of a row of `values` starts, every field quoted.
private func columnOf(_ index: Int, _ values: [String]) -> Int {
    values.prefix(index).reduce(1) { $0 + $1.utf8.count + 3 }
}

@Suite struct SchoolRegisterTests {
    // MARK: - Names

    static let nameCases: [(bytes: String, expected: String)] = [
        ("Ærø Academy", "Ærø Academy"),
        ("St Mary's & St John's CofE Primary School", "St Mary's & St John's CofE Primary School"),
        ("Ysgol Gymraeg Bro Morgannwg", "Ysgol Gymraeg Bro Morgannwg"),
        ("Brontë Church of England Primary School", "Brontë Church of England Primary School"),
        ("Ecole Française d'Angleterre", "Ecole Française d'Angleterre"),
        // A quote doubled inside a quoted field.
        ("The \"Old\" School", "The \"Old\" School"),
        // 0x92 is a C1 control in ISO-8859-1 but `’` in Windows-1252, which Excel-saved files hold.
        ("St Anne\u{92}s Primary \u{96} Infants", "St Anne’s Primary – Infants"),
        // A register already converted to UTF-8 reads the same.
        (utf8AsLatin1("Ærø Academy"), "Ærø Academy"),
    ]

    @Test(arguments: nameCases)
    func latin1NamesDecodeToUTF8(bytes: String, expected: String) throws {
        let school = try onlySchool(["EstablishmentName": bytes])
        #expect(Array(school.name.utf8) == Array(expected.utf8))
    }

    @Test func otherTextColumnsDecodeToo() throws {
        let school = try onlySchool(["LA (name)": "Ynys Môn", "PhaseOfEducation (name)": "Not applicable", "Postcode": "LL77 7TW"])
        #expect(school.laName == "Ynys Môn")
        #expect(school.phase == "Not applicable")
        #expect(school.postcode == "LL77 7TW")
        #expect(school.laCode == "855")
        #expect(try onlySchool(["Postcode": ""]).postcode == nil)
    }

    // MARK: - Values

    static let statusCases: [(String, SchoolStatus)] = [
        ("Open", .open), ("Closed", .closed), ("Open, but proposed to close", .openProposedToClose),
        ("Proposed to open", .proposedToOpen), (" closed ", .closed),
    ]

    @Test(arguments: statusCases)
    func statuses(text: String, status: SchoolStatus) throws {
        #expect(try onlySchool(["EstablishmentStatus (name)": text]).status == status)
        #expect(SchoolStatus(registerName: status.registerName) == status)
    }

    static let closeDateCases: [(String, CivilDate?)] = [
        ("", nil), ("31-08-2024", CivilDate(year: 2024, month: 8, day: 31)),
        ("29-02-2024", CivilDate(year: 2024, month: 2, day: 29)), ("01-01-1900", CivilDate(year: 1900, month: 1, day: 1)),
    ]

    @Test(arguments: closeDateCases)
    func closeDates(text: String, date: CivilDate?) throws {
        #expect(try onlySchool(["EstablishmentStatus (name)": "Closed", "CloseDate": text]).closeDate == date)
    }

    static let ageCases: [(low: String, high: String, expected: (Int?, Int?))] = [
        ("4", "11", (4, 11)), ("11", "18", (11, 18)), ("0", "5", (0, 5)), ("", "", (nil, nil)), ("2", "", (2, nil)),
    ]

    @Test(arguments: ageCases)
    func ages(low: String, high: String, expected: (Int?, Int?)) throws {
        let school = try onlySchool(["StatutoryLowAge": low, "StatutoryHighAge": high])
        #expect(school.lowAge == expected.0)
        #expect(school.highAge == expected.1)
    }

    @Test func unquotedFieldsAndLFLineEndsAreReadToo() throws {
        let text =
            "URN,EstablishmentName,LA (code),LA (name),EstablishmentStatus (name),CloseDate,PhaseOfEducation (name),"
            + "StatutoryLowAge,StatutoryHighAge,Postcode\n100000,\"Brook, The\",855,Leicestershire,Open,,Primary,4,11,LE1 1AA\n"
        let register = try SchoolRegister(bytes: latin1(text), name: "r.csv")
        #expect(register.count == 1)
        #expect(register["100000"]?.name == "Brook, The")
        #expect(register[" 100000 "]?.urn == "100000")
        #expect(register["100001"] == nil)
    }

    // MARK: - Successors

    /// Schools 100001… with these statuses, these links, and the successor expected of the first school.
    static let successorCases: [(name: String, statuses: [String], links: [(String, String, String)], expected: String?)] = [
        ("direct", ["Closed", "Open"], [("100001", "100002", "Successor")], "100002"),
        (
            "closed, closed, open", ["Closed", "Closed", "Open"], [("100001", "100002", "Successor"), ("100002", "100003", "Successor")],
            "100003"
        ),
        (
            "amalgamated, and predecessor links ignored", ["Closed", "Open", "Open"],
            [("100001", "100003", "Predecessor"), ("100001", "100002", "Successor - amalgamated"), ("100002", "100001", "Predecessor")],
            "100002"
        ),
        ("no links", ["Closed", "Open"], [], nil),
        ("only other links", ["Closed", "Open"], [("100001", "100002", "Sixth Form Centre Link")], nil),
        ("cycle", ["Closed", "Closed"], [("100001", "100002", "Successor"), ("100002", "100001", "Successor")], nil),
        (
            "cycle with a way out", ["Closed", "Closed", "Open"],
            [("100001", "100002", "Successor"), ("100002", "100001", "Successor"), ("100002", "100003", "Successor")], "100003"
        ),
        ("self link", ["Closed"], [("100001", "100001", "Successor")], nil),
        ("to a school not in the register", ["Closed"], [("100001", "999999", "Successor")], nil),
        ("successor only proposed to open", ["Closed", "Proposed to open"], [("100001", "100002", "Successor")], nil),
        ("successor proposed to close is open", ["Closed", "Open, but proposed to close"], [("100001", "100002", "Successor")], "100002"),
        ("an open school has none", ["Open", "Open"], [("100001", "100002", "Successor")], nil),
        (
            "split: the nearest open one", ["Closed", "Closed", "Open", "Open"],
            [("100001", "100002", "Successor"), ("100001", "100004", "Successor - split school"), ("100002", "100003", "Successor")],
            "100004"
        ),
        ("ten steps", Array(repeating: "Closed", count: 10) + ["Open"], chain(10), "100011"),
        ("eleven steps is too far", Array(repeating: "Closed", count: 11) + ["Open"], chain(11), nil),
    ]

    /// Successor links 100001 → 100002 → … over `steps` links.
    static func chain(_ steps: Int) -> [(String, String, String)] {
        (0..<steps).map { (String(100_001 + $0), String(100_002 + $0), "Successor") }
    }

    @Test(arguments: successorCases.indices)
    func successors(index: Int) throws {
        let c = Self.successorCases[index]
        let rows = c.statuses.map { ["EstablishmentStatus (name)": $0] }
        let register = try SchoolRegister(bytes: registerFile(rows), name: "r.csv", links: linksFile(c.links), linksName: "links.csv")
        #expect(register.successor(of: "100001")?.urn == c.expected, "\(c.name)")
    }

    // MARK: - Errors

    static let failures: [RegisterFailure] = {
        let columns = SchoolRegister.columns
        var cases = columns.map { column in
            RegisterFailure(
                name: "missing \(column)", rows: [[:]], columns: registerColumns.filter { $0 != column }, line: 1,
                message: "missing column \"\(column)\" in the header")
        }
        /// A second row with one column's bad value: the error points at that field.
        func bad(_ name: String, _ column: String, _ value: String, _ message: String) -> RegisterFailure {
            var values = registerFile([[:], [column: value]]).split(separator: 0x0A)[2].map { $0 }
            values.removeLast()  // CR
            let index = registerColumns.firstIndex(of: column)!
            let fields = String(decoding: values, as: UTF8.self).dropFirst().dropLast().components(separatedBy: "\",\"")
            return RegisterFailure(
                name: name, rows: [[:], [column: value]], line: 3, column: columnOf(index, fields), message: "\(column): \(message)")
        }
        cases += ["2024-08-31", "31/08/2024", "31-02-2024", "1-8-2024", "31-08-24", "soon"].map {
            bad("close date \($0)", "CloseDate", $0, "expected DD-MM-YYYY")
        }
        cases += [
            bad("low age in words", "StatutoryLowAge", "four", "expected a whole number of years"),
            bad("high age negative", "StatutoryHighAge", "-1", "expected a whole number of years"),
            bad(
                "unknown status", "EstablishmentStatus (name)", "Shut",
                "expected Open, Closed, Open, but proposed to close, or Proposed to open"),
            bad("empty URN", "URN", "", "empty"),
            bad("URN not digits", "URN", "10000A", "expected digits"),
            bad("duplicate URN", "URN", "100001", "the same URN as line 2"),
        ]
        return cases
    }()

    @Test(arguments: failures)
    func badRegistersNameLineAndColumn(_ c: RegisterFailure) throws {
        let error = #expect(throws: InputError.self) {
            try SchoolRegister(bytes: registerFile(c.rows, columns: c.columns), name: "register.csv")
        }
        #expect(error?.message == c.message)
        #expect(error?.location == SourceLocation(source: "register.csv", line: c.line, column: c.column))
    }

    /// Links files that are not well-formed CSV (the links reader shares the register's CSV reading).
    static let malformed: [(name: String, text: String, line: Int, message: String)] = [
        ("empty file", "", 0, "empty file: no header row"),
        (
            "short row", "\"URN\",\"LinkURN\",\"LinkType\"\r\n\"1\",\"2\",\"Successor\"\r\n\"2\"\r\n", 3,
            "expected 3 fields as in the header, found 1"
        ),
        ("text after a quote", "\"URN\",\"LinkURN\",\"LinkType\"\r\n\"1\"x,\"2\",\"Successor\"\r\n", 2, "text after a closing quote"),
        ("quote never closed", "\"URN\",\"LinkURN\",\"LinkType\"\r\n\"1\",\"2\",\"Succ\r\n", 2, "a quoted field is never closed"),
    ]

    @Test(arguments: malformed.indices)
    func malformedCSV(index: Int) throws {
        let c = Self.malformed[index]
        let error = #expect(throws: InputError.self) {
            try SchoolRegister(bytes: registerFile([[:]]), name: "r.csv", links: latin1(c.text), linksName: "links.csv")
        }
        #expect(error?.location.source == "links.csv", "\(c.name)")
        #expect(error?.location.line == c.line, "\(c.name)")
        #expect(error?.message == c.message, "\(c.name)")
    }

    @Test func aLinksFileWithoutLinkTypeNamesIt() {
        let error = #expect(throws: InputError.self) {
            try SchoolRegister(bytes: registerFile([[:]]), name: "r.csv", links: latin1("\"URN\",\"LinkURN\"\r\n"), linksName: "l.csv")
        }
        #expect(error?.description == "l.csv:1: missing column \"LinkType\" in the header")
    }

    @Test func aMissingFileIsAFileLevelError() {
        let error = #expect(throws: InputError.self) { try SchoolRegister(contentsOfFile: "/nonexistent/edubasealldata.csv") }
        #expect(error?.location.line == 0)
        #expect(error?.location.source == "/nonexistent/edubasealldata.csv")
    }

    // MARK: - The sample

    @Test func theSampleIsShapedLikeTheDownload() throws {
        let bytes = try [UInt8](Data(contentsOf: Triage.root.appendingPathComponent("samples/schools-register.csv")))
        let lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false).dropLast()
        #expect(lines.allSatisfy { $0.last == 0x0D }, "CRLF line ends")
        let header = String(decoding: lines.first!.dropLast(), as: UTF8.self)
        #expect(header.hasPrefix("\"") && header.hasSuffix("\""))
        let names = header.dropFirst().dropLast().components(separatedBy: "\",\"")
        #expect(names.count >= 120)
        for column in SchoolRegister.columns { #expect(names.contains(column)) }
        // Latin-1, not UTF-8: `Æ` is the one byte 0xC6.
        #expect(bytes.contains(0xC6))
        #expect(!UTF8Check.isValid(bytes.withUnsafeBufferPointer { $0 }))
        // Every field quoted: each line is `"…","…",…,"…"` with as many separators as the header.
        for line in lines.dropFirst() {
            let text = String(decoding: line.dropLast(), as: UTF8.self)
            #expect(text.hasPrefix("\"") && text.hasSuffix("\""))
            #expect(text.components(separatedBy: "\",\"").count == names.count)
        }
    }

    @Test func theSampleLoadsAndCoversTheSampleIncidents() throws {
        let register = try SchoolRegister(
            contentsOfFile: Triage.root.appendingPathComponent("samples/schools-register.csv").path,
            linksFile: Triage.root.appendingPathComponent("samples/schools-links.csv").path)
        // The first 200 distinct school URNs of the sample incidents, read here with no help from the library.
        let incidents = try String(contentsOf: Triage.root.appendingPathComponent("samples/incidents.csv"), encoding: .utf8)
        var rows = incidents.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        let column = try #require(rows.removeFirst().firstIndex(of: "child_school_urn"))
        var urns: [Substring] = []
        var seen: Set<Substring> = []
        for row in rows where row.count > column && !row[column].isEmpty && seen.insert(row[column]).inserted {
            urns.append(row[column])
        }
        #expect(urns.count >= 200)
        let first = urns.prefix(200)
        #expect(first.filter { register[String($0)] == nil }.isEmpty)
        #expect(register.count == 202)

        let byName = Dictionary(grouping: first.compactMap { register[String($0)] }, by: \.name)
        for name in ["Ærø Academy", "St Mary's & St John's CofE Primary School", "Ysgol Gymraeg Bro Morgannwg"] {
            #expect(byName[name]?.count == 1, "\(name)")
        }
        #expect(byName["Ysgol Gymraeg Bro Morgannwg"]?.first?.laCode == "673")
        let closed = first.compactMap { register[String($0)] }.filter { $0.status == .closed }
        #expect(closed.count == 2)
        #expect(closed.compactMap { register.successor(of: $0.urn)?.name } == ["Quorn Brook Academy"])
        let authorities = Set(first.compactMap { register[String($0)]?.laCode })
        #expect(authorities == ["855", "856", "857", "928", "673"])
    }
}
