import Foundation
import Testing
import _TriageTestSupport

@testable import NotificationTriage

/// `kill -9` at random moments during `triage screen` of 50,000 generated incidents: no output looks
/// complete and the state file keeps its bytes.
@Suite(.serialized) struct KilledRunTests {
    @Test func killedRunLeavesNoCompleteLookingFilesAndKeepsState() throws {
        let dir = Triage.tempDir()
        let big = dir.appendingPathComponent("big.csv")
        try Triage.run(["generate", "--incidents", "50000", "--seed", "3", "--output", big.path])
        let state = dir.appendingPathComponent("state")
        _ = try Triage.run(["screen", "samples/scenarios.csv", "--quiet", "--state", state.path])
        let before = try Data(contentsOf: state)
        for attempt in 0..<12 {
            let out = dir.appendingPathComponent("out\(attempt)")
            let p = Process()
            p.executableURL = Triage.binary
            p.arguments = ["screen", big.path, "--quiet", "--out", out.path, "--state", state.path]
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            usleep(UInt32(20_000 + (attempt * 7919) % 600_000))
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            let files = (try? FileManager.default.contentsOfDirectory(atPath: out.path)) ?? []
            // Temporary files (`.school.csv.tmp-PID-RANDOM`) and the lock file may be left by a SIGKILL.
            for f in files { #expect(f.contains(".tmp-") || f == ".lock", "\(f) looks complete after a kill") }
            #expect(try Data(contentsOf: state) == before)
            _ = try History(state: Array(before), source: "state", policy: .default)
        }
    }
}
