import Foundation

/// The UTC offsets of one time zone (for example Europe/London), as a sorted table of transitions, so that
/// converting between an instant and local time is a binary search rather than a Foundation call per record.
public struct ZoneRules: Sendable, Equatable {
    /// The IANA identifier (`Europe/London`).
    public let identifier: String
    /// Instants at which the offset changes, ascending.
    let transitions: [Int64]
    /// `offsets[i]` applies before `transitions[i]`; the last entry applies after the last transition.
    let offsets: [Int32]
    /// Where to start looking among `transitions` for an instant.
    private let index: TransitionIndex

    /// Builds the table for an IANA zone from the system's time-zone database, covering 1900–2200.
    /// Returns nil when the zone is unknown.
    public init?(identifier: String) {
        guard let zone = TimeZone(identifier: identifier) else { return nil }
        self.identifier = identifier
        var transitions: [Int64] = []
        var offsets: [Int32] = []
        var cursor = Date(timeIntervalSince1970: -2_208_988_800)  // 1900-01-01
        let end = Date(timeIntervalSince1970: 7_258_118_400)  // 2200-01-01
        offsets.append(Int32(zone.secondsFromGMT(for: cursor)))
        while let next = zone.nextDaylightSavingTimeTransition(after: cursor), next < end {
            let offset = Int32(zone.secondsFromGMT(for: next))
            if offset != offsets.last {
                transitions.append(Int64(next.timeIntervalSince1970.rounded()))
                offsets.append(offset)
            }
            cursor = next
        }
        self.transitions = transitions
        self.offsets = offsets
        self.index = TransitionIndex(transitions)
    }

    /// A fixed-offset zone (used for tests and for `UTC`).
    init(fixedOffset seconds: Int32, identifier: String) {
        self.identifier = identifier
        self.transitions = []
        self.offsets = [seconds]
        self.index = TransitionIndex([])
    }

    /// The offset from UTC, in seconds, in force at `instant`.
    public func offset(at instant: Instant) -> Int32 {
        // The offset after the last transition at or before the instant.
        let i = transitions.withUnsafeBufferPointer { index.firstAfter(instant.seconds, in: $0) }
        return offsets[i]
    }

    /// ``offset(at:)`` by a binary search over the transitions, without the index (for the tests).
    package func offsetBySearch(at instant: Instant) -> Int32 {
        var lo = 0
        var hi = transitions.count
        while lo < hi {
            let mid = (lo + hi) >> 1
            if transitions[mid] <= instant.seconds { lo = mid + 1 } else { hi = mid }
        }
        return offsets[lo]
    }

    /// The local wall-clock time of `instant`.
    public func local(_ instant: Instant) -> LocalDateTime {
        let s = instant.seconds + Int64(offset(at: instant))
        let day = s >= 0 ? s / 86_400 : (s - 86_399) / 86_400
        return LocalDateTime(date: CivilDate(dayNumber: Int32(day)), secondOfDay: Int32(s - day * 86_400))
    }

    /// The instant a local wall-clock time names. When the clocks go back and the time happens twice, the
    /// first (earlier) occurrence is chosen; when the clocks go forward and the time does not exist, it is
    /// read with the offset in force before the change, which moves it forward by the length of the gap
    /// (so 01:30 on the London spring night is 01:30Z, that is 02:30 summer time).
    public func instant(_ local: LocalDateTime) -> Instant {
        let ls = local.localSeconds
        // Try the offset before and after any nearby transition; prefer the earliest consistent instant.
        let guess = Instant(seconds: ls - Int64(offset(at: Instant(seconds: ls))))
        let candidates = [
            offset(at: Instant(seconds: ls - 86_400)), offset(at: guess), offset(at: Instant(seconds: ls + 86_400)),
        ]
        var best: Int64? = nil
        for off in candidates {
            let t = ls - Int64(off)
            if offset(at: Instant(seconds: t)) == off, best == nil || t < best! { best = t }
        }
        if let best { return Instant(seconds: best) }
        // In a gap: use the offset before the change.
        return Instant(seconds: ls - Int64(offset(at: Instant(seconds: ls - 86_400))))
    }

