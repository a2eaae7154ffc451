import Foundation
import Testing
import TriageSynthesis
import _TriageTestSupport

@testable import NotificationTriage
@testable import TriageJobs

/// A writing thread reads each decision of its batch moved out of the batch and back in
/// (`forEachMovedOut`), so that it never copies one: the batch must come out whole, in order and unchanged,
/// whether the writing succeeds or stops at a failure.
@Suite struct WriterHandOverTests {
    struct Stop: Error, Equatable { var at: Int }

    /// Decisions and, from a second screener fed the same incidents, the lines they must encode to.
    static func batch(_ n: Int, seed: UInt64) -> ([Decision], [String]) {
        let incidents = generate(GeneratorOptions(incidents: n, seed: seed))
        let encoder = DecisionEncoder(policy: .default)
        var screener = Screener(policy: .default)
        var reference = Screener(policy: .default)
        let decisions = incidents.map { screener.screen($0) }
        let lines = incidents.map { encoder.jsonLine(reference.screen($0)) }
        return (decisions, lines)
    }

    @Test(arguments: [0, 1, 2, 700])
    func everyDecisionIsSeenInOrderAndTheBatchIsWholeAfter(count: Int) {
        var (decisions, expected) = Self.batch(count, seed: 21)
        let encoder = DecisionEncoder(policy: .default)
        var seen: [String] = []
        decisions.forEachMovedOut { (d: borrowing Decision) in seen.append(encoder.jsonLine(copy d)) }
        #expect(seen == expected)
        #expect(decisions.count == count)
        #expect(decisions.map(encoder.jsonLine) == expected)
    }

    @Test(arguments: [0, 1, 299, 599])
    func aFailureLeavesTheBatchWhole(at stop: Int) {
        var (decisions, expected) = Self.batch(600, seed: 22)
        let encoder = DecisionEncoder(policy: .default)
        var visited = 0
        #expect(throws: Stop(at: stop)) {
            try decisions.forEachMovedOut { (d: borrowing Decision) throws(Stop) in
                if visited == stop { throw Stop(at: stop) }
                visited += 1
            }
        }
        #expect(visited == stop)
        #expect(decisions.count == 600)
        #expect(decisions.map(encoder.jsonLine) == expected)
    }
}
