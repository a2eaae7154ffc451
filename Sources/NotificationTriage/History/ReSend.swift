/// What screening an incident knows of an earlier version of it (a re-sent notification), and what it does
/// to history: the earlier version stops counting before anything is counted, and the latest is recorded in
/// its place (see "How history is counted" in the README). Kept out of ``Screener/screen(_:)`` so that the
/// per-incident path stays small.
struct ReSend {
    /// The id was seen before (held or remembered).
    private(set) var duplicate = false
    /// The earlier version, when history holds it.
    private(set) var earlier: SeenIncident? = nil
    /// Its slot in the id table (the latest version takes it over).
    private var replacing: Int32? = nil
    /// The earlier version went to MARAC: a referral once made stays made.
    private var earlierMarac = false
    /// Recognised only by its remembered fingerprint: what it said is gone.
    private var remembered = false
    /// Older than ids are remembered for: screened, not recorded (a re-send of it could not be recognised,
    /// so none is pretended).
    private var tooOldToRemember = false

    /// Looks the id up, marks a held earlier version replaced, and appends the warnings the look-up finds
    /// (a re-send whose earlier version left history, an incident too old to remember, a late arrival).
    @inline(never)
    init(
        _ id: String, hash: UInt64, day: Int32, policy: Policy, history: inout History, warnings: inout [DataWarning]
    ) {
        switch history.earlierVersion(id, hash: hash) {
        case .none:
            if day < history.oldestRememberedDay {
                tooOldToRemember = true
                warnings.append(
                    DataWarning(
                        field: "occurred_at", childID: nil,
                        message:
                            "older than the \(policy.history.rememberDays) days incident ids are remembered for: a re-send of it would not be recognised"
                    ))
            }
        case .held(let slot, let seen):
            duplicate = true
            earlier = seen
            replacing = slot
            earlierMarac = history.supersede(seen)
        case .remembered:
            duplicate = true
            remembered = true
            warnings.append(
                DataWarning(
                    field: "incident_id", childID: nil,
                    message: "re-sent after its earlier version left history: what changed cannot be said"))
        }
        if day < history.oldestOnTimeDay {
            warnings.append(
                DataWarning(
                    field: "occurred_at", childID: nil,
                    message:
                        "more than \(policy.history.lateDays) days behind the latest incident: counted against the history that remains, which may be incomplete"
                ))
        }
    }

    /// Records this version (in place of the earlier one).
    @inline(never)
    func record(
        _ id: String, hash: UInt64, time: Int64, day: Int32, weight: Double, maracRouted: Bool, slots: History.IncidentSlots,
        version: IncidentVersion, history: inout History
    ) {
        guard !tooOldToRemember else { return }
        history.record(
            incidentID: id, time: time, day: day, weight: weight, marac: maracRouted || earlierMarac, slots: slots,
            version: version, replacing: replacing, idHash: hash)
    }

    /// The decision's `supersedes`: nil for a new id.
    func supersedes(_ version: IncidentVersion, at time: Instant, policy: Policy) -> SupersedesBox? {
        if remembered { return SupersedesBox(Supersedes(earlierVersionHeld: false)) }
        return earlier.map { SupersedesBox(Supersedes(from: $0, to: version, at: time, policy: policy)) }
    }
}

extension IncidentVersion {
    /// What an incident says that a re-send may change, with the destinations it was routed to (bit i:
    /// destination i, for the first 64).
    @inline(never)
    init(_ incident: borrowing Incident, routedTo: UInt64) {
        var distinct = incident.children.count
        if distinct > 1 {
            distinct = 0
            for i in incident.children.indices {
                let id = incident.children[i].personID
                if id.isEmpty || !incident.children[..<i].contains(where: { $0.personID == id }) { distinct += 1 }
            }
        }
        self.init(
            flags: incident.flags, dashScore: incident.dashScore.map { Int16(clamping: $0) } ?? -1,
            children: UInt16(clamping: distinct), dashRisk: UInt8(incident.dashRisk.rank), pregnant: incident.victim.pregnant,
            known: true)
        self.routes = routedTo
    }
}
