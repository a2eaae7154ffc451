import Foundation

/// The incident history a screener keeps: for each household, victim, child, perpetrator and
/// victim–perpetrator pair, the incidents within the look-back window (counted in local calendar days).
/// Memory is bounded by the window, the lateness allowance and the incident rate, not by the total input:
/// older events are pruned as time moves on, and their ids are remembered by fingerprint for a while longer.
/// A re-sent incident id replaces its earlier version everywhere it counts.
public struct History: Sendable {
    var tables: [KeyTable] = Array(repeating: KeyTable(), count: KeyKind.allCases.count)
    /// One event per remembered incident, linked into the lists of its household, victim and perpetrator.
    var events: ChunkedStore<HistoryEvent>
    /// Children's links to events.
    var childLinks: ChunkedStore<ChildLink>
    /// Incident ids whose events are held: id → latest version (``SeenIncident``).
    var seen = IncidentIDTable()
    /// Ids whose events were pruned, remembered by fingerprint for `rememberDays`.
    var remembered = RememberedIDs()
    /// The slots of `seen` in the order their ids were first recorded, so they are forgotten oldest first.
    var seenOrder = SlotQueue()
    var nextSeq: UInt32 = 0
    /// The latest `occurred_at` seen, and its local day.
    var maxTime: Int64 = .min
    var maxDay: Int32 = .min
    /// `history` settings of the policy (``adopt(_:)``).
    var windowDays: Int32 = 365
    var halfLifeDays: Double = 180
    var lateDays: Int32 = 90
    var rememberDays: Int32 = 730
    /// How far behind the latest incident events are kept, in seconds (``cutoff``).
    var keptSeconds: Int64 = (365 + 90 + 3) * 86_400
    var sinceSweep = 0
    var lastSweep: Int64 = .min
    /// No list holds an event older than this: a lower bound, the cutoff after a sweep, lowered by each
    /// record, `.min` when not known (after loading a state file). While the cutoff has not passed it, a
    /// sweep would find nothing to prune.
    var oldestLinked: Int64 = .max
    /// Sweeps that walked every key (for tests).
    var sweepWalks = 0
    /// What ``warm(_:_:)`` read, folded together (never used: it keeps the reads).
    var warmth: UInt64 = 0

    /// An empty history for a policy's window and half-life.
    public init(policy: Policy) { self.init(policy: policy, chunkShift: 16) }

    /// An empty history whose event storage grows (and is freed) in chunks of 2^`chunkShift` (small in tests).
    init(policy: Policy, chunkShift: Int) {
        events = ChunkedStore(chunkShift: chunkShift)
        childLinks = ChunkedStore(chunkShift: chunkShift)
        adopt(policy.history)
    }

    /// Counts under another policy's `history` settings from now on (a compare's candidate).
    package mutating func adopt(_ h: HistorySettings) {
        windowDays = Int32(h.windowDays)
        halfLifeDays = h.halfLifeDays
        lateDays = Int32(h.lateDays)
        rememberDays = Int32(h.rememberDays)
        keptSeconds = (Int64(windowDays) + Int64(lateDays) + 3) * 86_400
    }

    /// Number of distinct incidents whose events are held.
    public var incidentCount: Int { seen.count }

    /// Events before this time are pruned. An incident up to `lateDays` behind the latest one counts
    /// events up to `windowDays` local days before its own: those are all at or after this, with three days
    /// to spare for the time zone (a local day starts up to 14 hours away from its UTC day).
    var cutoff: Int64 { maxTime == .min ? .min : maxTime - keptSeconds }

    /// Ids of incidents before this local day are no longer recognised as re-sends.
    var oldestRememberedDay: Int32 { maxDay == .min ? .min : maxDay - rememberDays }

    /// An incident of a local day before this arrived too late to find all the history it needs.
    var oldestOnTimeDay: Int32 { maxDay == .min ? .min : maxDay - lateDays }

    /// Figures for one key: the count and decayed score in the window ending at `t`, the current incident
    /// included, and a record of which events counted.
    struct KeyFigures {
        var incidents = 0
        var score = 0.0
        var distinctVictims = 0
        var distinctHouseholds = 0
        var maracReferrals = 0
        /// Local day of the earliest counted event (for near-miss dates).
        var earliestDay: Int32 = .max

