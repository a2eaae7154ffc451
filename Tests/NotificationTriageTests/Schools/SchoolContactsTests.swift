import Foundation
import Testing
import _TriageTestSupport

@testable import NotificationTriage

/// `--school-contacts FILE`: who receives each school's pack; a bad file is refused naming its line.
@Suite struct SchoolContactsTests {
    static func read(_ text: String) throws -> SchoolContacts {
        let dir = Triage.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("contacts.csv")
        try text.write(to: file, atomically: true, encoding: .utf8)
        return try SchoolContacts(contentsOfFile: file.path)
    }

    /// (file, URN, contact)
    static let good: [(String, String, String)] = [
        ("urn,email\n100001,dsl@school.example\n", "100001", "dsl@school.example"),
        ("URN,DSL_Name,Email,Phone\n100001,A Lead,lead@school.example,0123\n", "100001", "A Lead <lead@school.example>"),
        ("email,urn\r\nx@y.example,100002\r\n", "100002", "x@y.example"),
    ]

    @Test(arguments: good)
    func contactsAreRead(_ text: String, _ urn: String, _ contact: String) throws {
        #expect(try Self.read(text).byURN[urn] == contact)
    }

    /// (file, line of the error, message containing)
    static let bad: [(String, Int, String)] = [
        ("urn,name\n100001,x\n", 1, "missing column \"email\""),
        ("urn,email\nabc,x@y.example\n", 2, "expected a school URN"),
        ("urn,email\n100001,not-an-email\n", 2, "expected an email address"),
        ("urn,email\n100001,a@b.example\n100001,c@d.example\n", 3, "listed twice"),
        ("urn,email\n100001,a@b.example,extra\n", 2, "expected 2 fields"),
    ]

    @Test(arguments: bad)
    func aBadFileNamesItsLine(_ text: String, _ line: Int, _ message: String) {
        do {
            _ = try Self.read(text)
            Issue.record("accepted a bad contacts file")
        } catch let error as InputError {
            #expect(error.location.line == line)
            #expect(error.message.contains(message), "\(error.message)")
            #expect(error.location.source.hasSuffix("contacts.csv"))
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }
}
