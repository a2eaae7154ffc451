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

/// One incident as history remembers it: what the window, the decay and the distinct counts need. One
/// event per incident, shared by every key it is linked under (household, victim, perpetrator and pair link
/// through `next`; children through ``ChildLink``), so a year of national history is about 50 bytes per
/// incident rather than one copy per key.
struct HistoryEvent: Sendable, Equatable {
    /// `occurred_at`, seconds since the epoch.
    var time: Int64
    /// The incident's weight (grading + flags) under the policy that screened it.
    var weight: Double
    /// The sequence number (low 30 bits; one per version of an incident), whether a later version of the
    /// incident replaced this one (bit 30: it is skipped wherever history is counted) and whether the
    /// incident was routed to MARAC (top bit, for `pair.marac_referrals`).
    var packed: UInt32
    /// Victim slot (for `perpetrator.victims`).
    var victim: Int32
    /// Household slot (for `perpetrator.households`).
    var household: Int32
    /// The local date of `time` as a day number (``CivilDate/dayNumber``): windows and decay count days.
    var day: Int32
    /// The next event of the same household, victim, perpetrator and pair (``KeyKind/link``), or -1.
    var next = SIMD4<Int32>(repeating: -1)

    static let seqMask: UInt32 = 0x3FFF_FFFF
    static let supersededBit: UInt32 = 0x4000_0000
    static let maracBit: UInt32 = 0x8000_0000

    init(time: Int64, day: Int32, weight: Double, seq: UInt32, victim: Int32, household: Int32, marac: Bool) {
        self.time = time
        self.day = day
        self.weight = weight
        self.packed = (seq & HistoryEvent.seqMask) | (marac ? HistoryEvent.maracBit : 0)
        self.victim = victim
        self.household = household
    }

    /// The incident's sequence number.
    var seq: UInt32 { packed & HistoryEvent.seqMask }
    /// Whether the incident was routed to MARAC.
    var marac: Bool { packed & HistoryEvent.maracBit != 0 }
    /// Whether a re-sent version of the incident replaced this one.
    var superseded: Bool { packed & HistoryEvent.supersededBit != 0 }

    /// The same incident (links aside).
    static func == (a: HistoryEvent, b: HistoryEvent) -> Bool {
        a.time == b.time && a.day == b.day && a.weight == b.weight && a.packed == b.packed && a.victim == b.victim
            && a.household == b.household
    }
}

/// One child's link to an event (an incident lists any number of children, so they cannot link through
/// the event itself).
struct ChildLink: Sendable {
    var event: Int32
    var next: Int32 = -1
}

extension KeyKind {
    /// Which of ``HistoryEvent/next`` links a kind's lists (children link through ``ChildLink``).
    var link: Int {
        switch self {
        case .household: 0
        case .victim: 1
        case .perpetrator: 2
        case .pair: 3
        case .child: -1
        }
    }
}

/// All keys of one kind: exact string keys mapped to slots, each slot holding the first and last entry of
/// its list of events in time order (the lists themselves live in ``History``). Freed slots are reused,
/// so after the first window the table stops growing: memory is bounded by the window, not by the input.
/// The index is an open-addressing table of key hashes whose every hit is confirmed by comparing the
/// stored key, so two different keys never merge.
struct KeyTable: Sendable {
    var keys: [String] = []
    /// First and last entry of each slot's list, side by side (one cache miss per key, not two).
    var ends: [SlotEnds] = []
    var free: [Int32] = []
    var index = KeyIndex()

    /// The slot for a key, or nil.
    func find(_ key: String) -> Int32? { index.find(key, hash: KeyIndex.hash(key), keys: keys) }

    /// The slot for a key, created when missing.
    mutating func slot(for key: String) -> Int32 { slot(for: key, hash: KeyIndex.hash(key)) }

    /// The slot for a key whose ``KeyIndex/hash(_:)`` is `h`, created when missing.
    mutating func slot(for key: String, hash h: UInt64) -> Int32 {
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
        // Keys are freed only by a sweep, which rebuilds the index at once: no bucket is stale here.
        index.insert(hash: h, slot: s, dropping: [])
        return s
    }

    /// Whether a slot holds no events.
    func isEmpty(_ slot: Int32) -> Bool { ends[Int(slot)].head < 0 }

    /// Reads what a look-up of hash `h` will read, one level per ``WarmStage`` (each level's location comes
    /// from the one before, now in cache): a few incidents ahead, so that the look-up finds it in cache.
    /// Keys are not compared (a tag match is almost always the key; a wrong guess only warms the wrong entry).
    /// Returns what it read, for the caller to keep (so that the reads are not optimised away).
    @inline(__always)
    func warm(_ h: UInt64, _ stage: WarmStage) -> UInt64 {
        if stage == .buckets { return UInt64(index.homeTag(hash: h)) }
        let s = index.peek(hash: h)
        guard s >= 0 else { return 0 }
        // The key's first 8 bytes loaded as they lie, not copied as a String (which would retain its storage).
        let bits = keys.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress! + Int(s)).load(as: UInt64.self) }
        return bits ^ UInt64(UInt32(bitPattern: ends[Int(s)].head))
    }

    /// The first entry of the list a look-up of `h` will find (by tag, as ``warm(_:_:)``), or -1.
    @inline(__always)
    func guessHead(_ h: UInt64) -> Int32 {
        let s = index.peek(hash: h)
        return s < 0 ? -1 : ends[Int(s)].head
    }

    var liveKeys: Int { keys.count - free.count }
}

