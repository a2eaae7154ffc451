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
    /// The next event of the same household, victim and perpetrator (``KeyKind/link``), or -1. The fourth
    /// lane is not used: three lanes take the same 16 bytes, and one vector is one load.
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
