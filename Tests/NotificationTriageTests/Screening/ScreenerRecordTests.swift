import Foundation
import NotificationTriage
import Testing
import _TriageTestSupport

/// The library's record entry point: the future-date rule with an injected clock, and `IncidentInput`
/// reading either format from bytes.
@Suite struct ScreenerRecordTests {
    static let london = Policy.default.zone
    static let now = london.instant(parsing: "2026-06-01T12:00:00Z")!

    static func csv(_ occurredAt: String, id: String = "I1") -> [UInt8] {
        Array(
            ("incident_id,occurred_at,household_id,victim_id,perpetrator_id,dash_risk\n"
                + "\(id),\(occurredAt),H1,V1,P1,standard\n").utf8)
    }

    /// (occurred_at, accepted at a clock stopped at `now`)
    static let futureCases: [(String, Bool)] = [
        ("2026-06-01T12:00:00Z", true),
        ("2026-06-02T12:00:00Z", true),  // exactly a day ahead
        ("2026-06-02T12:00:01Z", false),  // a second more
        ("2027-06-01T12:00:00Z", false),
        ("2020-01-01T00:00:00Z", true),
    ]

    @Test(arguments: futureCases)
    func theFutureDateRuleReadsTheInjectedClock(_ occurredAt: String, _ accepted: Bool) throws {
        var input = try IncidentInput(bytes: Self.csv(occurredAt), name: "t.csv", zone: Self.london)
        var screener = Screener(policy: .default, clock: .fixed(Self.now))
        let record = try #require(try input.next())
        switch screener.screen(record) {
        case .success(let d):
            #expect(accepted)
            #expect(d.incident.incidentID == "I1")
        case .failure(let r):
            #expect(!accepted)
            #expect(r.field == "occurred_at")
            #expect(r.location == SourceLocation(source: "t.csv", line: 2))
            #expect(r.incidentID == "I1")
        }
        #expect(try input.next() == nil)
    }

    /// A long-running stream: the limit moves with the clock, read again only when an incident passes it.
    @Test func theLimitMovesWithTheClock() throws {
        final class Box: @unchecked Sendable {
            let lock = NSLock()
            var value: Instant
            init(_ v: Instant) { value = v }
        }
        let box = Box(Self.now)
        let clock = WallClock {
            box.lock.lock()
            defer { box.lock.unlock() }
            return box.value
        }
        var screener = Screener(policy: .default, clock: clock)
        let later = "2026-06-05T12:00:00Z"
        var input = try IncidentInput(bytes: Self.csv(later), name: "t.csv", zone: Self.london)
        let record = try #require(try input.next())
        guard case .failure = screener.screen(record) else {
            Issue.record("accepted four days ahead")
            return
        }
        box.lock.lock()
        box.value = Self.london.instant(parsing: "2026-06-05T00:00:00Z")!
        box.lock.unlock()
        var again = try IncidentInput(bytes: Self.csv(later, id: "I2"), name: "t.csv", zone: Self.london)
        guard case .success = screener.screen(try #require(try again.next())) else {
            Issue.record("rejected half a day ahead of the clock's new time")
            return
        }
    }

    /// The same incidents as CSV and as JSON Lines, recognised from their first bytes, screen the same.
    @Test func bothFormatsReadFromBytesGiveTheSameDecisions() throws {
        let csv = Array(
            ("incident_id,occurred_at,household_id,victim_id,perpetrator_id,dash_risk,child_id,child_dob,child_present\n"
                + "A,2025-03-01T10:00:00Z,H1,V1,P1,medium,C1,2020-01-01,true\n"
                + "A,2025-03-01T10:00:00Z,H1,V1,P1,medium,C2,2012-01-01,false\n"
                + "B,2025-03-02T10:00:00Z,H1,V1,P1,high,,,\n").utf8)
        let jsonl = Array(
            ("{\"incident_id\":\"A\",\"occurred_at\":\"2025-03-01T10:00:00Z\",\"household_id\":\"H1\",\"victim\":{\"person_id\":\"V1\"},"
                + "\"perpetrator\":{\"person_id\":\"P1\"},\"dash_risk\":\"medium\",\"children\":[{\"person_id\":\"C1\",\"dob\":\"2020-01-01\","
                + "\"present\":true},{\"person_id\":\"C2\",\"dob\":\"2012-01-01\",\"present\":false}]}\n"
                + "{\"incident_id\":\"B\",\"occurred_at\":\"2025-03-02T10:00:00Z\",\"household_id\":\"H1\",\"victim\":{\"person_id\":\"V1\"},"
                + "\"perpetrator\":{\"person_id\":\"P1\"},\"dash_risk\":\"high\"}\n").utf8)
        func screenAll(_ bytes: [UInt8]) throws -> (InputFormat, [String]) {
            var input = try IncidentInput(bytes: bytes, zone: Self.london)
            var screener = Screener(policy: .default, clock: .fixed(Self.now))
            let encoder = DecisionEncoder(policy: .default)
            var lines: [String] = []
            while let r = try input.next() {
                switch screener.screen(r) {
                case .success(let d): lines.append(encoder.jsonLine(d))
                case .failure(let reject): lines.append("reject: \(reject)")
                }
            }
            return (input.format, lines)
        }
        let (f1, a) = try screenAll(csv)
        let (f2, b) = try screenAll(jsonl)
        #expect(f1 == .csv)
        #expect(f2 == .jsonl)
        #expect(a.count == 2)
        #expect(a == b)
        #expect(a.allSatisfy { !$0.hasPrefix("reject") })
    }

    /// (text, expected instant as UTC ISO text or nil)
    static let timestamps: [(String, String?)] = [
        ("2025-07-01T09:30:00+01:00", "2025-07-01T08:30:00Z"),
        ("2025-07-01T09:30", "2025-07-01T08:30:00Z"),  // local summer time
        ("2025-01-01 09:30", "2025-01-01T09:30:00Z"),
        ("01/07/2025 09:30", "2025-07-01T08:30:00Z"),
        ("2025-07-01", "2025-06-30T23:00:00Z"),  // local midnight
        ("1/7/2025", "2025-06-30T23:00:00Z"),
        ("2025-02-30", nil),
        ("yesterday", nil),
    ]

    @Test(arguments: timestamps)
    func timestampsAreReadInThePolicysZone(_ text: String, _ utc: String?) {
        let got = Self.london.instant(parsing: text)
        let want = utc.map { Self.london.instant(parsing: $0)! }
        #expect(got == want)
    }
}
