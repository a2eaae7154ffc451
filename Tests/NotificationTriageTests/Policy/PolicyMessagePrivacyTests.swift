import Foundation
import Testing
import _TriageTestSupport

@testable import NotificationTriage

/// `triage validate` given a data file by mistake, or a huge hostile policy, must not echo the file back
/// (issue 13, item 12): no data line, no name, no message over 300 bytes.
@Suite struct PolicyMessagePrivacyTests {
    /// Every value of the name columns of a sample CSV file.
    static func names(inCSV path: String) throws -> [String] {
        let text = try String(contentsOfFile: Triage.path(path), encoding: .utf8)
        let lines = text.split(separator: "\n")
        let header = lines[0].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        let columns = ["victim_name", "perpetrator_name", "child_name"].compactMap { header.firstIndex(of: $0) }
        var names = Set<String>()
        for line in lines.dropFirst() {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            for c in columns where c < fields.count && !fields[c].isEmpty { names.insert(String(fields[c])) }
        }
        return names.sorted()
    }

    @Test(arguments: ["samples/incidents.csv", "samples/incidents.jsonl", "samples/force-export.csv"])
    func validateOnADataFileQuotesNoName(path: String) throws {
        let names = try Self.names(inCSV: "samples/incidents.csv")
        #expect(names.count > 100)
        let r = try Triage.run(["validate", path])
        #expect(r.status == 2)
        #expect(!r.stderr.isEmpty)
        for name in names { #expect(!r.stderr.contains(name), "\(path): a name from the data is echoed") }
        // No line of the file is echoed: neither the header nor any record.
        let text = try String(contentsOfFile: Triage.path(path), encoding: .utf8)
        for line in text.split(separator: "\n").prefix(50) where line.count > 20 {
            #expect(!r.stderr.contains(line), "\(path): a data line is echoed")
        }
    }

    @Test func validateOnTheIncidentsCSVQuotesNoVictimName() throws {
        let r = try Triage.run(["validate", "samples/incidents.csv"])
        let victims = try Self.names(inCSV: "samples/incidents.csv")
        #expect(r.status == 2)
        #expect(victims.allSatisfy { !r.stderr.contains($0) })
        #expect(!r.stderr.contains("INC-000001"))
    }

    @Test func aPolicyOfNULBytesGivesShortMessages() throws {
        let text = String(repeating: "\0", count: 5 << 20)
        do {
            _ = try Policy(yaml: text, source: "nul.yaml")
            Issue.record("expected an error")
        } catch {
            #expect(!error.errors.isEmpty)
            for e in error.errors { #expect(e.message.utf8.count <= 300) }
        }
        let dir = Triage.tempDir()
        let file = dir.appendingPathComponent("nul.yaml")
        try Data(count: 5 << 20).write(to: file)
        let r = try Triage.run(["validate", file.path])
        #expect(r.status == 2)
        #expect(r.stderr.utf8.count < 2_000)
        for line in r.stderr.split(separator: "\n") { #expect(line.utf8.count <= 300 + file.path.utf8.count + 20) }
    }

    @Test(arguments: [
        "version: 1\n" + String(repeating: "k", count: 100_000) + ": 1\n",
        "version: 1\nname: " + String(repeating: "x", count: 100_000) + " ]\n",
        "version: 1\ntimezone: " + String(repeating: "Europe/", count: 20_000) + "\n",
        "version: \"" + String(repeating: "9", count: 100_000) + "\"\n",
    ])
    func everyMessageIsCapped(text: String) {
        do {
            _ = try Policy(yaml: text, source: "t.yaml")
            Issue.record("expected an error")
        } catch {
            for e in error.errors { #expect(e.message.utf8.count <= 300, "\(e.message.utf8.count) bytes") }
        }
    }

    @Test func aTokenThatIsNotAPolicyWordIsDescribedNotQuoted() {
        do {
            _ = try Policy(yaml: "version: 1\n  Kayleigh,Walker,1949-01-23\n", source: "t.yaml")
            Issue.record("expected an error")
        } catch {
            let text = error.description
            #expect(!text.contains("Kayleigh"))
            #expect(text.contains("a 26-character text"), "\(text)")
        }
    }

    @Test(arguments: [
        ExcerptCase(
            name: "a policy line is shown", text: "version: 1\nname: x\nrulez: []\n", line: 3, column: 1,
            expected: "rulez: []"),
        ExcerptCase(
            name: "a CSV file shows no line", text: "incident_id,victim_name\nINC-1,Kayleigh Walker\n", line: 2, column: 1,
            expected: nil),
        ExcerptCase(
            name: "a JSON Lines file shows no line", text: "{\"victim_name\":\"Kayleigh Walker\"}\n{\"a\":1}\n", line: 2,
            column: 1, expected: nil),
        ExcerptCase(
            name: "a data line inside a policy is not shown", text: "version: 1\nINC-1,2025-01-01,Kayleigh Walker,1949-01-23\n",
            line: 2, column: 1, expected: nil),
        ExcerptCase(
            name: "a line with control bytes is not shown", text: "version: 1\n\0\0\0\0\n", line: 2, column: 1,
            expected: nil),
        ExcerptCase(
            name: "a flow list continuation is shown", text: "a: [x,\n    child_id, child_nme]\n", line: 2, column: 15,
            expected: "    child_id, child_nme]"),
    ])
    func sourceExcerpt(_ c: ExcerptCase) {
        let excerpt = PolicySourceExcerpt(text: c.text)
        #expect(excerpt.line(c.line, column: c.column)?.text == c.expected)
    }

    @Test func aLongPolicyLineIsShownAroundTheColumn() {
        let long = "fields: [" + Array(repeating: "child_name", count: 40).joined(separator: ", ") + ", child_nme]"
        let excerpt = PolicySourceExcerpt(text: "version: 1\n" + long + "\n")
        let column = long.utf8.count - 9  // the 'c' of child_nme
        let shown = excerpt.line(2, column: column)
        #expect(shown != nil)
        if let shown {
            #expect(shown.text.utf8.count <= PolicySourceExcerpt.maxBytes + 6)
            #expect(shown.text.contains("child_nme]"))
            let caretIndex = shown.text.utf8.index(shown.text.utf8.startIndex, offsetBy: shown.caretColumn - 1)
            #expect(shown.text[caretIndex...].hasPrefix("child_nme"))
        }
    }
}

/// A file, a position in it, and the line `triage validate` may show there (nil: none).
struct ExcerptCase: CustomTestStringConvertible, Sendable {
    var name: String
    var text: String
    var line: Int
    var column: Int
    var expected: String?
    var testDescription: String { name }
}
