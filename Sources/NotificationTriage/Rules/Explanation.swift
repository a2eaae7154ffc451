/// What an explanation needs to state the evidence of a rule: the decision's ``DecisionEvidence`` (the
/// incident's grading, its history figures, the dates of the incidents counted) and the child in hand.
/// Explanations are data (rule, child, evidence numbers) until they are worded here, in one place.
struct ExplanationContext {
    let evidence: DecisionEvidence
    var childIndex: Int? = nil

    init(evidence: DecisionEvidence) { self.evidence = evidence }

    var policy: Policy { evidence.policy }
    var dashRisk: DashRisk { evidence.dashRisk }
    var relationship: Relationship? { evidence.relationship }
    var windowDays: Int { policy.history.windowDays }

    /// Buffers an explanation is built in, reused from one reason to the next.
    var scratch = ExplanationScratch()

    /// The reason text for a fired rule, appended to `w`: each piece of evidence, joined by '; ', else the
    /// rule's description. Built as bytes (no `String` interpolation per piece).
    mutating func explain(_ rule: Rule, _ facts: borrowing FactValues, into w: inout ByteWriter) {
        var s = ExplanationScratch()
        swap(&s, &scratch)
        defer { swap(&s, &scratch) }
        // A few entries each: removed one by one, cheaper than `removeAll`'s call into the standard library.
        while !s.evidence.isEmpty { s.evidence.removeLast() }
        while !s.pieces.isEmpty { s.pieces.removeLast() }
        rule.compiled.evidence(facts, into: &s.evidence)
        // The leaves read in place, through a pointer: a leaf passed by value (even from the buffer) was copied,
        // retaining and releasing its arrays and strings.
        rule.compiled.leaves.withUnsafeBufferPointer { leaves in
            for (leafIndex, negated) in s.evidence {
                let start = w.bytes.count
                if !s.pieces.isEmpty { w.raw("; ") }
                let textStart = w.bytes.count
                describe(leaves.baseAddress! + Int(leafIndex), negated: negated, facts, into: &w)
                let piece = textStart..<w.bytes.count
                // The same piece twice (two leaves on one fact) is said once.
                let repeated = w.bytes.withUnsafeBufferPointer { b in
                    s.pieces.contains { ByteScan.equal(UnsafeBufferPointer(rebasing: b[$0]), UnsafeBufferPointer(rebasing: b[piece])) }
                }
                if repeated {
                    w.bytes.removeSubrange(start...)
                } else {
                    s.pieces.append(piece)
                }
            }
        }
        if s.pieces.isEmpty { w.text(rule.description) }
    }

