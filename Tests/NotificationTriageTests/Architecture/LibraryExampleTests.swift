import Foundation
import Testing
import _TriageTestSupport

/// The README's "Using the library" program is `Sources/library-example/main.swift`, built by SwiftPM
/// with the tests; these check that the README shows that very file and that it prints what `triage
/// screen` prints.
@Suite struct LibraryExampleTests {
    static let example = Triage.path("Sources/library-example/main.swift")

    /// The first ```swift block after the "Using the library" heading.
    static func readmeBlock() throws -> String {
        let readme = try String(contentsOfFile: Triage.path("README.md"), encoding: .utf8)
        let section = try #require(readme.range(of: "\n## Using the library\n"))
        let rest = readme[section.upperBound...]
        let open = try #require(rest.range(of: "```swift\n"))
        let close = try #require(rest[open.upperBound...].range(of: "\n```\n"))
        return String(rest[open.upperBound..<close.lowerBound]) + "\n"
    }

    @Test func theReadmeShowsTheExampleFileByteForByte() throws {
        let file = try String(contentsOfFile: Self.example, encoding: .utf8)
        #expect(try Self.readmeBlock() == file)
    }

    @Test(arguments: ["samples/incidents.csv", "samples/messy.csv", "samples/scenarios.csv"])
    func theExamplePrintsWhatTheCLIPrints(_ sample: String) throws {
        let cli = try Triage.run(["screen", sample])
        let example = try Triage.run([sample], executable: Triage.built("library-example"))
        #expect(example.status == 0)
        #expect(!example.stdout.isEmpty)
        #expect(example.stdout == cli.stdout)
        // The same rejects, worded the same way (the CLI's standard error also holds its summary).
        let rejects = { (s: String) in s.split(separator: "\n").filter { $0.hasPrefix("reject: ") } }
        #expect(rejects(example.stderr) == rejects(cli.stderr))
        if sample == "samples/incidents.csv" {
            // One decision per incident version, counted here from the file (which has no quoted field):
            // a row starts a new one unless its incident columns (the 16 before the child's) repeat the
            // row before's.
            let rows = try String(contentsOfFile: Triage.path(sample), encoding: .utf8).split(separator: "\n").dropFirst()
                .map { $0.split(separator: ",", omittingEmptySubsequences: false).prefix(16) }
            let versions = zip(rows, [[]] + rows).filter { $0.0 != $0.1 }.count
            #expect(example.stdout.filter { $0 == 0x0A }.count == versions)
        }
    }
}
