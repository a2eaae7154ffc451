/// A field's bytes, pointing into the input buffer or a scratch buffer (valid only while the record is read).
typealias Bytes = UnsafeBufferPointer<UInt8>

/// Byte-level parsers for field values: no `String` is built unless the value itself is text.
enum FieldParsers {
    // MARK: - Trimming and small helpers

    /// The bytes without leading and trailing spaces and tabs.
    @inline(__always)
    static func trimmed(_ b: Bytes) -> Bytes {
        guard let p = b.baseAddress else { return b }
        var s = 0
        var e = b.count
        while s < e, p[s] == 0x20 || p[s] == 0x09 { s += 1 }
        while e > s, p[e - 1] == 0x20 || p[e - 1] == 0x09 { e -= 1 }
        return Bytes(start: p + s, count: e - s)
    }

    /// Whether `b` equals the lower-case ASCII literal `lit`, ignoring ASCII case.
    @inline(__always)
    static func equalsIgnoringCase(_ b: Bytes, _ lit: StaticString) -> Bool {
        let n = lit.utf8CodeUnitCount
        guard b.count == n else { return false }
        let l = lit.utf8Start
        for i in 0..<n {
            var c = b[i]
            if c >= 0x41 && c <= 0x5A { c |= 0x20 }
            if c != l[i] { return false }
        }
        return true
    }

    /// Whether `b` equals the lower-case ASCII bytes `lit`, ignoring ASCII case.
    @inline(__always)
    static func equalsIgnoringCase(_ b: Bytes, _ lit: [UInt8]) -> Bool {
        guard b.count == lit.count else { return false }
        for i in 0..<lit.count {
            var c = b[i]
            if c >= 0x41 && c <= 0x5A { c |= 0x20 }
            if c != lit[i] { return false }
        }
        return true
    }

    /// A run of exactly `n` ASCII digits at `i` as a number, or nil.
    @inline(__always)
    static func digits(_ b: Bytes, _ i: Int, _ n: Int) -> Int? {
        guard i + n <= b.count else { return nil }
        var v = 0
        for k in i..<(i + n) {
            let d = Int(b[k]) &- 48
            guard d >= 0 && d <= 9 else { return nil }
            v = v * 10 + d
        }
        return v
    }

    /// One or two ASCII digits at `i`: the value and the index after them.
    @inline(__always)
    static func oneOrTwoDigits(_ b: Bytes, _ i: Int) -> (Int, Int)? {
        guard let first = digits(b, i, 1) else { return nil }
        if let second = digits(b, i + 1, 1) { return (first * 10 + second, i + 2) }
        return (first, i + 1)
    }

    // MARK: - Dates

    /// `YYYY-MM-DD` or `DD/MM/YYYY` (day and month may have one digit) as a real calendar date.
    static func date(_ raw: Bytes) -> CivilDate? {
        let b = trimmed(raw)
        guard let (d, next) = datePrefix(b), next == b.count else { return nil }
        return d
    }

    /// Parses a date at the start of `b`: the date and the index after it, and whether it was day-first.
    @inline(__always)
    static func datePrefix(_ b: Bytes) -> (CivilDate, Int)? {
        if b.count >= 10, b[4] == 0x2D {  // YYYY-MM-DD
            guard b[7] == 0x2D, let y = digits(b, 0, 4), let m = digits(b, 5, 2), let d = digits(b, 8, 2),
                let date = CivilDate(year: y, month: m, day: d)
            else { return nil }
            return (date, 10)
        }
        // D/M/YYYY with one- or two-digit day and month.
        guard let (d, i1) = oneOrTwoDigits(b, 0), i1 < b.count, b[i1] == 0x2F,
            let (m, i2) = oneOrTwoDigits(b, i1 + 1), i2 < b.count, b[i2] == 0x2F,
            let y = digits(b, i2 + 1, 4), let date = CivilDate(year: y, month: m, day: d)
        else { return nil }
        return (date, i2 + 5)
    }

    // MARK: - Date-times

