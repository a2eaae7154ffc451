import Foundation

/// The incident history a screener keeps: for each household, victim, child, perpetrator and
/// victim–perpetrator pair, the incidents within the look-back window. Memory is bounded by the window
/// times the incident rate, not by the total input: older events are pruned as time moves on.
public struct History: Sendable {
    var tables: [KeyTable] = Array(repeating: KeyTable(), count: KeyKind.allCases.count)
    /// Incident ids seen within the window: id → (sequence number, occurred_at).
    var seen = IncidentIDTable()
    /// The ids of `seen` in the order they were recorded, so they are forgotten oldest first
    /// (from `seenHead` on; the spent front is dropped from time to time).
    var seenOrder: [Int32] = []
    var seenHead = 0
    var nextSeq: UInt32 = 0
    /// The latest `occurred_at` seen.
    var maxTime: Int64 = .min
    var windowSeconds: Int64
    var halfLifeSeconds: Double
    var sinceSweep = 0
    var lastSweep: Int64 = .min

    /// An empty history for a policy's window and half-life.
    public init(policy: Policy) {
        windowSeconds = policy.history.windowSeconds
        halfLifeSeconds = policy.history.halfLifeDays * 86_400
    }

    /// Number of distinct incidents remembered (within the window).
    public var incidentCount: Int { seen.count }

    var cutoff: Int64 { maxTime == .min ? .min : maxTime - windowSeconds }

    /// Figures for one key: the count and decayed score in the window ending at `t`, the current incident
    /// included, and a record of which events counted.
    struct KeyFigures {
        var incidents = 0
        var score = 0.0
        var distinctVictims = 0
        var distinctHouseholds = 0
        var maracReferrals = 0
        /// Earliest counted event (for near-miss dates), seconds.
        var earliest: Int64 = .max

        @inline(__always)
        mutating func add(_ e: HistoryEvent, decay: Double) {
            incidents += 1
            score += e.weight * decay
            if e.marac { maracReferrals += 1 }
            if e.time < earliest { earliest = e.time }
        }
    }

    /// Computes figures for a slot at time `t`, excluding `excludeSeq`, adding the current incident.
    mutating func figures(
        _ kind: KeyKind, _ slot: Int32, at t: Int64, weight: Double, excludeSeq: UInt32?, victim: Int32 = -1,
        household: Int32 = -1
    ) -> KeyFigures {
        let k = kind.rawValue
        tables[k].prune(slot, before: cutoff)
        var f = KeyFigures()
        f.incidents = 1
        f.score = weight
        f.earliest = t
        let from = t - windowSeconds
        // Distinct victims and households (perpetrators only): few per key, so a short list beats a set; an
        // empty list allocates nothing. The closure captures locals only: capturing `self` would copy the table.
        let needDistinct = kind == .perpetrator
        var victims: [Int32] = needDistinct ? [victim] : []
        var households: [Int32] = needDistinct ? [household] : []
        let halfLife = halfLifeSeconds
        tables[k].forEach(slot) { e in
            guard e.time <= t, e.time >= from, e.seq != excludeSeq else { return }
            f.add(e, decay: History.decay(t - e.time, halfLife: halfLife))
            if needDistinct {
                if !victims.contains(e.victim) { victims.append(e.victim) }
                if !households.contains(e.household) { households.append(e.household) }
            }
        }
        f.distinctVictims = needDistinct ? victims.count : 1
        f.distinctHouseholds = needDistinct ? households.count : 1
        return f
    }

    /// 0.5^(age / half-life).
    @inline(__always)
    static func decay(_ ageSeconds: Int64, halfLife: Double) -> Double {
        ageSeconds <= 0 ? 1 : exp2(-Double(ageSeconds) / halfLife)
    }

    /// The times of the events counted for a slot at `t` (for explanations), the current one last.
    func eventTimes(_ kind: KeyKind, _ slot: Int32, at t: Int64, excludeSeq: UInt32?, maracOnly: Bool = false) -> [Int64] {
        let from = t - windowSeconds
        var times: [Int64] = []
        tables[kind.rawValue].forEach(slot) { e in
            guard e.time <= t, e.time >= from, e.seq != excludeSeq, !maracOnly || e.marac else { return }
            times.append(e.time)
        }
        return times
    }

    /// Looks up an incident id: its sequence number when it was seen before.
    func previous(_ incidentID: String) -> UInt32? { seen[incidentID]?.seq }