        /// The figures of the current incident alone (weight `weight`, local day `day`).
        init(current weight: Double, day: Int32) {
            incidents = 1
            score = weight
            distinctVictims = 1
            distinctHouseholds = 1
            earliestDay = day
        }

        @inline(__always)
        mutating func add(_ e: HistoryEvent, decay: Double) {
            incidents += 1
            score += e.weight * decay
            if e.marac { maracReferrals += 1 }
            if e.day < earliestDay { earliestDay = e.day }
        }
    }

    /// Whether an event counts for an incident at time `t` on local day `day`: not after it, at most
    /// `windowDays` local days before it (whatever the time of day or clock change), and not replaced by a
    /// re-send.
    @inline(__always)
    func counts(_ e: HistoryEvent, at t: Int64, day: Int32) -> Bool {
        e.time <= t && e.day >= day &- windowDays && !e.superseded
    }

    /// Computes figures for a slot at time `t` (local day `day`), adding the current incident.
    mutating func figures(_ kind: KeyKind, _ slot: Int32, at t: Int64, day: Int32, weight: Double) -> KeyFigures {
        assert(kind != .perpetrator, "a perpetrator's figures, with its distinct victims and households: perpetratorFigures")
        prune(kind, slot, before: cutoff)
        var f = KeyFigures(current: weight, day: day)
        let halfLife = halfLifeDays
        let from = day &- windowDays
        forEach(kind, slot) { e in
            guard e.time <= t, e.day >= from, !e.superseded else { return }
            f.add(e, decay: History.decay(days: day &- e.day, halfLife: halfLife))
        }
        return f
    }

    /// The perpetrator's figures, with its distinct victims and households, and the figures of the
    /// victim–perpetrator pair: the perpetrator's counted incidents with this victim (slot `victim`), found
    /// in the same walk. A victim slot stays its victim's while any event that names it can count (a key is
    /// freed only when all its events are older than the cutoff, and this list is pruned to the cutoff
    /// first), so the pair is exact.
    mutating func perpetratorFigures(
        _ slot: Int32, at t: Int64, day: Int32, weight: Double, victim: Int32, household: Int32
    ) -> (perpetrator: KeyFigures, pair: KeyFigures) {
        prune(.perpetrator, slot, before: cutoff)
        var f = KeyFigures(current: weight, day: day)
        var pair = f
        // Distinct victims and households: few per key, so a short list on the stack beats a set. The
        // closure captures locals only: capturing `self` would copy the table.
        var victims = SmallDistinct()
        var households = SmallDistinct()
        victims.insert(victim)
        households.insert(household)
        let halfLife = halfLifeDays
        let from = day &- windowDays
        forEach(.perpetrator, slot) { e in
            guard e.time <= t, e.day >= from, !e.superseded else { return }
            let decay = History.decay(days: day &- e.day, halfLife: halfLife)
            f.add(e, decay: decay)
            if e.victim == victim { pair.add(e, decay: decay) }
            victims.insert(e.victim)
            households.insert(e.household)
        }
        f.distinctVictims = victims.count
        f.distinctHouseholds = households.count
        return (f, pair)
    }

    /// 0.5^(age in local days / half-life in days).
    @inline(__always)
    static func decay(days: Int32, halfLife: Double) -> Double {
        days <= 0 ? 1 : exp2(-Double(days) / halfLife)
    }

    /// Appends the times of the events of a key counted at time `t` (MARAC referrals only, if asked; of victim
    /// slot `victim` only, for a pair, if not -1).
    func appendEventTimes(
        _ kind: KeyKind, _ slot: Int32, at t: Int64, day: Int32, maracOnly: Bool, victim: Int32 = -1, to times: inout [Int64]
    ) {
        forEach(kind, slot) { e in
            guard counts(e, at: t, day: day), !maracOnly || e.marac, victim < 0 || e.victim == victim else { return }
            times.append(e.time)
        }
    }

    /// What history knows of an incident id before screening it again.
    enum EarlierVersion {
        /// Not seen (or seen too long ago to be remembered).
        case none
        /// Seen, its latest version held: the id table's slot and what it holds.
        case held(slot: Int32, SeenIncident)
        /// Seen, but its events have left history: only the id is remembered.
        case remembered
    }

