/// A write position in a byte buffer known to be large enough: the encoders size a temporary buffer for
/// the worst case of one incident, write through this without bounds or capacity checks, then append the
/// written bytes to the caller's array in one copy.
package struct ByteCursor {
    package var p: UnsafeMutablePointer<UInt8>

    package init(p: UnsafeMutablePointer<UInt8>) { self.p = p }

    @inline(__always)
    package mutating func put(_ b: UInt8) {
        p.pointee = b
        p += 1
    }

    @inline(__always)
    package mutating func put(_ s: StaticString) {
        let n = s.utf8CodeUnitCount
        p.update(from: s.utf8Start, count: n)
        p += n
    }

    /// Copies `bytes`. Up to 16 (ids, names, postcodes, dates) are copied with two overlapping word loads
    /// and stores rather than a call to `memcpy`.
    @inline(__always)
    package mutating func put(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let base = bytes.baseAddress else { return }
        let n = bytes.count
        let src = UnsafeRawPointer(base)
        let dst = UnsafeMutableRawPointer(p)
        if n >= 8 && n <= 16 {
            let head = src.loadUnaligned(as: UInt64.self)
            let tail = src.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
            dst.storeBytes(of: head, as: UInt64.self)
            dst.storeBytes(of: tail, toByteOffset: n - 8, as: UInt64.self)
        } else if n >= 4 && n < 8 {
            let head = src.loadUnaligned(as: UInt32.self)
            let tail = src.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self)
            dst.storeBytes(of: head, as: UInt32.self)
            dst.storeBytes(of: tail, toByteOffset: n - 4, as: UInt32.self)
        } else if n < 4 {
            for k in 0..<n { p[k] = base[k] }
        } else {
            p.update(from: base, count: n)
        }
        p += n
    }

    @inline(__always)
    package mutating func put(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { put($0) }
    }

    /// `value` (≥ 0) as exactly `width` digits, zero-padded (higher digits are dropped: callers pass values
    /// that fit).
    @inline(__always)
    package mutating func digits(_ value: Int, width: Int) {
        var v = value
        var i = width - 1
        while i >= 0 {
            p[i] = 0x30 &+ UInt8(truncatingIfNeeded: v % 10)
            v /= 10
            i -= 1
        }
        p += width
    }

    /// `value` in decimal, with a `-` sign when negative and at least `minWidth` digits.
    @inline(__always)
    package mutating func int(_ value: Int, minWidth: Int = 1) {
        var v = value.magnitude
        if value < 0 { put(UInt8(ascii: "-")) }
        let n = Swift.max(ByteCursor.decimalCount(v), minWidth)
        var i = n - 1
        while i >= 0 {
            p[i] = 0x30 &+ UInt8(truncatingIfNeeded: v % 10)
            v /= 10
            i -= 1
        }
        p += n
    }

    /// `YYYY-MM-DD` (years outside 0…9999 written in full with a sign, as `appendDigits` does).
    @inline(__always)
    package mutating func date(_ d: CivilDate) {
        let c = ByteCursor.civil(d.dayNumber)
        if (0...9999).contains(c.year) { digits(c.year, width: 4) } else { int(c.year, minWidth: 4) }
        put(UInt8(ascii: "-"))
        digits(c.month, width: 2)
        put(UInt8(ascii: "-"))
        digits(c.day, width: 2)
    }

    /// ISO 8601 with the zone's local offset, exactly as `ZoneRules.appendISO8601` writes it.
    @inline(__always)
    package mutating func iso8601(_ instant: Instant, zone: ZoneRules) {
        let off = zone.offset(at: instant)
        let s = instant.seconds + Int64(off)
        let day = s >= 0 ? s / 86_400 : (s - 86_399) / 86_400
        let sod = Int(s - day * 86_400)
        date(CivilDate(dayNumber: Int32(truncatingIfNeeded: day)))
        put(UInt8(ascii: "T"))
        digits(sod / 3600, width: 2)
        put(UInt8(ascii: ":"))
        digits(sod / 60 % 60, width: 2)
        put(UInt8(ascii: ":"))
        digits(sod % 60, width: 2)
        if off == 0 && zone.identifier == "UTC" {
            put(UInt8(ascii: "Z"))
            return
        }
        put(off < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
        let a = Int(off.magnitude)
        digits(a / 3600, width: 2)
        put(UInt8(ascii: ":"))
        digits(a / 60 % 60, width: 2)
    }

    @inline(__always)
    package mutating func bool(_ b: Bool) { b ? put("true") : put("false") }
}

