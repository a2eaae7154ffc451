/// Incident ids whose events have left history but which are still remembered (`history.remember_ids_days`),
/// so that a re-sent or re-run incident is recognised as one: each id as a 64-bit fingerprint (its
/// ``KeyIndex/hash(_:)``) and the local day it happened, 12 bytes in an open-addressing table at most three
/// quarters full (16 to 24 bytes per id, against about 100 for an id whose events are held).
///
/// Two different ids share a fingerprint with odds of about n²/2⁶⁴ (one in 2 × 10⁶ for the 3 million ids of
/// two national years): the cost of such a collision is one incident marked as a re-send.
/// Expired ids are not removed one by one: a look-up ignores them, and the table drops them when it is
/// rebuilt (when it fills up).
struct RememberedIDs: Sendable {
    /// Fingerprints (0: an empty bucket) and their days, side by side by index.
    private var fingerprints: [UInt64] = []
    private var days: [Int32] = []
    /// Buckets in use (expired ones included, until a rebuild).
    private(set) var used = 0
    /// Buckets in the table (for tests of its memory).
    var capacity: Int { fingerprints.count }

    /// Whether `hash` is remembered as an id of day `oldestDay` or later.
    func contains(_ hash: UInt64, since oldestDay: Int32) -> Bool {
        guard !fingerprints.isEmpty else { return false }
        let fp = RememberedIDs.fingerprint(hash)
        let mask = fingerprints.count - 1
        var i = Int(truncatingIfNeeded: fp) & mask
        while fingerprints[i] != 0 {
            if fingerprints[i] == fp { return days[i] >= oldestDay }
            i = (i + 1) & mask
        }
        return false
    }

    /// Remembers `hash` as an id of day `day` (a later day when it is remembered already); ids older than
    /// `oldestDay` may be dropped.
    mutating func insert(_ hash: UInt64, day: Int32, oldestDay: Int32) {
        insert(fingerprint: RememberedIDs.fingerprint(hash), day: day, oldestDay: oldestDay)
    }

    /// ``insert(_:day:oldestDay:)`` of a fingerprint as ``live(since:)`` lists it (a state file's).
    mutating func insert(fingerprint fp: UInt64, day: Int32, oldestDay: Int32) {
        if (used + 1) * 4 > fingerprints.count * 3 { rebuild(oldestDay: oldestDay) }
        let mask = fingerprints.count - 1
        var i = Int(truncatingIfNeeded: fp) & mask
        while fingerprints[i] != 0 {
            if fingerprints[i] == fp {
                days[i] = max(days[i], day)
                return
            }
            i = (i + 1) & mask
        }
        fingerprints[i] = fp
        days[i] = day
        used += 1
    }

    /// The fingerprints of day `oldestDay` or later, with their days (for state files), in bucket order.
    func live(since oldestDay: Int32) -> [(fingerprint: UInt64, day: Int32)] {
        var out: [(fingerprint: UInt64, day: Int32)] = []
        for i in fingerprints.indices where fingerprints[i] != 0 && days[i] >= oldestDay { out.append((fingerprints[i], days[i])) }
        return out
    }

    /// Re-inserts the live ids into a table at most a quarter full after the rebuild.
    /// Keeps the live entries only, in a table at most half full (a power of two at least twice the live
    /// count), so that at least a quarter of it fills before the next rebuild, at three quarters.
    private mutating func rebuild(oldestDay: Int32) {
        let keep = live(since: oldestDay)
        // The old table is let go before the new one is made: a national year's is tens of MiB.
        fingerprints = []
        days = []
        var size = 1024
        while size < keep.count * 2 { size *= 2 }
        fingerprints = Array(repeating: 0, count: size)
        days = Array(repeating: 0, count: size)
        used = 0
        let mask = size - 1
        for (fp, day) in keep {
            var i = Int(truncatingIfNeeded: fp) & mask
            while fingerprints[i] != 0 { i = (i + 1) & mask }
            fingerprints[i] = fp
            days[i] = day
            used += 1
        }
    }

    /// Reads the entry a look-up or insert of `hash` starts at, so that it is in cache when that comes (see
    /// ``History/warm(_:_:)``); returns it, for the caller to keep.
    @inline(__always)
    func warm(_ hash: UInt64) -> UInt64 {
        fingerprints.isEmpty ? 0 : fingerprints[Int(truncatingIfNeeded: RememberedIDs.fingerprint(hash)) & (fingerprints.count - 1)]
    }

    /// Never 0 (the empty bucket); mixed again so that the bucket does not follow the key table's.
    @inline(__always)
    static func fingerprint(_ hash: UInt64) -> UInt64 {
        let h = (hash ^ (hash >> 31)) &* 0x9E37_79B9_7F4A_7C15
        return h == 0 ? 1 : h
    }
}