    /// Looks up an incident id whose ``IncidentIDTable/hash(_:)`` is `hash`.
    func earlierVersion(_ incidentID: String, hash: UInt64) -> EarlierVersion {
        if let s = seen.slot(incidentID, hash: hash) { return .held(slot: s, seen.value(atSlot: s)) }
        return remembered.contains(hash, since: oldestRememberedDay) ? .remembered : .none
    }

    /// Marks the event of an earlier version as replaced (when it is still held), so that nothing counts it
    /// from now on; returns whether it was routed to MARAC.
    @discardableResult
    mutating func supersede(_ earlier: SeenIncident) -> Bool {
        let e = earlier.event
        guard events.holds(e), events[e].seq == earlier.seq, !events[e].superseded else { return false }
        events[e].packed |= HistoryEvent.supersededBit
        return events[e].marac
    }

    /// Reads the table entries that screening an incident with these key hashes will read first, so that
    /// screening it a few incidents later finds them in cache: each key's index bucket (and the id's), then
    /// its slot, then its first event, one ``WarmStage`` at a time, an incident apart (each stage's reads
    /// are independent of each other, so they are in flight together). Changes nothing the screening sees.
    mutating func warm(_ k: KeyHashes, _ stage: WarmStage) {
        var x: UInt64 = 0
        if stage == .events {
            // The slots are in cache now: their first events (a child's list starts at a link, not read ahead).
            @inline(__always) func first(_ kind: KeyKind, _ h: UInt64) -> UInt64 {
                let head = h == 0 ? -1 : tables[kind.rawValue].guessHead(h)
                return head < 0 ? 0 : UInt64(bitPattern: events[head].time)
            }
            x = first(.household, k.household) ^ first(.victim, k.victim) ^ first(.perpetrator, k.perpetrator)
        } else {
            x = tables[KeyKind.household.rawValue].warm(k.household, stage)
            x ^= tables[KeyKind.victim.rawValue].warm(k.victim, stage)
            if k.perpetrator != 0 { x ^= tables[KeyKind.perpetrator.rawValue].warm(k.perpetrator, stage) }
            if k.children[0] != 0 { x ^= tables[KeyKind.child.rawValue].warm(k.children[0], stage) }
            if stage == .buckets { x ^= UInt64(seen.warm(k.incidentID)) ^ remembered.warm(k.incidentID) }
            x ^= warmForgetting(stage)
        }
        // Kept, so that the reads are not optimised away.
        warmth ^= x
    }

    /// Reads ahead what forgetting the next ids (``forgetOldIDs()``) reads, a stage a step, as ``warm(_:_:)``
    /// does for an incident's keys: the second id in line's value and id, then the first's event and the
    /// buckets its removal and remembering start at. Once history is a window old, about one id is forgotten
    /// per incident, each of these a cache miss.
    @inline(__always)
    func warmForgetting(_ stage: WarmStage) -> UInt64 {
        switch stage {
        case .buckets:
            guard let s = seenOrder.peek(1), s >= 0 else { return 0 }
            return UInt64(bitPattern: seen.value(atSlot: s).time) ^ UInt64(seen.id(atSlot: s).utf8.count)
        case .slots:
            guard let s = seenOrder.peek(0), s >= 0 else { return 0 }
            let v = seen.value(atSlot: s)
            // Only an id whose time is up, or nearly, is read for: before then its line waits (the first
            // window of a run). Nearly: the clock moves on when the incident is screened, after this read,
            // and that is when the id at the head of the line is forgotten (with `v.time < cutoff` alone,
            // most remembered-id inserts waited on memory once the window was full).
            guard v.time < cutoff &+ History.forgetAhead else { return 0 }
            let h = IncidentIDTable.hash(seen.id(atSlot: s))
            var x = UInt64(seen.warm(h)) ^ remembered.warm(h)
            if events.holds(v.event) { x ^= UInt64(UInt32(bitPattern: events[v.event].day)) }
            return x
        case .events:
            return 0
        }
    }

    /// Advances the clock to `t` (local day `day`); returns true when `t` is earlier than an incident
    /// already seen.
    mutating func observe(_ t: Int64, day: Int32) -> Bool {
        if day > maxDay { maxDay = day }
        if t > maxTime {
            maxTime = t
            return false
        }
        return t < maxTime
    }

