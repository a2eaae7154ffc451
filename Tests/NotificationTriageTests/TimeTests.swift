import Testing
import _TriageTestSupport

@testable import NotificationTriage

@Suite struct CivilDateTests {
    struct AgeCase: CustomTestStringConvertible, Sendable {
        var name: String
        var dob: (Int, Int, Int)
        var on: (Int, Int, Int)
        var years: Int
        var testDescription: String { name }
    }

    @Test(arguments: [
        AgeCase(name: "day before 5th birthday", dob: (2020, 6, 10), on: (2025, 6, 9), years: 4),
        AgeCase(name: "on 5th birthday", dob: (2020, 6, 10), on: (2025, 6, 10), years: 5),
        AgeCase(name: "29 Feb birthday on 28 Feb non-leap", dob: (2020, 2, 29), on: (2025, 2, 28), years: 4),
        AgeCase(name: "29 Feb birthday on 1 Mar non-leap", dob: (2020, 2, 29), on: (2025, 3, 1), years: 5),
        AgeCase(name: "29 Feb birthday on 29 Feb leap", dob: (2020, 2, 29), on: (2024, 2, 29), years: 4),
        AgeCase(name: "born after incident", dob: (2026, 1, 2), on: (2026, 1, 1), years: -1),
    ])
    func age(_ c: AgeCase) throws {
        let dob = try #require(CivilDate(year: c.dob.0, month: c.dob.1, day: c.dob.2))
        let on = try #require(CivilDate(year: c.on.0, month: c.on.1, day: c.on.2))
        #expect(dob.age(on: on) == c.years)
    }

    /// `components` takes the multiply-and-shift form for years 0 to 9999: it agrees with Hinnant's
    /// divisions on every day of that range and either side of it.
    @Test func componentsAgreeWithTheDivisions() {
        let range = CivilDate.fourDigitYears
        var mismatches = 0
        for n in (range.lowerBound - 400)...(range.upperBound + 400) {
            let c = CivilDate(dayNumber: n).components
            let reference = CivilDate.civilFromDays(Int(n))
            if c != reference { mismatches += 1 }
        }
        #expect(mismatches == 0)
        for n in [Int32.min, Int32.min + 1, -12_699_423, 1_061_042_401, Int32.max] {
            #expect(CivilDate(dayNumber: n).components == CivilDate.civilFromDays(Int(n)))
        }
    }

    @Test func roundTripAndWeekday() throws {
        let d = try #require(CivilDate(year: 2026, month: 11, day: 22))
        #expect(d.description == "2026-11-22")
        #expect(d.weekday == 7)  // Sunday
        #expect(CivilDate(year: 2025, month: 2, day: 29) == nil)
        for n in stride(from: -700_000, through: 2_900_000, by: 997) {
            let c = CivilDate(dayNumber: Int32(n)).components
            #expect(CivilDate(year: c.year, month: c.month, day: c.day)?.dayNumber == Int32(n))
        }
    }

    @Test func ageInMonths() throws {
        let dob = try #require(CivilDate(year: 2025, month: 1, day: 31))
        #expect(dob.ageInMonths(on: try #require(CivilDate(year: 2025, month: 2, day: 27))) == 0)
        // A birthday day past the end of a month counts on the 1st of the next month (as 29 February does
        // for whole years).
        #expect(dob.ageInMonths(on: try #require(CivilDate(year: 2025, month: 2, day: 28))) == 0)
        #expect(dob.ageInMonths(on: try #require(CivilDate(year: 2025, month: 3, day: 1))) == 1)
        #expect(dob.ageInMonths(on: try #require(CivilDate(year: 2026, month: 1, day: 30))) == 11)
        #expect(dob.ageInMonths(on: try #require(CivilDate(year: 2026, month: 1, day: 31))) == 12)
    }
}

@Suite struct ZoneRulesTests {
    let london = ZoneRules(identifier: "Europe/London")!

    func local(_ y: Int, _ m: Int, _ d: Int, _ h: Int, _ mi: Int) -> LocalDateTime {
        LocalDateTime(date: CivilDate(year: y, month: m, day: d)!, secondOfDay: Int32(h * 3600 + mi * 60))
    }

    @Test func summerAndWinter() {
        #expect(london.iso8601(london.instant(local(2026, 1, 10, 10, 0))) == "2026-01-10T10:00:00+00:00")
        #expect(london.iso8601(london.instant(local(2026, 7, 10, 10, 0))) == "2026-07-10T10:00:00+01:00")
    }

    @Test func autumnAmbiguousTakesFirst() {
        // 2026-10-25 01:30 happens twice; the first is 00:30Z (BST).
        let t = london.instant(local(2026, 10, 25, 1, 30))
        #expect(london.iso8601(t) == "2026-10-25T01:30:00+01:00")
        #expect(london.iso8601(Instant(seconds: t.seconds + 3600)) == "2026-10-25T01:30:00+00:00")
    }

    /// The indexed look-up against a plain binary search: at, just before and just after every transition,
    /// at bucket edges, far outside the table, and at random instants across it.
    @Test(arguments: ["Europe/London", "America/New_York", "Australia/Lord_Howe", "Pacific/Apia", "Asia/Kolkata", "UTC"])
    func indexedOffsetsMatchTheSearch(_ id: String) throws {
        let zone = try #require(ZoneRules(identifier: id))
        var instants: [Int64] = [.min, .min + 1, -1, 0, 1, .max - 1, .max, -2_208_988_800, 7_258_118_400]
        for t in zone.transitions { instants += [t - 1, t, t + 1] }
        if let first = zone.transitions.first {
            for k in Int64(0)..<64 { instants += [first + k << 21 - 1, first + k << 21, first + k << 21 + 1] }
        }
        // 20,000 instants spread over 1897–2204 (xorshift, so that a failure repeats).
        var random = XorShift()
        for _ in 0..<20_000 { instants.append(Int64(random.next() % 9_700_000_000) - 2_300_000_000) }
        var wrong = 0
        for s in instants where zone.offset(at: Instant(seconds: s)) != zone.offsetBySearch(at: Instant(seconds: s)) {
            wrong += 1
        }
        #expect(wrong == 0)
        // The zones with summer time today have transitions to test.
        if !["UTC", "Asia/Kolkata"].contains(id) { #expect(zone.transitions.count > 10) }
    }

    @Test func springGapMovesForward() {
        // 2026-03-29 01:30 does not exist in London.
        let t = london.instant(local(2026, 3, 29, 1, 30))
        #expect(london.iso8601(t) == "2026-03-29T02:30:00+01:00")
    }
}
