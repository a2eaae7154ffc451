#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Looks for special bytes 8 at a time (SWAR: the classic "has a zero byte" and "has a byte less than n"
/// word tests, which are exact for existence), so clean text is passed over quickly.
package enum ByteScan {
    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let highs: UInt64 = 0x8080_8080_8080_8080

    /// The high bit of each byte of `w` equal to `c`, and possibly of bytes after the first such byte (the
    /// borrow of the zero-byte test): nonzero exactly when `w` holds `c`, and the lowest set bit is exactly
    /// the first `c`.
    @inline(__always)
    private static func matches(_ w: UInt64, _ c: UInt8) -> UInt64 {
        let x = w ^ (ones &* UInt64(c))
        return (x &- ones) & ~x & highs
    }

    @inline(__always)
    private static func hasByte(_ w: UInt64, _ c: UInt8) -> Bool { matches(w, c) != 0 }

    /// The high bit of each byte of `w` (as loaded from memory) that is a comma or a line feed, and possibly
    /// of bytes after the first such byte (the borrow of the zero-byte test): the lowest set bit is always
    /// exactly the first separator, which is all the CSV scanner uses.
    @inline(__always)
    static func separatorMask(_ w: UInt64) -> UInt64 {
        let x = UInt64(littleEndian: w)
        return matches(x, UInt8(ascii: ",")) | matches(x, 0x0A)
    }

    /// The high bit of exactly each byte of `w` (as loaded from memory) that is a comma, a line feed or a
    /// double quote, and of no other: unlike ``separatorMask(_:)`` there is no borrow between bytes (a byte's
    /// low seven bits plus 0x7F never carry out of it), so every set bit can be visited.
    @inline(__always)
    static func plainRowMask(_ w: UInt64) -> UInt64 {
        let x = UInt64(littleEndian: w)
        let low7: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        let xl = x & low7
        // Per byte, the high bit of `(low ^ c) + 0x7F` is set unless the byte's low seven bits are those of
        // `c` (all three are below 0x80, so a byte with its high bit set is none of them: `| x` below).
        @inline(__always) func differs(_ c: UInt8) -> UInt64 { (xl ^ (ones &* UInt64(c))) &+ low7 }
        return ~((differs(UInt8(ascii: ",")) & differs(0x0A) & differs(UInt8(ascii: "\""))) | x) & highs
    }

    /// Nonzero exactly when `w` holds a byte less than `n` (n ≤ 128).
    @inline(__always)
    private static func lessMask(_ w: UInt64, _ n: UInt8) -> UInt64 {
        (w &- ones &* UInt64(n)) & ~w & highs
    }

    /// Whether two byte ranges hold the same bytes.
    @inline(__always)
    static func equal(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard a.count == b.count else { return false }
        guard let pa = a.baseAddress, let pb = b.baseAddress else { return true }
        return memcmp(pa, pb, a.count) == 0
    }

    /// Whether JSON needs escapes for `buf`: a control byte, `"` or `\`.
    static func needsJSONEscape(_ buf: UnsafeBufferPointer<UInt8>) -> Bool {
        // The three tests as masks joined without branches: one branch per 16 bytes (reason texts are long).
        @inline(__always) func mask(_ w: UInt64) -> UInt64 {
            lessMask(w, 0x20) | matches(w, UInt8(ascii: "\"")) | matches(w, UInt8(ascii: "\\"))
        }
        @inline(__always) func special(_ w: UInt64) -> Bool { mask(w) != 0 }
        let raw = UnsafeRawBufferPointer(buf)
        let n = buf.count
        if n >= 16 {
            var i = 0
            while i + 16 <= n {
                let a = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))
                let b = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i + 8, as: UInt64.self))
                if mask(a) | mask(b) != 0 { return true }
                i += 16
            }
            if i == n { return false }
            // The last 16 bytes, overlapping ones already seen (which cannot change the answer).
            let a = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: n - 16, as: UInt64.self))
            let b = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self))
            return mask(a) | mask(b) != 0
        }
        if n >= 8 {
            var i = 0
            while i + 8 <= n {
                if special(UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))) { return true }
                i += 8
            }
            // The last 8 bytes, overlapping ones already seen (which cannot change the answer).
            return i < n && special(UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)))
        }
        if n >= 4 {
            // The first 4 and the last 4 bytes (overlapping when fewer than 8) as one word.
            let lo = UInt64(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 0, as: UInt32.self)))
            let hi = UInt64(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self)))
            return special(lo | hi << 32)
        }
        var i = 0
        while i < n {
            let b = buf[i]
            if b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") { return true }
            i += 1
        }
        return false
    }

    /// Whether a CSV field starts like a spreadsheet formula (OWASP's set: `=`, `+`, `-`, `@`, tab, carriage
    /// return), unless it is a plain number (`-5`, `+44`, `-0.5`), which a spreadsheet reads as a number.
    @inline(__always)
    static func startsLikeFormula(_ buf: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let b = buf.first else { return false }
        switch b {
        case UInt8(ascii: "="), UInt8(ascii: "@"), 0x09, 0x0D: return true
        case UInt8(ascii: "+"), UInt8(ascii: "-"): return !isPlainNumber(buf)
        default: return false
        }
    }

    /// A sign, digits, and at most one `.` with digits after it.
    static func isPlainNumber(_ buf: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = (buf.first == UInt8(ascii: "+") || buf.first == UInt8(ascii: "-")) ? 1 : 0
        var digits = 0
        var point = false
        while i < buf.count {
            let c = buf[i]
            if c >= 0x30 && c <= 0x39 {
                digits += 1
            } else if c == UInt8(ascii: ".") && !point && digits > 0 {
                point = true
                digits = 0
            } else {
                return false
            }
            i += 1
        }
        return digits > 0
    }

    /// Whether a CSV field needs quotes for `buf`: a comma, `"`, CR or LF.
    static func needsCSVQuotes(_ buf: UnsafeBufferPointer<UInt8>) -> Bool {
        let raw = UnsafeRawBufferPointer(buf)
        var i = 0
        while i + 8 <= buf.count {
            let w = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            if hasByte(w, UInt8(ascii: ",")) || hasByte(w, UInt8(ascii: "\"")) || hasByte(w, 0x0A) || hasByte(w, 0x0D) {
                return true
            }
            i += 8
        }
        while i < buf.count {
            let b = buf[i]
            if b == UInt8(ascii: ",") || b == UInt8(ascii: "\"") || b == 0x0A || b == 0x0D { return true }
            i += 1
        }
        return false
    }
}