    /// Remembers an incident under its keys: a new one, or the latest version of one whose id is in the id
    /// table at `replacing` (its earlier event already ``supersede(_:)``d).
    mutating func record(
        incidentID: String, time: Int64, day: Int32, weight: Double, marac: Bool, slots: IncidentSlots,
        version: IncidentVersion = IncidentVersion(), replacing: Int32? = nil, idHash: UInt64? = nil
    ) {
        let seq = nextSeq
        nextSeq = (nextSeq &+ 1) & HistoryEvent.seqMask
        let e = events.append(
            HistoryEvent(
                time: time, day: day, weight: weight, seq: seq, victim: slots.victim, household: slots.household, marac: marac),
            time: time)
        let value = SeenIncident(seq: seq, time: time, event: e, version: version)
        if let replacing {
            seen.setValue(value, atSlot: replacing)
        } else {
            seenOrder.append(seen.insert(incidentID, value, hash: idHash ?? IncidentIDTable.hash(incidentID)))
        }
        forgetOldIDs()
        link(e, .household, slots.household)
        link(e, .victim, slots.victim)
        if slots.perpetrator >= 0 { link(e, .perpetrator, slots.perpetrator) }
        for c in slots.children where c >= 0 { link(e, .child, c) }
        if time < oldestLinked { oldestLinked = time }
        sinceSweep += 1
        // A sweep visits every key, so it runs once per 1/16 of the window of data time (and at least
        // 65,536 incidents apart): keys whose events all expired linger at most that long. Until some event
        // can have expired (the first window of a run) there is nothing to visit them for.
        if sinceSweep >= 65_536 && (lastSweep == .min || maxTime - lastSweep >= Int64(windowDays) * 86_400 / 16) {
            if cutoff > oldestLinked {
                sweep()
            } else {
                sinceSweep = 0
                lastSweep = maxTime
            }
        }
    }

    /// Moves the ids of incidents whose events are pruned from the id table to the remembered fingerprints,
    /// oldest first (an id recorded late, out of time order, waits behind the ones recorded before it).
    mutating func forgetOldIDs() {
        let c = cutoff
        while let s = seenOrder.first, seen.value(atSlot: s).time < c {
            let v = seen.value(atSlot: s)
            let day = events.holds(v.event) && events[v.event].seq == v.seq ? events[v.event].day : dayBefore(v.time)
            let hash = IncidentIDTable.hash(seen.id(atSlot: s))
            remembered.insert(hash, day: day, oldestDay: oldestRememberedDay)
            seen.remove(slot: s, hash: hash)
            seenOrder.removeFirst()
        }
    }

    /// Prunes every key and frees the keys left with no events.
    package mutating func sweep() {
        sweepWalks += 1
        sinceSweep = 0
        lastSweep = maxTime
        let c = cutoff
        for kind in KeyKind.allCases {
            let k = kind.rawValue
            var emptied: [Int32] = []
            // A block of keys at a time: those whose first entry may be older than the cutoff are gathered,
            // then pruned with the first entry of the one a few ahead read first (a cache miss each, in
            // flight together rather than one at a time). The others are current as they are.
            var stale: [Int32] = []
            stale.reserveCapacity(History.sweepBlock)
            var start = 0
            let n = tables[k].keys.count
            while start < n {
                stale.removeAll(keepingCapacity: true)
                for i in start..<min(start + History.sweepBlock, n) where !tables[k].keys[i].isEmpty {
                    let head = tables[k].ends[i].head
                    if head < 0 || !surelyCurrent(kind, head, c) { stale.append(Int32(i)) }
                }
                for j in stale.indices {
                    if j + History.sweepAhead < stale.count {
                        warmth ^= firstEntryTime(kind, stale[j + History.sweepAhead], unlessBefore: c)
                    }
                    let s = stale[j]
                    // A list whose last entry is surely older is emptied as it stands: prune would read each
                    // of its entries to the end of the list (a cache miss each) to reach the same.
                    if surelyExpired(kind, s, c) {
                        tables[k].ends[Int(s)] = SlotEnds()
                    } else {
                        prune(kind, s, before: c)
                    }
                    if tables[k].ends[Int(s)].head < 0 { emptied.append(s) }
                }
                start += History.sweepBlock
            }
            // Freed together, in the same order, so that each removal's bucket is read a few ahead.
            warmth ^= tables[k].remove(slots: emptied)
        }
        // Ids first, while their events are held (each is remembered with its event's day).
        forgetOldIDs()
        // Every list now starts at `c` or later, so no list reaches a chunk whose events are all older.
        events.release(before: c)
        childLinks.release(before: c)
        oldestLinked = c
    }

