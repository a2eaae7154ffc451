import Foundation
import Testing
import _TriageTestSupport

/// The slow faults of ``FaultTests`` (issue 13, items 6, 7 and 11): runs that hold a lock while a second
/// waits, and signals sent mid-run, each over thousands of generated incidents.
@Suite(.serialized) struct FaultStressTests: RunFixtures {
    // MARK: items 6 and 7: locks

    /// While one run holds `--state`, a second is refused before reading anything (exit 1, naming the
    /// holder's pid); with `--wait-lock` it waits and then runs; the state then holds both runs' ids, so
    /// a third run finds every incident of both a duplicate.
    @Test func aSecondRunOnTheSameStateIsRefusedOrWaits() throws {
        let dir = Triage.tempDir()
        let a = dir.appendingPathComponent("a.csv")
        try generate(1500, seed: 7, to: a)
        let b = dir.appendingPathComponent("b.csv")
        try Data(try String(contentsOf: a, encoding: .utf8).replacingOccurrences(of: "INC-", with: "INB-").utf8).write(to: b)
        let state = dir.appendingPathComponent("state")
        let out = dir.appendingPathComponent("out")
        let first = try Run(["screen", "-", "--input-format", "csv", "--quiet", "--state", state.path, "--out", out.path], in: dir)
        let lock = dir.appendingPathComponent("state.lock")
        #expect(eventually { (try? String(contentsOf: lock, encoding: .utf8)) == "\(first.process.processIdentifier)\n" })
        first.send(try Data(contentsOf: a).prefix(5000))

        let refused = try Triage.run(["screen", b.path, "--quiet", "--state", state.path])
        #expect(refused.status == 1)
        #expect(
            refused.stderr.contains("another triage run holds the lock on \(state.path) (pid \(first.process.processIdentifier))"),
            "\(refused.stderr)")
        let refusedOut = try Triage.run(["screen", b.path, "--quiet", "--out", out.path])
        #expect(refusedOut.status == 1)
        #expect(refusedOut.stderr.contains("another triage run holds the lock on \(out.path)"), "\(refusedOut.stderr)")
        let timedOut = try Triage.run(["screen", b.path, "--quiet", "--state", state.path, "--wait-lock", "0.3"])
        #expect(timedOut.status == 1)

        let second = try Run(["screen", b.path, "--quiet", "--state", state.path, "--wait-lock", "60"], in: dir)
        usleep(400_000)
        #expect(second.process.isRunning)
        first.send(try Data(contentsOf: a).dropFirst(5000))
        #expect(first.wait().status == 0)
        let (status, stderr) = second.wait()
        #expect(status == 0, "\(stderr)")
        #expect(!FileManager.default.fileExists(atPath: lock.path))

        let third = try Triage.run(["screen", a.path, b.path, "--quiet", "--state", state.path])
        let decisions = third.out.split(separator: "\n")
        let perFile = try Triage.run(["screen", a.path, "--quiet"]).out.split(separator: "\n").count
        #expect(perFile > 1000)
        #expect(decisions.count == 2 * perFile)
        #expect(decisions.filter { $0.contains("\"duplicate\":true") }.count == 2 * perFile)
    }

    // MARK: item 11: signals

    /// A signal in the middle of a batch run (its inputs are files) removes the run's temporary files, keeps
    /// the old outputs, summary and state byte for byte, says so in one line and exits 128 + the signal. (A run
    /// reading a stream stops gracefully on SIGTERM or SIGINT instead: GracefulStopTests.)
    /// One generated file for the three signals, large enough that a debug build is still screening it
    /// when the signal comes.
    static let batchInput: URL = {
        let url = Triage.tempDir().appendingPathComponent("in.csv")
        let r = try? Triage.run(["generate", "--incidents", "60000", "--seed", "8", "--output", url.path])
        precondition(r?.status == 0, "triage generate failed")
        return url
    }()

    @Test(arguments: [(SIGTERM, "SIGTERM"), (SIGINT, "SIGINT"), (SIGHUP, "SIGHUP")])
    func aSignalCommitsNothingAndRemovesTemporaryFiles(_ signal: Int32, _ name: String) throws {
        let dir = Triage.tempDir()
        let input = Self.batchInput
        let out = dir.appendingPathComponent("out")
        let state = dir.appendingPathComponent("state")
        let sum = dir.appendingPathComponent("summary.json")
        let args = ["--quiet", "--out", out.path, "--state", state.path, "--summary", sum.path]
        #expect(try Triage.run(["screen", "samples/scenarios.csv"] + args).status == 0)
        let before = snapshot(out, [state, sum])
        let beforeDir = files(dir)
        let run = try Run(["screen", input.path] + args, in: dir)
        #expect(eventually { files(out).contains { $0.contains(".tmp-") } && files(dir).contains { $0.contains(".tmp-") } })
        usleep(200_000)
        kill(run.process.processIdentifier, signal)
        let (status, stderr) = run.wait()
        #expect(status == 128 + signal)
        #expect(stderr == "triage: interrupted by \(name): nothing committed, temporary files removed\n")
        #expect(snapshot(out, [state, sum]) == before)
        #expect(files(dir).filter { !$0.hasPrefix("stderr-") } == beforeDir.filter { !$0.hasPrefix("stderr-") })
    }
}
