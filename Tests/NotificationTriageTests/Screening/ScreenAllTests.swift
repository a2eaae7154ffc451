import Foundation
import NotificationTriage
import Testing
import _TriageTestSupport

/// `Screener.screenAll` is the library's batch path: the CLI's decisions, and a shard's history in and out.
@Suite struct ScreenAllTests {
    static func lines(_ path: String, from history: History? = nil, clock: WallClock = .system) throws -> ([String], History) {
        var input = try IncidentInput(path: path, zone: Policy.default.zone)
        var screener = Screener(policy: .default, history: history, clock: clock)
        let encoder = DecisionEncoder(policy: .default)
        var out: [String] = []
        try screener.screenAll(&input) { outcome in
            if case .success(let d) = outcome { out.append(encoder.jsonLine(d)) }
        }
        return (out, screener.history)
    }

    @Test(arguments: ["samples/incidents.csv", "samples/scenarios.csv", "samples/incidents.jsonl"])
    func screenAllGivesTheCLIsDecisions(_ sample: String) throws {
        let cli = try Triage.run(["screen", sample, "--quiet"])
        let (lines, _) = try Self.lines(Triage.path(sample))
        #expect(!lines.isEmpty)
        #expect(lines.joined() == cli.out)
    }

    /// Two halves, the history saved after the first and loaded for the second, give one run's decisions.
    @Test func aShardsHistoryGoesOutAndComesBackIn() throws {
        let text = try String(contentsOfFile: Triage.path("samples/incidents.csv"), encoding: .utf8)
        var rows = text.split(separator: "\n", omittingEmptySubsequences: false)
        if rows.last == "" { rows.removeLast() }
        let header = rows.removeFirst()
        // Cut between two incidents (never inside one incident's rows), about half way.
        var cut = rows.count / 2
        while cut < rows.count, rows[cut].prefix(while: { $0 != "," }) == rows[cut - 1].prefix(while: { $0 != "," }) { cut += 1 }
        let dir = Triage.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let first = dir.appendingPathComponent("a.csv")
        let second = dir.appendingPathComponent("b.csv")
        try ([header] + rows[..<cut]).joined(separator: "\n").appending("\n").write(to: first, atomically: true, encoding: .utf8)
        try ([header] + rows[cut...]).joined(separator: "\n").appending("\n").write(to: second, atomically: true, encoding: .utf8)
        let (whole, _) = try Self.lines(Triage.path("samples/incidents.csv"))
        let (a, history) = try Self.lines(first.path)
        let saved = history.save()
        let loaded = try History(state: saved, source: "shard", policy: .default)
        let (b, _) = try Self.lines(second.path, from: loaded)
        #expect(a.count + b.count == whole.count)
        #expect(a + b == whole)
    }
}
