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
/// 32 bytes: events live in one pool per key kind, linked per key, so history makes no allocation per key.
struct HistoryEvent: Sendable, Equatable {
    /// `occurred_at`, seconds since the epoch.
    var time: Int64
    /// The incident's weight (grading + flags) under the policy that screened it.
    var weight: Double
    /// The sequence number (low 31 bits; one per distinct incident id, to exclude a re-sent incident) and
    /// whether the incident was routed to MARAC (top bit, for `pair.marac_referrals`).
    var packed: UInt32
    /// Victim slot (for `perpetrator.victims`).
    var victim: Int32
    /// Household slot (for `perpetrator.households`).
    var household: Int32
    /// The next event of the same key in the pool, or -1.
    var next: Int32 = -1

    init(time: Int64, weight: Double, seq: UInt32, victim: Int32, household: Int32, marac: Bool) {
        self.time = time
        self.weight = weight
        self.packed = (seq & 0x7FFF_FFFF) | (marac ? 0x8000_0000 : 0)
        self.victim = victim
        self.household = household
    }

    /// The incident's sequence number.
    var seq: UInt32 { packed & 0x7FFF_FFFF }
    /// Whether the incident was routed to MARAC.
    var marac: Bool { packed & 0x8000_0000 != 0 }

    static func == (a: HistoryEvent, b: HistoryEvent) -> Bool {
        a.time == b.time && a.weight == b.weight && a.packed == b.packed && a.victim == b.victim && a.household == b.household
    }
}

/// All keys of one kind: exact string keys mapped to slots, each slot holding its events in time order as
/// a list linked through one pool of events. Empty slots and spent events are reused, so after the first
/// window the table stops allocating: memory is bounded by the window, not by the input (a table of small
/// arrays per key fragments the heap and grows without bound on a long run). The index is an
/// open-addressing table of key hashes whose every hit is confirmed by comparing the stored key, so two
/// different keys never merge.
struct KeyTable: Sendable {
    var keys: [String] = []
    /// First and last event of each slot in `pool`, side by side (one cache miss per key, not two).
    var ends: [SlotEnds] = []
    var free: [Int32] = []
    var index = KeyIndex()
    var pool = EventPool()
    /// Head of the list of spent pool entries, linked through `next`.
    var spare: Int32 = -1

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
            ends.append(SlotEnds())
        }
        index.insert(hash: h, slot: s, keys: keys)
        return s
    }

    /// Whether a slot holds no events.
    func isEmpty(_ slot: Int32) -> Bool { ends[Int(slot)].head < 0 }

    /// Calls `body` with each event of a slot, oldest first.
    @inline(__always)
    func forEach(_ slot: Int32, _ body: (HistoryEvent) -> Void) {
        var i = ends[Int(slot)].head
        while i >= 0 {
            let e = pool[Int(i)]
            body(e)
            i = e.next
        }
    }

    /// Drops events older than `cutoff` from one slot.
    mutating func prune(_ slot: Int32, before cutoff: Int64) {
        let s = Int(slot)
        var i = ends[s].head
        while i >= 0 && pool[Int(i)].time < cutoff {
            let n = pool[Int(i)].next
            pool[Int(i)].next = spare
            spare = i
            i = n
        }
        ends[s].head = i
        if i < 0 { ends[s].tail = -1 }
    }

    /// Prunes every slot and frees those left empty, then rebuilds the index without them.
    mutating func sweep(before cutoff: Int64) {
        var freed = false
        for i in 0..<keys.count where !keys[i].isEmpty {
            prune(Int32(i), before: cutoff)
            if ends[i].head < 0 {
                keys[i] = ""
                free.append(Int32(i))
                freed = true
            }
        }
        if freed { index.compact(keys: keys) }
    }

    /// A pool entry holding `e`, reusing a spent one when there is one.
    private mutating func allocate(_ e: HistoryEvent) -> Int32 {
        if spare >= 0 {
            let i = spare
            spare = pool[Int(i)].next
            pool[Int(i)] = e
            return i
        }
        pool.append(e)
        return Int32(pool.count - 1)
    }

    /// Inserts an event keeping time order (late arrivals go in their place, after events of the same time).
    mutating func insert(_ event: HistoryEvent, at slot: Int32) {
        let s = Int(slot)
        var e = event
        e.next = -1
        let tail = ends[s].tail
        if tail < 0 {
            let n = allocate(e)
            ends[s].head = n
            ends[s].tail = n
        } else if pool[Int(tail)].time <= e.time {
            let n = allocate(e)
            pool[Int(tail)].next = n
            ends[s].tail = n
        } else {
            // Find the last event with time <= e.time (or none: insert at the head).
            var prev: Int32 = -1
            var i = ends[s].head
            while i >= 0 && pool[Int(i)].time <= e.time {
                prev = i
                i = pool[Int(i)].next
            }
            e.next = i
            let n = allocate(e)
            if prev < 0 { ends[s].head = n } else { pool[Int(prev)].next = n }
        }
    }

    /// Appends a slot with its events in order (loading a state file).
    mutating func appendSlot(key: String, events: [HistoryEvent]) {
        let s = Int32(keys.count)
        keys.append(key)
        ends.append(SlotEnds())
        for e in events { insert(e, at: s) }
    }

    var liveKeys: Int { keys.count - free.count }
}