    /// Keys a sweep looks at together, and how far ahead it reads the first entry of a key it prunes.
    static let sweepBlock = 4_096
    static let sweepAhead = 8
    /// How far ahead of the cutoff (seconds) the next id to forget is read for (``warmForgetting(_:)``): an
    /// hour, many incidents' worth of clock at any real rate, so the id is read before it is forgotten.
    static let forgetAhead: Int64 = 3_600

    /// The time of a slot's first entry (0 when it has none, or when the whole list is surely before
    /// `cutoff`: a sweep empties it without reading it), read for ``sweep()``'s look-ahead.
    @inline(__always)
    func firstEntryTime(_ kind: KeyKind, _ slot: Int32, unlessBefore cutoff: Int64) -> UInt64 {
        let head = tables[kind.rawValue].ends[Int(slot)].head
        return head < 0 || surelyExpired(kind, slot, cutoff) ? 0 : UInt64(bitPattern: event(kind, head).time)
    }

    /// Whether every entry of a slot's list is surely older than `cutoff`, known from the block of its last
    /// entry (the latest: lists are in time order) without reading it; true for an empty list.
    @inline(__always)
    func surelyExpired(_ kind: KeyKind, _ slot: Int32, _ cutoff: Int64) -> Bool {
        let tail = tables[kind.rawValue].ends[Int(slot)].tail
        guard tail >= 0 else { return true }
        return kind == .child ? childLinks.surelyBefore(tail, cutoff) : events.surelyBefore(tail, cutoff)
    }

    /// A local day no later than that of time `t` in any zone (for an id whose event is no longer held).
    func dayBefore(_ t: Int64) -> Int32 {
        let s = t - 14 * 3_600
        return Int32(clamping: s >= 0 ? s / 86_400 : (s - 86_399) / 86_400)
    }

    // MARK: Lists of events
    //
    // A list is written once for every kind in terms of its entries: an event (linked through the kind's
    // `next`) or, for children, a child link.

    /// The event an entry of a kind's list stands for.
    @inline(__always)
    func event(_ kind: KeyKind, _ entry: Int32) -> HistoryEvent {
        kind == .child ? events[childLinks[entry].event] : events[entry]
    }

    /// Whether a list entry's time is surely `cutoff` or later, from its block (see ``ChunkedStore``).
    @inline(__always)
    func surelyCurrent(_ kind: KeyKind, _ entry: Int32, _ cutoff: Int64) -> Bool {
        kind == .child ? childLinks.surelyAtOrAfter(entry, cutoff) : events.surelyAtOrAfter(entry, cutoff)
    }

    @inline(__always)
    func next(_ kind: KeyKind, _ entry: Int32) -> Int32 {
        kind == .child ? childLinks[entry].next : events[entry].next[kind.link]
    }

    @inline(__always)
    mutating func setNext(_ kind: KeyKind, _ entry: Int32, _ value: Int32) {
        if kind == .child { childLinks[entry].next = value } else { events[entry].next[kind.link] = value }
    }

    /// Calls `body` with each event of a slot, oldest first.
    @inline(__always)
    func forEach(_ kind: KeyKind, _ slot: Int32, _ body: (HistoryEvent) -> Void) {
        var i = tables[kind.rawValue].ends[Int(slot)].head
        if kind == .child {
            while i >= 0 {
                let l = childLinks[i]
                body(events[l.event])
                i = l.next
            }
        } else {
            let n = kind.link
            while i >= 0 {
                let e = events[i]
                body(e)
                i = e.next[n]
            }
        }
    }