    /// ISO 8601 `YYYY-MM-DD[T| ]HH:MM[:SS[.fff]][Z|±HH:MM|±HHMM|±HH]`, or `DD/MM/YYYY HH:MM[:SS[.fff]]`.
    /// Without an offset the time is local in `zone` (see ``ZoneRules/instant(_:)`` for the nights the
    /// clocks change). A fraction of a second is ISO 8601's: a `.` or `,` then one or more digits, any
    /// number of them, after the seconds only; it is dropped (not rounded). Anything else is nil.
    static func dateTime(_ raw: Bytes, zone: ZoneRules) -> Instant? {
        let b = trimmed(raw)
        guard let (date, secondOfDay, end, iso, hasSeconds) = dateTimePrefix(b) else { return nil }
        var i = end
        if hasSeconds, i < b.count, b[i] == 0x2E || b[i] == 0x2C {  // fraction: at least one digit, dropped
            i += 1
            let fractionStart = i
            while i < b.count, b[i] >= 0x30, b[i] <= 0x39 { i += 1 }
            guard i > fractionStart else { return nil }
        }
        if i == b.count {
            return localInstant(LocalDateTime(date: date, secondOfDay: Int32(secondOfDay)), zone: zone)
        }
        guard iso else { return nil }
        var offset = 0
        let c = b[i]
        if c == 0x5A || c == 0x7A {  // Z
            guard i + 1 == b.count else { return nil }
        } else if c == 0x2B || c == 0x2D {  // + or -
            guard let oh = digits(b, i + 1, 2) else { return nil }
            var j = i + 3
            var om = 0
            if j < b.count {
                if b[j] == 0x3A { j += 1 }
                guard let m = digits(b, j, 2) else { return nil }
                om = m
                j += 2
            }
            guard j == b.count, oh <= 23, om <= 59 else { return nil }
            offset = (oh * 3600 + om * 60) * (c == 0x2D ? -1 : 1)
        } else {
            return nil
        }
        return Instant(seconds: Int64(date.dayNumber) * 86_400 + Int64(secondOfDay) - Int64(offset))
    }

    /// The date and time at the start of `b`, `YYYY-MM-DD[T| ]HH:MM[:SS]` or `D/M/YYYY H:MM[:SS]`, with
    /// the time in range: the date, the second of the day, the index after them, whether the date is in
    /// the ISO form and whether seconds were given.
    @inline(__always)
    static func dateTimePrefix(_ b: Bytes) -> (CivilDate, Int, Int, Bool, Bool)? {
        guard let (date, i0) = datePrefix(b), i0 < b.count else { return nil }
        let iso = b[4] == 0x2D
        let sep = b[i0]
        guard sep == 0x20 || (iso && (sep == 0x54 || sep == 0x74)) else { return nil }
        var i = i0 + 1
        // Hours: two digits in ISO form, one or two in the day-first form.
        let hour: Int
        if iso {
            guard let h = digits(b, i, 2) else { return nil }
            hour = h
            i += 2
        } else {
            guard let (h, n) = oneOrTwoDigits(b, i) else { return nil }
            hour = h
            i = n
        }
        guard i < b.count, b[i] == 0x3A, let minute = digits(b, i + 1, 2) else { return nil }
        i += 3
        var second = 0
        let hasSeconds = i < b.count && b[i] == 0x3A
        if hasSeconds {
            guard let s = digits(b, i + 1, 2) else { return nil }
            second = s
            i += 3
        }
        guard hour <= 23, minute <= 59, second <= 59 else { return nil }
        return (date, hour * 3600 + minute * 60 + second, i, iso, hasSeconds)
    }

    /// Whether `raw` is a date and a time with seconds followed by something that is not read (so that
    /// the error can say what may follow the seconds).
    static func hasUnreadSuffixAfterSeconds(_ raw: Bytes) -> Bool {
        let b = trimmed(raw)
        guard let (_, _, end, _, hasSeconds) = dateTimePrefix(b) else { return false }
        return hasSeconds && end < b.count
    }

    /// `zone.instant(local)`, without its allocation when no offset change is within a day either side
    /// (then every candidate offset it would try is the same one).
    @inline(__always)
    static func localInstant(_ local: LocalDateTime, zone: ZoneRules) -> Instant {
        let ls = local.localSeconds
        let before = zone.offset(at: Instant(seconds: ls - 86_400))
        if before == zone.offset(at: Instant(seconds: ls + 86_400)) {
            return Instant(seconds: ls - Int64(before))
        }
        return zone.instant(local)
    }

    // MARK: - Booleans, numbers

