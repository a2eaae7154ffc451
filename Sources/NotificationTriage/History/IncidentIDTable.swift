/// The incident ids whose events history holds, each with what is known of its latest version: an
/// open-addressing table on the same word-at-a-time hash as the history keys (``KeyIndex``), instead of a
/// `Dictionary<String, …>`, whose SipHash costs more than the look-up itself and which is hashed three
/// times per incident (look up, remember, forget).
///
/// A forgotten id's bucket is removed from the index at once and its slot is reused by the next new id, so
/// the table holds about as many slots as live ids, and never needs a rebuild to drop stale buckets.
package struct IncidentIDTable: Sendable {
    package typealias Value = SeenIncident

    private var ids: [String] = []
    private var values: [Value] = []
    private var free: [Int32] = []
    private var index = KeyIndex()
    /// The empty id (possible through the library API only) is kept apart: an empty slot means "free".
    private var emptyID: Value? = nil
    package private(set) var count = 0
    /// An empty table.
    package init() {}

    /// Slots in use or free (for memory reporting and tests).
    var slotCount: Int { ids.count }
    /// Buckets in the index (for tests of its memory).
    var bucketCount: Int { index.buckets.count }

    mutating func reserveCapacity(_ n: Int) {
        ids.reserveCapacity(n)
        values.reserveCapacity(n)
    }

    /// The slot of an id (-1 for the empty id), or nil when it is not remembered.
    private func slot(_ id: String) -> Int32? { slot(id, hash: IncidentIDTable.hash(id)) }

    /// An id's hash for this table: ``KeyIndex/hash(_:)``, or 0 for the empty id (kept apart, not indexed).
    package static func hash(_ id: String) -> UInt64 { id.isEmpty ? 0 : KeyIndex.hash(id) }

    /// The slot of an id whose ``KeyIndex/hash(_:)`` is `hash` (ignored for the empty id).
    @inline(__always)
    func slot(_ id: String, hash: UInt64) -> Int32? {
        if id.isEmpty { return emptyID == nil ? nil : -1 }
        return index.find(id, hash: hash, keys: ids)
    }

    /// The value of an id whose hash is `hash`, or nil.
    package func value(_ id: String, hash: UInt64) -> Value? { slot(id, hash: hash).map(value(atSlot:)) }

    /// Reads the bucket a look-up or insert of `hash` starts at (see ``KeyTable/warm(_:_:)``).
    @inline(__always)
    func warm(_ hash: UInt64) -> UInt32 { hash == 0 ? 0 : index.homeTag(hash: hash) }

    package subscript(id: String) -> Value? {
        get { slot(id).map(value(atSlot:)) }
        set {
            if let s = slot(id) {
                if let newValue {
                    if s < 0 { emptyID = newValue } else { values[Int(s)] = newValue }
                } else {
                    remove(slot: s)
                }
            } else if let newValue {
                insert(id, newValue)
            }
        }
    }

    /// Remembers a new id (one not in the table) and returns its slot, which stays its own until
    /// ``remove(slot:)`` (-1 for the empty id).
    @discardableResult
    package mutating func insert(_ id: String, _ value: Value) -> Int32 {
        insert(id, value, hash: IncidentIDTable.hash(id))
    }

    /// ``insert(_:_:)`` for an id whose hash is `h`.
    @discardableResult
    package mutating func insert(_ id: String, _ value: Value, hash h: UInt64) -> Int32 {
        assert(self[id] == nil, "insert takes a new id")
        if id.isEmpty {
            if emptyID == nil { count += 1 }
            emptyID = value
            return -1
        }
        let s: Int32
        if let f = free.popLast() {
            s = f
            ids[Int(f)] = id
            values[Int(f)] = value
        } else {
            s = Int32(ids.count)
            ids.append(id)
            values.append(value)
        }
        count += 1
        index.insert(hash: h, slot: s)
        return s
    }

    /// The value in a live slot (or of the empty id, slot -1; a forgotten empty id reads as the earliest time).
    func value(atSlot s: Int32) -> Value { s < 0 ? emptyID ?? SeenIncident(seq: 0, time: .min) : values[Int(s)] }

    /// Replaces the value in a live slot (a re-sent incident's latest version).
    mutating func setValue(_ v: Value, atSlot s: Int32) {
        if s < 0 { emptyID = v } else { values[Int(s)] = v }
    }

    /// The id in a live slot.
    func id(atSlot s: Int32) -> String { s < 0 ? "" : ids[Int(s)] }

    /// Forgets the id in a slot (nothing when the slot is already empty).
    mutating func remove(slot s: Int32) {
        remove(slot: s, hash: s < 0 ? 0 : IncidentIDTable.hash(ids[Int(s)]))
    }

    /// ``remove(slot:)`` when the id's ``hash(_:)`` is known to be `hash`.
    mutating func remove(slot s: Int32, hash: UInt64) {
        if s < 0 {
            if emptyID != nil { count -= 1 }
            emptyID = nil
            return
        }
        guard !ids[Int(s)].isEmpty else { return }
        index.remove(hash: hash, slot: s)
        ids[Int(s)] = ""
        free.append(s)
        count -= 1
    }

    /// Every id with its value, in sequence order (for state files).
    func bySequence() -> [(id: String, value: Value)] {
        var all: [(id: String, value: Value)] = []
        all.reserveCapacity(count)
        if let emptyID { all.append(("", emptyID)) }
        for i in ids.indices where !ids[i].isEmpty { all.append((ids[i], values[i])) }
        all.sort { $0.value.seq < $1.value.seq }
        return all
    }
}

/// What history keeps of an incident id: the sequence number and time of its latest version, the event that
/// version is (-1 when not held) and what it said, so that a re-send can say what changed.
package struct SeenIncident: Sendable, Equatable {
    // Laid out widest first: 40 bytes a held id.
    var time: Int64
    package var seq: UInt32
    var event: Int32 = -1
    var version = IncidentVersion()

    package init(seq: UInt32, time: Int64, event: Int32 = -1, version: IncidentVersion = IncidentVersion()) {
        self.time = time
        self.seq = seq
        self.event = event
        self.version = version
    }
}

/// What one version of an incident said that a re-send may change, packed (it is kept for every incident
/// in history).
package struct IncidentVersion: Sendable, Equatable {
    /// Destinations routed to, one bit per destination index (the first 64).
    var routes: UInt64 = 0
    var flags = RiskFlags()
    /// The DASH score, -1 when none.
    var dashScore: Int16 = -1
    /// Children listed (distinct ids).
    var children: UInt16 = 0
    /// ``DashRisk/rank``.
    var dashRisk: UInt8 = 0
    var pregnant = false
    /// False for a version loaded from a state file that did not record it.
    var known = false
}