    /// ISO 8601 text with the local offset: `2026-03-14T10:00:00+00:00`.
    public func iso8601(_ instant: Instant) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(ZoneRules.maxISO8601Count)
        appendISO8601(instant, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends ISO 8601 text with the local offset to a byte buffer (the hot path's form), as
    /// ``putISO8601(_:_:)`` writes it.
    package func appendISO8601(_ instant: Instant, to out: inout [UInt8]) {
        out.append(atMost: ZoneRules.maxISO8601Count) { putISO8601(instant, &$0) }
    }

    /// The most bytes `putISO8601` writes: a sign and 13 digits of year, `-MM-DDTHH:MM:SS` and an offset.
    static let maxISO8601Count = 48

    /// ISO 8601 text with the local offset through a cursor with room for `maxISO8601Count` bytes. Real
    /// instants take the fixed layout `YYYY-MM-DDTHH:MM:SS+HH:MM`, written in one step; any other year or
    /// offset is written digit by digit.
    @inline(__always)
    func putISO8601(_ instant: Instant, _ c: inout ByteCursor) {
        let off = offset(at: instant)
        guard _fastPath(ZoneRules.hasFixedLayout(instant, off)) else {
            var slow: [UInt8] = []
            appendISO8601Slowly(instant, offset: off, to: &slow)
            return c.put(slow)
        }
        ZoneRules.writeISO8601(instant, offset: off, utc: off == 0 && isUTC, &c)
    }

    /// Whether the zone is UTC, which is written with `Z` (the identifier is looked at only when its
    /// length matches, a cheap test).
    @inline(__always)
    var isUTC: Bool { identifier.utf8.count == 3 && identifier == "UTC" }

    /// Whether `instant` at offset `off` has the fixed layout `writeISO8601` writes: a local year in
    /// 0...9999 and an offset of less than 100 hours. Anything else (never met in real data) goes the slow
    /// way, which writes other widths.
    @inline(__always)
    static func hasFixedLayout(_ instant: Instant, _ off: Int32) -> Bool {
        // 0000-01-01T00:00:00 and 10000-01-01T00:00:00 as seconds since 1970, each moved in by the largest
        // offset allowed here (100 hours), so that the local time is in years 0...9999 whatever the offset.
        let margin: Int64 = 360_000
        let lower: Int64 = -62_167_219_200 + margin
        let upper: Int64 = 253_402_300_800 - margin
        return (lower..<upper).contains(instant.seconds) && off > -360_000 && off < 360_000
    }

    /// Writes `YYYY-MM-DDTHH:MM:SS+HH:MM` (25 bytes), or `YYYY-MM-DDTHH:MM:SSZ` (20) when `utc`, for
    /// `instant` at offset `off` through a cursor with room for them. Only when `hasFixedLayout` holds.
    @inline(__always)
    static func writeISO8601(_ instant: Instant, offset off: Int32, utc: Bool, _ c: inout ByteCursor) {
        let s = instant.seconds + Int64(off)
        let day = s >= 0 ? s / 86_400 : (s - 86_399) / 86_400
        let sod = Int(s - day * 86_400)
        c.date(CivilDate(dayNumber: Int32(day)))
        c.put(UInt8(ascii: "T"))
        c.digits(sod / 3600, width: 2)
        c.put(UInt8(ascii: ":"))
        c.digits(sod / 60 % 60, width: 2)
        c.put(UInt8(ascii: ":"))
        c.digits(sod % 60, width: 2)
        if utc {
            c.put(UInt8(ascii: "Z"))
            return
        }
        c.put(off < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
        let a = Int(off.magnitude)
        c.digits(a / 3600, width: 2)
        c.put(UInt8(ascii: ":"))
        c.digits(a / 60 % 60, width: 2)
    }

    /// The general form of `appendISO8601`, digit by digit: any year (with a sign before 0, more than four
    /// digits after 9999) and any offset.
    func appendISO8601Slowly(_ instant: Instant, offset off: Int32, to out: inout [UInt8]) {
        let s = instant.seconds + Int64(off)
        let day = s >= 0 ? s / 86_400 : (s - 86_399) / 86_400
        let sod = Int(s - day * 86_400)
        let (y, m, d) = CivilDate.civilFromDays(Int(day))
        appendISODate(y, m, d, &out)
        out.append(UInt8(ascii: "T"))
        appendDigits(sod / 3600, 2, &out)
        out.append(UInt8(ascii: ":"))
        appendDigits(sod / 60 % 60, 2, &out)
        out.append(UInt8(ascii: ":"))
        appendDigits(sod % 60, 2, &out)
        if off == 0 && identifier == "UTC" {
            out.append(UInt8(ascii: "Z"))
            return
        }
        out.append(off < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
        let a = Int(abs(off))
        appendDigits(a / 3600, 2, &out)
        out.append(UInt8(ascii: ":"))
        appendDigits(a / 60 % 60, 2, &out)
    }

    /// Zones are equal when their identifiers are: the rules are read from the same tz database entry.
    public static func == (a: ZoneRules, b: ZoneRules) -> Bool { a.identifier == b.identifier }
}

/// Appends `YYYY-MM-DD` (see ``ByteCursor/isoDate(_:_:_:)``).
@inline(__always)
func appendISODate(_ year: Int, _ month: Int, _ day: Int, _ out: inout [UInt8]) {
    out.append(atMost: ByteCursor.maxIntCount * 3 + 2) { $0.isoDate(year, month, day) }
}

/// Appends `value` as decimal digits, zero-padded to `width` (at most 20) digits, with a `-` when negative.
/// Exactly the bytes needed are reserved, so a small buffer sized for its text does not grow.
@inline(__always)
func appendDigits(_ value: Int, _ width: Int, _ out: inout [UInt8]) {
    let count = (value < 0 ? 1 : 0) + max(ByteCursor.decimalCount(value.magnitude), min(width, 20))
    out.append(atMost: count) { $0.int(value, minWidth: min(width, 20)) }
}
