/// The CRC-32 of zip files (IEEE 802.3, reflected polynomial 0xEDB88320), computed eight bytes at a time
/// ("slicing by 8") from tables made once: a stored zip entry carries the checksum of its bytes, and a
/// workbook's sheet is hundreds of megabytes at county scale.
package struct CRC32 {
    /// The checksum of the bytes so far.
    package var value: UInt32 { ~state }
    private var state: UInt32 = 0xFFFF_FFFF

    package init() {}

    /// The checksum of `bytes` alone.
    package init(_ bytes: [UInt8]) { update(bytes) }

    /// Adds `bytes` to the checksum.
    package mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { update($0) }
    }

    /// Adds `buf` to the checksum.
    package mutating func update(_ buf: UnsafeBufferPointer<UInt8>) {
        var c = state
        var i = 0
        Self.tables.withUnsafeBufferPointer { t in
            // Eight bytes at a time: each byte's remainder comes from its own table, shifted by its distance
            // from the end of the group.
            while i + 8 <= buf.count {
                let lo = c ^ (UInt32(buf[i]) | UInt32(buf[i + 1]) << 8 | UInt32(buf[i + 2]) << 16 | UInt32(buf[i + 3]) << 24)
                c =
                    t[7 * 256 + Int(lo & 0xFF)] ^ t[6 * 256 + Int(lo >> 8 & 0xFF)] ^ t[5 * 256 + Int(lo >> 16 & 0xFF)]
                    ^ t[4 * 256 + Int(lo >> 24)] ^ t[3 * 256 + Int(buf[i + 4])] ^ t[2 * 256 + Int(buf[i + 5])]
                    ^ t[256 + Int(buf[i + 6])] ^ t[Int(buf[i + 7])]
                i += 8
            }
            while i < buf.count {
                c = t[Int(UInt8(truncatingIfNeeded: c) ^ buf[i])] ^ (c >> 8)
                i += 1
            }
        }
        state = c
    }

    /// Table k holds the remainder of each byte value followed by k zero bytes (table 0: the classic one).
    static let tables: [UInt32] = {
        var t = [UInt32](repeating: 0, count: 8 * 256)
        for n in 0..<256 {
            var c = UInt32(n)
            for _ in 0..<8 { c = c & 1 == 1 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
            t[n] = c
        }
        for k in 1..<8 {
            for n in 0..<256 { t[k * 256 + n] = t[(k - 1) * 256 + n] >> 8 ^ t[Int(t[(k - 1) * 256 + n] & 0xFF)] }
        }
        return t
    }()
}