    /// Drops events older than `cutoff` from the front of a slot's list (their storage is freed by a sweep).
    /// An entry in a block whose entries are all `cutoff` or later stops it without being read: so a sweep
    /// reads only the keys, their list ends and, for lists that start near the cutoff, their first event,
    /// rather than the first event of every key (a cache miss each).
    mutating func prune(_ kind: KeyKind, _ slot: Int32, before cutoff: Int64) {
        let k = kind.rawValue
        let s = Int(slot)
        var i = tables[k].ends[s].head
        while i >= 0 && !surelyCurrent(kind, i, cutoff) && event(kind, i).time < cutoff { i = next(kind, i) }
        tables[k].ends[s].head = i
        if i < 0 { tables[k].ends[s].tail = -1 }
    }

    /// Links stored event `e` into a slot's list, keeping time order (late arrivals go in their place, after
    /// events of the same time).
    mutating func link(_ e: Int32, _ kind: KeyKind, _ slot: Int32) {
        let time = events[e].time
        let entry = kind == .child ? childLinks.append(ChildLink(event: e), time: time) : e
        let k = kind.rawValue
        let s = Int(slot)
        let tail = tables[k].ends[s].tail
        if tail < 0 {
            // Both ends in one write (each write to a table's ends checks both arrays are unique).
            tables[k].ends[s] = SlotEnds(head: entry, tail: entry)
        } else if event(kind, tail).time <= time {
            setNext(kind, tail, entry)
            tables[k].ends[s].tail = entry
        } else {
            // Find the last event with time <= `time` (or none: link at the head).
            var prev: Int32 = -1
            var i = tables[k].ends[s].head
            while i >= 0 && event(kind, i).time <= time {
                prev = i
                i = next(kind, i)
            }
            setNext(kind, entry, i)
            if prev < 0 { tables[k].ends[s].head = entry } else { setNext(kind, prev, entry) }
        }
    }

    /// The slot of each key of an incident (created when missing); -1 where there is none.
    struct IncidentSlots {
        var household: Int32
        var victim: Int32
        var perpetrator: Int32
        var children: [Int32]
    }

    /// The slot of each key of an incident, created when missing; `keys` are the incident's own
    /// (``PreparedKeys/init(_:)``).
    mutating func slots(for incident: Incident, keys: borrowing PreparedKeys, countedChildren: [Bool]) -> IncidentSlots {
        let household = tables[KeyKind.household.rawValue].slot(for: keys.household, hash: keys.hashes.household)
        let victim = tables[KeyKind.victim.rawValue].slot(for: keys.victim, hash: keys.hashes.victim)
        var perpetrator: Int32 = -1
        // A perpetrator's id is hashed when it is not empty (``PreparedKeys``); only the id is read here
        // (binding the perpetrator would copy, retain and release each of its strings).
        if keys.hashes.perpetrator != 0, let id = incident.perpetrator?.personID {
            perpetrator = tables[KeyKind.perpetrator.rawValue].slot(for: id, hash: keys.hashes.perpetrator)
        }
        var children: [Int32] = []
        // Not for none: room reserved for no elements is still storage of its own.
        if !incident.children.isEmpty { children.reserveCapacity(incident.children.count) }
        // Each child is read in place: taking it out of the array copies five strings.
        incident.children.withUnsafeBufferPointer { kids in
            for i in kids.indices {
                var s: Int32 = -1
                let kid = kids.baseAddress! + i
                if countedChildren[i] && !kid.pointee.personID.isEmpty {
                    let id = kid.pointee.personID
                    s = tables[KeyKind.child.rawValue].slot(for: id, hash: keys.hashes.child(i, id))
                    if children.contains(s) { s = -1 }  // the same child listed twice counts once
                }
                children.append(s)
            }
        }
        return IncidentSlots(household: household, victim: victim, perpetrator: perpetrator, children: children)
    }

    /// Live keys per kind (for memory reporting and tests).
    var keyCounts: [Int] { tables.map(\.liveKeys) }
}

/// The distinct values among a few (a perpetrator's victims or households in the window): the first 16
/// inline, with no allocation, any more in an array.
struct SmallDistinct {
    private var inline = InlineArray<16, Int32>(repeating: 0)
    private var inlineCount = 0
    private var more: [Int32] = []

    var count: Int { inlineCount + more.count }

    @inline(__always)
    mutating func insert(_ v: Int32) {
        for i in 0..<inlineCount where inline[i] == v { return }
        if inlineCount < 16 {
            inline[inlineCount] = v
            inlineCount += 1
        } else if !more.contains(v) {
            more.append(v)
        }
    }
}
