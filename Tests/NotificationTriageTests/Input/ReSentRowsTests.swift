import Foundation
import Testing

@testable import NotificationTriage

/// Issue 14, items 2 and 3 (reader side): adjacent CSV rows with the same incident id but different
/// incident-level values are the next version of the incident (a re-send), as two JSON Lines are; a child
/// id listed twice on one incident is kept when identical and rejects the incident when not, in both
/// formats alike.
@Suite struct ReSentRowsTests {
    typealias F = InputFixtures

    /// What one record should be: an incident (grading, child ids, first line) or a reject (field, line).
    struct Expected: Sendable, Equatable, CustomStringConvertible {
        var risk: DashRisk?
        var children: [String] = []
        var line: Int
        var rejectField: String? = nil

        static func incident(_ risk: DashRisk, _ children: [String], line: Int) -> Expected {
            Expected(risk: risk, children: children, line: line)
        }

        static func reject(_ field: String?, line: Int) -> Expected {
            Expected(risk: nil, line: line, rejectField: field)
        }

        var description: String {
            if let risk { return "\(risk)\(children)@\(line)" }
            return "reject(\(rejectField ?? "-"))@\(line)"
        }
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        /// Data rows as overrides of the canonical row (same incident id unless overridden).
        var rows: [[String: String]]
        var expected: [Expected]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(
            name: "standard re-sent as high: two records, each with its own children",
            rows: [
                ["dash_risk": "standard", "child_id": "C1"], ["dash_risk": "standard", "child_id": "C2"],
                ["dash_risk": "high", "child_id": "C1"], ["dash_risk": "high", "child_id": "C3"],
            ],
            expected: [.incident(.standard, ["C1", "C2"], line: 2), .incident(.high, ["C1", "C3"], line: 4)]),
        Case(
            name: "case, flag order, spacing and date form differ only: one incident",
            rows: [
                ["dash_risk": "High", "flags": "injury;weapon;Strangulation", "child_id": "C1"],
                [
                    "dash_risk": " high ", "flags": "weapon; INJURY;strangulation;", "child_id": "C2",
                    "occurred_at": "14/03/2026 22:15", "victim_pregnant": "no", "relationship": "Partner",
                ],
            ],
            expected: [.incident(.high, ["C1", "C2"], line: 2)]),
        Case(
            name: "child columns differ only: one incident",
            rows: [["child_id": "C1"], ["child_id": "C2", "child_name": "Di Example", "child_injured": "yes"]],
            expected: [.incident(.medium, ["C1", "C2"], line: 2)]),
        Case(
            name: "quoted and unquoted forms of one value: one incident",
            rows: [["postcode": "\"NN1 1AA\""], ["postcode": "NN1 1AA", "child_id": "C2"]],
            expected: [.incident(.medium, ["C1", "C2"], line: 2)]),
        Case(
            name: "doubled quotes, the same on both rows: one incident",
            rows: [
                ["victim_name": #""Ann ""A"" Example""#],
                ["victim_name": #""Ann ""A"" Example""#, "child_id": "C2"],
            ],
            expected: [.incident(.medium, ["C1", "C2"], line: 2)]),
        Case(
            name: "doubled quotes, different: a re-send",
            rows: [["victim_name": #""Ann ""A"" Example""#], ["victim_name": #""Ann ""B"" Example""#]],
            expected: [.incident(.medium, ["C1"], line: 2), .incident(.medium, ["C1"], line: 3)]),
        Case(
            name: "flag added on a re-send",
            rows: [["flags": "injury", "child_id": "C1"], ["flags": "injury;weapon", "child_id": "C1"]],
            expected: [.incident(.medium, ["C1"], line: 2), .incident(.medium, ["C1"], line: 3)]),
        Case(
            name: "pregnancy corrected on a re-send",
            rows: [["victim_pregnant": "false"], ["victim_pregnant": "true"]],
            expected: [.incident(.medium, ["C1"], line: 2), .incident(.medium, ["C1"], line: 3)]),
        Case(
            name: "three versions, back to the first grading",
            rows: [["dash_risk": "standard"], ["dash_risk": "high"], ["dash_risk": "high", "child_id": "C2"], ["dash_risk": "standard"]],
            expected: [
                .incident(.standard, ["C1"], line: 2), .incident(.high, ["C1", "C2"], line: 3),
                .incident(.standard, ["C1"], line: 5),
            ]),
        Case(
            name: "re-send with an unreadable grading is its own reject",
            rows: [["dash_risk": "standard"], ["dash_risk": "severe"], ["dash_risk": "severe", "child_id": "C2"]],
            expected: [.incident(.standard, ["C1"], line: 2), .reject("dash_risk", line: 3)]),
        Case(
            name: "incident columns blank on a second row: a re-send missing its fields",
            rows: [
                ["child_id": "C1"],
                [
                    "child_id": "C2", "occurred_at": "", "uprn": "", "postcode": "", "victim_id": "", "victim_name": "",
                    "victim_dob": "", "victim_pregnant": "", "perpetrator_id": "", "perpetrator_name": "",
                    "perpetrator_dob": "", "relationship": "", "dash_risk": "", "dash_score": "", "flags": "",
                ],
            ],
            expected: [.incident(.medium, ["C1"], line: 2), .reject("occurred_at", line: 3)]),
        Case(
            name: "a bad child row rejects only its own version",
            rows: [["dash_risk": "standard"], ["dash_risk": "high"], ["dash_risk": "high", "child_id": "C2", "child_dob": "soon"]],
            expected: [.incident(.standard, ["C1"], line: 2), .reject("child_dob", line: 4)]),
        Case(
            name: "a bad child on a first row still lets a re-send be told apart",
            rows: [["dash_risk": "standard", "child_dob": "soon"], ["dash_risk": "high"]],
            expected: [.reject("child_dob", line: 2), .incident(.high, ["C1"], line: 3)]),
        Case(
            name: "a row after an unreadable first row joins its reject",
            rows: [["dash_risk": "severe"], ["dash_risk": "high", "child_id": "C2"]],
            expected: [.reject("dash_risk", line: 2)]),
    ]

    static func records(_ rows: [[String: String]], chunkSize: Int = ByteSource.defaultChunkSize) throws -> [Expected] {
        let text = F.header + "\n" + rows.map { F.row($0) }.joined(separator: "\n") + "\n"
        return try F.csv(text, chunkSize: chunkSize).map(expected)
    }

    static func expected(_ r: InputRecord) -> Expected {
        switch r {
        case .incident(let i, let at):
            return .incident(i.dashRisk, i.children.map(\.personID), line: at.line)
        case .reject(let j):
            return .reject(j.field, line: j.location.line)
        }
    }

    /// Each case read whole and through a small buffer (refilled, and moved, between rows).
    @Test(arguments: cases, [7, ByteSource.defaultChunkSize])
    func adjacentRowsWithTheSameID(_ c: Case, chunkSize: Int) throws {
        #expect(try Self.records(c.rows, chunkSize: chunkSize) == c.expected)
    }

    @Test func reSentVersionsKeepTheirOwnValuesAndIDs() throws {
        let text =
            F.header + "\n" + F.row(["dash_risk": "standard", "flags": "injury"]) + "\n"
            + F.row(["dash_risk": "high", "flags": "injury;weapon", "child_id": "C2", "victim_pregnant": "yes"]) + "\n"
        let records = try F.csv(text)
        let first = try #require(records.first?.incident)
        let second = try #require(records.last?.incident)
        #expect(records.count == 2)
        #expect(first.incidentID == "INC-1" && second.incidentID == "INC-1")
        #expect(first.dashRisk == .standard && first.flags == [.injury] && !first.victim.pregnant)
        #expect(second.dashRisk == .high && second.flags == [.injury, .weapon] && second.victim.pregnant)
        #expect(second.children.map(\.personID) == ["C2"])
    }

    /// The same re-send as CSV rows and as two JSON Lines gives the same incidents.
    @Test func csvAndJSONLinesAgreeOnAReSend() throws {
        let csv = try F.csv(
            F.header + "\n" + F.row(["dash_risk": "standard"]) + "\n" + F.row(["dash_risk": "high", "child_id": "C2"])
                + "\n")
        let json = try F.jsonl(
            Self.jsonLine(risk: "standard", children: [Self.jsonChild([:])]) + "\n"
                + Self.jsonLine(risk: "high", children: [Self.jsonChild(["child_id": "C2"])]) + "\n")
        #expect(csv.count == 2)
        #expect(csv.map(\.incident) == json.map(\.incident))
    }

    // MARK: - Line accounting

    struct LinesCase: Sendable, CustomTestStringConvertible {
        var name: String
        var text: String
        /// Physical lines of each record, counted by hand.
        var recordLines: [Int]
        var testDescription: String { name }
    }

    static let linesCases: [LinesCase] = [
        LinesCase(
            name: "two versions, blank line between rows of the second",
            text: F.header + "\n" + F.row(["dash_risk": "standard"]) + "\n" + F.row(["dash_risk": "high"]) + "\n\n"
                + F.row(["dash_risk": "high", "child_id": "C2"]) + "\n",
            recordLines: [1, 2]),
        LinesCase(
            name: "quoted newlines in both versions",
            text: F.header + "\n" + F.row(["dash_risk": "standard", "child_name": "\"Cal\nExample\""]) + "\n"
                + F.row(["dash_risk": "standard", "child_id": "C2"]) + "\n"
                + F.row(["dash_risk": "high", "victim_name": "\"Ann\n\nExample\""]) + "\n",
            recordLines: [3, 3]),
        LinesCase(
            name: "a reject version takes the rows after it, no final newline",
            text: F.header + "\n" + F.row(["dash_risk": "standard"]) + "\n" + F.row(["dash_risk": "sever"]) + "\n"
                + F.row(["dash_risk": "sever", "child_id": "C2"]) + "\n" + F.row(["dash_risk": "high"]),
            recordLines: [1, 3]),
    ]

    @Test(arguments: linesCases)
    func lineAccountingStaysExact(_ c: LinesCase) throws {
        let bytes = Array(c.text.utf8)
        var reader = try CSVIncidentReader(source: ByteSource(bytes: bytes), name: "in.csv", zone: F.london)
        var lines: [Int] = []
        while try reader.next() != nil { lines.append(reader.recordLines) }
        // Physical lines counted here: line feeds, plus one for a last line without one.
        let physical = bytes.filter { $0 == 0x0A }.count + (bytes.last == 0x0A ? 0 : 1)
        #expect(lines == c.recordLines)
        #expect(lines.reduce(0, +) + reader.otherLines == physical)
    }

    // MARK: - A child listed twice

    struct DuplicateCase: Sendable, CustomTestStringConvertible {
        var name: String
        /// Overrides for the second listing of child C1.
        var second: [String: String]
        /// The rejected field, nil when the two listings are identical (both kept).
        var field: String?
        var testDescription: String { name }
    }

    static let duplicateCases: [DuplicateCase] = [
        DuplicateCase(name: "identical: both kept", second: [:], field: nil),
        DuplicateCase(name: "different date of birth", second: ["child_dob": "2019-04-02"], field: "child_dob"),
        DuplicateCase(name: "different name", second: ["child_name": "Cal Other"], field: "child_name"),
        DuplicateCase(name: "different school", second: ["child_school_urn": "654321"], field: "child_school_urn"),
        DuplicateCase(name: "school missing", second: ["child_school_urn": ""], field: "child_school_urn"),
        DuplicateCase(name: "injured only the second time", second: ["child_injured": "true"], field: "child_injured"),
        DuplicateCase(name: "not present the second time", second: ["child_present": "false"], field: "child_present"),
        DuplicateCase(
            name: "several differ: the first column is named",
            second: ["child_injured": "true", "child_dob": "2018-01-01", "child_school_urn": "1"], field: "child_dob"),
    ]

    @Test(arguments: duplicateCases)
    func childListedTwiceInCSV(_ c: DuplicateCase) throws {
        let secondRow = F.row(c.second)
        let text = F.header + "\n" + F.row() + "\n" + F.row(["child_id": "C2"]) + "\n" + secondRow + "\n"
        let records = try F.csv(text)
        #expect(records.count == 1)
        guard let field = c.field else {
            #expect(records[0].incident?.children.map(\.personID) == ["C1", "C2", "C1"])
            #expect(records[0].incident?.children[2] == records[0].incident?.children[0])
            return
        }
        let reject = try #require(records[0].reject)
        // The second listing's row and the differing column in it.
        let fields = secondRow.split(separator: ",", omittingEmptySubsequences: false)
        let index = try #require(Column.names.firstIndex(of: field))
        let column = fields[..<index].reduce(1) { $0 + $1.utf8.count + 1 }
        #expect(reject.location == SourceLocation(source: "in.csv", line: 4, column: column))
        #expect(reject.field == field)
        #expect(reject.incidentID == "INC-1")
        #expect(reject.message == "child listed twice with a different \(field)")
    }

    @Test(arguments: duplicateCases)
    func childListedTwiceInJSONLines(_ c: DuplicateCase) throws {
        let second = Self.jsonChild(c.second)
        let line = Self.jsonLine(risk: "medium", children: [Self.jsonChild([:]), Self.jsonChild(["child_id": "C2"]), second])
        let records = try F.jsonl(line + "\n")
        #expect(records.count == 1)
        guard let field = c.field else {
            #expect(records[0].incident?.children.map(\.personID) == ["C1", "C2", "C1"])
            #expect(records[0].incident?.children[2] == records[0].incident?.children[0])
            return
        }
        let reject = try #require(records[0].reject)
        // The second listing's object, where it opens.
        let at = try #require(line.range(of: "," + second + "]"))
        let column = line.utf8.distance(from: line.startIndex, to: at.lowerBound) + 2
        #expect(reject.location == SourceLocation(source: "in.jsonl", line: 1, column: column))
        #expect(reject.field == field)
        #expect(reject.incidentID == "INC-1")
        #expect(reject.message == "child listed twice with a different \(field)")
    }

    /// More children than a linear scan covers: the index finds the repeat as well.
    @Test(arguments: [false, true])
    func childListedTwiceAmongMany(_ differ: Bool) throws {
        var rows = (1...40).map { F.row(["child_id": "C\($0)"]) }
        rows.append(F.row(["child_id": "C7", "child_dob": differ ? "2020-01-01" : "2019-04-01"]))
        rows.append(F.row(["child_id": "C41"]))
        let records = try F.csv(F.header + "\n" + rows.joined(separator: "\n") + "\n")
        #expect(records.count == 1)
        if differ {
            #expect(records[0].reject?.field == "child_dob")
            #expect(records[0].reject?.location.line == 42)
        } else {
            #expect(records[0].incident?.children.count == 42)
        }
    }

    // MARK: - JSON helpers

    /// The canonical JSON line with another grading and these child objects.
    static func jsonLine(risk: String, children: [String]) -> String {
        let start = F.jsonLine.range(of: #""children":["#)!
        return F.jsonLine[..<start.upperBound].replacingOccurrences(of: #""dash_risk":"medium""#, with: #""dash_risk":"\#(risk)""#)
            + children.joined(separator: ",") + "]}"
    }

    /// A child object from CSV-style overrides of the canonical child.
    static func jsonChild(_ o: [String: String]) -> String {
        func value(_ key: String, _ fallback: String) -> String { o[key] ?? fallback }
        func string(_ v: String) -> String { v.isEmpty ? "null" : "\"\(v)\"" }
        return #"{"person_id":\#(string(value("child_id", "C1"))),"name":\#(string(value("child_name", "Cal Example"))),"#
            + #""dob":\#(string(value("child_dob", "2019-04-01"))),"present":\#(value("child_present", "true")),"#
            + #""school_urn":\#(string(value("child_school_urn", "123456"))),"injured":\#(value("child_injured", "false"))}"#
    }
}
