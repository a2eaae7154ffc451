/// The CRC-32 of zip files (IEEE 802.3, reflected polynomial 0xEDB88320), computed a byte at a time from a
/// table made once: a stored zip entry must carry the checksum of its bytes.
package struct CRC32 {
    /// The checksum of the bytes so far.
    package var value: UInt32 { ~state }
    private var state: UInt32 = 0xFFFF_FFFF

    package init() {}

    /// The checksum of `bytes` alone.
    package init(_ bytes: some Sequence<UInt8>) { update(bytes) }

    /// Adds `bytes` to the checksum.
    package mutating func update(_ bytes: some Sequence<UInt8>) {
        var c = state
        for b in bytes { c = CRC32.table[Int(UInt8(truncatingIfNeeded: c) ^ b)] ^ (c >> 8) }
        state = c
    }

    /// The remainder of each byte value, shifted through the polynomial eight times.
    static let table: [UInt32] = (0..<256).map { n in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 == 1 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }
}
