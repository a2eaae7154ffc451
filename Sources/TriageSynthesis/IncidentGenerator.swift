import NotificationTriage

/// What to generate: how many incidents, over what period, from which seed.
package struct GeneratorOptions: Sendable {
    /// The exact number of incident notifications to yield (re-sent duplicates included).
    package var incidents: Int
    /// The seed; the same options always give the same incidents, byte for byte once encoded.
    package var seed: UInt64 = 1
    /// The first local day of the period.
    package var start: CivilDate = CivilDate(year: 2025, month: 1, day: 1)!
    /// The length of the period in years (of 365.2425 days); incidents are spread evenly across it.
    package var years: Double = 1
    /// Share (0...1) of incidents given one defect when encoded (see `MessyDefects`).
    package var messyRate: Double = 0
    /// Share (0...1) of notifications that are a re-send of an earlier incident (same id, same time,
    /// sometimes re-graded), emitted a little later in the stream.
    package var resendRate: Double = 0.005

    /// Creates options.
    package init(
        incidents: Int, seed: UInt64 = 1, start: CivilDate = CivilDate(year: 2025, month: 1, day: 1)!,
        years: Double = 1, messyRate: Double = 0, resendRate: Double = 0.005
    ) {
        self.incidents = incidents
        self.seed = seed
        self.start = start
        self.years = years
        self.messyRate = messyRate
        self.resendRate = resendRate
    }
}

