/// An incident's history keys and their hashes, worked out before it is screened: by ``ParseAhead`` on the
/// reading thread, so that the screening thread neither builds nor hashes them, and can warm the table
/// entries they lead to a few incidents early (``History/warm(_:)``).
///
/// Made from the incident alone (the same for any policy); the pair key, which is made of two slots, is
/// left to the screening.
struct PreparedKeys: Sendable {
    /// The household key (``Incident/householdKey``).
    var household = ""
    /// The victim key: the victim's id, or for a victim with no id a key of the incident's own.
    var victim = ""
    var hashes = KeyHashes()

    /// Nothing prepared (a reject's place in a batch).
    init() {}

    init(_ incident: borrowing Incident) {
        household = incident.householdKey
        // A victim with no id (possible through the library API; the readers reject it) cannot be linked to
        // any other incident: a key of its own, which no id can equal, rather than one shared by every unknown.
        victim = incident.victim.personID.isEmpty ? "\u{0}" + incident.incidentID : incident.victim.personID
        hashes.incidentID = incident.incidentID.isEmpty ? 0 : KeyIndex.hash(incident.incidentID)
        hashes.household = KeyIndex.hash(household)
        hashes.victim = KeyIndex.hash(victim)
        if let p = incident.perpetrator, !p.personID.isEmpty { hashes.perpetrator = KeyIndex.hash(p.personID) }
        for (i, c) in incident.children.prefix(KeyHashes.childCount).enumerated() where !c.personID.isEmpty {
            hashes.children[i] = KeyIndex.hash(c.personID)
        }
    }
}

/// The hashes of an incident's keys (``KeyIndex/hash(_:)``, never 0; 0 where there is no such key).
struct KeyHashes: Sendable {
    /// Children past the first four are hashed when screened.
    static let childCount = 4
    var incidentID: UInt64 = 0
    var household: UInt64 = 0
    var victim: UInt64 = 0
    var perpetrator: UInt64 = 0
    var children = SIMD4<UInt64>(repeating: 0)

    /// The hash of child `i`'s id (`id`), computed here when it was not prepared.
    @inline(__always)
    func child(_ i: Int, _ id: String) -> UInt64 {
        i < KeyHashes.childCount && children[i] != 0 ? children[i] : KeyIndex.hash(id)
    }
}

/// A batch of parsed records, each incident's keys prepared (``PreparedKeys``; empty for a reject).
struct RecordBatch: Sendable {
    var records: [InputRecord] = []
    var keys: [PreparedKeys] = []

    init(capacity: Int) {
        records.reserveCapacity(capacity)
        keys.reserveCapacity(capacity)
    }

    init(records: [InputRecord]) {
        self.records = records
        keys = records.map { r in
            if case .incident(let incident, _) = r { return PreparedKeys(incident) }
            return PreparedKeys()
        }
    }

    var count: Int { records.count }
    var isEmpty: Bool { records.isEmpty }

    /// Moves record `i` out of the batch, leaving an empty reject in its place, so that screening owns
    /// the incident rather than a copy (which would retain each of its strings here and release them again
    /// when the batch is freed, both on the screening thread).
    mutating func take(_ i: Int) -> InputRecord {
        var r = RecordBatch.spent
        swap(&r, &records[i])
        return r
    }

    /// What a taken record leaves behind (empty strings only: nothing to allocate or free).
    private static let spent = InputRecord.reject(
        Reject(location: SourceLocation(source: "", line: 0), field: nil, incidentID: nil, message: ""))

    mutating func append(_ r: InputRecord) {
        if case .incident(let incident, _) = r { keys.append(PreparedKeys(incident)) } else { keys.append(PreparedKeys()) }
        records.append(r)
    }
}

/// The levels of a history look-up that ``History/warm(_:_:)`` reads ahead, in the order they are reached.
enum WarmStage: Sendable {
    /// The index buckets (the key hash gives where).
    case buckets
    /// The slots' keys and list ends (the buckets give which).
    case slots
    /// The first event of each list (the slots give which).
    case events
}

extension History {
    /// Before screening incident `i` of a batch: reads the buckets of incident i+3, the slots of i+2 and the
    /// first events of i+1 (``warm(_:_:)``), so that each level's reads have an incident's screening to
    /// arrive in and each finds the level before it in cache.
    @inline(__always)
    mutating func warmAhead(_ batch: borrowing RecordBatch, _ i: Int) {
        let n = batch.keys.count
        if i + 3 < n { warm(batch.keys[i + 3].hashes, .buckets) }
        if i + 2 < n { warm(batch.keys[i + 2].hashes, .slots) }
        if i + 1 < n { warm(batch.keys[i + 1].hashes, .events) }
    }
}
