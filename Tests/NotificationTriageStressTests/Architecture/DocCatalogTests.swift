import Foundation
import Testing
import _TriageTestSupport

/// The DocC catalog builds with the toolchain's `docc`, with warnings as errors (a symbol link that no
/// longer resolves fails here), exactly as the README's "Using the library" says to build it. Skipped
/// where the toolchain has no `docc` (it ships with Swift on Linux).
@Suite struct DocCatalogTests {
    static func onPath(_ name: String) -> URL? {
        let dirs = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
        return dirs.map { URL(fileURLWithPath: String($0)).appendingPathComponent(name) }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    static func run(_ tool: URL, _ args: [String]) throws -> (Int32, String) {
        let p = Process()
        p.executableURL = tool
        p.arguments = args
        p.currentDirectoryURL = Triage.root
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        return (p.terminationStatus, text)
    }

    @Test(.enabled(if: onPath("docc") != nil && onPath("swift") != nil, "docc or swift not on PATH"))
    func theCatalogBuildsWithoutWarnings() throws {
        let work = Triage.tempDir()
        defer { try? FileManager.default.removeItem(at: work) }
        let graphs = work.appendingPathComponent("sg").path
        let (built, buildLog) = try Self.run(
            Self.onPath("swift")!,
            [
                "build", "--target", "NotificationTriage", "--scratch-path", work.appendingPathComponent("build").path,
                "-Xswiftc", "-emit-symbol-graph", "-Xswiftc", "-emit-symbol-graph-dir", "-Xswiftc", graphs,
            ])
        #expect(built == 0, "\(buildLog.suffix(2000))")
        let (converted, log) = try Self.run(
            Self.onPath("docc")!,
            [
                "convert", "Sources/NotificationTriage/NotificationTriage.docc", "--additional-symbol-graph-dir", graphs,
                "--fallback-display-name", "NotificationTriage", "--fallback-bundle-identifier", "org.notificationtriage",
                "--output-path", work.appendingPathComponent("NotificationTriage.doccarchive").path, "--warnings-as-errors",
            ])
        #expect(converted == 0, "\(log.suffix(4000))")
    }
}
