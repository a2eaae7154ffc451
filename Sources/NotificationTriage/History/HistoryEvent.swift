/// The identities history is kept under. An incident is linked to one household, one victim, at most one
/// perpetrator and one victim–perpetrator pair, and each child under 18.
enum KeyKind: Int, CaseIterable, Sendable {
    case household, victim, child, perpetrator, pair

    var name: String {
        switch self {
        case .household: "household"
        case .victim: "victim"
        case .child: "child"
        case .perpetrator: "perpetrator"
        case .pair: "pair"
        }
    }
}

/// One incident as remembered under one key: what the window, the decay and the distinct counts need.
struct HistoryEvent: Sendable, Equatable {
    /// `occurred_at`, seconds since the epoch.
    var time: Int64
    /// The incident's weight (grading + flags) under the policy that screened it.
    var weight: Double
    /// The incident's sequence number (one per distinct incident id), to exclude a re-sent incident.
    var seq: UInt32
    /// Victim slot (for `perpetrator.victims`).
    var victim: Int32
    /// Household slot (for `perpetrator.households`).
    var household: Int32
    /// Whether the incident was routed to MARAC (for `pair.marac_referrals`).
    var marac: Bool
}

/// All keys of one kind: exact string keys mapped to slots, each slot holding its events in time order.
/// Empty slots are reused. The index is an open-addressing table of 64-bit key hashes whose every hit is
/// confirmed by comparing the stored key, so two different keys never merge.
struct KeyTable: Sendable {
    var keys: [String] = []
    var events: [[HistoryEvent]] = []
    var free: [Int32] = []
    var index = KeyIndex()

    /// The slot for a key, or nil.
    func find(_ key: String) -> Int32? { index.find(key, hash: KeyIndex.hash(key), keys: keys) }

    /// The slot for a key, created when missing.
    mutating func slot(for key: String) -> Int32 {
        let h = KeyIndex.hash(key)
        if let s = index.find(key, hash: h, keys: keys) { return s }
        let s: Int32
        if let f = free.popLast() {
            s = f
            keys[Int(f)] = key
        } else {
            s = Int32(keys.count)
            keys.append(key)
            events.append([])
        }
        index.insert(hash: h, slot: s)
        return s
    }

    /// Drops events older than `cutoff` from one slot.
    mutating func prune(_ slot: Int32, before cutoff: Int64) {
        let i = Int(slot)
        guard let first = events[i].first, first.time < cutoff else { return }
        let keep = events[i].firstIndex { $0.time >= cutoff } ?? events[i].count
        events[i].removeFirst(keep)
    }

    /// Prunes every slot and frees those left empty, then rebuilds the index without them.
    mutating func sweep(before cutoff: Int64) {
        var freed = false
        for i in 0..<keys.count where !keys[i].isEmpty {
            prune(Int32(i), before: cutoff)
            if events[i].isEmpty {
                keys[i] = ""
                events[i] = []
                free.append(Int32(i))
                freed = true
            }
        }
        if freed { index.rebuild(keys: keys) }
    }

    /// Inserts an event keeping time order (late arrivals go in their place).
    mutating func insert(_ e: HistoryEvent, at slot: Int32) {
        let i = Int(slot)
        if let last = events[i].last, last.time > e.time {
            let pos = events[i].firstIndex { $0.time > e.time } ?? events[i].count
            events[i].insert(e, at: pos)
        } else {
            events[i].append(e)
        }
    }

    var liveKeys: Int { keys.count - free.count }
}

/// Open-addressing hash index from key text to slot (linear probing, load factor at most 1/2).
struct KeyIndex: Sendable {
    /// 0 marks an empty bucket; stored hashes always have the low bit set.
    var hashes: [UInt64] = Array(repeating: 0, count: 1024)
    var slots: [Int32] = Array(repeating: -1, count: 1024)
    var count = 0

    /// A 64-bit hash of the key's UTF-8 bytes, never 0 (collisions are resolved by comparing keys).
    @inline(__always)
    static func hash(_ key: String) -> UInt64 {
        var key = key
        return key.withUTF8 { buf in
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
    func find(_ key: String, hash: UInt64, keys: [String]) -> Int32? {
        let mask = hashes.count - 1
        var i = Int(truncatingIfNeeded: hash >> 7) & mask
        while true {
            let h = hashes[i]
            if h == 0 { return nil }
            if h == hash, keys[Int(slots[i])] == key { return slots[i] }
            i = (i + 1) & mask
        }
    }

    mutating func insert(hash: UInt64, slot: Int32) {
        if (count + 1) * 2 > hashes.count { grow(to: hashes.count * 2) }
        let mask = hashes.count - 1
        var i = Int(truncatingIfNeeded: hash >> 7) & mask
        while hashes[i] != 0 { i = (i + 1) & mask }
        hashes[i] = hash
        slots[i] = slot
        count += 1
    }

    private mutating func grow(to size: Int) {
        let oldHashes = hashes
        let oldSlots = slots
        hashes = Array(repeating: 0, count: size)
        slots = Array(repeating: -1, count: size)
        count = 0
        for (h, s) in zip(oldHashes, oldSlots) where h != 0 { insert(hash: h, slot: s) }
    }

    /// Rebuilds from the live keys (after a sweep freed some).
    mutating func rebuild(keys: [String]) {
        var size = 1024
        let live = keys.reduce(0) { $0 + ($1.isEmpty ? 0 : 1) }
        while live * 2 >= size { size *= 2 }
        hashes = Array(repeating: 0, count: size)
        slots = Array(repeating: -1, count: size)
        count = 0
        for (i, k) in keys.enumerated() where !k.isEmpty { insert(hash: KeyIndex.hash(k), slot: Int32(i)) }
    }
}
