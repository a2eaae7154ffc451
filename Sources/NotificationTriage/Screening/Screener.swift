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
    let maracIndex: Int?
    var deadlines: DeadlineMemo
    /// Per-incident buffers (children's ages, fact values, explanations), reused so that screening
    /// allocates only what the decision keeps.
    var buffers = ScreenBuffers()

    /// Where the time now is read (for the future-date rule only).
    let clock: WallClock
    /// The latest `occurred_at` accepted at the last reading of the clock (see ``admit(_:)``).
    var futureLimit: Int64

    /// A screener with an empty history, or with one loaded from an earlier run. `clock` says when now
    /// is, for the one rule that depends on it (see ``screen(_:)-(InputRecord)``).
    public init(policy: Policy, history: History? = nil, clock: WallClock = .system) {
        self.policy = policy
        self.history = history ?? History(policy: policy)
        self.maracIndex = policy.destinationIndex("marac")
        self.deadlines = DeadlineMemo(destinations: policy.destinations.count)
        self.clock = clock
        self.futureLimit = clock.now().seconds + Screener.futureAllowance
    }

    /// Screens one incident and remembers it (unless it is a duplicate of one already remembered). The
    /// incident is taken as it is: the future-date rule is applied by ``screen(_:)-(InputRecord)``.
    public mutating func screen(_ incident: consuming Incident) -> Decision {
        let keys = PreparedKeys(incident)
        return screen(incident, keys: keys)
    }

    /// ``screen(_:)`` with the incident's history keys already worked out (on the reading thread).
    package mutating func screen(_ incident: consuming Incident, keys: borrowing PreparedKeys) -> Decision {
        let t = incident.occurredAt.seconds
        let zone = policy.zone
        let local = zone.local(incident.occurredAt)
        let localDate = local.date
        let day = localDate.dayNumber
        var warnings: [DataWarning] = []

        // Children: ages, and which count as children (under 18).
        var b = ScreenBuffers()
        swap(&b, &buffers)
        defer { swap(&b, &buffers) }
        let nKids = incident.children.count
        b.ages.removeAll(keepingCapacity: true)
        b.ages.append(contentsOf: repeatElement(.nan, count: nKids))
        b.months.removeAll(keepingCapacity: true)
        b.months.append(contentsOf: repeatElement(.nan, count: nKids))
        b.counted.removeAll(keepingCapacity: true)
        b.counted.append(contentsOf: repeatElement(true, count: nKids))
        for (i, child) in incident.children.enumerated() {
            // One child id is one child: a second listing is merged into the first (a reader rejects an
            // incident whose listings of one child differ; through the library the first listing wins).
            if i > 0, !child.personID.isEmpty,
                let first = incident.children[..<i].firstIndex(where: { $0.personID == child.personID })
            {
                b.counted[i] = false
                warnings.append(
                    DataWarning(
                        field: "child_id", childID: child.personID,
                        message: incident.children[first] == child
                            ? "child listed twice: counted and routed once"
                            : "child listed twice with different details: the first listing is used"))
                continue
            }
            guard let dob = child.dateOfBirth else {
                warnings.append(
                    DataWarning(
                        field: "child_dob", childID: child.personID,
                        message: "no date of birth: age-based rules cannot apply to this child"))
                continue
            }
            if dob > localDate {
                warnings.append(
                    DataWarning(
                        field: "child_dob", childID: child.personID,
                        message: "date of birth is after the incident: age-based rules cannot apply to this child"))
                continue
            }
            let age = dob.age(on: localDate)
            if age >= 18 {
                b.counted[i] = false
                warnings.append(
                    DataWarning(
                        field: "child_dob", childID: child.personID,
                        message: "listed as a child but aged \(age) (18 or over): not counted as a child"))
                continue
            }
            b.ages[i] = Double(age)
            b.months[i] = Double(dob.ageInMonths(on: localDate))
            if age >= 5 && (child.schoolURN ?? "").isEmpty {
                warnings.append(
                    DataWarning(
                        field: "child_school_urn", childID: child.personID,
                        message: "school-age child (\(age)) with no school URN: no school can be told"))
            }
        }
        if let dob = incident.victim.dateOfBirth, dob > localDate {
            warnings.append(DataWarning(field: "victim_dob", childID: nil, message: "date of birth is after the incident"))
        }

        let perpetratorRecorded = keys.hashes.perpetrator != 0  // a non-empty perpetrator id
        if !perpetratorRecorded {
            warnings.append(
                DataWarning(
                    field: "perpetrator_id", childID: nil,
                    message: "no perpetrator id: perpetrator and pair history cannot be counted for this incident"))
        }

        // History. A re-sent incident's earlier version stops counting before anything is counted: the
        // latest version replaces it everywhere.
        let resend = ReSend(
            incident.incidentID, hash: keys.hashes.incidentID, day: day, policy: policy, history: &history, warnings: &warnings)
        let outOfOrder = history.observe(t, day: day)
        let slots = history.slots(for: incident, keys: keys, countedChildren: b.counted)
        let weight = policy.history.weight(of: incident)
        let hh = history.figures(.household, slots.household, at: t, day: day, weight: weight)
        let vf = history.figures(.victim, slots.victim, at: t, day: day, weight: weight)
        var pf: History.KeyFigures? = nil
        var pairF: History.KeyFigures? = nil
        if slots.perpetrator >= 0 {
            pf = history.figures(
                .perpetrator, slots.perpetrator, at: t, day: day, weight: weight, victim: slots.victim, household: slots.household)
            pairF = history.figures(.pair, slots.pair, at: t, day: day, weight: weight)
        }
        var childFigures: [History.KeyFigures?] = []
        childFigures.reserveCapacity(incident.children.count)
        for s in slots.children {
            childFigures.append(s >= 0 ? history.figures(.child, s, at: t, day: day, weight: weight) : nil)
        }

        // Incident facts.
        var numbers: [Double] = []
        swap(&numbers, &b.numbers)  // moved, so that resetting it copies nothing
        var facts = FactValues(reusing: consume numbers)
        defer { swap(&facts.numbers, &b.numbers) }
        facts[.dashRisk] = Double(incident.dashRisk.rank)
        facts[.dashScore] = incident.dashScore.map(Double.init) ?? .nan
        facts.flags = incident.flags
        facts[.relationship] =
            incident.relationship.map { Double($0.rank) } ?? .nan
        var nChildren = 0
        var nPresent = 0
        var youngest = Double.nan
        for i in incident.children.indices where b.counted[i] {
            nChildren += 1
            if incident.children[i].present { nPresent += 1 }
            if !b.ages[i].isNaN && (youngest.isNaN || b.ages[i] < youngest) { youngest = b.ages[i] }
        }
        facts[.children] = Double(nChildren)
        facts[.childrenPresent] = Double(nPresent)
        facts[.youngestChildAge] = youngest
        facts[.victimPregnant] = incident.victim.pregnant ? 1 : 0
        facts[.victimAge] = incident.victim.dateOfBirth.map { Double($0.age(on: localDate)) } ?? .nan
        facts[.perpetratorRecorded] = perpetratorRecorded ? 1 : 0
        facts[.householdIncidents] = Double(hh.incidents)
        facts[.householdScore] = hh.score
        facts[.victimIncidents] = Double(vf.incidents)
        facts[.victimScore] = vf.score
        if let pf, let pairF {
            facts[.perpetratorIncidents] = Double(pf.incidents)
            facts[.perpetratorVictims] = Double(pf.distinctVictims)
            facts[.perpetratorHouseholds] = Double(pf.distinctHouseholds)
            facts[.pairIncidents] = Double(pairF.incidents)
            facts[.pairMaracReferrals] = Double(pairF.maracReferrals)
        }

        var context = ExplanationContext(
            policy: policy, dashRisk: incident.dashRisk, relationship: incident.relationship, time: t, day: day,
            slots: slots, household: hh,
            victim: vf, perpetrator: pf, pair: pairF, children: childFigures)
        swap(&context.scratch, &b.explanation)
        defer { swap(&context.scratch, &b.explanation) }

        // Rules. Routes and reasons are gathered in the screener's buffers and copied out at the end into
        // arrays no larger than they need: small blocks, which the thread that frees the decision returns
        // without taking the allocator lock this thread allocates under.
        var routes: [Route] = []
        var reasons: [Reason] = []
        var nearMisses: [Reason] = []
        swap(&routes, &b.routes)
        swap(&reasons, &b.reasons)
        swap(&nearMisses, &b.nearMisses)
        defer {
            swap(&routes, &b.routes)
            swap(&reasons, &b.reasons)
            swap(&nearMisses, &b.nearMisses)
        }
        for (ruleIndex, rule) in policy.rules.enumerated() {
            switch rule.scope {
            case .incident:
                context.childIndex = nil
                Screener.apply(
                    rule, ruleIndex, incident, policy: policy, history: history, facts: &facts, context: &context, local: local,
                    deadlines: &deadlines, routes: &routes, reasons: &reasons, nearMisses: &nearMisses)
            case .child:
                for i in incident.children.indices where b.counted[i] {
                    facts[.childAge] = b.ages[i]
                    facts[.childAgeMonths] = b.months[i]
                    facts[.childPresent] = incident.children[i].present ? 1 : 0
                    facts[.childInjured] = incident.children[i].injured ? 1 : 0
                    let urn = incident.children[i].schoolURN
                    facts.schoolURN = (urn?.isEmpty ?? true) ? nil : urn
                    facts[.childIncidents] = childFigures[i].map { Double($0.incidents) } ?? .nan
                    facts[.childScore] = childFigures[i]?.score ?? .nan
                    context.childIndex = i
                    Screener.apply(
                        rule, ruleIndex, incident, policy: policy, history: history, facts: &facts, context: &context, local: local,
                        deadlines: &deadlines, routes: &routes, reasons: &reasons, nearMisses: &nearMisses)
                }
            }
        }
        // By destination (policy order), then child. No closure here captures `self`: that would copy the
        // policy per comparison.
        routes.sort { a, b in
            if a.destinationIndex != b.destinationIndex { return a.destinationIndex < b.destinationIndex }
            return (a.childIndex ?? -1) < (b.childIndex ?? -1)
        }

        // This version replaces any earlier one in history.
        let version = IncidentVersion(incident, routes: routes)
        resend.record(
            incident.incidentID, hash: keys.hashes.incidentID, time: t, day: day, weight: weight,
            maracRouted: routes.contains { $0.destinationIndex == (maracIndex ?? -1) }, slots: slots, version: version,
            history: &history)
        let supersedes = resend.supersedes(version, at: incident.occurredAt, policy: policy)

        var childList: [ChildFigures] = []
        childList.reserveCapacity(childFigures.count)
        for (i, f) in childFigures.enumerated() {
            if let f { childList.append(ChildFigures(childID: incident.children[i].personID, incidents: f.incidents, score: f.score)) }
        }
        let figures = HistoryFigures(
            householdIncidents: hh.incidents, householdScore: hh.score, victimIncidents: vf.incidents,
            victimScore: vf.score, perpetratorIncidents: pf?.incidents, perpetratorVictims: pf?.distinctVictims,
            perpetratorHouseholds: pf?.distinctHouseholds, pairIncidents: pairF?.incidents,
            pairMaracReferrals: pairF?.maracReferrals, children: childList)
        return Decision(
            incident: incident, screenedOut: routes.isEmpty,
            screenedOutReason: routes.isEmpty ? policy.screenedOutReason : nil, duplicate: resend.duplicate, supersedesBox: supersedes,
            outOfOrder: outOfOrder, routes: Screener.moveOut(&routes, leaving: Screener.spentRoute), history: figures,
            reasons: Screener.moveOut(&reasons, leaving: Screener.spentReason),
            nearMisses: Screener.moveOut(&nearMisses, leaving: Screener.spentReason), warnings: warnings)
    }

    /// The elements of a buffer moved into an array of their own with no spare capacity (none for none),
    /// each swapped for `spare` rather than copied (a copy would retain every string it holds, and emptying
    /// the buffer release them again); the buffer is left empty, its capacity kept.
    @inline(__always)
    static func moveOut<T>(_ a: inout [T], leaving spare: T) -> [T] {
        if a.isEmpty { return [] }
        var out: [T] = []
        out.reserveCapacity(a.count)
        for i in a.indices {
            var e = spare
            swap(&e, &a[i])
            out.append(e)
        }
        a.removeAll(keepingCapacity: true)
        return out
    }

    /// What ``moveOut(_:leaving:)`` leaves behind: empty strings and arrays, nothing to allocate or free.
    static let spentRoute = Route(
        destination: "", childID: nil, childIndex: nil, priority: nil, notifyBy: Instant(seconds: 0), rules: [],
        destinationIndex: -1)
    static let spentReason = Reason(rule: "", childID: nil, text: "", ruleIndex: -1)

    /// Evaluates one rule for one scope instance, merging any routes it makes.
    @inline(__always)
    private static func apply(
        // `inout` (though only read) so that the caller's variables are passed in place, not copied per call.
        _ rule: Rule, _ ruleIndex: Int, _ incident: Incident, policy: Policy, history: borrowing History, facts: inout FactValues,
        context: inout ExplanationContext,
        local: LocalDateTime, deadlines: inout DeadlineMemo, routes: inout [Route], reasons: inout [Reason],
        nearMisses: inout [Reason]
    ) {
        let fires = rule.compiled.evaluate(facts)
        if !fires && rule.compiled.nearMissNodes.isEmpty { return }
        let childIndex = context.childIndex
        let childID = childIndex.map { incident.children[$0].personID }
        if fires {
            for d in rule.destinations {
                let destID = policy.destinations[d].id
                if let r = routes.firstIndex(where: { $0.childIndex == childIndex && $0.destinationIndex == d }) {
                    if let p = rule.priority, routes[r].priority.map({ p > $0 }) ?? true {
                        routes[r].priority = p
                        routes[r].notifyBy = deadlines.deadline(policy, d, p, incident.occurredAt, local)
                    }
                    routes[r].rules.append(rule.id)
                } else {
                    routes.append(
                        Route(
                            destination: destID, childID: childID, childIndex: childIndex, priority: rule.priority,
                            notifyBy: deadlines.deadline(policy, d, rule.priority, incident.occurredAt, local),
                            rules: rule.idList,
                            destinationIndex: d))
                }
            }
            reasons.append(
                Reason(rule: rule.id, childID: childID, text: context.explain(rule, facts, history: history), ruleIndex: ruleIndex))
        } else if !rule.compiled.nearMissNodes.isEmpty {
            if let text = context.nearMiss(rule, facts, history: history) {
                nearMisses.append(Reason(rule: rule.id, childID: childID, text: text, ruleIndex: ruleIndex))
            }
        }
    }
}

/// Buffers a screener reuses from one incident to the next.
package struct ScreenBuffers {
    var ages: [Double] = []
    var months: [Double] = []
    var counted: [Bool] = []
    var numbers: [Double] = []
    /// Where an incident's routes, reasons and near misses are gathered.
    var routes: [Route] = []
    var reasons: [Reason] = []
    var nearMisses: [Reason] = []
    /// Lent to each incident's explanation context.
    var explanation = ExplanationScratch()
}
