import Foundation

/// A run of the binary reading a pipe the test writes to, a piece at a time, with its standard output
/// collected as it arrives: for checking that decisions leave while the input is still open.
package final class LiveRun: @unchecked Sendable {
    package let process = Process()
    private let input = Pipe()
    private let output = Pipe()
    private let errors = Pipe()
    private let lock = NSLock()
    private var out = Data()
    private var err = Data()
    private var reading: [Thread] = []

    package init(_ args: [String]) throws {
        process.executableURL = Triage.binary
        process.arguments = args
        process.currentDirectoryURL = Triage.root
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        for (pipe, isOut) in [(output, true), (errors, false)] {
            let t = Thread { [self] in
                let h = pipe.fileHandleForReading
                while true {
                    let d = h.availableData
                    if d.isEmpty { break }
                    lock.lock()
                    if isOut { out.append(d) } else { err.append(d) }
                    lock.unlock()
                }
            }
            t.start()
            reading.append(t)
        }
    }

    /// Writes `text` to the run's standard input at once (one write).
    package func send(_ text: String) { input.fileHandleForWriting.write(Data(text.utf8)) }

    /// Standard output so far, as lines.
    package var lines: [String] {
        lock.lock()
        defer { lock.unlock() }
        return String(decoding: out, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    package var standardError: String {
        lock.lock()
        defer { lock.unlock() }
        return String(decoding: err, as: UTF8.self)
    }

    /// Waits up to `seconds` for `condition`; whether it held.
    package func eventually(within seconds: Double = 30, _ condition: () -> Bool) -> Bool {
        let end = Date().addingTimeInterval(seconds)
        while Date() < end {
            if condition() { return true }
            usleep(10_000)
        }
        return condition()
    }

    /// Closes standard input and waits for the run to end: its exit status.
    @discardableResult
    package func finish() -> Int32 {
        try? input.fileHandleForWriting.close()
        return waitForExit()
    }

    /// Waits for the run to end (its input left open): its exit status, or minus the signal that ended it.
    package func waitForExit() -> Int32 {
        process.waitUntilExit()
        _ = eventually(within: 5) { reading.allSatisfy(\.isFinished) }
        return process.terminationReason == .exit ? process.terminationStatus : -process.terminationStatus
    }
}
