import Testing

@testable import NotificationTriage

/// Issue 14, item 11: how an `occurred_at` is read on the nights the clocks change (Europe/London), and
/// which fractions of a second are accepted.
@Suite struct DateTimeFieldTests {
    static let utc = ZoneRules(fixedOffset: 0, identifier: "UTC")

    struct Case: Sendable, CustomTestStringConvertible {
        var text: String
        /// The instant read, in UTC; nil when the text is rejected.
        var utc: String?
        var why: String
        var testDescription: String { "'\(text)': \(why)" }
    }

    /// The text read through `Convert.dateTime` (the readers' path): the instant in UTC, or the error.
    static func read(_ text: String) -> Result<String, RecordError> {
        withBytes(text) { b in
            do throws(RecordError) {
                guard let t = try Convert.dateTime(b, .occurredAt, zone: InputFixtures.london) else {
                    return .failure(RecordError(field: nil, "empty"))
                }
                return .success(utc.iso8601(t))
            } catch {
                return .failure(error)
            }
        }
    }

    /// Autumn: 01:00–01:59:59 happens twice (BST, then GMT); without an offset the first (BST) is read.
    /// Spring: 01:00–01:59:59 does not exist; it is read with the offset before the gap (GMT), which is
    /// the same moment as the local time one hour later (01:30 is 01:30Z, that is 02:30 BST).
    static let clockChangeCases: [Case] = [
        Case(text: "2025-10-26T00:59:59", utc: "2025-10-25T23:59:59Z", why: "autumn, before the repeated hour"),
        Case(text: "2025-10-26T01:00:00", utc: "2025-10-26T00:00:00Z", why: "autumn, repeated hour starts: BST"),
        Case(text: "2025-10-26T01:30:00", utc: "2025-10-26T00:30:00Z", why: "autumn, repeated: first (BST)"),
        Case(text: "2025-10-26 01:30", utc: "2025-10-26T00:30:00Z", why: "autumn, space form"),
        Case(text: "26/10/2025 01:30", utc: "2025-10-26T00:30:00Z", why: "autumn, day-first form"),
        Case(text: "2025-10-26T01:59:59", utc: "2025-10-26T00:59:59Z", why: "autumn, last repeated second"),
        Case(text: "2025-10-26T02:00:00", utc: "2025-10-26T02:00:00Z", why: "autumn, after: GMT"),
        Case(text: "2025-10-26T01:30:00+00:00", utc: "2025-10-26T01:30:00Z", why: "autumn, second time by offset"),
        Case(text: "2025-10-26T01:30:00+01:00", utc: "2025-10-26T00:30:00Z", why: "autumn, first time by offset"),
        Case(text: "2026-10-25T01:30:00", utc: "2026-10-25T00:30:00Z", why: "autumn 2026, first (BST)"),
        Case(text: "2026-03-29T00:59:59", utc: "2026-03-29T00:59:59Z", why: "spring, before the gap"),
        Case(text: "2026-03-29T01:00:00", utc: "2026-03-29T01:00:00Z", why: "spring, gap starts: 02:00 BST"),
        Case(text: "2026-03-29T01:30:00", utc: "2026-03-29T01:30:00Z", why: "spring, in the gap: 02:30 BST"),
        Case(text: "29/03/2026 01:30", utc: "2026-03-29T01:30:00Z", why: "spring, day-first form"),
        Case(text: "2026-03-29T01:59:59", utc: "2026-03-29T01:59:59Z", why: "spring, last second of the gap"),
        Case(text: "2026-03-29T02:00:00", utc: "2026-03-29T01:00:00Z", why: "spring, after the gap: BST"),
        Case(text: "2026-03-29T02:30:00", utc: "2026-03-29T01:30:00Z", why: "spring, the time the gap moves to"),
        Case(text: "2025-03-30T01:15:00", utc: "2025-03-30T01:15:00Z", why: "spring 2025, in the gap"),
    ]

    @Test(arguments: clockChangeCases)
    func localTimeOnAClockChangeNight(_ c: Case) throws {
        #expect(try Self.read(c.text).get() == c.utc)
    }

    /// ISO 8601 fractions of a second: a '.' or ',' then one or more digits (any number), dropped (the
    /// time is not rounded). Anything else after the seconds that is not an offset is an error.
    static let fractionCases: [Case] = [
        Case(text: "2026-01-10T10:00:00.5Z", utc: "2026-01-10T10:00:00Z", why: "one digit"),
        Case(text: "2026-01-10T10:00:00,5Z", utc: "2026-01-10T10:00:00Z", why: "comma, as ISO 8601 allows"),
        Case(text: "2026-01-10T10:00:00.999", utc: "2026-01-10T10:00:00Z", why: "dropped, not rounded"),
        Case(text: "2026-07-10T10:00:00.123456789", utc: "2026-07-10T09:00:00Z", why: "nanoseconds, local BST"),
        Case(text: "2026-01-10T10:00:00.123456789012345678901234567890+01:00", utc: "2026-01-10T09:00:00Z", why: "many digits"),
        Case(text: "2026-01-10 10:00:00.0-05:00", utc: "2026-01-10T15:00:00Z", why: "zero, negative offset"),
        Case(text: "10/01/2026 10:00:00.25", utc: "2026-01-10T10:00:00Z", why: "day-first form"),
        Case(text: "2026-01-10T10:00:00.abc", utc: nil, why: "letters"),
        Case(text: "2026-01-10T10:00:00.", utc: nil, why: "no digits"),
        Case(text: "2026-01-10T10:00:00,", utc: nil, why: "comma, no digits"),
        Case(text: "2026-01-10T10:00:00.Z", utc: nil, why: "no digits before Z"),
        Case(text: "2026-01-10T10:00:00.5.5", utc: nil, why: "two fractions"),
        Case(text: "2026-01-10T10:00:00.5x", utc: nil, why: "letter after the fraction"),
        Case(text: "2026-01-10T10:00:00.5 Z", utc: nil, why: "space inside"),
        Case(text: "2026-01-10T10:00:00x", utc: nil, why: "letter after the seconds"),
        Case(text: "2026-01-10T10:00:00.-5", utc: nil, why: "sign in the fraction"),
        Case(text: "10/01/2026 10:00:00.x", utc: nil, why: "day-first, letters"),
        Case(text: "10/01/2026 10:00:00.5Z", utc: nil, why: "day-first takes no offset"),
    ]

    @Test(arguments: fractionCases)
    func fractionsOfASecond(_ c: Case) {
        switch Self.read(c.text) {
        case .success(let t):
            #expect(t == c.utc)
        case .failure(let e):
            #expect(c.utc == nil, "\(e.message)")
            #expect(e.field == "occurred_at")
            #expect(e.message.hasPrefix("invalid date-time in 'occurred_at': a \(c.text.utf8.count)-character text; "))
            #expect(e.message.contains("expected") && e.message.contains("fraction of a second"))
            // The value itself is never quoted.
            #expect(!e.message.contains("10:00"))
        }
    }

    /// A fraction is only ever of the seconds; elsewhere the general message stands.
    @Test(arguments: ["2026-01-10T10:00.5", "2026-01-10T10.5", "2026-01-10T25:00:00.5"])
    func fractionNotAfterSeconds(_ text: String) {
        guard case .failure(let e) = Self.read(text) else {
            Issue.record("accepted")
            return
        }
        #expect(e.field == "occurred_at")
        #expect(e.message.contains("expected YYYY-MM-DDTHH:MM[:SS]"))
    }
}
