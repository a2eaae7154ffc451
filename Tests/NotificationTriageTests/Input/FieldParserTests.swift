import Testing

@testable import NotificationTriage
@testable import TriageSynthesis

@Suite struct InputFieldParserTests {
    struct DateCase: CustomTestStringConvertible, Sendable {
        var text: String
        var expected: (Int, Int, Int)?
        var testDescription: String { "'\(text)'" }
    }

    @Test(arguments: [
        DateCase(text: "2024-02-29", expected: (2024, 2, 29)),
        DateCase(text: "2025-02-29", expected: nil),
        DateCase(text: "29/02/2024", expected: (2024, 2, 29)),
        DateCase(text: "29/02/2023", expected: nil),
        DateCase(text: "29/02/2000", expected: (2000, 2, 29)),
        DateCase(text: "29/02/1900", expected: nil),
        DateCase(text: "01/04/2019", expected: (2019, 4, 1)),
        DateCase(text: "1/4/2019", expected: (2019, 4, 1)),
        DateCase(text: " 1990-01-01 ", expected: (1990, 1, 1)),
        DateCase(text: "2019-04-31", expected: nil),
        DateCase(text: "2019-13-01", expected: nil),
        DateCase(text: "2019-4-01", expected: nil),
        DateCase(text: "2019/04/01", expected: nil),
        DateCase(text: "32/01/2019", expected: nil),
        DateCase(text: "01/01/19", expected: nil),
        DateCase(text: "2019-04-01x", expected: nil),
        DateCase(text: "", expected: nil),
    ])
    func dates(_ c: DateCase) {
        let got = withBytes(c.text) { FieldParsers.date($0) }
        let want = c.expected.flatMap { CivilDate(year: $0.0, month: $0.1, day: $0.2) }
        #expect(got == want)
    }

    struct DateTimeCase: CustomTestStringConvertible, Sendable {
        var text: String
        /// Expected UTC wall clock (y, m, d, h, mi, s), or nil when invalid.
        var utc: (Int, Int, Int, Int, Int, Int)?
        var testDescription: String { "'\(text)'" }
    }

    @Test(arguments: [
        DateTimeCase(text: "2026-03-14T22:15:00Z", utc: (2026, 3, 14, 22, 15, 0)),
        DateTimeCase(text: "2026-03-14T22:15:00z", utc: (2026, 3, 14, 22, 15, 0)),
        DateTimeCase(text: "2026-03-14T22:15:00+00:00", utc: (2026, 3, 14, 22, 15, 0)),
        DateTimeCase(text: "2026-07-14T22:15:00+01:00", utc: (2026, 7, 14, 21, 15, 0)),
        DateTimeCase(text: "2026-07-14T22:15+0100", utc: (2026, 7, 14, 21, 15, 0)),
        DateTimeCase(text: "2026-07-14T01:15:00-05:30", utc: (2026, 7, 14, 6, 45, 0)),
        DateTimeCase(text: "2026-07-15T00:30:00+01:00", utc: (2026, 7, 14, 23, 30, 0)),
        DateTimeCase(text: "2026-03-14T22:15:07.123Z", utc: (2026, 3, 14, 22, 15, 7)),
        // No offset: local London time (winter GMT, summer BST).
        DateTimeCase(text: "2026-01-10T10:00", utc: (2026, 1, 10, 10, 0, 0)),
        DateTimeCase(text: "2026-07-10T10:00:00", utc: (2026, 7, 10, 9, 0, 0)),
        DateTimeCase(text: "2026-07-10 10:00:00", utc: (2026, 7, 10, 9, 0, 0)),
        DateTimeCase(text: "10/07/2026 10:00", utc: (2026, 7, 10, 9, 0, 0)),
        DateTimeCase(text: "10/01/2026 10:00:30", utc: (2026, 1, 10, 10, 0, 30)),
        DateTimeCase(text: "10/01/2026 9:05", utc: (2026, 1, 10, 9, 5, 0)),
        DateTimeCase(text: "2026-03-14", utc: nil),
        DateTimeCase(text: "2026-03-14T24:00", utc: nil),
        DateTimeCase(text: "2026-03-14T22:60", utc: nil),
        DateTimeCase(text: "2026-03-14T22:15:00+25:00", utc: nil),
        DateTimeCase(text: "2026-03-14T22:15:00X", utc: nil),
        DateTimeCase(text: "2026-03-14T22:15:00.Z", utc: nil),
        DateTimeCase(text: "2026-02-30T22:15", utc: nil),
        DateTimeCase(text: "10/07/2026T10:00", utc: nil),
        DateTimeCase(text: "10/07/2026 10:00Z", utc: nil),
        DateTimeCase(text: "yesterday", utc: nil),
    ])
    func dateTimes(_ c: DateTimeCase) {
        let got = withBytes(c.text) { FieldParsers.dateTime($0, zone: InputFixtures.london) }
        let want = c.utc.map { u in
            Instant(
                seconds: Int64(CivilDate(year: u.0, month: u.1, day: u.2)!.dayNumber) * 86_400
                    + Int64(u.3 * 3600 + u.4 * 60 + u.5))
        }
        #expect(got == want)
    }

