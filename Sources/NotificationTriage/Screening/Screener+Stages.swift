/// The history figures of one incident: what the history stage found, read by the facts, the rules'
/// wording and the recording stage.
struct IncidentFigures {
    let time: Int64
    /// The incident's local day.
    let day: Int32
    let weight: Double
    let resend: ReSend
    let outOfOrder: Bool
    let slots: History.IncidentSlots
    let household: History.KeyFigures
    let victim: History.KeyFigures
    /// Nil when no perpetrator is recorded (then so is `pair`).
    let perpetrator: History.KeyFigures?
    let pair: History.KeyFigures?
    // Each child's figures are in the screener's buffers (``ScreenBuffers/childFigures``).
}

extension ScreenBuffers {
    /// Stage 1, the children: each one's age in years and months on the incident's local date, and whether
    /// it counts as a child (under 18, listed once), with a warning for each that cannot be aged, is an
    /// adult, is listed twice, or is of school age with no school.
    mutating func ageChildren(of incident: borrowing Incident, on localDate: CivilDate, warnings: inout [DataWarning]) {
        let nKids = incident.children.count
        ScreenBuffers.refill(&ages, .nan, count: nKids)
        ScreenBuffers.refill(&months, .nan, count: nKids)
        ScreenBuffers.refill(&counted, true, count: nKids)
        // Each child is read in place (`kid.pointee`): taking it out of the array copies five strings.
        incident.children.withUnsafeBufferPointer { kids in
            for i in kids.indices {
                let kid = kids.baseAddress! + i
                // One child id is one child: a second listing is merged into the first (a reader rejects an
                // incident whose listings of one child differ; through the library the first listing wins).
                if i > 0, !kid.pointee.personID.isEmpty,
                    let first = kids[..<i].firstIndex(where: { $0.personID == kid.pointee.personID })
                {
                    counted[i] = false
                    warnings.append(
                        DataWarning(
                            field: "child_id", childID: kid.pointee.personID,
                            message: kids[first] == kid.pointee
                                ? "child listed twice: counted and routed once"
                                : "child listed twice with different details: the first listing is used"))
                    continue
                }
                guard let dob = kid.pointee.dateOfBirth else {
                    warnings.append(
                        DataWarning(
                            field: "child_dob", childID: kid.pointee.personID,
                            message: "no date of birth: age-based rules cannot apply to this child"))
                    continue
                }
                if dob > localDate {
                    warnings.append(
                        DataWarning(
                            field: "child_dob", childID: kid.pointee.personID,
                            message: "date of birth is after the incident: age-based rules cannot apply to this child"))
                    continue
                }
                let age = dob.age(on: localDate)
                if age >= 18 {
                    counted[i] = false
                    warnings.append(
                        DataWarning(
                            field: "child_dob", childID: kid.pointee.personID,
                            message: "listed as a child but aged \(age) (18 or over): not counted as a child"))
                    continue
                }
                ages[i] = Double(age)
                months[i] = Double(dob.ageInMonths(on: localDate))
                // A child recorded as home educated or in no education has no school to be told, by design.
                if age >= 5 && (kid.pointee.schoolURN ?? "").isEmpty && kid.pointee.education != .ehe
                    && kid.pointee.education != .noEducation
                {
                    warnings.append(
                        DataWarning(
                            field: "child_school_urn", childID: kid.pointee.personID,
                            message: "school-age child (\(age)) with no school URN: no school can be told"))
                }
            }
        }
        if let dob = incident.victim.dateOfBirth, dob > localDate {
            warnings.append(DataWarning(field: "victim_dob", childID: nil, message: "date of birth is after the incident"))
        }
    }

