#if canImport(Glibc)
    import Glibc
#endif

/// Appends JSON and CSV text to a growing byte buffer: the hot path's output form (no `String`
/// interpolation or Foundation encoder per record).
///
/// Every piece is written the same way: room for the most bytes the piece can take is reserved at the end
/// of `bytes` first, then the piece is written there through a `ByteCursor` (plain stores, no per-byte
/// capacity checks) and `bytes` grows by what was written. A short constant costs a few stores rather
/// than a generic `append(contentsOf:)`.
package struct ByteWriter {
    package var bytes: [UInt8] = []

    /// A writer with room for `capacity` bytes. With 0 nothing is reserved: reserving room for no bytes
    /// still gave the empty array storage of its own (a call into the runtime per writer made).
    package init(capacity: Int = 1 << 16) {
        if capacity > 0 { bytes.reserveCapacity(capacity) }
    }

    /// Reserves room for `maxCount` bytes, lets `body` write at most that many through a cursor and keeps
    /// what it wrote (see `Array.append(atMost:_:)`).
    @inline(__always)
    mutating func write(atMost maxCount: Int, _ body: (inout ByteCursor) -> Void) {
        bytes.append(atMost: maxCount, body)
    }

    @inline(__always) package mutating func raw(_ s: StaticString) {
        s.withUTF8Buffer { buf in write(atMost: buf.count) { $0.put(buf) } }
    }

    @inline(__always) package mutating func byte(_ b: UInt8) { bytes.append(b) }

    /// Bytes as they are (kept pieces copied into a line), through a cursor: `append(contentsOf:)` of a
    /// buffer spent some 100 to 300 instructions of its own around the copy.
    @inline(__always) package mutating func raw(_ buf: UnsafeBufferPointer<UInt8>) { bytes.append(copying: buf) }

    /// ``raw(_:)-(UnsafeBufferPointer<UInt8>)`` for an array's bytes.
    @inline(__always) package mutating func raw(_ a: [UInt8]) { a.withUnsafeBufferPointer { bytes.append(copying: $0) } }

    package mutating func int(_ v: Int) { appendDigits(v, 1, &bytes) }

    /// The UTF-8 of a string, as is.
    @inline(__always) mutating func text(_ s: String) {
        s.withUTF8Bytes { buf in write(atMost: buf.count) { $0.put(buf) } }
    }

    /// `YYYY-MM-DD`.
    mutating func date(_ d: CivilDate) { write(atMost: ByteCursor.maxDateCount) { $0.anyDate(d) } }

    /// ISO 8601 text with `zone`'s local offset, as `ZoneRules.appendISO8601` writes it.
    @inline(__always)
    mutating func iso8601(_ instant: Instant, _ zone: ZoneRules) { zone.appendISO8601(instant, to: &bytes) }

    /// A number with one decimal place (`17.2`), deterministic.
    mutating func oneDecimal(_ x: Double) { write(atMost: ByteCursor.maxFixedCount) { $0.fixed(x, decimals: 1) } }

    /// A number with exactly three decimals (`12.345`), deterministic, no exponent.
    package mutating func fixed3(_ v: Double) { write(atMost: ByteCursor.maxFixedCount) { $0.fixed(v, decimals: 3) } }

    /// A JSON string with RFC 8259 escaping. Text with nothing to escape (the usual case, found 8 bytes at
    /// a time) is copied in one go.
    package mutating func jsonString(_ s: String) {
        // `\u00XX` is the longest escape: 6 bytes for one.
        s.withUTF8Bytes { buf in write(atMost: buf.count * 6 + 2) { $0.jsonString(buf) } }
    }

    /// A JSON string of UTF-8 bytes, as ``jsonString(_:)-(String)``.
    package mutating func jsonString(_ buf: UnsafeBufferPointer<UInt8>) {
        write(atMost: buf.count * 6 + 2) { $0.jsonString(buf) }
    }

    package mutating func jsonOptionalString(_ s: String?) {
        if let s { jsonString(s) } else { raw("null") }
    }

    mutating func jsonBool(_ b: Bool) { b ? raw("true") : raw("false") }

    /// A CSV field (RFC 4180): quoted when it holds a comma, quote, CR or LF; a leading `=`, `+` or `@` is
    /// prefixed with `'` so a spreadsheet does not run it as a formula.
    package mutating func csvField(_ s: String) {
        s.withUTF8Bytes { csvField($0) }
    }

    /// A CSV field of UTF-8 bytes, as ``csvField(_:)-(String)``.
    package mutating func csvField(_ buf: UnsafeBufferPointer<UInt8>) {
        // Two quotes, the `'`, and every `"` doubled.
        write(atMost: buf.count * 2 + 3) { $0.csvField(buf, formulaGuard: true) }
    }

    /// One CSV field of `parts` joined by `separator` (a byte that needs no quoting, such as `;`), written
    /// as `csvField` writes the joined text, but without joining it into a `String` first when no part
    /// needs quoting and the field does not start like a formula (the usual case: rule ids).
    package mutating func csvField(joining parts: [String], separator: UInt8) {
        write(atMost: ByteCursor.csvBound(joining: parts)) { $0.csvField(joining: parts, separator: separator) }
    }
}

