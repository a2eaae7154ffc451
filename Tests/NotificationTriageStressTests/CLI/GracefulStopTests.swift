import Foundation
import Testing
import _TriageTestSupport

/// SIGTERM or SIGINT on a run reading a stream stops it gracefully: what was read is screened, the outputs
/// are committed and the state saved, as at the end of input. SIGHUP abandons it.
@Suite(.serialized) struct GracefulStopTests {
    static func line(_ id: String) -> String {
        "{\"incident_id\":\"\(id)\",\"occurred_at\":\"2025-03-01T10:00:00Z\",\"household_id\":\"H\",\"victim\":{\"person_id\":\"V\"},"
            + "\"perpetrator\":{\"person_id\":\"P\"},\"dash_risk\":\"standard\"}\n"
    }

    @Test(arguments: [SIGTERM, SIGINT])
    func aSignalOnAStreamCommitsWhatWasRead(_ signal: Int32) throws {
        let dir = Triage.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("out")
        let state = dir.appendingPathComponent("state.bin")
        let run = try LiveRun(["screen", "-", "--quiet", "--out", out.path, "--state", state.path])
        run.send(Self.line("S1") + Self.line("S2"))
        // Wait until both decisions are in the temporary decisions file, so that the signal comes while the
        // run waits for more input.
        func flushed() -> Int {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: out.path)) ?? []
            guard let name = names.first(where: { $0.hasPrefix(".decisions.jsonl.tmp-") }) else { return 0 }
            let text = (try? String(contentsOf: out.appendingPathComponent(name), encoding: .utf8)) ?? ""
            return text.split(separator: "\n").count
        }
        #expect(run.eventually { flushed() == 2 })
        kill(run.process.processIdentifier, signal)
        #expect(run.waitForExit() == 0)
        #expect(run.standardError.contains("stopping"))
        let decisions = try String(contentsOf: out.appendingPathComponent("decisions.jsonl"), encoding: .utf8)
        #expect(decisions.split(separator: "\n").count == 2)
        // The state was saved with both incidents: screening them again finds both to be repeats.
        let again = try Triage.run(
            ["screen", "-", "--quiet", "--state", state.path], input: Data((Self.line("S1") + Self.line("S2")).utf8))
        #expect(again.status == 0)
        #expect(again.out.split(separator: "\n").allSatisfy { $0.contains("\"duplicate\":true") })
        #expect(again.out.split(separator: "\n").count == 2)
    }

    @Test func sighupAbandonsAStreamRun() throws {
        let dir = Triage.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("out")
        // SIGHUP always abandons, stream or not: nothing is committed.
        let run = try LiveRun(["screen", "-", "--quiet", "--out", out.path])
        run.send(Self.line("S1"))
        #expect(
            run.eventually {
                ((try? FileManager.default.contentsOfDirectory(atPath: out.path)) ?? []).contains { $0.hasPrefix(".decisions.jsonl.tmp-") }
            })
        kill(run.process.processIdentifier, SIGHUP)
        #expect(run.waitForExit() == 128 + SIGHUP)
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("decisions.jsonl").path))
    }
}
