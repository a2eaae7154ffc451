/// What an explanation needs to state the evidence of a rule: the incident, its history figures and
/// where to find the dates of the incidents counted. Explanations are data (rule id, child, text) and are
/// worded here, in one place.
struct ExplanationContext {
    let policy: Policy
    let incident: Incident
    let time: Int64
    let previousSeq: UInt32?
    let slots: History.IncidentSlots
    let household: History.KeyFigures
    let victim: History.KeyFigures
    let perpetrator: History.KeyFigures?
    let pair: History.KeyFigures?
    let children: [History.KeyFigures?]
    var childIndex: Int? = nil

    var windowDays: Int { policy.history.windowDays }

    /// The reason text for a fired rule: each piece of evidence, joined by '; '.
    func explain(_ rule: Rule, _ facts: FactValues, history: History) -> String {
        var evidence: [(Leaf, Bool)] = []
        rule.condition.evidence(facts, into: &evidence)
        var parts: [String] = []
        for (leaf, negated) in evidence {
            let text = describe(leaf, negated: negated, facts, history: history)
            if !parts.contains(text) { parts.append(text) }
        }
        if parts.isEmpty { parts.append(rule.description) }
        return parts.joined(separator: "; ")
    }

    /// A near miss: a count one incident short, or a score within the margin, whose leaf alone stands
    /// between the rule and firing.
    func nearMiss(_ rule: Rule, _ facts: FactValues, history: History) -> String? {
        for leaf in rule.nearMissLeaves {
            if leaf.fact.isChildFact && childIndex == nil { continue }
            let v = facts.numbers[leaf.fact.rawValue]
            if v.isNaN || leaf.holds(v, flagsValue: facts.flags, text: nil) { continue }
            let threshold = leaf.operands[0]
            if leaf.fact.isIncidentCount {
                guard leaf.holds(v + 1, flagsValue: facts.flags, text: nil) else { continue }
            } else {
                guard v < threshold, v >= threshold - policy.history.nearMissScoreMargin else { continue }
            }
            guard rule.condition.evaluate(facts, forcing: leaf.index) else { continue }
            let target = rule.destinations.map { policy.destinations[$0].id }.joined(separator: " and ")
            let needed = leaf.op == .gt ? Int(threshold) + 1 : Int(threshold)
            if leaf.fact.isIncidentCount {
                let earliest = figures(for: leaf.fact)?.earliest ?? time
                let expires = policy.zone.local(Instant(seconds: earliest + policy.history.windowSeconds)).date
                return
                    "\(Int(v)) of \(needed) \(countNoun(leaf.fact)) in \(windowDays) days; another before \(expires) would refer to \(target)"
            }
            let gap = threshold - v
            return
                "\(scoreNoun(leaf.fact)) \(oneDecimal(v)) of \(oneDecimal(threshold)) (\(oneDecimal(gap)) below); a further incident of weight \(oneDecimal(gap)) or more would refer to \(target)"
        }
        return nil
    }

    func figures(for fact: Fact) -> History.KeyFigures? {
        switch fact {
        case .householdIncidents, .householdScore: household
        case .victimIncidents, .victimScore: victim
        case .perpetratorIncidents, .perpetratorVictims, .perpetratorHouseholds: perpetrator
        case .pairIncidents, .pairMaracReferrals: pair
        case .childIncidents, .childScore: childIndex.flatMap { children[$0] }
        default: nil
        }
    }

    func countNoun(_ fact: Fact) -> String {
        switch fact {
        case .householdIncidents: "incidents at this household"
        case .victimIncidents: "incidents for this victim"
        case .perpetratorIncidents: "incidents for this perpetrator"
        case .pairIncidents: "incidents between this victim and perpetrator"
        case .childIncidents: "incidents linked to this child"
        default: "incidents"
        }
    }

    func scoreNoun(_ fact: Fact) -> String {
        switch fact {
        case .householdScore: "household cumulative score"
        case .victimScore: "victim cumulative score"
        case .childScore: "child cumulative score"
        default: "score"
        }
    }