    /// A near miss, appended to `w` (returns false, writing nothing, when there is none): a count one
    /// incident short, or a score within the margin, whose leaf alone stands between the rule and firing.
    mutating func nearMiss(_ rule: Rule, _ facts: borrowing FactValues, into w: inout ByteWriter) -> Bool {
        // Read in place (`rule.compiled` is not copied: that would retain each of its arrays per call).
        let count = rule.compiled.nearMissNodes.count
        for k in 0..<count {
            let node = rule.compiled.nearMissNodes[k]
            // Near-miss leaves test counts and scores with gte, gt or eq: numbers, never text or lists.
            if node.fact >= Fact.childAge.rawValue && childIndex == nil { continue }
            let v = facts.numbers[Int(node.fact)]
            if v.isNaN || CompiledCondition.fastHolds(node, v, facts.flags) { continue }
            let fact = Fact(rawValue: Int(node.fact)) ?? .dashRisk
            let threshold = node.a
            if fact.isIncidentCount {
                guard CompiledCondition.fastHolds(node, v + 1, facts.flags) else { continue }
            } else {
                guard v < threshold, v >= threshold - policy.history.nearMissScoreMargin else { continue }
            }
            guard rule.compiled.evaluate(facts, forcing: Int(node.leafIndex)) else { continue }
            // The leaf's operator and fact, read in place (a copy of the leaf retains its arrays and strings).
            let leafOp = rule.compiled.leaves[Int(node.leafIndex)].op
            let leafFact = rule.compiled.leaves[Int(node.leafIndex)].fact
            func target() {
                for (i, d) in rule.destinations.enumerated() {
                    if i > 0 { w.raw(" and ") }
                    w.text(policy.destinations[d].id)
                }
            }
            let needed = leafOp == .gt ? Int(threshold) + 1 : Int(threshold)
            if leafFact.isIncidentCount {
                // The earliest counted incident counts for one on its day plus the window, and no later.
                let earliest = earliestDay(for: leafFact) ?? evidence.day
                let lastDay = CivilDate(dayNumber: earliest &+ Int32(windowDays))
                // "N of M <noun> in D days; another on or before DATE would refer to TARGET"
                w.int(Int(v))
                w.raw(" of ")
                w.int(needed)
                w.byte(0x20)
                w.text(countNoun(leafFact))
                w.raw(" in ")
                w.int(windowDays)
                w.raw(" days; another on or before ")
                w.date(lastDay)
                w.raw(" would refer to ")
                target()
                return true
            }
            // "<noun> V of T (G below); a further incident of weight G or more would refer to TARGET"
            let gap = threshold - v
            w.text(scoreNoun(leafFact))
            w.byte(0x20)
            w.oneDecimal(v)
            w.raw(" of ")
            w.oneDecimal(threshold)
            w.raw(" (")
            w.oneDecimal(gap)
            w.raw(" below); a further incident of weight ")
            w.oneDecimal(gap)
            w.raw(" or more would refer to ")
            target()
            return true
        }
        return false
    }

