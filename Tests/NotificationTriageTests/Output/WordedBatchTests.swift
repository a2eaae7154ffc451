import Foundation
import Testing
import TriageSynthesis
import _TriageTestSupport

@testable import NotificationTriage

/// With `--out`, a destination's JSON lines copy the reasons and history its decision's line worded (kept in
/// a ``WordedBatch``) instead of wording them again. Every line must be what the destination words on its
/// own, whether the batch holds the decision, holds only part of the batch, or skipped it.
@Suite struct WordedBatchTests {
    /// Decisions of the default policy, and the batch their decision lines keep (`keep`: which to keep).
    /// `held`: how many of them the batch holds (fewer: a write that failed part way).
    static func decisions(_ n: Int, seed: UInt64, keep: (Int) -> Bool = { _ in true }, held: Int? = nil) -> ([Decision], WordedBatch) {
        var screener = Screener(policy: .default)
        let decisions = generate(GeneratorOptions(incidents: n, seed: seed)).map { screener.screen($0) }
        let encoder = DecisionEncoder(policy: .default)
        var scratch = EncoderScratch()
        scratch.keep = WordedBatch()
        var lines: [UInt8] = []
        for (k, d) in decisions.prefix(held ?? n).enumerated() {
            scratch.keep!.keeping = keep(k)
            encoder.appendJSONLine(d, to: &lines, scratch: &scratch)
        }
        return (decisions, scratch.keep!)
    }

    /// Every route's line to every destination, worded by the destination alone, and with `worded`.
    static func lines(_ decisions: [Decision], worded: WordedBatch?) -> [[UInt8]] {
        let writers = Policy.default.destinations.map { DestinationWriter(destination: $0, policy: .default, asOf: nil) }
        var scratch = EncoderScratch()
        var out: [[UInt8]] = []
        for (k, d) in decisions.enumerated() {
            for (n, r) in d.routes.enumerated() {
                var w = ByteWriter(capacity: 256)
                if let worded {
                    withUnsafePointer(to: r) {
                        writers[r.destinationIndex].write(
                            d, route: $0, routeIndex: n, into: &w, scratch: &scratch, worded: worded, decision: k)
                    }
                } else {
                    writers[r.destinationIndex].write(d, r, into: &w, scratch: &scratch)
                }
                out.append(w.bytes)
            }
        }
        return out
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var count: Int
        var seed: UInt64
        /// Which decisions the batch keeps.
        var keep: @Sendable (Int) -> Bool
        /// How many of the decisions the batch holds (fewer: a write that failed part way).
        var held: Int?
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "every decision kept", count: 1_500, seed: 31, keep: { _ in true }),
        Case(name: "every third decision skipped", count: 1_500, seed: 32, keep: { $0 % 3 != 0 }),
        Case(name: "none kept", count: 300, seed: 33, keep: { _ in false }),
        Case(name: "the batch ends part way", count: 900, seed: 34, keep: { _ in true }, held: 450),
        Case(name: "one decision", count: 1, seed: 35, keep: { _ in true }),
    ]

    @Test(arguments: cases)
    func destinationLinesAreWhatTheDestinationWords(_ c: Case) {
        let (decisions, worded) = Self.decisions(c.count, seed: c.seed, keep: c.keep, held: c.held)
        #expect(worded.count == (c.held ?? c.count))
        let expected = Self.lines(decisions, worded: nil)
        #expect(!expected.isEmpty || c.count < 10)
        let copied = Self.lines(decisions, worded: worded)
        #expect(copied.count == expected.count)
        for (i, (a, b)) in zip(copied, expected).enumerated() where a != b {
            // Where, not what: the lines hold (synthetic) names.
            let at = zip(a, b).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(a.count, b.count)
            Issue.record("route line \(i) differs from byte \(at) (\(a.count) bytes against \(b.count))")
            break
        }
    }

    /// A destination's JSON line lists exactly the decision's reasons of the route's rules that are about the
    /// incident or about the route's own child, in the decision's order (counted here from the decision, not
    /// by the writer's test), whether worded by the destination or copied from the batch.
    @Test(arguments: [false, true])
    func aLineListsItsRoutesReasonsOnly(copied: Bool) throws {
        let (decisions, worded) = Self.decisions(1_500, seed: 37)
        let lines = Self.lines(decisions, worded: copied ? worded : nil)
        var line = 0
        var checked = 0
        var othersLeftOut = 0
        let writers = Policy.default.destinations.map { DestinationWriter(destination: $0, policy: .default, asOf: nil) }
        for d in decisions {
            for r in d.routes {
                defer { line += 1 }
                guard writers[r.destinationIndex].isJSON, writers[r.destinationIndex].hasReasons else { continue }
                let object = try #require(try JSONSerialization.jsonObject(with: Data(lines[line])) as? [String: Any])
                let listed = try #require(object["reasons"] as? [[String: Any]]).map { ($0["rule"] as? String, $0["child_id"] as? String) }
                let expected = d.reasons.filter { r.rules.contains($0.rule) && ($0.childID == nil || $0.childID == r.childID) }
                // Compared here, not in the expectation, which would print the ids.
                let same = listed.elementsEqual(expected) { $0.0 == $1.rule && $0.1 == $1.childID }
                #expect(same, "route line \(line): \(listed.count) reasons listed, \(expected.count) expected")
                checked += 1
                othersLeftOut += d.reasons.filter { r.rules.contains($0.rule) && $0.childID != nil && $0.childID != r.childID }.count
            }
        }
        #expect(line == lines.count)
        // Lines with reasons were checked, among them lines whose rules fired for another child too.
        #expect(checked > 100)
        #expect(othersLeftOut > 10)
    }

    /// The copies are really taken from the batch: a batch kept for other decisions (the same incidents one
    /// place later) gives other reasons and histories.
    @Test func theLinesComeFromTheBatch() {
        let (decisions, _) = Self.decisions(1_200, seed: 36)
        let (first, _) = Self.decisions(1, seed: 99)
        let encoder = DecisionEncoder(policy: .default)
        var scratch = EncoderScratch()
        scratch.keep = WordedBatch()
        var sink: [UInt8] = []
        for d in first + decisions.dropLast() { encoder.appendJSONLine(d, to: &sink, scratch: &scratch) }
        let expected = Self.lines(decisions, worded: nil)
        let copied = Self.lines(decisions, worded: scratch.keep!)
        #expect(copied.count == expected.count)
        let differing = zip(copied, expected).filter { $0 != $1 }.count
        // Most routes of the default policy go to the CSV destinations, which copy nothing.
        #expect(differing > 100)
    }
}