    /// Stage 1b, the schools (only with a register): each counted child's URN checked against the register.
    /// An unknown school, or a closed one with no successor, leaves the child with no school (the rules then
    /// see education unknown); a closed school's successor takes its place; a child outside the school's
    /// statutory ages, and a school outside the policy's local authorities, are warned about.
    mutating func checkSchools(
        of incident: borrowing Incident, in register: SchoolRegister, policy: Policy, warnings: inout [DataWarning]
    ) {
        schoolURNs.removeAll(keepingCapacity: true)
        for child in incident.children { schoolURNs.append((child.schoolURN?.isEmpty ?? true) ? nil : child.schoolURN) }
        for i in incident.children.indices where counted[i] {
            guard let urn = schoolURNs[i] else { continue }
            let childID = incident.children[i].personID
            func warn(_ message: String) { warnings.append(DataWarning(field: "child_school_urn", childID: childID, message: message)) }
            guard var school = register[urn] else {
                // A URN is digits; anything else typed into the field (a name, say) is described, not echoed.
                let shown =
                    urn.utf8.count <= 8 && urn.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 })
                    ? "school URN \(urn)" : "the school URN (\(ValueDescription.kind(of: urn.utf8)))"
                warn("\(shown) is not in the school register: routed as if no school were known")
                schoolURNs[i] = nil
                continue
            }
            if school.status == .closed {
                guard let next = register.successor(of: urn) else {
                    warn("school \(urn) is closed and has no open successor: routed as if no school were known")
                    schoolURNs[i] = nil
                    continue
                }
                warn("school \(urn) is closed: its successor \(next.urn) is told instead")
                school = next
                schoolURNs[i] = next.urn
            }
            if !ages[i].isNaN, let low = school.lowAge, let high = school.highAge, Int(ages[i]) < low || Int(ages[i]) > high {
                warn("aged \(Int(ages[i])), outside school \(school.urn)'s statutory ages \(low) to \(high): check the URN")
            }
            if policy.isOutOfArea(laCode: school.laCode) {
                warn("school \(school.urn) is in another local authority (\(school.laCode) \(school.laName)): forward to that authority")
            }
        }
    }

    /// Stage 3, the facts: every fact the rules read about the incident and its history (child facts are
    /// set per child by the rules stage).
    mutating func setFacts(
        of incident: borrowing Incident, on localDate: CivilDate, figures f: borrowing IncidentFigures, perpetratorRecorded: Bool
    ) {
        facts.reset()
        facts[.dashRisk] = Double(incident.dashRisk.rank)
        facts[.dashScore] = incident.dashScore.map(Double.init) ?? .nan
        facts.flags = incident.flags
        facts[.relationship] = incident.relationship.map { Double($0.rank) } ?? .nan
        var nChildren = 0
        var nPresent = 0
        var youngest = Double.nan
        for i in incident.children.indices where counted[i] {
            nChildren += 1
            if incident.children[i].present { nPresent += 1 }
            if !ages[i].isNaN && (youngest.isNaN || ages[i] < youngest) { youngest = ages[i] }
        }
        facts[.children] = Double(nChildren)
        facts[.childrenPresent] = Double(nPresent)
        facts[.youngestChildAge] = youngest
        facts[.victimPregnant] = incident.victim.pregnant ? 1 : 0
        facts[.victimAge] = incident.victim.dateOfBirth.map { Double($0.age(on: localDate)) } ?? .nan
        facts[.perpetratorRecorded] = perpetratorRecorded ? 1 : 0
        facts[.householdIncidents] = Double(f.household.incidents)
        facts[.householdScore] = f.household.score
        facts[.victimIncidents] = Double(f.victim.incidents)
        facts[.victimScore] = f.victim.score
        if let pf = f.perpetrator, let pairF = f.pair {
            facts[.perpetratorIncidents] = Double(pf.incidents)
            facts[.perpetratorVictims] = Double(pf.distinctVictims)
            facts[.perpetratorHouseholds] = Double(pf.distinctHouseholds)
            facts[.pairIncidents] = Double(pairF.incidents)
            facts[.pairMaracReferrals] = Double(pairF.maracReferrals)
        }
    }
}

