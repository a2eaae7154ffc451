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

/// All keys of one kind: exact string keys (never merged by hashing alone) mapped to slots, each slot holding
/// its events in time order. Empty slots are reused.
struct KeyTable: Sendable {
    var index: [String: Int32] = [:]
    var keys: [String] = []
    var events: [[HistoryEvent]] = []
    var free: [Int32] = []

    /// The slot for a key, created when missing.
    mutating func slot(for key: String) -> Int32 {
        if let s = index[key] { return s }
        let s: Int32
        if let f = free.popLast() {
            s = f
            keys[Int(f)] = key
        } else {
            s = Int32(keys.count)
            keys.append(key)
            events.append([])
        }
        index[key] = s
        return s
    }

    /// Drops events older than `cutoff` from one slot.
    mutating func prune(_ slot: Int32, before cutoff: Int64) {
        let i = Int(slot)
        guard let first = events[i].first, first.time < cutoff else { return }
        let keep = events[i].firstIndex { $0.time >= cutoff } ?? events[i].count
        events[i].removeFirst(keep)
    }

    /// Prunes every slot and frees those left empty.
    mutating func sweep(before cutoff: Int64) {
        for i in 0..<keys.count where !keys[i].isEmpty {
            prune(Int32(i), before: cutoff)
            if events[i].isEmpty {
                index[keys[i]] = nil
                keys[i] = ""
                free.append(Int32(i))
            }
        }
        events = events.map { $0.isEmpty ? [] : $0 }
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
