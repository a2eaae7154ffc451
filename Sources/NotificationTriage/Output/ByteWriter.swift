/// Appends JSON and CSV text to a growing byte buffer: the hot path's output form (no `String`
/// interpolation or Foundation encoder per record).
struct ByteWriter {
    var bytes: [UInt8] = []

    init(capacity: Int = 1 << 16) { bytes.reserveCapacity(capacity) }

    @inline(__always) mutating func raw(_ s: StaticString) {
        s.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    @inline(__always) mutating func byte(_ b: UInt8) { bytes.append(b) }

    mutating func int(_ v: Int) { appendDigits(v, 1, &bytes) }

    /// The UTF-8 of a string, as is.
    @inline(__always) mutating func text(_ s: String) {
        var s = s
        s.withUTF8 { bytes.append(contentsOf: $0) }
    }

    /// `YYYY-MM-DD`.
    mutating func date(_ d: CivilDate) {
        let c = d.components
        appendISODate(c.year, c.month, c.day, &bytes)
    }

    /// A number with one decimal place (`17.2`), deterministic.
    mutating func oneDecimal(_ x: Double) { fixed(x, decimals: 1) }

    /// A number with exactly three decimals (`12.345`), deterministic, no exponent.
    mutating func fixed3(_ v: Double) { fixed(v, decimals: 3) }

    /// A number rounded to `decimals` places (1 to 6), always written with them, no exponent.
    private mutating func fixed(_ v: Double, decimals: Int) {
        var scale = 1
        for _ in 0..<decimals { scale *= 10 }
        let m = Int((v * Double(scale)).rounded())
        if m < 0 { bytes.append(UInt8(ascii: "-")) }
        let a = abs(m)
        appendDigits(a / scale, 1, &bytes)
        bytes.append(UInt8(ascii: "."))
        appendDigits(a % scale, decimals, &bytes)
    }

    /// A JSON string with RFC 8259 escaping. Text with nothing to escape (the usual case, found 8 bytes at
    /// a time) is copied in one go.
    mutating func jsonString(_ s: String) {
        bytes.append(UInt8(ascii: "\""))
        var s = s
        s.withUTF8 { buf in
            if !ByteScan.needsJSONEscape(buf) {
                bytes.append(contentsOf: buf)
                return
            }
            for b in buf {
                switch b {
                case UInt8(ascii: "\""): raw("\\\"")
                case UInt8(ascii: "\\"): raw("\\\\")
                case 0x0A: raw("\\n")
                case 0x0D: raw("\\r")
                case 0x09: raw("\\t")
                case 0..<0x20:
                    raw("\\u00")
                    let hex: [UInt8] = Array("0123456789abcdef".utf8)
                    bytes.append(hex[Int(b >> 4)])
                    bytes.append(hex[Int(b & 15)])
                default: bytes.append(b)
                }
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    mutating func jsonOptionalString(_ s: String?) {
        if let s { jsonString(s) } else { raw("null") }
    }

    mutating func jsonBool(_ b: Bool) { b ? raw("true") : raw("false") }

    /// A CSV field (RFC 4180): quoted when it holds a comma, quote, CR or LF; a leading `=`, `+` or `@` is
    /// prefixed with `'` so a spreadsheet does not run it as a formula.
    mutating func csvField(_ s: String) {
        var s = s
        s.withUTF8 { buf in
            let formula =
                buf.first.map { $0 == UInt8(ascii: "=") || $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "@") } ?? false
            let needsQuotes = ByteScan.needsCSVQuotes(buf)
            if !needsQuotes && !formula {
                bytes.append(contentsOf: buf)
                return
            }
            if needsQuotes { bytes.append(UInt8(ascii: "\"")) }
            if formula { bytes.append(UInt8(ascii: "'")) }
            for b in buf {
                if b == UInt8(ascii: "\"") { bytes.append(b) }
                bytes.append(b)
            }
            if needsQuotes { bytes.append(UInt8(ascii: "\"")) }
        }
    }
}

/// Looks for special bytes 8 at a time (SWAR: the classic "has a zero byte" and "has a byte less than n"
/// word tests, which are exact for existence), so clean text is passed over quickly.
enum ByteScan {
    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let highs: UInt64 = 0x8080_8080_8080_8080

    @inline(__always)
    private static func hasByte(_ w: UInt64, _ c: UInt8) -> Bool {
        let x = w ^ (ones &* UInt64(c))
        return (x &- ones) & ~x & highs != 0
    }

    @inline(__always)
    private static func hasLess(_ w: UInt64, _ n: UInt8) -> Bool {
        (w &- ones &* UInt64(n)) & ~w & highs != 0
    }

    /// Whether JSON needs escapes for `buf`: a control byte, `"` or `\`.
    static func needsJSONEscape(_ buf: UnsafeBufferPointer<UInt8>) -> Bool {
        let raw = UnsafeRawBufferPointer(buf)
        var i = 0
        while i + 8 <= buf.count {
            let w = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            if hasLess(w, 0x20) || hasByte(w, UInt8(ascii: "\"")) || hasByte(w, UInt8(ascii: "\\")) { return true }
            i += 8
        }
        while i < buf.count {
            let b = buf[i]
            if b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") { return true }
            i += 1
        }
        return false
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