extension ByteCursor {
    /// Year, month and day of a day number (days since 1970-01-01), by Neri & Schneider's Euclidean affine
    /// functions ("Euclidean affine functions and their application to calendar algorithms", 2022): only
    /// multiplications and shifts, several times faster than `CivilDate.civilFromDays`, and equal to it
    /// over the whole Int32 range the model can hold from year −9,000 on (a test compares them).
    @inline(__always)
    package static func civil(_ dayNumber: Int32) -> (year: Int, month: Int, day: Int) {
        let s: UInt32 = 82
        let k: UInt32 = 719_468 &+ 146_097 &* s
        let n = UInt32(bitPattern: dayNumber) &+ k
        let n1 = 4 &* n &+ 3
        let c = n1 / 146_097
        let nc = n1 % 146_097 / 4
        let n2 = 4 &* nc &+ 3
        let p2 = UInt64(2_939_745) &* UInt64(n2)
        let z = UInt32(truncatingIfNeeded: p2 >> 32)
        let ny = UInt32(truncatingIfNeeded: p2) / 2_939_745 / 4
        let y = 100 &* c &+ z
        let n3 = 2_141 &* ny &+ 197_913
        let m = n3 >> 16
        let d = (n3 & 0xFFFF) / 2_141
        let j: UInt32 = ny >= 306 ? 1 : 0
        return (Int(y) - Int(400 * s) + Int(j), Int(j == 1 ? m - 12 : m), Int(d) + 1)
    }
}

extension ByteCursor {
    /// The number of decimal digits of `v` (1 for 0).
    @inline(__always)
    package static func decimalCount(_ v: UInt) -> Int {
        var n = 1
        var t = v
        while t >= 10 {
            n += 1
            t /= 10
        }
        return n
    }

    /// A `String` of at most `capacity` bytes written through a cursor on the stack (keys made per
    /// incident: no heap buffer, and no heap string either when the result is 15 bytes or fewer).
    @inline(__always)
    package static func string(capacity: Int, _ body: (inout ByteCursor) -> Void) -> String {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: capacity) { buf in
            let start = buf.baseAddress!
            var c = ByteCursor(p: start)
            body(&c)
            return String(utf8Bytes: UnsafeBufferPointer(start: start, count: c.p - start))
        }
    }
}

extension Array where Element == UInt8 {
    /// Appends `buf`'s bytes through a cursor (see ``ByteWriter/raw(_:)-(UnsafeBufferPointer<UInt8>)``).
    @inline(__always)
    package mutating func append(copying buf: UnsafeBufferPointer<UInt8>) {
        append(atMost: buf.count) { $0.put(buf) }
    }

    /// Reserves room for `maxCount` bytes at the end, lets `body` write at most that many through a cursor
    /// starting there, and keeps what it wrote. Writing more than `maxCount` is a caller bug, which the
    /// standard library's `OutputSpan` check stops.
    @inline(__always)
    package mutating func append(atMost maxCount: Int, _ body: (inout ByteCursor) -> Void) {
        append(addingCapacity: maxCount) { span in
            span.withUnsafeMutableBufferPointer { buf, written in
                let start = buf.baseAddress!
                var c = ByteCursor(p: start)
                body(&c)
                written = c.p - start
            }
        }
    }
}
