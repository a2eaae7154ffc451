import Foundation
import Testing
import _TriageTestSupport

@testable import NotificationTriage
@testable import TriageJobs

/// Faults an adversarial user or a busy night can bring (issue 13, items 6–11 and 15): concurrent runs,
/// planted links, umasks, outputs that are inputs, unwritable paths, signals and stale temporary files.
/// Each test runs the built binary end to end on inputs generated at test time; the slow lock and signal
/// runs are in the stress target (`FaultStressTests`).
@Suite(.serialized) struct FaultTests: RunFixtures {
    // MARK: item 8: temporary files

    /// A link planted at the name today's code would use (`school.csv.tmp-PID`) is not followed: its
    /// target keeps its bytes and the link itself is left alone.
    @Test func aLinkPlantedAtTheOldTemporaryNameIsNotFollowed() throws {
        let dir = Triage.tempDir()
        let out = dir.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        let victim = dir.appendingPathComponent("victim.txt")
        try Data("victim\n".utf8).write(to: victim)
        let go = dir.appendingPathComponent("go")
        // The shell's pid becomes triage's pid at `exec`, so the old temporary names are known in advance.
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = [
            "-c", "while [ ! -e \"$1\" ]; do sleep 0.02; done; exec \"$0\" screen samples/scenarios.csv --quiet --out \"$2\"",
            Triage.binary.path, go.path, out.path,
        ]
        p.currentDirectoryURL = Triage.root
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        let names = [
            "decisions.jsonl", "school.csv", "social_care.jsonl", "health_visitor.csv", "midwifery.csv", "marac.jsonl",
            "screened_out.csv", "rejects.jsonl",
        ]
        for n in names {
            try FileManager.default.createSymbolicLink(
                atPath: out.appendingPathComponent("\(n).tmp-\(p.processIdentifier)").path, withDestinationPath: victim.path)
        }
        _ = FileManager.default.createFile(atPath: go.path, contents: nil)
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
        #expect(try String(contentsOf: victim, encoding: .utf8) == "victim\n")
        for n in names {
            let link = out.appendingPathComponent("\(n).tmp-\(p.processIdentifier)")
            #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: link.path)) == victim.path)
        }
        #expect(mode(out.appendingPathComponent("school.csv")) == 0o600)
    }

