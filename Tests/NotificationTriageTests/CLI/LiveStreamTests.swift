import Foundation
import Testing
import _TriageTestSupport

/// On a stream, each decision leaves as soon as its incident has arrived, not at the end of input. These
/// check the behaviour, not the latency (that is `triage-bench`'s `stream` case): each waits, generously,
/// for a decision while the input is still open.
@Suite struct LiveStreamTests {
    static let header =
        "incident_id,occurred_at,household_id,victim_id,perpetrator_id,dash_risk,child_id,child_dob,child_present\n"

    static func row(_ id: String, child: String = "", day: Int = 1) -> String {
        "\(id),2025-03-0\(day)T10:00:00Z,H-\(id),V-\(id),P-\(id),medium,\(child),\(child.isEmpty ? "" : "2020-01-01"),\(child.isEmpty ? "" : "true")\n"
    }

    @Test func csvRowsHaveTheirDecisionsWhileTheInputIsOpen() throws {
        let run = try LiveRun(["screen", "-", "--quiet"])
        // One incident's two rows arrive together; the reader takes the incident as complete when no row
        // follows, rather than waiting for the next incident.
        run.send(Self.header + Self.row("A", child: "C1") + Self.row("A", child: "C2"))
        #expect(run.eventually { run.lines.count == 1 })
        #expect(run.lines.first?.contains("\"incident_id\":\"A\"") == true)
        #expect(run.lines.first?.contains("\"child_id\":\"C2\"") == true)
        run.send(Self.row("B", day: 2))
        #expect(run.eventually { run.lines.count == 2 })
        #expect(run.finish() == 0)
        #expect(run.lines.count == 2)
    }

    @Test func jsonLinesHaveTheirDecisionsWhileTheInputIsOpen() throws {
        let run = try LiveRun(["screen", "-", "--quiet"])
        for (i, id) in ["J1", "J2", "J3"].enumerated() {
            run.send(
                "{\"incident_id\":\"\(id)\",\"occurred_at\":\"2025-03-01T10:00:00Z\",\"household_id\":\"H\",\"victim\":{\"person_id\":\"V\"},"
                    + "\"perpetrator\":{\"person_id\":\"P\"},\"dash_risk\":\"standard\"}\n")
            #expect(run.eventually { run.lines.count == i + 1 }, "decision \(i + 1) did not arrive while the input was open")
        }
        #expect(run.finish() == 0)
        #expect(run.lines.count == 3)
    }

    /// With `--out`, the decisions are written to the temporary files as they are made (flushed, not
    /// committed): the real names appear only when the input ends.
    @Test func outFilesAreFlushedButNotCommittedUntilTheEnd() throws {
        let dir = Triage.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("out")
        let run = try LiveRun(["screen", "-", "--quiet", "--out", out.path])
        run.send(Self.header + Self.row("A", child: "C1"))
        func temporaryDecisions() -> String {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: out.path)) ?? []
            guard let name = names.first(where: { $0.hasPrefix(".decisions.jsonl.tmp-") }) else { return "" }
            return (try? String(contentsOf: out.appendingPathComponent(name), encoding: .utf8)) ?? ""
        }
        #expect(run.eventually { temporaryDecisions().contains("\"incident_id\":\"A\"") })
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("decisions.jsonl").path))
        #expect(run.finish() == 0)
        let committed = try String(contentsOf: out.appendingPathComponent("decisions.jsonl"), encoding: .utf8)
        #expect(committed.split(separator: "\n").count == 1)
    }

    /// Input that keeps coming is read as a file is: the same decisions, byte for byte.
    @Test(arguments: ["samples/incidents.csv", "samples/incidents.jsonl", "samples/scenarios.csv"])
    func aFilePipedInGivesTheFilesDecisions(_ sample: String) throws {
        let file = try Triage.run(["screen", sample, "--quiet"])
        let piped = try Triage.run(["screen", "-", "--quiet"], input: try Data(contentsOf: URL(fileURLWithPath: Triage.path(sample))))
        #expect(file.status == piped.status)
        #expect(!file.stdout.isEmpty)
        #expect(piped.stdout == file.stdout)
    }
}