/// The events of one key kind, in chunks of 65,536 (2 MiB): growing never moves the events already
/// stored, so the peak memory of a long run is the pool, not the pool plus the old copy an array keeps
/// while it moves into one twice the size (over 100 MB at a national year).
struct EventPool: Sendable {
    private static let shift = 16
    private static let mask = (1 << 16) - 1
    private var chunks: [[HistoryEvent]] = []
    /// Entries in use (the last chunk is filled first).
    private(set) var count = 0

    @inline(__always)
    subscript(i: Int) -> HistoryEvent {
        get { chunks[i >> EventPool.shift][i & EventPool.mask] }
        set { chunks[i >> EventPool.shift][i & EventPool.mask] = newValue }
    }

    @inline(__always)
    mutating func append(_ e: HistoryEvent) {
        if count & EventPool.mask == 0 {
            var chunk: [HistoryEvent] = []
            // The first chunk grows as an array does (a county needs little); later ones are made whole.
            if !chunks.isEmpty { chunk.reserveCapacity(EventPool.mask + 1) }
            chunks.append(chunk)
        }
        chunks[count >> EventPool.shift].append(e)
        count += 1
    }
}

/// The first and last event of a slot in the pool, or -1.
struct SlotEnds: Sendable {
    var head: Int32 = -1
    var tail: Int32 = -1
}

/// Open-addressing hash index from key text to slot (linear probing, load factor at most 0.7). Each bucket
/// is 8 bytes (32 bits of the hash and the slot), so a probe touches one cache line.
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
    static func tag(_ hash: UInt64) -> UInt32 { UInt32(truncatingIfNeeded: hash >> 32) | 1 }

    /// A tag's home bucket: from the tag alone, so that a rebuild places every bucket again without
    /// hashing a single key (the high half of a multiplicative mix, so neighbouring tags spread out).
    @inline(__always)
    static func home(_ tag: UInt32, _ mask: Int) -> Int {
        Int(truncatingIfNeeded: (UInt64(tag) &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
    }

    @inline(__always)
    func find(_ key: String, hash: UInt64, keys: [String]) -> Int32? {
        let mask = buckets.count - 1
        let t = KeyIndex.tag(hash)
        var i = KeyIndex.home(t, mask)
        while true {
            let b = buckets[i]
            if b.tag == 0 { return nil }
            if b.tag == t, keys[Int(b.slot)] == key { return b.slot }
            i = (i + 1) & mask
        }
    }

    /// Indexes `slot`, whose key is already in `keys`; returns true when the index was rebuilt to make
    /// room (which drops every bucket whose key is now empty).
    @discardableResult
    mutating func insert(hash: UInt64, slot: Int32, keys: [String]) -> Bool {
        // Linear probing stays short up to a load of 0.7 (8-byte buckets: most probes stay in one cache line).
        let rebuilt = (count + 1) * 10 > buckets.count * 7
        if rebuilt { compact(keys: keys) }
        place(tag: KeyIndex.tag(hash), slot: slot)
        return rebuilt
    }

    private mutating func place(tag: UInt32, slot: Int32) {
        let mask = buckets.count - 1
        var i = KeyIndex.home(tag, mask)
        while buckets[i].tag != 0 { i = (i + 1) & mask }
        buckets[i] = Bucket(tag: tag, slot: slot)
        count += 1
    }

    /// A table size for `live` entries: load at most 1/2 after a rebuild, so that at least a fifth of the
    /// buckets fill before the next one at 0.7 (stale buckets are dropped only by a rebuild: a table that
    /// stayed nearly full would be rebuilt every few inserts).
    private static func size(for live: Int) -> Int {
        var size = 1024
        while live * 2 > size { size *= 2 }
        return size
    }

    /// Rebuilds from the buckets themselves, keeping those whose key is still there (after a sweep freed
    /// some keys, or when the index fills up). A bucket whose slot was freed must not have been given to
    /// another key since: callers free slots for reuse only after the rebuild that drops them.
    mutating func compact(keys: [String]) {
        let old = buckets
        var live = 0
        for b in old where b.tag != 0 && !keys[Int(b.slot)].isEmpty { live += 1 }
        buckets = Array(repeating: Bucket(tag: 0, slot: -1), count: KeyIndex.size(for: live + 1))
        count = 0
        for b in old where b.tag != 0 && !keys[Int(b.slot)].isEmpty { place(tag: b.tag, slot: b.slot) }
    }

    /// Rebuilds from the keys alone, hashing each (loading a state file).
    mutating func rebuild(keys: [String]) {
        let live = keys.reduce(0) { $0 + ($1.isEmpty ? 0 : 1) }
        buckets = Array(repeating: Bucket(tag: 0, slot: -1), count: KeyIndex.size(for: live))
        count = 0
        for (i, k) in keys.enumerated() where !k.isEmpty { place(tag: KeyIndex.tag(KeyIndex.hash(k)), slot: Int32(i)) }
    }
}