extension ByteCursor {
    /// The most bytes `int(_:minWidth:)` writes with `minWidth` ≤ 20: a sign and 20 digits.
    static let maxIntCount = 21
    /// The most bytes `anyDate(_:)` writes: a sign, ten digits of year and `-MM-DD`.
    static let maxDateCount = 17

    /// The most bytes `csvField` or `jsonString` writes for `s` (6 for each byte, a JSON `\u00XX`, and 4
    /// more: quotes, a formula guard, or `null` for a missing value).
    @inline(__always)
    static func textBound(_ s: String?) -> Int { (s?.utf8.count ?? 0) &* 6 &+ 4 }

    /// The most bytes `csvField(joining:separator:)` writes for `parts`.
    static func csvBound(joining parts: [String]) -> Int {
        var n = 3
        for p in parts { n &+= p.utf8.count &* 2 &+ 1 }
        return n
    }

    /// `YYYY-MM-DD` for any date: years outside 0…9999 with a sign or more digits (``isoDate(_:_:_:)``).
    /// At most `maxDateCount` bytes.
    @inline(__always)
    mutating func anyDate(_ d: CivilDate) {
        guard CivilDate.fourDigitYears.contains(d.dayNumber) else {
            let c = d.components
            return isoDate(c.year, c.month, c.day)
        }
        date(d)
    }

    /// Year, month and day as `YYYY-MM-DD`, each zero-padded to its width and longer when it needs (a year
    /// before 0 with a `-`). The general form of ``date(_:)``.
    mutating func isoDate(_ year: Int, _ month: Int, _ day: Int) {
        int(year, minWidth: 4)
        put(UInt8(ascii: "-"))
        int(month, minWidth: 2)
        put(UInt8(ascii: "-"))
        int(day, minWidth: 2)
    }

    /// A string's UTF-8, as is. For callers in other modules too (the bytes read in place, where a generic
    /// helper called across the module boundary was not specialised: about 500 instructions a string).
    @inline(__always)
    package mutating func text(_ s: String) { s.withUTF8Bytes { put($0) } }

    /// A CSV field of a string's UTF-8 (see ``csvField(_:formulaGuard:)``), formula-guarded.
    @inline(__always)
    mutating func csvField(_ s: String) { s.withUTF8Bytes { csvField($0, formulaGuard: true) } }

    /// A JSON string of a string's UTF-8 (see ``jsonString(_:)-(UnsafeBufferPointer<UInt8>)``).
    @inline(__always)
    mutating func jsonString(_ s: String) { s.withUTF8Bytes { jsonString($0) } }

    /// A JSON string, or `null`.
    @inline(__always)
    mutating func jsonOptionalString(_ s: String?) {
        if let s { jsonString(s) } else { put("null") }
    }