    /// Advances the clock to `t`; returns true when `t` is earlier than an incident already seen.
    mutating func observe(_ t: Int64) -> Bool {
        if t > maxTime {
            maxTime = t
            return false
        }
        return t < maxTime
    }

    /// Remembers a new incident under its keys.
    mutating func record(
        incidentID: String, time: Int64, weight: Double, marac: Bool, slots: IncidentSlots
    ) {
        let seq = nextSeq
        nextSeq &+= 1
        seenOrder.append(seen.insert(incidentID, (seq, time)))
        forgetOldIDs()
        let e = HistoryEvent(
            time: time, weight: weight, seq: seq, victim: slots.victim, household: slots.household, marac: marac)
        tables[KeyKind.household.rawValue].insert(e, at: slots.household)
        tables[KeyKind.victim.rawValue].insert(e, at: slots.victim)
        if slots.perpetrator >= 0 {
            tables[KeyKind.perpetrator.rawValue].insert(e, at: slots.perpetrator)
            tables[KeyKind.pair.rawValue].insert(e, at: slots.pair)
        }
        for c in slots.children where c >= 0 { tables[KeyKind.child.rawValue].insert(e, at: c) }
        sinceSweep += 1
        // A sweep visits every key, so it runs once per 1/16 of the window of data time (and at least
        // 65,536 incidents apart): keys whose events all expired linger at most that long.
        if sinceSweep >= 65_536 && (lastSweep == .min || maxTime - lastSweep >= windowSeconds / 16) { sweep() }
    }

    /// Forgets incident ids recorded before the window, oldest first (an id recorded late, out of time
    /// order, waits behind the ones recorded before it).
    mutating func forgetOldIDs() {
        let c = cutoff
        while seenHead < seenOrder.count && seen.value(atSlot: seenOrder[seenHead]).time < c {
            seen.remove(slot: seenOrder[seenHead])
            seenHead += 1
        }
        if seenHead >= 4096 && seenHead * 2 >= seenOrder.count {
            seenOrder.removeFirst(seenHead)
            seenHead = 0
        }
    }

    /// Prunes every key and frees the keys left with no events.
    mutating func sweep() {
        sinceSweep = 0
        lastSweep = maxTime
        let c = cutoff
        for k in tables.indices { tables[k].sweep(before: c) }
        forgetOldIDs()
    }

    /// The slot of each key of an incident (created when missing); -1 where there is none.
    struct IncidentSlots {
        var household: Int32
        var victim: Int32
        var perpetrator: Int32
        var pair: Int32
        var children: [Int32]
    }

    mutating func slots(for incident: Incident, countedChildren: [Bool]) -> IncidentSlots {
        let household = tables[KeyKind.household.rawValue].slot(for: incident.householdKey)
        // A victim with no id (possible through the library API; the readers reject it) cannot be linked to
        // any other incident: a key of its own, which no id can equal, rather than one shared by every unknown.
        let victimKey = incident.victim.personID.isEmpty ? "\u{0}" + incident.incidentID : incident.victim.personID
        let victim = tables[KeyKind.victim.rawValue].slot(for: victimKey)
        var perpetrator: Int32 = -1
        var pair: Int32 = -1
        if let p = incident.perpetrator, !p.personID.isEmpty {
            perpetrator = tables[KeyKind.perpetrator.rawValue].slot(for: p.personID)
            // The pair is keyed by the two live slots (exact while both keys live; a pair's events expire
            // with theirs), written short enough to be stored inline rather than as a second copy of both ids.
            // "V,P": at most 23 bytes.
            let key = ByteCursor.string(capacity: 24) { c in
                c.int(Int(victim))
                c.put(UInt8(ascii: ","))
                c.int(Int(perpetrator))
            }
            pair = tables[KeyKind.pair.rawValue].slot(for: key)
        }
        var children: [Int32] = []
        children.reserveCapacity(incident.children.count)
        for (i, c) in incident.children.enumerated() {
            var s: Int32 = -1
            if countedChildren[i] && !c.personID.isEmpty {
                s = tables[KeyKind.child.rawValue].slot(for: c.personID)
                if children.contains(s) { s = -1 }  // the same child listed twice counts once
            }
            children.append(s)
        }
        return IncidentSlots(household: household, victim: victim, perpetrator: perpetrator, pair: pair, children: children)
    }

    /// Live keys per kind (for memory reporting and tests).
    var keyCounts: [Int] { tables.map(\.liveKeys) }
}