extension Screener {
    /// Stage 2, history: a re-sent id's earlier version stops counting first (the latest version replaces
    /// it everywhere), then each key's incidents and score in the window, this incident included.
    mutating func historyFigures(
        of incident: borrowing Incident, keys: borrowing PreparedKeys, day: Int32, counted: [Bool],
        children: inout [History.KeyFigures?], warnings: inout [DataWarning]
    ) -> IncidentFigures {
        let t = incident.occurredAt.seconds
        let resend = ReSend(
            incident.incidentID, hash: keys.hashes.incidentID, day: day, policy: policy, history: &history, warnings: &warnings)
        let outOfOrder = history.observe(t, day: day)
        let slots = history.slots(for: incident, keys: keys, countedChildren: counted)
        let weight = policy.history.weight(of: incident)
        let hh = history.figures(.household, slots.household, at: t, day: day, weight: weight)
        let vf = history.figures(.victim, slots.victim, at: t, day: day, weight: weight)
        var pf: History.KeyFigures? = nil
        var pairF: History.KeyFigures? = nil
        if slots.perpetrator >= 0 {
            let figures = history.perpetratorFigures(
                slots.perpetrator, at: t, day: day, weight: weight, victim: slots.victim, household: slots.household)
            pf = figures.perpetrator
            pairF = figures.pair
        }
        if !children.isEmpty { children.removeAll(keepingCapacity: true) }
        for s in slots.children {
            children.append(s >= 0 ? history.figures(.child, s, at: t, day: day, weight: weight) : nil)
        }
        return IncidentFigures(
            time: t, day: day, weight: weight, resend: resend, outOfOrder: outOfOrder, slots: slots, household: hh, victim: vf,
            perpetrator: pf, pair: pairF)
    }

    /// Stage 4, the rules, in policy order: incident rules once, child rules once per counted child. The
    /// rules that fired, the dates their counts read and the destinations they reach are gathered in `b`;
    /// the routes are made from the fired rules later (``RouteMaker``), the reasons and near misses worded
    /// from the decision's evidence.
    mutating func applyRules(
        to incident: borrowing Incident, figures f: borrowing IncidentFigures, _ b: inout ScreenBuffers
    ) {
        // The last incident's evidence took and emptied these (see `evidence(of:figures:_:)`).
        assert(b.fired.isEmpty && b.dateKeys.isEmpty && b.times.isEmpty)
        b.routedTo = 0
        b.routedToMARAC = false
        // Read once per incident (a sweep's threshold variants, else nil).
        let variants = self.variants
        // The rules' conditions are run from the policy's one program (``CompiledCondition/holds(part:_:)``),
        // read in place through the storage (a `let` of a class this reference keeps alive: bound to a local,
        // they were copied, each of their arrays retained and released, for every incident); a rule itself is
        // fetched (and retained) only when it fires.
        let storage = policy.storage
        // The child whose facts are in `b.facts` (they depend on the child alone, so successive child rules
        // on an incident with one child set them once).
        var factsChild = -1
        for ruleIndex in storage.conditionRoots.indices {
            if !storage.childScoped[ruleIndex] {
                let fired = storage.conditions.holds(part: ruleIndex, b.facts)
                if fired { fire(ruleIndex, child: nil, figures: f, &b) }
                if variants != nil { noteVariants(variants!, ruleIndex, fired: fired, child: -1, &b) }
            } else {
                for i in incident.children.indices where b.counted[i] {
                    if factsChild != i { setChildFacts(i, incident, figures: f, &b) }
                    factsChild = i
                    let fired = storage.conditions.holds(part: ruleIndex, b.facts)
                    if fired { fire(ruleIndex, child: i, figures: f, &b) }
                    if variants != nil { noteVariants(variants!, ruleIndex, fired: fired, child: Int32(i), &b) }
                }
            }
        }
    }

    /// Puts child `i`'s facts in `b.facts`, for the child rules.
    @inline(__always)
    private func setChildFacts(_ i: Int, _ incident: borrowing Incident, figures f: borrowing IncidentFigures, _ b: inout ScreenBuffers) {
        b.facts[.childAge] = b.ages[i]
        b.facts[.childAgeMonths] = b.months[i]
        b.facts[.childPresent] = incident.children[i].present ? 1 : 0
        b.facts[.childInjured] = incident.children[i].injured ? 1 : 0
        // With a register, the URN it resolved (see checkSchools); else the child's own.
        let urn = schools == nil ? incident.children[i].schoolURN : b.schoolURNs[i]
        b.facts.schoolURN = (urn?.isEmpty ?? true) ? nil : urn
        // As recorded; else at school when a school is known.
        b.facts[.childEducation] =
            incident.children[i].education.map { Double($0.rank) } ?? (b.facts.schoolURN == nil ? .nan : 0)
        b.facts[.childIncidents] = b.childFigures[i].map { Double($0.incidents) } ?? .nan
        b.facts[.childScore] = b.childFigures[i]?.score ?? .nan
    }

