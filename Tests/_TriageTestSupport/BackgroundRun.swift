import Foundation
import Testing

/// A run of the binary in the background, its standard input a pipe held open by the test (so the
/// run waits, holding its locks and temporary files, until ``finishInput()``).
package final class BackgroundRun {
    package let process = Process()
    package let input = Pipe()
    package let errorFile: URL

    package init(_ args: [String], umask: String? = nil, in dir: URL) throws {
        errorFile = dir.appendingPathComponent("stderr-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: errorFile.path, contents: nil)
        if let umask {
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", "umask \(umask); exec \"$0\" \"$@\"", Triage.binary.path] + args
        } else {
            process.executableURL = Triage.binary
            process.arguments = args
        }
        process.currentDirectoryURL = Triage.root
        process.standardInput = input
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: errorFile)
        try process.run()
    }

    package func send(_ data: Data) { input.fileHandleForWriting.write(data) }
    package func finishInput() { try? input.fileHandleForWriting.close() }

    /// Waits for the run to end: its exit status and standard error.
    package func wait() -> (status: Int32, stderr: String) {
        finishInput()
        process.waitUntilExit()
        let err = (try? String(contentsOf: errorFile, encoding: .utf8)) ?? ""
        return (process.terminationReason == .exit ? process.terminationStatus : -process.terminationStatus, err)
    }
}

/// The fault tests' helpers (background runs, polling, generated inputs, directory snapshots), shared by
/// the suites in both test targets that conform.
package protocol RunFixtures {}

extension RunFixtures {
    package typealias Run = BackgroundRun

    /// Waits up to 30 s for `condition`.
    package func eventually(_ condition: () -> Bool) -> Bool {
        for _ in 0..<600 {
            if condition() { return true }
            usleep(50_000)
        }
        return condition()
    }

    package func generate(_ n: Int, seed: Int, to url: URL) throws {
        let r = try Triage.run(["generate", "--incidents", "\(n)", "--seed", "\(seed)", "--output", url.path])
        #expect(r.status == 0)
    }

    package func files(_ dir: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).sorted()
    }

    package func mode(_ url: URL) -> Int {
        var st = stat()
        guard lstat(url.path, &st) == 0 else { return -1 }
        return Int(st.st_mode & 0o7777)
    }

    /// Every file under `dir` (one level) with its bytes, and the listed extra files.
    package func snapshot(_ dir: URL, _ extra: [URL] = []) -> [String: Data] {
        var s: [String: Data] = [:]
        for f in files(dir) { s[f] = (try? Data(contentsOf: dir.appendingPathComponent(f))) ?? Data() }
        for u in extra { s[u.path] = (try? Data(contentsOf: u)) ?? Data("<missing>".utf8) }
        return s
    }
}
