/// Screens incident notifications one at a time against a ``Policy``, keeping the ``History`` it needs,
/// and returns a ``Decision`` for each: routes with deadlines, reasons, near misses and warnings.
///
/// ```swift
/// var screener = Screener(policy: .default)
/// let decision = screener.screen(incident)
/// ```
public struct Screener: Sendable {
    /// The policy applied.
    public let policy: Policy
    /// The history so far (save it with ``History/save()`` to carry it to the next run).
    public var history: History
    /// By rule: whether it routes to MARAC (history marks such incidents for `pair.marac_referrals`).
    let routesToMARAC: [Bool]
    /// Makes the routes of the decisions it returns (``RouteMaker``); a batch screen leaves them to the
    /// thread that writes them.
    var routeMaker: RouteMaker
    /// Per-incident buffers (children's ages, fact values, explanations), reused so that screening
    /// allocates only what the decision keeps. Nil only while an incident has them: taken out, they leave
    /// nothing to make or destroy (an empty set left in their place cost a dozen calls each way per incident).
    var buffers: ScreenBuffers? = ScreenBuffers()

    /// The national school register, when given: each child's school URN is checked against it (an
    /// unknown or closed school is routed as if no school were known, a closed school's successor is told
    /// instead, a child outside the school's ages and a school outside the policy's local authorities are
    /// warned about). Nil: URNs are taken as they are.
    public var schools: SchoolRegister? = nil {
        didSet {
            routeMaker.schools = schools
            for k in companions.indices { companions[k].schools = schools }
        }
    }
    /// Threshold variants evaluated on each incident's facts beside the policy's rules (`triage sweep`), or
    /// nil. Set it before the first incident.
    package var variants: RuleVariants? = nil
    /// After each incident: the routes of every variant that decided it differently, in variant order.
    package internal(set) var variantOutcomes: [VariantOutcome] = []
    /// Policies screened beside this one on its history (``addCompanion(_:)``), and after each incident
    /// screened (not rejected) each one's decision, until taken.
    var companions: [Screener] = []
    var companionDecisions: [Decision?] = []
    /// Where the time now is read (for the future-date rule only).
    let clock: WallClock
    /// The latest `occurred_at` accepted at the last reading of the clock (see ``admit(_:)``).
    var futureLimit: Int64

    /// A screener with an empty history, or with one loaded from an earlier run. `clock` says when now
    /// is, for the one rule that depends on it (see ``screen(_:)-(InputRecord)``).
    public init(policy: Policy, history: History? = nil, clock: WallClock = .system) {
        self.policy = policy
        self.history = history ?? History(policy: policy)
        let marac = policy.destinationIndex("marac")
        self.routesToMARAC = policy.rules.map { rule in marac.map { rule.destinations.contains($0) } ?? false }
        self.routeMaker = RouteMaker(policy: policy)
        self.clock = clock
        self.futureLimit = clock.now().seconds + Screener.futureAllowance
    }

    /// Screens one incident and remembers it (unless it is a duplicate of one already remembered). The
    /// incident is taken as it is: the future-date rule is applied by ``screen(_:)-(InputRecord)``.
    public mutating func screen(_ incident: consuming Incident) -> Decision {
        let keys = PreparedKeys(incident)
        var d = screen(incident, keys: keys)
        routeMaker.complete(&d)
        return d
    }

    /// Gives a decision of a batch screen left waiting for its routes
    /// (`screen(_:at:appendingTo:makingRoutes:)` with `makingRoutes` false) its routes, as this screener makes them.
    package mutating func completeRoutes(_ d: inout Decision) { routeMaker.complete(&d) }

    /// ``screen(_:)`` with the incident's history keys already worked out (on the reading thread), its
    /// decision left waiting for its routes (``RouteMaker``).
    ///
    /// Five stages, in this order: the children and their ages; the history figures (the only stage that
    /// depends on what was screened before); the facts the rules read; the rules (which fire, the dates
    /// their counts read, the destinations reached); and recording this incident in history. The routes,
    /// with their deadlines, are a pure function of the rules that fired, made afterwards (by the thread
    /// that writes the decision, in a batch job); reasons and near misses are worded from the evidence when
    /// written. Each stage works in the screener's ``ScreenBuffers``, moved to this incident and back at the
    /// end, so that screening allocates only what the decision keeps.
    package mutating func screen(_ incident: consuming Incident, keys: borrowing PreparedKeys) -> Decision {
        let local = policy.zone.local(incident.occurredAt)
        var b = buffers.take() ?? ScreenBuffers()
        var warnings: [DataWarning] = []

        b.ageChildren(of: incident, on: local.date, warnings: &warnings)
        if let schools { b.checkSchools(of: incident, in: schools, policy: policy, warnings: &warnings) }
        let perpetratorRecorded = keys.hashes.perpetrator != 0  // a non-empty perpetrator id
        if !perpetratorRecorded {
            warnings.append(
                DataWarning(
                    field: "perpetrator_id", childID: nil,
                    message: "no perpetrator id: perpetrator and pair history cannot be counted for this incident"))
        }
        let figures = historyFigures(
            of: incident, keys: keys, day: local.date.dayNumber, counted: b.counted, children: &b.childFigures, warnings: &warnings)
        b.setFacts(of: incident, on: local.date, figures: figures, perpetratorRecorded: perpetratorRecorded)
        if !variantOutcomes.isEmpty { variantOutcomes.removeAll(keepingCapacity: true) }
        applyRules(to: incident, figures: figures, &b)
        if variants != nil { collectVariantOutcomes(&b) }
        if !companions.isEmpty { screenCompanions(incident, figures: figures, warnings: warnings, &b) }
        let supersedes = record(incident, keys: keys, figures: figures, b)
        let d = decision(incident, figures: figures, supersedes: supersedes, warnings: warnings, &b)
        buffers = consume b
        return d
    }
}
