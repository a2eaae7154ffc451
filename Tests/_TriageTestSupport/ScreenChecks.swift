import Foundation
import Testing

/// The scenario tests' helpers: a clean `triage screen` run and where two outputs first differ.
package protocol ScreenChecks {}

extension ScreenChecks {
    /// Screens `input` with `--quiet` (plus `extra`) and expects a clean run.
    package func screen(_ input: String, _ extra: [String] = [], sourceLocation: Testing.SourceLocation = #_sourceLocation)
        throws -> Data
    {
        let r = try Triage.run(["screen", input, "--quiet"] + extra)
        #expect(r.status == 0, "triage screen \(input) exited \(r.status): \(r.stderr)", sourceLocation: sourceLocation)
        return r.stdout
    }

    /// Where two outputs first differ, by 1-based line number, or nil when they are byte-identical.
    package func firstDifference(_ a: Data, _ b: Data, _ aName: String, _ bName: String) -> String? {
        if a == b { return nil }
        let la = a.split(separator: 0x0A, omittingEmptySubsequences: false)
        let lb = b.split(separator: 0x0A, omittingEmptySubsequences: false)
        for i in 0..<max(la.count, lb.count) {
            let x = i < la.count ? String(decoding: la[i], as: UTF8.self) : "<end of output>"
            let y = i < lb.count ? String(decoding: lb[i], as: UTF8.self) : "<end of output>"
            if x != y { return "first difference at line \(i + 1):\n\(aName): \(x)\n\(bName): \(y)" }
        }
        return "outputs differ in bytes but not by line"
    }
}