/// A deterministic stream of synthetic domestic-abuse incident notifications, in time order.
///
/// ## The shape, and the facts in `domain.md` it follows
/// - Volume and repeats (F5.7–F5.9: ~76% of victim–offender dyads have no repeat call, <2% cause most
///   harm, roughly 1 in 4 dyads returns within 1–2 years). Each new victim–perpetrator pair becomes a
///   repeater with probability 0.25; a repeater gets 1 (60%), 2 (20%), 3–4 (10%), 5–9 (7%) or 10–25 (3%)
///   further incidents, spaced by exponential gaps whose mean shrinks as the count grows (75 → 18 days), so
///   most repeats fall within the year and a few pairs have many. In steady state about a third of the
///   stream is repeats.
/// - The population is sized by the rate, not the total (the brief): pending repeat pairs live in a heap
///   until their last repeat, and the pool of recent pairs that new pairs may share people with holds about
///   a month of pairs (at most 65,536). So 10x incidents over 10x years holds the same number of people at
///   any time as 1x over 1x, and a household's history is bounded by time.
/// - Reuse of people: 4% of new pairs reuse a recent perpetrator with a new victim in another household
///   (half of them bring that perpetrator's children, who are then linked through a different adult);
///   3% reuse a recent victim with a new perpetrator (60% of those move, keeping their children); 5% of
///   repeats follow a victim who has moved (new household, UPRN and postcode, same children).
/// - Household identity: 65% uprn + postcode, 30% also a household id, 5% postcode only.
/// - Children (F5.4–F5.6: a child was present in ~46% of partner abuse; US police data 43–50%): ~45% of
///   incidents have 1–4 linked children (45/33/15/7%), ages 0–17 weighted to the young (F5.17, F3.8),
///   0.5% aged 18 listed by mistake; children are present in ~40% of incidents; a school URN for 90% of
///   children aged 4+ at the incident (F1.5: reception to 17), none under 4; a present child is injured
///   in 3% of incidents (≈1% of all incidents), and then `child_injured` is flagged.
/// - DASH (F2.3): standard 60%, medium 30%, high 10%; a score for 70%, in the band of the grading
///   (0–9, 10–13, 14–27 skewed low), except high by professional judgement (F2.4, ~2% of incidents),
///   scored below 14. Flags at the brief's rates, more likely at higher gradings: injury 20%,
///   substance_misuse 15%, mental_health 12%, weapon 4%, threats_to_kill 4%, strangulation 3%,
///   breach_of_order 3%; an unknown `stalking`-like flag in 0.6%.
/// - Pregnancy (F3.3–F3.4): ~7% of female victims aged 16–45 are pregnant for up to 9 months from a
///   pair's first incident, about 4% of incidents.
/// - Relationship (F1.14): partner 45%, ex-partner 33%, the victim's adult child 7%, other family 5%,
///   parent 4%, sibling 4%, other 2%; not recorded for 1%. The perpetrator is unknown in 3%.
/// - Time (see `Timeline`): more in the evening and at night, at weekends, over Christmas and summer.
/// - Re-sends: `resendRate` of notifications repeat an earlier incident's id and time 1 hour to 3 days
///   later in the stream, half of them re-graded one level up. They are the only notifications whose
///   `occurredAt` is earlier than the one before.
package struct IncidentGenerator: Sequence, IteratorProtocol {
    struct Pending {
        var due: Int64
        var order: UInt64
        var slot: Int32
    }

    let options: GeneratorOptions
    let zone: ZoneRules
    var rng: SeededGenerator
    var timeline: Timeline
    let names = NameTable()
    /// Pairs with repeats still to come, by slot; `free` lists reusable slots.
    var dyads: [Dyad] = []
    var free: [Int32] = []
    /// Min-heap of pending repeats by (due, order).
    var heap: [Pending] = []
    var order: UInt64 = 0
    /// Ring of recently created pairs, for sharing people between pairs.
    var recent: [Dyad] = []
    let recentCapacity: Int
    var recentNext = 0
    /// Re-sends waiting for their time, ascending by due.
    var resends: [(due: Int64, incident: Incident)] = []
    var incidentSeq = 0
    var personSeq: UInt32 = 0
    var childSeq: UInt32 = 0
    var homeSeq: UInt32 = 0

    /// Creates the stream for `options`, with local times in `zone`.
    package init(options: GeneratorOptions, zone: ZoneRules) {
        self.options = options
        self.zone = zone
        rng = SeededGenerator(seed: options.seed)
        let days = Timeline.dayCount(start: options.start, years: options.years)
        timeline = Timeline(total: options.incidents, start: options.start, days: days, zone: zone)
        let perYear = Double(Swift.max(0, options.incidents)) / (Double(days) / 365.2425)
        recentCapacity = Swift.min(65_536, Swift.max(64, Int(perYear * 30 / 365.2425)))
        recent.reserveCapacity(recentCapacity)
    }

    /// The next notification, or nil after `options.incidents` of them.
    package mutating func next() -> Incident? {
        guard let t = timeline.next(&rng) else { return nil }
        if let first = resends.first, first.due <= t {
            return resends.removeFirst().incident
        }
        let today = timeline.date
        var dyad: Dyad
        if let top = heap.first, top.due <= t {
            popHeap()
            let slot = Int(top.slot)
            dyad = dyads[slot]
            evolveOnRepeat(&dyad, today: today)
            dyad.remaining -= 1
            if dyad.remaining > 0 {
                dyads[slot] = dyad
                schedule(slot: slot, after: t, meanDays: Double(dyad.gapDays))
            } else {
                free.append(Int32(slot))
            }
        } else {
            dyad = newDyad(today: today)
            if dyad.remaining > 0 {
                let slot: Int
                if let f = free.popLast() {
                    slot = Int(f)
                    dyads[slot] = dyad
                } else {
                    slot = dyads.count
                    dyads.append(dyad)
                }
                schedule(slot: slot, after: t, meanDays: Double(dyad.gapDays))
            }
            remember(dyad)
        }
        let incident = makeIncident(dyad, at: t, today: today)
        if options.resendRate > 0, rng.chance(options.resendRate) {
            var copy = incident
            if rng.chance(0.5) { regrade(&copy) }
            let due = t + Int64(3_600 + rng.below(3 * 86_400))
            let at = resends.firstIndex { $0.due > due } ?? resends.count
            resends.insert((due, copy), at: at)
        }
        return incident
    }

    private mutating func remember(_ dyad: Dyad) {
        if recent.count < recentCapacity {
            recent.append(dyad)
        } else {
            recent[recentNext] = dyad
            recentNext = (recentNext + 1) % recentCapacity
        }
    }

    private mutating func schedule(slot: Int, after t: Int64, meanDays: Double) {
        let gap = Swift.max(3_600, Int64(rng.exponential(mean: meanDays * 86_400)))
        order &+= 1
        heap.append(Pending(due: t + gap, order: order, slot: Int32(slot)))
        var i = heap.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            guard less(heap[i], heap[parent]) else { break }
            heap.swapAt(i, parent)
            i = parent
        }
    }

    private mutating func popHeap() {
        let last = heap.removeLast()
        guard !heap.isEmpty else { return }
        heap[0] = last
        var i = 0
        while true {
            let l = 2 * i + 1
            guard l < heap.count else { break }
            var m = l
            if l + 1 < heap.count, less(heap[l + 1], heap[l]) { m = l + 1 }
            guard less(heap[m], heap[i]) else { break }
            heap.swapAt(i, m)
            i = m
        }
    }

    @inline(__always)
    private func less(_ a: Pending, _ b: Pending) -> Bool {
        a.due < b.due || (a.due == b.due && a.order < b.order)
    }

    /// Upgrades a re-sent incident one DASH level, keeping the score in the new band.
    private mutating func regrade(_ incident: inout Incident) {
        switch incident.dashRisk {
        case .standard:
            incident.dashRisk = .medium
            if incident.dashScore != nil { incident.dashScore = rng.int(in: 10...13) }
        case .medium:
            incident.dashRisk = .high
            if incident.dashScore != nil { incident.dashScore = rng.int(in: 14...17) }
        case .high:
            incident.flags.insert(.professionalJudgement)
        }
    }
}