    /// The earliest counted day of the figures a count fact reads (nil when there are none).
    func earliestDay(for fact: Fact) -> Int32? {
        switch fact {
        case .householdIncidents, .householdScore: evidence.earliest.household
        case .victimIncidents, .victimScore: evidence.earliest.victim
        case .perpetratorIncidents, .perpetratorVictims, .perpetratorHouseholds: evidence.earliest.perpetrator
        case .pairIncidents, .pairMaracReferrals: evidence.earliest.pair
        case .childIncidents, .childScore:
            childIndex.flatMap { i in
                let d = evidence.child(i, .earliestDay)
                return d.isNaN ? nil : Int32(d)
            }
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

    /// The dates (local) of the incidents a count is made of, the current one included (not for MARAC
    /// referrals), `, `-separated: as kept by the evidence when the rule fired.
    func dates(_ fact: Fact, into w: inout ByteWriter) {
        guard let times = evidence.times(of: fact, child: childIndex) else { return }
        for (i, t) in times.enumerated() {
            if i > 0 { w.raw(", ") }
            w.date(policy.zone.local(Instant(seconds: Int64(t))).date)
        }
    }

    /// One piece of evidence in plain English.
    func describe(_ leaf: UnsafePointer<Leaf>, negated: Bool, _ facts: borrowing FactValues, into w: inout ByteWriter) {
        let v = facts.numbers[leaf.pointee.fact.rawValue]
        let n = Int(v.isNaN ? 0 : v)
        /// "N thing" or "N things".
        func counted(_ singular: StaticString, _ plural: StaticString) {
            w.int(n)
            w.byte(0x20)
            w.raw(n == 1 ? singular : plural)
        }
        /// " in 365 days".
        func inWindow() {
            w.raw(" in ")
            w.int(windowDays)
            w.raw(" days")
        }
        switch leaf.pointee.fact {
        case .dashRisk:
            w.raw("DASH risk ")
            w.text(dashRisk.rawValue)
        case .dashScore:
            if v.isNaN {
                w.raw("no DASH score")
            } else {
                w.raw("DASH score ")
                w.int(n)
            }
        case .flags:
            w.raw(negated ? "not flagged " : "flagged ")
            leaf.pointee.flags.forEachName { i, name in
                if i > 0 { w.raw(" and ") }
                w.text(name)
            }
        case .relationship:
            w.raw("relationship ")
            w.text(relationship?.rawValue ?? "not recorded")
        case .children:
            counted("child", "children")
            w.raw(" linked")
        case .childrenPresent:
            counted("child", "children")
            w.raw(" present")
        case .youngestChildAge:
            if v.isNaN {
                w.raw("age of youngest child unknown")
            } else {
                w.raw("youngest child aged ")
                w.int(n)
            }
        case .victimPregnant:
            w.raw(v == 1 ? "victim pregnant" : "victim not recorded as pregnant")
        case .victimAge:
            if v.isNaN {
                w.raw("victim's age unknown")
            } else {
                w.raw("victim aged ")
                w.int(n)
            }
        case .perpetratorRecorded:
            w.raw(v == 1 ? "perpetrator recorded" : "perpetrator not recorded")
        case .householdIncidents, .victimIncidents, .perpetratorIncidents, .pairIncidents, .childIncidents:
            w.int(n)
            w.byte(0x20)
            w.text(countNoun(leaf.pointee.fact))
            inWindow()
            w.raw(": ")
            dates(leaf.pointee.fact, into: &w)
        case .householdScore, .victimScore, .childScore:
            w.text(scoreNoun(leaf.pointee.fact))
            w.byte(0x20)
            w.oneDecimal(v)
            inWindow()
            if let op = leaf.pointee.operands.first {
                w.raw(" (threshold ")
                w.oneDecimal(op)
                w.byte(UInt8(ascii: ")"))
            }
        case .perpetratorVictims:
            w.raw("perpetrator linked to ")
            counted("victim", "victims")
            inWindow()
        case .perpetratorHouseholds:
            w.raw("perpetrator linked to ")
            counted("household", "households")
            inWindow()
        case .pairMaracReferrals:
            w.raw(n == 0 ? "no earlier MARAC referral of this pair" : "earlier MARAC referral of this pair")
            inWindow()
            if n > 0 {
                w.raw(": ")
                dates(.pairMaracReferrals, into: &w)
            }
        case .childAge:
            if v.isNaN && facts.schoolURN == nil {
                // Said once with the school's absence (the same piece twice is said once).
                w.raw("age and education setting unknown")
            } else if v.isNaN {
                w.raw("child's age unknown")
            } else {
                w.raw("child aged ")
                w.int(n)
            }
        case .childAgeMonths:
            if v.isNaN {
                w.raw("child's age unknown")
            } else {
                w.raw("child aged ")
                counted("month", "months")
            }
        case .childPresent:
            w.raw(v == 1 ? "child present" : "child not present")
        case .childInjured:
            w.raw(v == 1 ? "child injured" : negated ? "child not injured" : "child injured")
        case .childEducation:
            // The value as recorded, which reads as evidence whichever way the leaf tests it.
            guard !v.isNaN else {
                w.raw("education not recorded")
                return
            }
            switch Education.allCases[n] {
            case .school: w.raw("recorded as at school")
            case .ehe: w.raw("recorded as electively home educated")
            case .noEducation: w.raw("recorded as in no education")
            case .earlyYears: w.raw("recorded at an early-years setting")
            }
        case .childSchoolURN:
            if facts.schoolURN == nil && facts[.childAge].isNaN {
                w.raw("age and education setting unknown")
            } else {
                w.raw(facts.schoolURN == nil ? "no school URN known" : "school URN known")
            }
        }
    }
}

/// Reusable buffers for building explanations.
struct ExplanationScratch {
    /// The evidence leaves (indices into the rule's leaves) and whether each is seen through a `not`.
    var evidence: [(Int32, Bool)] = []
    /// The byte ranges of the pieces written so far.
    var pieces: [Range<Int>] = []
}

/// A number with one decimal place (`17.2`), deterministic.
package func oneDecimal(_ x: Double) -> String {
    var w = ByteWriter(capacity: 16)
    w.oneDecimal(x)
    return String(decoding: w.bytes, as: UTF8.self)
}
