import Foundation
import Testing

/// Each target imports only what it may (the README's "Architecture"): the domain core nothing but
/// Foundation, the jobs and the generator the core (not each other), the executables the libraries, the test
/// targets the libraries and the shared helpers (not each other). Read from the sources themselves, so
/// that an import added against the direction fails here even where the package manifest would allow it.
@Suite struct TargetDirectionTests {
    struct Rule: Sendable, CustomTestStringConvertible {
        var folder: String
        var mayImport: Set<String>
        var testDescription: String { folder }
    }

    static let system: Set<String> = ["Synchronization", "Foundation", "Glibc", "Musl", "Darwin", "Dispatch"]

    static let rules: [Rule] = [
        Rule(folder: "Sources/NotificationTriage", mayImport: system),
        Rule(folder: "Sources/TriageJobs", mayImport: system.union(["NotificationTriage"])),
        Rule(folder: "Sources/TriageSynthesis", mayImport: system.union(["NotificationTriage"])),
        Rule(folder: "Sources/triage", mayImport: system.union(["NotificationTriage", "TriageJobs", "TriageSynthesis"])),
        Rule(
            folder: "Benchmarks/triage-bench", mayImport: system.union(["NotificationTriage", "TriageJobs", "TriageSynthesis"])),
        // The README's "Using the library" program: the public API of the core alone.
        Rule(folder: "Sources/library-example", mayImport: system.union(["NotificationTriage"])),
        // Test helpers: the package and public API of the libraries they build inputs with, and Testing for
        // shared expectations; never a test target.
        Rule(folder: "Tests/_TriageTestSupport", mayImport: system.union(["Testing", "NotificationTriage", "TriageSynthesis"])),
        Rule(folder: "Tests/NotificationTriageTests", mayImport: testTarget),
        Rule(folder: "Tests/NotificationTriageStressTests", mayImport: testTarget),
        // Compiled by Tests/Fuzz/run.sh together with the core's sources, so the core is no module there.
        Rule(folder: "Tests/Fuzz", mayImport: system),
    ]

    /// What a test target may import: the libraries, the shared helpers and Testing, not another test target.
    static let testTarget = system.union([
        "FoundationXML", "Testing", "NotificationTriage", "TriageJobs", "TriageSynthesis", "_TriageTestSupport",
    ])

    /// Every source folder has a rule, so a new target cannot slip past the check.
    @Test func everySourceFolderHasARule() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let folders = try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("Sources").path)
            .filter { !$0.hasPrefix(".") }.map { "Sources/" + $0 }
        #expect(Set(folders) == Set(Self.rules.map(\.folder).filter { $0.hasPrefix("Sources/") }))
    }

    /// Every test folder holding Swift sources has a rule too (the test targets, the shared helpers, fuzz).
    @Test func everyTestFolderWithSourcesHasARule() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let tests = root.appendingPathComponent("Tests")
        let folders = try FileManager.default.contentsOfDirectory(atPath: tests.path).filter { name in
            let files =
                FileManager.default.enumerator(atPath: tests.appendingPathComponent(name).path)?
                .compactMap { $0 as? String } ?? []
            return !name.hasPrefix(".") && files.contains { $0.hasSuffix(".swift") }
        }.map { "Tests/" + $0 }
        #expect(Set(folders) == Set(Self.rules.map(\.folder).filter { $0.hasPrefix("Tests/") }))
    }

    @Test(arguments: rules)
    func importsFollowTheDirection(_ rule: Rule) throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let folder = root.appendingPathComponent(rule.folder)
        let files = try #require(FileManager.default.enumerator(atPath: folder.path)).compactMap { $0 as? String }
            .filter { $0.hasSuffix(".swift") }
        #expect(!files.isEmpty)
        for file in files {
            let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            for line in text.split(separator: "\n") {
                let words = line.split(separator: " ").map(String.init)
                guard let i = words.firstIndex(of: "import"), i + 1 < words.count,
                    words[..<i].allSatisfy({ $0.hasPrefix("@") || $0 == "package" || $0 == "public" })
                else { continue }
                let module = String(words[i + 1].prefix { $0 != "." })
                #expect(rule.mayImport.contains(module), "\(rule.folder)/\(file) imports \(module)")
            }
        }
    }
}