    /// The dates (local) of the incidents a count is made of, the current one included.
    func dates(_ fact: Fact, history: History, maracOnly: Bool = false) -> String {
        let kindAndSlot: (KeyKind, Int32)? =
            switch fact {
            case .householdIncidents: (.household, slots.household)
            case .victimIncidents: (.victim, slots.victim)
            case .perpetratorIncidents: (.perpetrator, slots.perpetrator)
            case .pairIncidents, .pairMaracReferrals: (.pair, slots.pair)
            case .childIncidents: childIndex.map { (.child, slots.children[$0]) }
            default: nil
            }
        guard let (kind, slot) = kindAndSlot, slot >= 0 else { return "" }
        var times = history.eventTimes(kind, slot, at: time, excludeSeq: previousSeq, maracOnly: maracOnly)
        if !maracOnly { times.append(time) }
        times.sort()
        return times.map { policy.zone.local(Instant(seconds: $0)).date.description }.joined(separator: ", ")
    }

    /// One piece of evidence in plain English.
    func describe(_ leaf: Leaf, negated: Bool, _ facts: FactValues, history: History) -> String {
        let v = facts.numbers[leaf.fact.rawValue]
        let n = Int(v.isNaN ? 0 : v)
        let not = negated ? "not " : ""
        switch leaf.fact {
        case .dashRisk:
            return "DASH risk \(incident.dashRisk.rawValue)"
        case .dashScore:
            return v.isNaN ? "no DASH score" : "DASH score \(n)"
        case .flags:
            let names = leaf.flags.names.joined(separator: " and ")
            return negated ? "not flagged \(names)" : "flagged \(names)"
        case .relationship:
            return "relationship \(incident.relationship?.rawValue ?? "not recorded")"
        case .children:
            return "\(n) child\(n == 1 ? "" : "ren") linked"
        case .childrenPresent:
            return "\(n) child\(n == 1 ? "" : "ren") present"
        case .youngestChildAge:
            return v.isNaN ? "age of youngest child unknown" : "youngest child aged \(n)"
        case .victimPregnant:
            return v == 1 ? "victim pregnant" : "victim not recorded as pregnant"
        case .victimAge:
            return v.isNaN ? "victim's age unknown" : "victim aged \(n)"
        case .householdIncidents, .victimIncidents, .perpetratorIncidents, .pairIncidents, .childIncidents:
            return "\(n) \(countNoun(leaf.fact)) in \(windowDays) days: \(dates(leaf.fact, history: history))"
        case .householdScore, .victimScore, .childScore:
            let op = leaf.operands.first.map { " (threshold \(oneDecimal($0)))" } ?? ""
            return "\(scoreNoun(leaf.fact)) \(oneDecimal(v)) in \(windowDays) days\(op)"
        case .perpetratorVictims:
            return "perpetrator linked to \(n) victim\(n == 1 ? "" : "s") in \(windowDays) days"
        case .perpetratorHouseholds:
            return "perpetrator linked to \(n) household\(n == 1 ? "" : "s") in \(windowDays) days"
        case .pairMaracReferrals:
            return n == 0
                ? "no earlier MARAC referral of this pair in \(windowDays) days"
                : "earlier MARAC referral of this pair in \(windowDays) days: \(dates(.pairMaracReferrals, history: history, maracOnly: true))"
        case .childAge:
            return v.isNaN ? "child's age unknown" : "child aged \(n)"
        case .childAgeMonths:
            return v.isNaN ? "child's age unknown" : "child aged \(n) month\(n == 1 ? "" : "s")"
        case .childPresent:
            return v == 1 ? "child present" : "child not present"
        case .childInjured:
            return v == 1 ? "child injured" : "child \(not)injured"
        case .childSchoolURN:
            return facts.schoolURN == nil ? "no school URN known" : "school URN known"
        }
    }
}

/// A number with one decimal place (`17.2`), deterministic.
func oneDecimal(_ x: Double) -> String {
    let tenths = Int((x * 10).rounded())
    let sign = tenths < 0 ? "-" : ""
    let a = abs(tenths)
    return "\(sign)\(a / 10).\(a % 10)"
}
