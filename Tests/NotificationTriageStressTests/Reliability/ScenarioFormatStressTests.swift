import Foundation
import Testing
import _TriageTestSupport

/// The slow part of ``ScenarioFormatTests``: every `samples/scenarios*.csv` split with `--state` at every
/// incident boundary (two runs of the binary per boundary) equals one run.
@Suite(.serialized) struct ScenarioFormatStressTests: ScreenChecks {
    static let files = ScenarioCSV.sampleFiles()

    @Test(arguments: files) func everySplitWithStateEqualsOneRun(file: String) throws {
        let scenario = try ScenarioCSV(contentsOf: Triage.root.appendingPathComponent(file))
        let whole = try screen(Triage.path(file))
        let dir = Triage.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let n = scenario.groups.count
        #expect(n >= 2)
        var failures: [String] = []
        // Every boundary between incidents, and both ends (an empty first or second run).
        for cut in 0...n {
            let first = dir.appendingPathComponent("first-\(cut).csv")
            let second = dir.appendingPathComponent("second-\(cut).csv")
            let state = dir.appendingPathComponent("state-\(cut)")
            try scenario.csv(groups: 0..<cut).write(to: first)
            try scenario.csv(groups: cut..<n).write(to: second)
            var split = try screen(first.path, ["--state", state.path])
            split.append(try screen(second.path, ["--state", state.path]))
            if let d = firstDifference(whole, split, "one run", "split  ") {
                let at = cut < n ? "before incident \(cut + 1) of \(n) ('\(scenario.groups[cut].incidentID)')" : "after the last incident"
                failures.append("split \(at): \(d)")
            }
        }
        if !failures.isEmpty {
            Issue.record("\(file): \(failures.count) of \(n + 1) split points differ; \(failures.prefix(3).joined(separator: "\n"))")
        }
    }
}
