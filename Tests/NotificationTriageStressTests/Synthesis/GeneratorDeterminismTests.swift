import Foundation
import Testing
import _TriageTestSupport

@testable import NotificationTriage
@testable import TriageSynthesis

/// Whole generated files of thousands of incidents: the same seed gives the same bytes, and the count asked for.
@Suite struct GeneratorDeterminismTests {
    @Test(arguments: ["csv", "jsonl"])
    func sameSeedSameBytes(format: String) {
        let a = file(GeneratorOptions(incidents: 3_000, seed: 7), format).bytes
        let b = file(GeneratorOptions(incidents: 3_000, seed: 7), format).bytes
        let c = file(GeneratorOptions(incidents: 3_000, seed: 8), format).bytes
        #expect(a == b)
        #expect(a != c)
    }

    @Test(arguments: [0, 1, 7, 1_000, 12_345])
    func exactCount(n: Int) {
        #expect(generate(GeneratorOptions(incidents: n, years: 0.5)).count == n)
        let (bytes, summary) = file(GeneratorOptions(incidents: n), "jsonl")
        #expect(summary.incidents == n)
        #expect(bytes.filter { $0 == 0x0A }.count == n)
    }

    @Test func csvHeaderFirstAndRowsPerChild() {
        let options = GeneratorOptions(incidents: 500)
        let incidents = generate(options)
        let (bytes, _) = file(options, "csv")
        let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.first.map(String.init) == IncidentEncoder.csvHeader)
        let expectedRows = incidents.reduce(0) { $0 + Swift.max(1, $1.children.count) }
        #expect(lines.count == 1 + expectedRows + 1)  // header, rows, empty after the final LF
    }

    @Test func messyRateDoesNotChangeIncidents() {
        let clean = file(GeneratorOptions(incidents: 2_000, messyRate: 0), "jsonl")
        let messy = file(GeneratorOptions(incidents: 2_000, messyRate: 0.05), "jsonl")
        #expect(clean.summary.incidents == messy.summary.incidents)
        #expect(messy.summary.defects > 0)
        #expect(clean.bytes != messy.bytes)
    }

    @Test func populationSizedByRateNotTotal() {
        var small = IncidentGenerator(options: GeneratorOptions(incidents: 4_000, years: 1), zone: london)
        while small.next() != nil {}
        var long = IncidentGenerator(options: GeneratorOptions(incidents: 40_000, years: 10), zone: london)
        while long.next() != nil {}
        #expect(small.recentCapacity == long.recentCapacity)
        // Pending repeat pairs (people held in memory) stay the same order of size.
        #expect(long.dyads.count < 2 * small.dyads.count + 50)
    }
}