    /// A rule that held for one scope instance (the incident, or child `childIndex`): notes that it fired
    /// (with the dates of the counts it reads) and the destinations it reaches; the routes themselves are made
    /// from the fired rules later (``RouteMaker``). Out of line: most rules do not fire, and their test alone
    /// stays in the rules loop, without a call.
    @inline(never)
    private mutating func fire(_ ruleIndex: Int, child childIndex: Int?, figures f: borrowing IncidentFigures, _ b: inout ScreenBuffers) {
        let rule = policy.rules[ruleIndex]
        b.routedTo |= rule.destinationBits
        if routesToMARAC[ruleIndex] { b.routedToMARAC = true }
        let child = Int32(childIndex ?? -1)
        b.fired.append(DecisionEvidence.FiredRule(rule: Int32(ruleIndex), child: child))
        for fact in rule.countFacts { keepDates(of: fact, child: child, figures: f, &b) }
    }

    /// Keeps the dates of the incidents a count is made of (once per count and child), as its reason will
    /// state them: history moves on before the reason is worded.
    private func keepDates(of fact: Fact, child: Int32, figures f: borrowing IncidentFigures, _ b: inout ScreenBuffers) {
        let keyChild: Int32 = fact == .childIncidents ? child : -1
        if b.dateKeys.contains(where: { $0.fact == Int32(fact.rawValue) && $0.child == keyChild }) { return }
        // A pair's incidents are the perpetrator's with this victim.
        let pairVictim: Int32 = fact == .pairIncidents || fact == .pairMaracReferrals ? f.slots.victim : -1
        let kindAndSlot: (KeyKind, Int32)? =
            switch fact {
            case .householdIncidents: (.household, f.slots.household)
            case .victimIncidents: (.victim, f.slots.victim)
            case .perpetratorIncidents, .pairIncidents, .pairMaracReferrals: (.perpetrator, f.slots.perpetrator)
            case .childIncidents: keyChild >= 0 ? (.child, f.slots.children[Int(keyChild)]) : nil
            default: nil
            }
        guard let (kind, slot) = kindAndSlot, slot >= 0 else { return }
        let maracOnly = fact == .pairMaracReferrals
        let start = b.times.count
        history.appendEventTimes(kind, slot, at: f.time, day: f.day, maracOnly: maracOnly, victim: pairVictim, to: &b.times)
        if !maracOnly { b.times.append(f.time) }
        // Sorted where they lie: sorting `b.times[start...]` copied the slice out to a new array and back.
        b.times.withUnsafeMutableBufferPointer { all in
            var counted = UnsafeMutableBufferPointer(rebasing: all[start...])
            counted.sort()
        }
        b.dateKeys.append(
            DecisionEvidence.DateKey(fact: Int32(fact.rawValue), child: keyChild, start: Int32(start), end: Int32(b.times.count)))
    }

    /// Stage 5, recording: this version replaces any earlier one in history, and what changed from the
    /// earlier version (a re-send's `supersedes`) is worked out.
    mutating func record(
        _ incident: borrowing Incident, keys: borrowing PreparedKeys, figures f: borrowing IncidentFigures, _ b: borrowing ScreenBuffers
    ) -> SupersedesBox? {
        let version = IncidentVersion(incident, routedTo: b.routedTo)
        f.resend.record(
            incident.incidentID, hash: keys.hashes.incidentID, time: f.time, day: f.day, weight: f.weight,
            maracRouted: b.routedToMARAC, slots: f.slots, version: version, history: &history)
        return f.resend.supersedes(version, at: incident.occurredAt, policy: policy)
    }