    /// One CSV field of `parts` joined by `separator` (a byte that needs no quoting, such as `;`): the
    /// parts one by one when none needs quoting and the first does not start like a formula (the usual
    /// case: rule ids), else the joined text as one field. At most `csvBound(joining:)` bytes.
    mutating func csvField(joining parts: [String], separator: UInt8) {
        var plain = true
        for (i, part) in parts.enumerated() where plain {
            part.withUTF8Bytes { buf in
                if ByteScan.needsCSVQuotes(buf) || (i == 0 && ByteScan.startsLikeFormula(buf)) { plain = false }
            }
        }
        guard plain else { return csvField(parts.joined(separator: String(decoding: [separator], as: UTF8.self))) }
        for (i, part) in parts.enumerated() {
            if i > 0 { put(separator) }
            part.withUTF8Bytes { put($0) }
        }
    }
    /// The most bytes `fixed(_:decimals:)` writes: a sign, 19 integer digits, the point and 6 decimals.
    static let maxFixedCount = 27

    /// `v` rounded (half away from zero) to `decimals` places (1 to 6), always written with them, no
    /// exponent: at most `maxFixedCount` bytes.
    @inline(__always)
    mutating func fixed(_ v: Double, decimals: Int) {
        var scale = 1
        for _ in 0..<decimals { scale *= 10 }
        let m = Int((v * Double(scale)).rounded())
        if m < 0 { put(UInt8(ascii: "-")) }
        let a = abs(m)
        int(a / scale)
        put(UInt8(ascii: "."))
        int(a % scale, minWidth: decimals)
    }

    /// A JSON string (RFC 8259): quoted, escaped when it needs it (found 8 bytes at a time), at most 6 bytes
    /// for each byte of `buf` and 2 more. The one JSON string writer: decisions and generated files alike.
    @inline(__always)
    package mutating func jsonString(_ buf: UnsafeBufferPointer<UInt8>) {
        put(UInt8(ascii: "\""))
        if ByteScan.needsJSONEscape(buf) { jsonEscaped(buf) } else { put(buf) }
        put(UInt8(ascii: "\""))
    }

    /// A CSV field (RFC 4180): quoted when it holds a comma, quote, CR or LF, every `"` doubled. With
    /// `formulaGuard` (files a person opens in a spreadsheet), a field that starts like a formula gets a
    /// leading `'`. At most 2 bytes for each byte of `buf` and 3 more. The one CSV field writer.
    @inline(__always)
    package mutating func csvField(_ buf: UnsafeBufferPointer<UInt8>, formulaGuard: Bool) {
        let formula = formulaGuard && ByteScan.startsLikeFormula(buf)
        let needsQuotes = ByteScan.needsCSVQuotes(buf)
        if !needsQuotes && !formula { return put(buf) }
        if needsQuotes { put(UInt8(ascii: "\"")) }
        if formula { put(UInt8(ascii: "'")) }
        for b in buf {
            if b == UInt8(ascii: "\"") { put(b) }
            put(b)
        }
        if needsQuotes { put(UInt8(ascii: "\"")) }
    }

    /// The bytes of `buf` with JSON (RFC 8259) escapes, without the surrounding quotes: at most 6 bytes for
    /// each byte of `buf`.
    mutating func jsonEscaped(_ buf: UnsafeBufferPointer<UInt8>) {
        for b in buf {
            switch b {
            case UInt8(ascii: "\""): put("\\\"")
            case UInt8(ascii: "\\"): put("\\\\")
            case 0x0A: put("\\n")
            case 0x0D: put("\\r")
            case 0x09: put("\\t")
            case 0..<0x20:
                put("\\u00")
                put(ByteCursor.hexDigit(b >> 4))
                put(ByteCursor.hexDigit(b & 15))
            default: put(b)
            }
        }
    }

    /// The lower-case hexadecimal digit of a nibble (0–15).
    @inline(__always)
    static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") &+ nibble : UInt8(ascii: "a") &+ (nibble &- 10)
    }
}