/// Append-only storage in chunks (65,536 entries by default) that are freed whole once every entry in
/// them is older than the window. Growing never moves what is stored, so the peak memory of a long run is
/// the window's worth, not that plus the old copy an array keeps while it moves into one twice the size;
/// and nothing is freed entry by entry.
struct ChunkedStore<Element: Sendable>: Sendable {
    private let shift: Int
    private let mask: Int
    private var chunks: [[Element]] = []
    /// The latest and the earliest time among each chunk's entries.
    private var newest: [Int64] = []
    private var oldest: [Int64] = []
    /// Chunks before this one are freed.
    private var firstLive = 0
    /// Entries ever appended (the next entry's index).
    private(set) var count = 0

    init(chunkShift: Int = 16) {
        shift = chunkShift
        mask = (1 << chunkShift) - 1
    }

    @inline(__always)
    subscript(i: Int32) -> Element {
        get { chunks[Int(i) >> shift][Int(i) & mask] }
        set { chunks[Int(i) >> shift][Int(i) & mask] = newValue }
    }

    /// Whether entry `i` was appended and its chunk is not freed yet.
    func holds(_ i: Int32) -> Bool { i >= 0 && Int(i) < count && Int(i) >> shift >= firstLive }

    /// Stores an entry of time `time`; returns its index.
    @inline(__always)
    mutating func append(_ e: Element, time: Int64) -> Int32 {
        if count & mask == 0 {
            var chunk: [Element] = []
            // The first chunk grows as an array does (a county needs little); later ones are made whole.
            if !chunks.isEmpty { chunk.reserveCapacity(mask + 1) }
            chunks.append(chunk)
            newest.append(.min)
            oldest.append(.max)
        }
        let c = count >> shift
        chunks[c].append(e)
        if time > newest[c] { newest[c] = time }
        if time < oldest[c] { oldest[c] = time }
        count += 1
        // 2^31 entries is over a thousand years of national data; past it the index would not fit.
        precondition(count <= Int(Int32.max), "history store is full")
        return Int32(count - 1)
    }

    /// Whether entry `i`'s time is surely `cutoff` or later, known from its chunk alone (no read of the
    /// entry, which is likely not in cache): true when every entry of its chunk is that late.
    @inline(__always)
    func surelyAtOrAfter(_ i: Int32, _ cutoff: Int64) -> Bool { oldest[Int(i) >> shift] >= cutoff }

    /// Frees the chunks, oldest first, whose entries are all older than `cutoff`. Only safe when no list
    /// still reaches such an entry: right after every list was pruned to `cutoff`.
    mutating func release(before cutoff: Int64) {
        while firstLive < chunks.count - 1 && newest[firstLive] < cutoff {
            chunks[firstLive] = []
            firstLive += 1
        }
    }

    /// Entries held in chunks not yet freed (for memory reporting and tests).
    var held: Int { count - firstLive * (mask + 1) }
}

/// The first and last entry of a slot's list, or -1.
struct SlotEnds: Sendable {
    var head: Int32 = -1
    var tail: Int32 = -1
}

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

    /// Indexes `slot`; returns true when the index was rebuilt to make room (which drops the buckets of the
    /// `stale` slots: those freed since the last rebuild, see ``compact(dropping:)``).
    @discardableResult
    mutating func insert(hash: UInt64, slot: Int32, dropping stale: [Int32]) -> Bool {
        // Linear probing stays short up to a load of 0.7 (8-byte buckets: most probes stay in one cache line).
        let rebuilt = (count + 1) * 10 > buckets.count * 7
        if rebuilt { compact(dropping: stale) }
        place(tag: KeyIndex.tag(hash), slot: slot)
        return rebuilt
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

    /// A table size for `live` entries: load at most 1/2 after a rebuild, so that at least a fifth of the
    /// buckets fill before the next one at 0.7 (stale buckets are dropped only by a rebuild: a table that
    /// stayed nearly full would be rebuilt every few inserts).
    private static func size(for live: Int) -> Int { max(1024, live * 2) }

    /// Rebuilds from the buckets themselves, dropping those of the `stale` slots: the slots freed since the
    /// last rebuild (after a sweep, or when the index fills up), each of which has one bucket here. A stale
    /// slot must not have been given to another key since: callers free slots for reuse only after the
    /// rebuild that drops them. The stale slots are looked up in a bit set, not by reading each bucket's key
    /// (a cache miss per bucket in a large table).
    mutating func compact(dropping stale: [Int32]) {
        let old = buckets
        var staleSlots = BitSet()
        var distinctStale = 0
        for s in stale where staleSlots.insert(s) { distinctStale += 1 }
        buckets = Array(repeating: Bucket(tag: 0, slot: -1), count: KeyIndex.size(for: max(count - distinctStale, 0) + 1))
        count = 0
        for b in old where b.tag != 0 && !staleSlots.contains(b.slot) { place(tag: b.tag, slot: b.slot) }
    }

    /// Rebuilds from the keys alone, hashing each (loading a state file).
    mutating func rebuild(keys: [String]) {
        let live = keys.reduce(0) { $0 + ($1.isEmpty ? 0 : 1) }
        buckets = Array(repeating: Bucket(tag: 0, slot: -1), count: KeyIndex.size(for: live))
        count = 0
        for (i, k) in keys.enumerated() where !k.isEmpty { place(tag: KeyIndex.tag(KeyIndex.hash(k)), slot: Int32(i)) }
    }
}