    /// The decision: the incident, its routes moved out of the buffers, its history figures and warnings,
    /// and the evidence its reasons and near misses are worded from.
    func decision(
        _ incident: consuming Incident, figures f: borrowing IncidentFigures, supersedes: SupersedesBox?,
        warnings: [DataWarning], _ b: inout ScreenBuffers
    ) -> Decision {
        // Screened out when no rule fired (every rule routes somewhere); the routes are made from the fired
        // rules in the evidence, later (see ``RouteMaker``).
        let screenedOut = b.fired.isEmpty
        let evidence = self.evidence(of: incident, figures: f, &b)
        // A closed school's successor is the school the decision names.
        if schools != nil {
            for i in incident.children.indices where b.schoolURNs[i] != nil && b.schoolURNs[i] != incident.children[i].schoolURN {
                incident.children[i].schoolURN = b.schoolURNs[i]
            }
        }
        var childList: [ChildFigures] = []
        // Not for none: room reserved for no elements is still storage of its own.
        if !b.childFigures.isEmpty { childList.reserveCapacity(b.childFigures.count) }
        for (i, c) in b.childFigures.enumerated() {
            if let c { childList.append(ChildFigures(childID: incident.children[i].personID, incidents: c.incidents, score: c.score)) }
        }
        let figures = HistoryFigures(
            householdIncidents: f.household.incidents, householdScore: f.household.score, victimIncidents: f.victim.incidents,
            victimScore: f.victim.score, perpetratorIncidents: f.perpetrator?.incidents,
            perpetratorVictims: f.perpetrator?.distinctVictims, perpetratorHouseholds: f.perpetrator?.distinctHouseholds,
            pairIncidents: f.pair?.incidents, pairMaracReferrals: f.pair?.maracReferrals, children: childList)
        return Decision(
            incident: incident, screenedOut: screenedOut, screenedOutReason: screenedOut ? policy.screenedOutReason : nil,
            duplicate: f.resend.duplicate, supersedesBox: supersedes, outOfOrder: f.outOfOrder, routes: [],
            history: figures, evidence: evidence, warnings: warnings, routesPending: !screenedOut)
    }

    /// What the reasons will be worded from: the incident's facts, each listed child's (as the rules saw
    /// them), the rules that fired and the dates their counts read, in one array (see ``DecisionEvidence``).
    func evidence(of incident: borrowing Incident, figures f: borrowing IncidentFigures, _ b: inout ScreenBuffers)
        -> DecisionEvidence
    {
        let nKids = incident.children.count
        typealias Child = DecisionEvidence.ChildSlot
        let header = DecisionEvidence.Header(
            day: f.day, flags: b.facts.flags,
            earliest: (f.household.earliestDay, f.victim.earliestDay, f.perpetrator?.earliestDay, f.pair?.earliestDay),
            childCount: nKids, firedCount: b.fired.count, keyCount: b.dateKeys.count, timeCount: b.times.count)
        let (evidence, out) = DecisionEvidence.make(header, policy: policy, in: &b.evidencePages)
        b.facts.numbers.withUnsafeBufferPointer { facts in
            for k in 0..<Fact.childAge.rawValue { out[k] = facts[k] }
        }
        var at = Fact.count
        for i in 0..<nKids {
            let urn = schools == nil ? incident.children[i].schoolURN : b.schoolURNs[i]
            let knownURN = !(urn?.isEmpty ?? true)
            out[at + Child.counted.rawValue] = b.counted[i] ? 1 : 0
            out[at + Child.age.rawValue] = b.ages[i]
            out[at + Child.months.rawValue] = b.months[i]
            out[at + Child.present.rawValue] = incident.children[i].present ? 1 : 0
            out[at + Child.injured.rawValue] = incident.children[i].injured ? 1 : 0
            out[at + Child.education.rawValue] = incident.children[i].education.map { Double($0.rank) } ?? (knownURN ? 0 : .nan)
            out[at + Child.incidents.rawValue] = b.childFigures[i].map { Double($0.incidents) } ?? .nan
            out[at + Child.score.rawValue] = b.childFigures[i]?.score ?? .nan
            out[at + Child.earliestDay.rawValue] = b.childFigures[i].map { Double($0.earliestDay) } ?? .nan
            // With a register, the URN the rules saw is the one the decision's incident will hold, or none.
            out[at + Child.schoolSeen.rawValue] = schools == nil || b.schoolURNs[i] != nil ? 1 : 0
            at += Child.width
        }
        for x in b.fired {
            out[at] = Double(x.rule)
            out[at + 1] = Double(x.child)
            at += 2
        }
        for k in b.dateKeys {
            out[at] = Double(k.fact)
            out[at + 1] = Double(k.child)
            out[at + 2] = Double(k.start)
            out[at + 3] = Double(k.end)
            at += 4
        }
        for t in b.times {
            out[at] = Double(t)
            at += 1
        }
        // Emptied only when used (an empty `removeAll` still costs a call): most incidents keep no dates.
        if !b.fired.isEmpty { b.fired.removeAll(keepingCapacity: true) }
        if !b.dateKeys.isEmpty {
            b.dateKeys.removeAll(keepingCapacity: true)
            b.times.removeAll(keepingCapacity: true)
        }
        return evidence
    }
}
