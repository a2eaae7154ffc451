import Foundation

/// Runs the built `triage` binary for end-to-end tests.
package enum Triage {
    /// The package root: this file is `Tests/_TriageTestSupport/TriageProcess.swift`.
    package static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    package static var binary: URL { built("triage") }

    /// A built executable of this package, by product name.
    package static func built(_ name: String) -> URL {
        let beside = Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent(name)
        if FileManager.default.isExecutableFile(atPath: beside.path) { return beside }
        for dir in [".build/debug", ".build/release"] {
            let u = root.appendingPathComponent(dir).appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: u.path) { return u }
        }
        return beside
    }

    package struct Result {
        package var status: Int32
        package var stdout: Data
        package var stderr: String
        package var out: String { String(decoding: stdout, as: UTF8.self) }

        package init(status: Int32, stdout: Data, stderr: String) {
            self.status = status
            self.stdout = stdout
            self.stderr = stderr
        }
    }

    /// Runs triage with arguments in `directory` (default: the package root), feeding `input` on stdin.
    @discardableResult
    package static func run(_ args: [String], in directory: URL? = nil, input: Data? = nil, executable: URL? = nil) throws -> Result {
        let p = Process()
        p.executableURL = executable ?? binary
        p.arguments = args
        p.currentDirectoryURL = directory ?? root
        let out = Pipe()
        let err = Pipe()
        p.standardOutput = out
        p.standardError = err
        let inPipe = Pipe()
        p.standardInput = input == nil ? FileHandle.nullDevice : inPipe
        try p.run()
        // Input is written on a thread of its own while the output is read: a run reading a stream writes
        // decisions as it goes, and would block on a full standard output (and so stop reading) while
        // this process, writing the input first, blocked on a full standard input.
        let writing = LockedData()
        if let input {
            let stdin = inPipe.fileHandleForWriting
            let w = Thread {
                stdin.write(input)
                try? stdin.close()
                writing.set(Data())
            }
            w.start()
        } else {
            writing.set(Data())
        }
        // Read both pipes concurrently so a full pipe never blocks the child.
        let errData = LockedData()
        let t = Thread { errData.set(err.fileHandleForReading.readDataToEndOfFile()) }
        t.start()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        while !errData.isDone || !writing.isDone { usleep(1000) }
        return Result(status: p.terminationStatus, stdout: o, stderr: String(decoding: errData.get(), as: UTF8.self))
    }

    /// A fresh temporary directory.
    package static func tempDir() -> URL {
        let u = FileManager.default.temporaryDirectory.appendingPathComponent("triage-test-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: u, withIntermediateDirectories: true)
        return u
    }

    package static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }
}

/// The standard error bytes, handed from the reading thread to the waiting one.
final class LockedData: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()
    private var done = false
    var isDone: Bool {
        lock.lock()
        defer { lock.unlock() }
        return done
    }
    func set(_ d: Data) {
        lock.lock()
        data = d
        done = true
        lock.unlock()
    }
    func get() -> Data {
        lock.lock()
        defer { lock.unlock() }
        return data
    }
}
