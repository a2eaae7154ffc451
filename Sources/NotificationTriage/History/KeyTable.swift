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
        // A freed key's bucket left the index with it: no bucket is stale here.
        index.insert(hash: h, slot: s)
        return s
    }

    /// How many removals ahead ``remove(slots:)`` reads a bucket.
    static let removalAhead = 8

    /// Frees slots whose lists are empty, one after another in the order given: each key leaves the index at
    /// once and its slot is reused by a new key. Each removal's index bucket is read a few removals ahead: a
    /// sweep frees keys all over the index, each a cache miss, which are in flight together this way rather
    /// than one at a time. Returns what it read, for the caller to keep (so that the reads are not optimised
    /// away).
    mutating func remove(slots: [Int32]) -> UInt64 {
        let ahead = KeyTable.removalAhead
        var hashes: [UInt64] = []
        hashes.reserveCapacity(slots.count)
        for s in slots { hashes.append(KeyIndex.hash(keys[Int(s)])) }
        var x: UInt64 = 0
        for j in slots.indices {
            if j + ahead < slots.count { x ^= UInt64(index.homeTag(hash: hashes[j + ahead])) }
            let s = slots[j]
            index.remove(hash: hashes[j], slot: s)
            keys[Int(s)] = ""
            free.append(s)
        }
        return x
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
        // The key's length, read in place (a borrow: no copy, so nothing retained), brings its entry into cache.
        let length = keys[Int(s)].utf8.count
        return UInt64(length) ^ UInt64(UInt32(bitPattern: ends[Int(s)].head))
    }

    /// The first entry of the list a look-up of `h` will find (by tag, as ``warm(_:_:)``), or -1.
    @inline(__always)
    func guessHead(_ h: UInt64) -> Int32 {
        let s = index.peek(hash: h)
        return s < 0 ? -1 : ends[Int(s)].head
    }

    var liveKeys: Int { keys.count - free.count }
}

/// The first and last entry of a slot's list, or -1.
struct SlotEnds: Sendable {
    var head: Int32 = -1
    var tail: Int32 = -1
}