    /// true/false, yes/no, y/n, 1/0 in any case; empty is false; anything else is nil.
    static func bool(_ raw: Bytes) -> Bool? {
        let b = trimmed(raw)
        switch b.count {
        case 0: return false
        case 1:
            switch b[0] {
            case 0x31, 0x79, 0x59: return true  // 1 y Y
            case 0x30, 0x6E, 0x4E: return false  // 0 n N
            default: return nil
            }
        default:
            if equalsIgnoringCase(b, "true") || equalsIgnoringCase(b, "yes") { return true }
            if equalsIgnoringCase(b, "false") || equalsIgnoringCase(b, "no") { return false }
            return nil
        }
    }

    /// A non-negative decimal integer of at most 9 digits, or nil.
    static func smallInt(_ raw: Bytes) -> Int? {
        let b = trimmed(raw)
        guard b.count >= 1, b.count <= 9 else { return nil }
        return digits(b, 0, b.count)
    }

    // MARK: - Flags

    /// Known flag names as lower-case bytes.
    static let knownFlags: [([UInt8], RiskFlags)] = RiskFlags.named.map { (Array($0.name.utf8), $0.flag) }

    /// Adds one flag name (trimmed, any case): known names to `flags`, others lower-cased to `unknown`
    /// (once each). Returns false when the name is not valid UTF-8.
    static func addFlag(_ raw: Bytes, to flags: inout RiskFlags, unknown: inout [String]) -> Bool {
        let b = trimmed(raw)
        if b.isEmpty { return true }
        for (name, flag) in knownFlags where equalsIgnoringCase(b, name) {
            flags.insert(flag)
            return true
        }
        guard let text = UTF8Check.string(b) else { return false }
        let lower = text.lowercased()
        if !unknown.contains(lower) { unknown.append(lower) }
        return true
    }

    /// Semicolon-separated flag names. Returns false when a name is not valid UTF-8.
    static func flags(_ b: Bytes, into flags: inout RiskFlags, unknown: inout [String]) -> Bool {
        guard let p = b.baseAddress else { return true }
        var s = 0
        for i in 0...b.count where i == b.count || p[i] == 0x3B {
            if !addFlag(Bytes(start: p + s, count: i - s), to: &flags, unknown: &unknown) { return false }
            s = i + 1
        }
        return true
    }
}

/// UTF-8 validation without building a `String` first.
enum UTF8Check {
    /// Length of the valid UTF-8 sequence starting at `p[i]` (i < count), or 0 when it is invalid
    /// (overlong forms, surrogates and code points above U+10FFFF are invalid).
    @inline(__always)
    static func sequenceLength(_ p: UnsafePointer<UInt8>, _ i: Int, _ count: Int) -> Int {
        let b0 = p[i]
        if b0 < 0x80 { return 1 }
        @inline(__always) func cont(_ k: Int) -> Bool { i + k < count && p[i + k] & 0xC0 == 0x80 }
        if b0 < 0xC2 { return 0 }
        if b0 < 0xE0 { return cont(1) ? 2 : 0 }
        if b0 < 0xF0 {
            guard cont(1), cont(2) else { return 0 }
            let b1 = p[i + 1]
            if b0 == 0xE0 && b1 < 0xA0 { return 0 }
            if b0 == 0xED && b1 > 0x9F { return 0 }
            return 3
        }
        if b0 < 0xF5 {
            guard cont(1), cont(2), cont(3) else { return 0 }
            let b1 = p[i + 1]
            if b0 == 0xF0 && b1 < 0x90 { return 0 }
            if b0 == 0xF4 && b1 > 0x8F { return 0 }
            return 4
        }
        return 0
    }

    /// Whether the bytes are valid UTF-8.
    static func isValid(_ b: Bytes) -> Bool {
        guard let p = b.baseAddress else { return true }
        // Names and postcodes are nearly always ASCII: 8 bytes at a time, then byte by byte from the first
        // word with a high bit.
        var i = 0
        while i + 8 <= b.count {
            if UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { break }
            i += 8
        }
        let n = b.count
        while i < n {
            if p[i] < 0x80 {
                i += 1
                continue
            }
            let len = sequenceLength(p, i, n)
            if len == 0 { return false }
            i += len
        }
        return true
    }

    /// The bytes as a `String`, or nil when they are not valid UTF-8.
    @inline(__always)
    static func string(_ b: Bytes) -> String? {
        // Checked here, then copied: `String(validating:as:)` would do it in one pass, but it is generic and
        // unspecialised on Linux (a run-time metadata look-up per call, measured slower than both passes).
        guard isValid(b) else { return nil }
        return String(utf8Bytes: b)
    }
}
