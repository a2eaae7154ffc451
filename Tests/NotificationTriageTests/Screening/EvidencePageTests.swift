import Foundation
import Synchronization
import Testing
import TriageSynthesis
import _TriageTestSupport

@testable import NotificationTriage

/// Decisions screened one after another share pages of evidence numbers (``EvidencePage``): each decision's
/// run must be its own, however many pages a run fills, and even when a screener is copied and both copies
/// go on screening, on one thread or on two.
@Suite struct EvidencePageTests {
    /// Claims are back to back and never overlap; a claim that does not fit is refused and the page stays
    /// refused; a run longer than a page gets a page of its own.
    @Test func claimsAreDisjointAndAFullPageIsRefused() {
        let page = EvidencePage(policy: .default, capacity: 100)
        #expect(page.claim(40) == 0)
        #expect(page.claim(40) == 40)
        #expect(page.claim(21) == nil)
        #expect(page.claim(1) == nil, "after a refusal the page takes nothing more")

        var pages = EvidencePages()
        let (first, at) = pages.claim(10, policy: .default)
        #expect(at == 0 && first.capacity == EvidencePages.pageSize)
        let (same, next) = pages.claim(10, policy: .default)
        #expect(same === first && next == 10)
        let big = EvidencePages.pageSize + 7
        let (own, start) = pages.claim(big, policy: .default)
        #expect(own !== first && start == 0 && own.capacity == big)
    }

    /// The leading slots give back what was put in: a negative day, every flag bit, and an earliest day
    /// present or absent.
    @Test(arguments: [(Int32(-3), UInt32.max, Int32?.none, Int32?.some(5)), (20_000, 0, 7, nil), (0, 1, 0, 0)])
    func leadingSlotsRoundTrip(day: Int32, flags: UInt32, perpetrator: Int32?, pair: Int32?) {
        var pages = EvidencePages()
        let header = DecisionEvidence.Header(
            day: day, flags: RiskFlags(rawValue: flags), earliest: (-1, 12, perpetrator, pair), childCount: 2, firedCount: 3,
            keyCount: 1, timeCount: 4)
        let (e, numbers) = DecisionEvidence.make(header, policy: .default, in: &pages)
        #expect(numbers.count == header.count)
        #expect(numbers.allSatisfy { $0.isNaN }, "the numbers start as NaN")
        #expect(e.day == day && e.flags.rawValue == flags)
        #expect(e.earliest.household == -1 && e.earliest.victim == 12)
        #expect(e.earliest.perpetrator == perpetrator && e.earliest.pair == pair)
        #expect(e.childCount == 2 && e.firedCount == 3 && e.keyCount == 1)
        #expect(e.withNumbers(\.count) == header.count)
    }

    /// Enough incidents to fill many pages, every decision kept: each one's line, encoded again at the end,
    /// is the line encoded when it was screened (a run written over by a later decision would change it).
    @Test func decisionsKeptAcrossManyPagesSayWhatTheySaid() {
        let incidents = generate(GeneratorOptions(incidents: 3_000, seed: 11))
        var screener = Screener(policy: .default)
        let encoder = DecisionEncoder(policy: .default)
        var kept: [(Decision, String)] = []
        var pages = Set<ObjectIdentifier>()
        for incident in incidents {
            let d = screener.screen(incident)
            if let e = d.evidence { pages.insert(ObjectIdentifier(e.page)) }
            kept.append((d, encoder.jsonLine(d)))
        }
        #expect(pages.count > 10, "the decisions fill many pages")
        #expect(kept.contains { !$0.0.reasons.isEmpty })
        for (d, line) in kept { #expect(encoder.jsonLine(d) == line) }
    }

    /// A screener copied mid-stream: both copies screen the same incidents (interleaved on one thread, then
    /// concurrently on two), sharing the page the original was filling. Each copy decides as the original
    /// would, and every decision still says at the end what it said when it was screened.
    @Test(arguments: [false, true])
    func copiesOfAScreenerClaimApart(onTwoThreads: Bool) {
        let incidents = generate(GeneratorOptions(incidents: 1_200, seed: 5))
        let encoder = DecisionEncoder(policy: .default)
        var screener = Screener(policy: .default)
        for incident in incidents[..<600] { _ = screener.screen(incident) }
        // The lines a lone screener writes for the rest: what each copy must write.
        var alone = screener
        let expected = incidents[600...].map { encoder.jsonLine(alone.screen($0)) }

        var results: [[(Decision, String)]] = [[], []]
        if onTwoThreads {
            let base = screener
            let shared = Mutex<[[(Decision, String)]]>([[], []])
            DispatchQueue.concurrentPerform(iterations: 2) { k in
                var copy = base
                var mine: [(Decision, String)] = []
                for incident in incidents[600...] {
                    let d = copy.screen(incident)
                    mine.append((d, encoder.jsonLine(d)))
                }
                shared.withLock { $0[k] = mine }
            }
            results = shared.withLock { $0 }
        } else {
            var copies = [screener, screener]
            for incident in incidents[600...] {
                for k in 0..<2 {
                    let d = copies[k].screen(incident)
                    results[k].append((d, encoder.jsonLine(d)))
                }
            }
        }
        for k in 0..<2 {
            #expect(results[k].map(\.1) == expected)
            #expect(results[k].map { encoder.jsonLine($0.0) } == expected)
        }
    }
}