    /// At the exact name a temporary file would take, a planted link (or any file) makes the creation
    /// fail rather than write through it; the names carry the pid and a random part.
    @Test func aTemporaryFileIsNeverCreatedThroughALink() throws {
        let dir = Triage.tempDir()
        let victim = dir.appendingPathComponent("victim.txt")
        try Data("victim\n".utf8).write(to: victim)
        let planted = dir.appendingPathComponent(".school.csv.tmp-\(getpid())-0123456789abcdef")
        try FileManager.default.createSymbolicLink(atPath: planted.path, withDestinationPath: victim.path)
        let destination = dir.appendingPathComponent("school.csv").path
        #expect(throws: OutputError.self) {
            _ = try TemporaryFiles.shared.create(for: destination, randomPart: "0123456789abcdef")
        }
        #expect(try String(contentsOf: victim, encoding: .utf8) == "victim\n")
        let a = try OutputFile(atomicPath: destination)
        let b = try OutputFile(atomicPath: destination)
        let names = files(dir).filter { $0.hasPrefix(".school.csv.tmp-\(getpid())-") && $0 != planted.lastPathComponent }
        #expect(names.count == 2)
        a.abandon()
        b.abandon()
    }

    /// Only names of the temporary-file pattern give a pid (and so may be removed as stale).
    @Test(arguments: [
        (".school.csv.tmp-123-0123456789abcdef", 123 as Int32?), (".s.tmp-9-ffffffffffffffff", 9),
        ("school.csv.tmp-123", nil), (".school.csv.tmp-123-0123456789abcdeF", nil), (".school.csv.tmp--0123456789abcdef", nil),
        (".tmp-123-0123456789abcdef", nil), (".school.csv.tmp-123-0123456789abcde", nil), ("school.csv", nil),
    ])
    func temporaryNamesGiveTheirPid(_ name: String, _ pid: Int32?) {
        #expect(TemporaryFiles.pid(inTemporaryName: name) == pid)
    }

    // MARK: item 9: modes

    /// Outputs, rejects, summary and state are 0600 and created directories 0700, under any umask; so is
    /// a file written by `generate`.
    @Test(arguments: ["022", "000", "277"])
    func personalDataIsPrivateUnderAnyUmask(_ umask: String) throws {
        let dir = Triage.tempDir()
        let out = dir.appendingPathComponent("new/out")
        let state = dir.appendingPathComponent("state")
        let sum = dir.appendingPathComponent("summary.json")
        let rejects = dir.appendingPathComponent("rejects.jsonl")
        let report = dir.appendingPathComponent("report.html")
        let run = try Run(
            [
                "screen", "samples/messy.csv", "--quiet", "--out", out.path, "--state", state.path, "--summary", sum.path,
                "--rejects", rejects.path, "--report", report.path, "--schools", "samples/schools-register.csv",
            ], umask: umask, in: dir)
        #expect(run.wait().status == 3)
        #expect(mode(dir.appendingPathComponent("new")) == 0o700)
        #expect(mode(out) == 0o700)
        #expect(files(out).count == 9)
        // The files 0600; the school packs' folder 0700, and its files 0600.
        for f in files(out) { #expect(mode(out.appendingPathComponent(f)) == (f == "schools" ? 0o700 : 0o600), "\(f)") }
        let packs = out.appendingPathComponent("schools")
        #expect(files(packs).contains("index.csv"))
        // Every folder under the packs 0700 (out-of-area ones too), every file 0600.
        let tree = FileManager.default.enumerator(at: packs, includingPropertiesForKeys: nil)?.allObjects as? [URL] ?? []
        #expect(!tree.isEmpty)
        for u in tree {
            var isDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: u.path, isDirectory: &isDirectory)
            #expect(mode(u) == (isDirectory.boolValue ? 0o700 : 0o600), "\(u.path)")
        }
        for u in [state, sum, rejects, report] { #expect(mode(u) == 0o600, "\(u.lastPathComponent)") }
        let generated = dir.appendingPathComponent("g.csv")
        #expect(try Run(["generate", "--incidents", "10", "--output", generated.path], umask: umask, in: dir).wait().status == 0)
        #expect(mode(generated) == 0o600)
    }

    /// Replacing a file keeps its mode: a state the user made 0640 stays 0640.
    @Test func anExistingFileKeepsItsMode() throws {
        let dir = Triage.tempDir()
        let state = dir.appendingPathComponent("state")
        let sum = dir.appendingPathComponent("summary.json")
        let args = ["screen", "samples/scenarios.csv", "--quiet", "--state", state.path, "--summary", sum.path]
        #expect(try Triage.run(args).status == 0)
        chmod(state.path, 0o640)
        chmod(sum.path, 0o604)
        #expect(try Triage.run(args).status == 0)
        #expect(mode(state) == 0o640)
        #expect(mode(sum) == 0o604)
    }

    // MARK: item 10: outputs that are inputs, early checks, commit

    struct Collision: CustomTestStringConvertible, Sendable {
        var name: String
        /// Arguments after the input; `IN` stands for the input's path, `DIR` for the test's directory.
        var args: [String]
        var testDescription: String { name }
    }

    /// An output that is one of the inputs (the same file by device and inode, under any spelling) is
    /// refused before anything is read or written, and the input keeps its bytes.
    @Test(arguments: [
        Collision(name: "--rejects is the input", args: ["--rejects", "IN"]),
        Collision(name: "--summary is the input by another path", args: ["--summary", "DIR/./school.csv"]),
        Collision(name: "--state is the input", args: ["--state", "IN"]),
        Collision(name: "an --out file is the input", args: ["--out", "DIR"]),
        Collision(name: "two outputs are one file", args: ["--rejects", "DIR/r.jsonl", "--summary", "DIR/r.jsonl"]),
        Collision(name: "--rejects is the policy", args: ["--thresholds", "DIR/p.yaml", "--rejects", "DIR/p.yaml"]),
    ])
    func anOutputThatIsAnInputIsRefused(_ c: Collision) throws {
        let dir = Triage.tempDir()
        let input = dir.appendingPathComponent("school.csv")
        try generate(200, seed: 4, to: input)
        try FileManager.default.copyItem(
            at: Triage.root.appendingPathComponent("thresholds.yaml"), to: dir.appendingPathComponent("p.yaml"))
        let before = snapshot(dir)
        let args = c.args.map { $0 == "IN" ? input.path : $0.replacingOccurrences(of: "DIR", with: dir.path) }
        let r = try Triage.run(["screen", input.path, "--quiet"] + args)
        #expect(r.status == 2)
        #expect(r.stderr.contains("is also an input") || r.stderr.contains("is also written as"), "\(r.stderr)")
        #expect(r.stdout.isEmpty)
        #expect(snapshot(dir) == before)
    }

    /// `compare` refuses the same way.
    @Test func compareRefusesAnOutputThatIsAnInput() throws {
        let dir = Triage.tempDir()
        let input = dir.appendingPathComponent("in.csv")
        try generate(100, seed: 4, to: input)
        let before = try Data(contentsOf: input)
        let r = try Triage.run([
            "compare", "--baseline", "thresholds.yaml", "--candidate", "thresholds.yaml", input.path, "--json", input.path,
        ])
        #expect(r.status == 2)
        #expect(try Data(contentsOf: input) == before)
    }

    /// `compare` creates every output before reading: one that cannot be created leaves none of the others.
    @Test func compareCommitsNothingWhenAnOutputCannotBeCreated() throws {
        let dir = Triage.tempDir()
        try Data("x".utf8).write(to: dir.appendingPathComponent("file"))
        let r = try Triage.run([
            "compare", "--baseline", "thresholds.yaml", "--candidate", "thresholds.yaml", "samples/scenarios.csv",
            "--changes", dir.appendingPathComponent("changes.jsonl").path, "--json", dir.appendingPathComponent("file/x.json").path,
        ])
        #expect(r.status == 1)
        #expect(r.stdout.isEmpty)
        #expect(files(dir) == ["file"])
    }

    struct BadPath: CustomTestStringConvertible, Sendable {
        var name: String
        /// `--state` and `--summary`; `DIR` stands for the test's directory, where `file` is a regular file.
        var state: String
        var summary: String
        var testDescription: String { name }
    }

    /// An output or state path that cannot be written (or a state that cannot be read) is found before
    /// screening starts: nothing is committed, `--out` is not even created, the old state is kept.
    @Test(arguments: [
        BadPath(name: "--summary under a regular file", state: "DIR/state", summary: "DIR/file/summary.json"),
        BadPath(name: "--summary in a missing directory", state: "DIR/state", summary: "DIR/missing/summary.json"),
        BadPath(name: "--summary is a directory", state: "DIR/state", summary: "DIR"),
        BadPath(name: "--state in a missing directory", state: "DIR/missing/state", summary: "DIR/s.json"),
        BadPath(name: "--state under a regular file", state: "DIR/file/state", summary: "DIR/s.json"),
        BadPath(name: "--state is a directory", state: "DIR", summary: "DIR/s.json"),
        BadPath(name: "--state is corrupt", state: "DIR/file", summary: "DIR/s.json"),
    ])
    func aBadOutputPathIsFoundBeforeScreening(_ c: BadPath) throws {
        let dir = Triage.tempDir()
        try Data("not a state\n".utf8).write(to: dir.appendingPathComponent("file"))
        let state = dir.appendingPathComponent("state")
        #expect(try Triage.run(["screen", "samples/scenarios.csv", "--quiet", "--state", state.path]).status == 0)
        let out = dir.appendingPathComponent("out")
        let before = snapshot(dir)
        let r = try Triage.run([
            "screen", "samples/scenarios.csv", "--quiet", "--out", out.path,
            "--state", c.state.replacingOccurrences(of: "DIR", with: dir.path),
            "--summary", c.summary.replacingOccurrences(of: "DIR", with: dir.path),
        ])
        #expect(r.status == 1)
        #expect(r.stderr.hasPrefix("triage: error: "))
        #expect(!FileManager.default.fileExists(atPath: out.path))
        #expect(snapshot(dir) == before)
    }

    /// When a rename fails in the commit group (here the summary's path became a directory during the
    /// run), the error names exactly the files committed and those not; the state, renamed last, is kept.
    @Test func aFailedCommitSaysWhichFilesItCommitted() throws {
        let dir = Triage.tempDir()
        let input = dir.appendingPathComponent("in.csv")
        try generate(300, seed: 6, to: input)
        let state = dir.appendingPathComponent("state")
        #expect(try Triage.run(["screen", "samples/scenarios.csv", "--quiet", "--state", state.path]).status == 0)
        let before = try Data(contentsOf: state)
        let out = dir.appendingPathComponent("out")
        let sum = dir.appendingPathComponent("summary.json")
        let run = try Run(
            ["screen", "-", "--input-format", "csv", "--quiet", "--out", out.path, "--state", state.path, "--summary", sum.path],
            in: dir)
        #expect(eventually { files(dir).contains { $0.hasPrefix(".summary.json.tmp-") } })
        try FileManager.default.createDirectory(at: sum.appendingPathComponent("in-the-way"), withIntermediateDirectories: true)
        run.send(try Data(contentsOf: input))
        let (status, stderr) = run.wait()
        #expect(status == 1)
        #expect(stderr.contains("committed: \(out.path)/decisions.jsonl"), "\(stderr)")
        #expect(stderr.contains("not committed: \(sum.path), \(state.path)"), "\(stderr)")
        #expect(try Data(contentsOf: state) == before)
        #expect(!files(dir).contains { $0.contains(".tmp-") })
        #expect(!files(out).contains { $0.contains(".tmp-") })
    }

    // MARK: item 11: stale temporary files (signals: FaultStressTests)

    /// A later run removes the temporary files of runs that died (a pid no longer alive) in the
    /// directories it writes, and leaves those of live processes alone.
    @Test func staleTemporaryFilesOfDeadRunsAreRemoved() throws {
        let dir = Triage.tempDir()
        let out = dir.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        let dead = Process()
        dead.executableURL = URL(fileURLWithPath: "/bin/true")
        try dead.run()
        dead.waitUntilExit()
        let deadPid = dead.processIdentifier
        let stale = [
            out.appendingPathComponent(".school.csv.tmp-\(deadPid)-0123456789abcdef"),
            dir.appendingPathComponent(".state.tmp-\(deadPid)-00000000deadbeef"),
        ]
        let live = out.appendingPathComponent(".school.csv.tmp-\(getpid())-0123456789abcdef")
        let unrelated = out.appendingPathComponent("notes.tmp-\(deadPid)")
        for u in stale + [live, unrelated] { try Data("x".utf8).write(to: u) }
        let r = try Triage.run([
            "screen", "samples/scenarios.csv", "--quiet", "--out", out.path, "--state", dir.appendingPathComponent("state").path,
        ])
        #expect(r.status == 0)
        for u in stale { #expect(!FileManager.default.fileExists(atPath: u.path), "\(u.lastPathComponent)") }
        #expect(FileManager.default.fileExists(atPath: live.path))
        #expect(FileManager.default.fileExists(atPath: unrelated.path))
    }
}