    @Test func localInstantMatchesZoneRulesAroundClockChanges() {
        let zone = InputFixtures.london
        for (y, m, d) in [(2026, 3, 28), (2026, 10, 24), (2026, 6, 1)] {
            let day = CivilDate(year: y, month: m, day: d)!
            for quarter in 0..<(3 * 96) {
                let local = LocalDateTime(
                    date: day.adding(days: quarter / 96), secondOfDay: Int32(quarter % 96 * 900))
                #expect(FieldParsers.localInstant(local, zone: zone) == zone.instant(local))
            }
        }
    }

    struct BoolCase: CustomTestStringConvertible, Sendable {
        var text: String
        var expected: Bool?
        var testDescription: String { "'\(text)'" }
    }

    @Test(arguments: [
        BoolCase(text: "true", expected: true), BoolCase(text: "TRUE", expected: true),
        BoolCase(text: "Yes", expected: true), BoolCase(text: "y", expected: true),
        BoolCase(text: "Y", expected: true), BoolCase(text: "1", expected: true),
        BoolCase(text: "false", expected: false), BoolCase(text: "No", expected: false),
        BoolCase(text: "n", expected: false), BoolCase(text: "0", expected: false),
        BoolCase(text: "", expected: false), BoolCase(text: "  ", expected: false),
        BoolCase(text: " yes ", expected: true),
        BoolCase(text: "maybe", expected: nil), BoolCase(text: "2", expected: nil),
        BoolCase(text: "tru", expected: nil),
    ])
    func booleans(_ c: BoolCase) {
        #expect(withBytes(c.text) { FieldParsers.bool($0) } == c.expected)
    }

    struct FlagCase: CustomTestStringConvertible, Sendable {
        var text: String
        var flags: RiskFlags
        var unknown: [String]
        var testDescription: String { "'\(text)'" }
    }

    @Test(arguments: [
        FlagCase(text: "", flags: [], unknown: []),
        FlagCase(text: "injury", flags: [.injury], unknown: []),
        FlagCase(text: "INJURY; Weapon ;threats_to_kill", flags: [.injury, .weapon, .threatsToKill], unknown: []),
        FlagCase(text: "injury;;", flags: [.injury], unknown: []),
        FlagCase(text: "Stalking;injury;STALKING", flags: [.injury], unknown: ["stalking"]),
        FlagCase(text: "professional_judgement;Coercive Control", flags: [.professionalJudgement], unknown: ["coercive control"]),
    ])
    func flags(_ c: FlagCase) {
        var flags: RiskFlags = []
        var unknown: [String] = []
        let ok = withBytes(c.text) { FieldParsers.flags($0, into: &flags, unknown: &unknown) }
        #expect(ok)
        #expect(flags == c.flags)
        #expect(unknown == c.unknown)
    }

    @Test func utf8Validation() {
        #expect(UTF8Check.isValid(Bytes(start: nil, count: 0)))
        #expect(Array("Zoë 😀".utf8).withUnsafeBufferPointer { UTF8Check.isValid($0) })
        for bad: [UInt8] in [[0xFF], [0xC0, 0x80], [0xE0, 0x80, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xC3]] {
            #expect(!bad.withUnsafeBufferPointer { UTF8Check.isValid($0) })
            #expect(bad.withUnsafeBufferPointer { UTF8Check.string($0) } == nil)
        }
    }

    /// `UTF8Check.string` (the standard library's validation) accepts exactly what `isValid` accepts: every
    /// 1- to 3-byte sequence over the bytes that matter, and random 4-byte ones.
    @Test func utf8StringAgreesWithValidation() {
        let interesting: [UInt8] = [
            0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xED, 0xEF, 0xF0, 0xF4, 0xF5, 0xFF,
        ]
        var cases: [[UInt8]] = []
        for a in interesting {
            cases.append([a])
            for b in interesting {
                cases.append([a, b])
                for c in interesting { cases.append([a, b, c]) }
            }
        }
        var rng = SeededGenerator(seed: 11)
        for _ in 0..<20_000 { cases.append((0..<4).map { _ in interesting.randomElement(using: &rng)! }) }
        for bytes in cases {
            let valid = bytes.withUnsafeBufferPointer { UTF8Check.isValid($0) }
            let string = bytes.withUnsafeBufferPointer { UTF8Check.string($0) }
            #expect(valid == (string != nil), "\(bytes)")
            if let string { #expect(Array(string.utf8) == bytes) }
        }
    }

    @Test func inputFormatFromExtension() {
        #expect(InputFormat(pathExtension: "csv") == .csv)
        #expect(InputFormat(pathExtension: ".CSV") == .csv)
        #expect(InputFormat(pathExtension: "jsonl") == .jsonl)
        #expect(InputFormat(pathExtension: "ndjson") == .jsonl)
        #expect(InputFormat(pathExtension: "json") == .jsonl)
        #expect(InputFormat(pathExtension: "txt") == nil)
    }
}
