/// A batch of parsed records, each incident's keys prepared (``PreparedKeys``; empty for a reject).
package struct RecordBatch: Sendable {
    /// The records, each nil once taken (``take(_:)``).
    package var records: [InputRecord?] = []
    package var keys: [PreparedKeys] = []
    /// Physical input lines of each record.
    package var lines: [Int32] = []
    /// Input lines read with this batch that belong to no record (headers, blank lines).
    package var otherLines = 0

    package init(capacity: Int) {
        records.reserveCapacity(capacity)
        keys.reserveCapacity(capacity)
        lines.reserveCapacity(capacity)
    }

    package init(records: [InputRecord]) {
        self.records = records.map(Optional.some)
        lines = Array(repeating: 1, count: records.count)
        keys = records.map { r in
            if case .incident(let incident, _) = r { return PreparedKeys(incident) }
            return PreparedKeys()
        }
    }

    package var count: Int { records.count }
    package var isEmpty: Bool { records.isEmpty }

    /// Moves record `i` out of the batch, leaving nil in its place, so that screening owns the incident
    /// rather than a copy (which would retain each of its strings here and release them again when the
    /// batch is freed, both on the screening thread). A record is taken once.
    package mutating func take(_ i: Int) -> InputRecord {
        guard let r = records[i].take() else { preconditionFailure("record \(i) of the batch was taken before") }
        return r
    }

    /// Moves record `i`'s keys out of the batch, leaving empty keys in their place (the look-ahead reads only
    /// the keys of later records).
    package mutating func takeKeys(_ i: Int) -> PreparedKeys {
        var keys = PreparedKeys()
        swap(&keys, &self.keys[i])
        return keys
    }

    /// Appends a record, taking it over: a borrowed record would be copied into the batch (retaining each
    /// of its strings) and then freed by the caller (releasing them again), both on the reading thread.
    package mutating func append(_ r: consuming InputRecord, lines: Int = 1) {
        self.lines.append(Int32(clamping: lines))
        switch r {
        case .incident(let incident, _): keys.append(PreparedKeys(incident))
        case .reject: keys.append(PreparedKeys())
        }
        records.append(r)
    }
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
