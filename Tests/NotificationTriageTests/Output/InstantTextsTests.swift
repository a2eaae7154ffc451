import Testing
import _TriageTestSupport

@testable import NotificationTriage

/// The deadline texts an encoder keeps must be exactly what the zone writes, whatever was written before:
/// repeats, instants that share an entry, both sides of a clock change, UTC's `Z`, and years outside the
/// fixed layout (not kept).
@Suite struct InstantTextsTests {
    static let instants: [Int64] = {
        let base = Build.at("2026-03-29 00:30").seconds  // the night the clocks go forward in London
        var out: [Int64] = []
        for k in 0..<40 { out.append(base + Int64(k) * 1_800) }  // every half hour across the change
        out += [base, base + 960 * 60, base + 16 * 60, base + 86_400 * 16, base]  // repeats and same-entry minutes
        out += [-62_167_219_200 - 86_400, 253_402_300_800 + 86_400, 0]  // year -1, year 10000, the epoch
        return out
    }()

    @Test(arguments: ["Europe/London", "UTC"])
    func keptTextsAreTheZonesOwn(_ zoneName: String) throws {
        let zone = try #require(ZoneRules(identifier: zoneName))
        var memo = InstantTexts()
        for round in 0..<3 {
            for s in Self.instants {
                var got = ByteWriter(capacity: 0)
                got.raw("x")  // something before, as in a line being written
                memo.append(Instant(seconds: s), zone: zone, to: &got)
                var expected: [UInt8] = Array("x".utf8)
                zone.appendISO8601(Instant(seconds: s), to: &expected)
                #expect(got.bytes == expected, "round \(round), instant \(s)")
            }
        }
    }
}
