/// Open-addressing hash index from key text to slot (linear probing, load factor at most 0.7). Each bucket
/// is 8 bytes (32 bits of the hash and the slot), so a probe touches one cache line. The table is any size,
/// not a power of two (a home bucket is a multiply-shift of the tag), so that after a rebuild it is twice
/// the live keys rather than up to four times.
struct KeyIndex: Sendable {
    struct Bucket: Sendable {
        /// 0 marks an empty bucket; stored tags always have the low bit set.
        var tag: UInt32
        var slot: Int32
    }
    var buckets: [Bucket] = Array(repeating: Bucket(tag: 0, slot: -1), count: 1024)
    var count = 0

    /// A 64-bit hash of the key's UTF-8 bytes, never 0 (collisions are resolved by comparing keys).
    @inline(__always)
    static func hash(_ key: String) -> UInt64 {
        key.withUTF8Bytes { buf in
            // 8 bytes at a time, then the tail; a multiply-xorshift mix per word.
            var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(buf.count)
            var i = 0
            let raw = UnsafeRawBufferPointer(buf)
            while i + 8 <= buf.count {
                let w = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                h = (h ^ w) &* 0xff51_afd7_ed55_8ccd
                h ^= h >> 32
                i += 8
            }
            var tail: UInt64 = 0
            var shift: UInt64 = 0
            while i < buf.count {
                tail |= UInt64(buf[i]) << shift
                shift += 8
                i += 1
            }
            h = (h ^ tail) &* 0xc4ce_b9fe_1a85_ec53
            h ^= h >> 29
            h = h &* 0xff51_afd7_ed55_8ccd
            h ^= h >> 32
            return h | 1
        }
    }

    @inline(__always)
    static func tag(_ hash: UInt64) -> UInt32 { UInt32(truncatingIfNeeded: hash >> 32) | 1 }

    /// A tag's home bucket among `n`: from the tag alone, so that a rebuild places every bucket again
    /// without hashing a single key (the high half of a multiplicative mix, so neighbouring tags spread
    /// out, scaled to `n` by a multiply-shift).
    @inline(__always)
    static func home(_ tag: UInt32, _ n: Int) -> Int {
        let mixed = (UInt64(tag) &* 0x9E37_79B9_7F4A_7C15) >> 32
        return Int(truncatingIfNeeded: (mixed &* UInt64(n)) >> 32)
    }

    @inline(__always)
    func find(_ key: String, hash: UInt64, keys: [String]) -> Int32? { probe(hash) { keys[Int($0)] == key } }

    /// The slot of the first bucket on `hash`'s probe path with its tag that `accept` takes, or nil at an
    /// empty bucket.
    @inline(__always)
    private func probe(_ hash: UInt64, _ accept: (Int32) -> Bool) -> Int32? {
        let n = buckets.count
        let t = KeyIndex.tag(hash)
        var i = KeyIndex.home(t, n)
        while true {
            let b = buckets[i]
            if b.tag == 0 { return nil }
            if b.tag == t, accept(b.slot) { return b.slot }
            i += 1
            if i == n { i = 0 }
        }
    }

    /// The tag in `hash`'s home bucket (a read that brings the bucket into cache).
    @inline(__always)
    func homeTag(hash: UInt64) -> UInt32 { buckets[KeyIndex.home(KeyIndex.tag(hash), buckets.count)].tag }

    /// The slot of the first bucket on `hash`'s probe path with its tag, or -1: where a look-up will
    /// confirm the key, without confirming it.
    @inline(__always)
    func peek(hash: UInt64) -> Int32 { probe(hash) { _ in true } ?? -1 }

    /// Indexes `slot`, growing the table first when it is 0.7 full.
    mutating func insert(hash: UInt64, slot: Int32) {
        // Linear probing stays short up to a load of 0.7 (8-byte buckets: most probes stay in one cache line).
        if (count + 1) * 10 > buckets.count * 7 { grow() }
        place(tag: KeyIndex.tag(hash), slot: slot)
    }

    private mutating func place(tag: UInt32, slot: Int32) {
        let n = buckets.count
        var i = KeyIndex.home(tag, n)
        while buckets[i].tag != 0 {
            i += 1
            if i == n { i = 0 }
        }
        buckets[i] = Bucket(tag: tag, slot: slot)
        count += 1
    }

    /// Removes the bucket of `slot`, whose key's hash is `hash`, in place: the entries after it on its probe
    /// run that may move back are moved into the hole (backward-shift deletion), so no stale bucket is left
    /// and no rebuild is needed (a rebuild holds the old table and the new one at once).
    mutating func remove(hash: UInt64, slot: Int32) {
        let n = buckets.count
        let t = KeyIndex.tag(hash)
        var i = KeyIndex.home(t, n)
        while buckets[i].tag != t || buckets[i].slot != slot {
            precondition(buckets[i].tag != 0, "removing a slot the index does not hold")
            i += 1
            if i == n { i = 0 }
        }
        var hole = i
        var j = i
        while true {
            j += 1
            if j == n { j = 0 }
            let b = buckets[j]
            if b.tag == 0 { break }
            // The entry at j stays when its home lies cyclically in (hole, j]: moving it before its home
            // would hide it from look-ups.
            let h = KeyIndex.home(b.tag, n)
            let stays = hole <= j ? (hole < h && h <= j) : (hole < h || h <= j)
            if !stays {
                buckets[hole] = b
                hole = j
            }
        }
        buckets[hole] = Bucket(tag: 0, slot: -1)
        count -= 1
    }

    /// A table size for `live` entries: load at most 1/2 after a rebuild, so that at least a fifth of the
    /// buckets fill before the next one at 0.7.
    private static func size(for live: Int) -> Int { max(1024, live * 2) }

    /// Places every bucket again in a table sized for one more than the live entries, from the tags alone
    /// (no key is hashed or read: a cache miss per bucket in a large table).
    private mutating func grow() {
        let old = buckets
        buckets = Array(repeating: Bucket(tag: 0, slot: -1), count: KeyIndex.size(for: count + 1))
        count = 0
        for b in old where b.tag != 0 { place(tag: b.tag, slot: b.slot) }
    }

    /// Rebuilds from the keys alone, hashing each (loading a state file).
    mutating func rebuild(keys: [String]) {
        let live = keys.reduce(0) { $0 + ($1.isEmpty ? 0 : 1) }
        buckets = Array(repeating: Bucket(tag: 0, slot: -1), count: KeyIndex.size(for: live))
        count = 0
        for (i, k) in keys.enumerated() where !k.isEmpty { place(tag: KeyIndex.tag(KeyIndex.hash(k)), slot: Int32(i)) }
    }
}
