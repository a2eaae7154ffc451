import NotificationTriage

/// Turning a pair into one notification: identity fields, DASH grading, score, flags and children.
extension IncidentGenerator {
    /// Per-grading probability multipliers (standard, medium, high), each averaging 1 over the 60/30/10 mix.
    static let severe = (0.4, 1.4, 3.4)  // weapon, threats to kill, strangulation
    static let injuryMult = (0.7, 1.3, 1.9)
    static let contextMult = (0.85, 1.15, 1.65)  // substance misuse, mental health
    static let breachMult = (0.8, 1.2, 1.6)

    @inline(__always)
    private mutating func flag(_ p: Double, _ m: (Double, Double, Double), _ risk: DashRisk) -> Bool {
        let k = risk == .standard ? m.0 : risk == .medium ? m.1 : m.2
        return rng.chance(p * k)
    }

    private mutating func person(_ a: AdultRecord) -> Person {
        Person(
            personID: a.id, name: names.full[Int(a.name)],
            dateOfBirth: a.dob == Int32.min ? nil : CivilDate(dayNumber: a.dob), pregnant: false)
    }

    mutating func makeIncident(_ d: Dyad, at t: Int64, today: CivilDate) -> Incident {
        incidentSeq += 1
        let id = makeID("INC-", incidentSeq, width: 6)
        let home = d.home
        let uprn = home.uprnText
        let postcode = home.postcodeText
        let householdID = home.householdText

        var victim = person(d.victim)
        victim.pregnant = today.dayNumber < d.pregnantUntil
        let perpKnown = !rng.chance(0.03)
        let perpetrator: Person? = perpKnown ? person(d.perpetrator) : nil
        let relationship: Relationship? = rng.chance(perpKnown ? 0.01 : 0.5) ? nil : d.relationship

        // DASH grading and score.
        let g = rng.below(100)
        let risk: DashRisk = g < 60 ? .standard : g < 90 ? .medium : .high
        var flags: RiskFlags = []
        var pj = false
        if risk == .high, rng.chance(0.2) {
            flags.insert(.professionalJudgement)
            pj = true
        }
        var score: Int? = nil
        if rng.chance(0.7) {
            switch risk {
            case .standard: score = Swift.min(9, rng.below(6) + rng.below(5))
            case .medium: score = rng.int(in: 10...13)
            case .high: score = pj ? rng.int(in: 5...13) : Swift.min(27, 14 + Int(rng.exponential(mean: 3.5)))
            }
        }
        if flag(0.20, IncidentGenerator.injuryMult, risk) { flags.insert(.injury) }
        if flag(0.15, IncidentGenerator.contextMult, risk) { flags.insert(.substanceMisuse) }
        if flag(0.12, IncidentGenerator.contextMult, risk) { flags.insert(.mentalHealth) }
        if flag(0.04, IncidentGenerator.severe, risk) { flags.insert(.weapon) }
        if flag(0.04, IncidentGenerator.severe, risk) { flags.insert(.threatsToKill) }
        if flag(0.03, IncidentGenerator.severe, risk) { flags.insert(.strangulation) }
        if flag(0.03, IncidentGenerator.breachMult, risk) { flags.insert(.breachOfOrder) }
        var unknown: [String] = []
        if rng.chance(0.006) {
            unknown.append(IncidentGenerator.unknownFlagNames[rng.below(IncidentGenerator.unknownFlagNames.count)])
        }

        // Children: all present together in ~38% of incidents, otherwise each rarely present alone.
        var children: [Child] = []
        let n = Int(d.children.count)
        if n > 0 {
            children.reserveCapacity(n)
            let allPresent = rng.chance(0.38)
            var injuredOne = false
            for i in 0..<n {
                let c = d.children[i]
                let present = allPresent || rng.chance(0.03)
                let injured = present && !injuredOne && rng.chance(0.03)
                injuredOne = injuredOne || injured
                let school: String? = c.urn != 0 && today.dayNumber >= c.schoolFrom ? makeID("", Int(c.urn), width: 6) : nil
                children.append(
                    Child(
                        personID: makeID("C-", Int(c.seq), width: 7), name: names.full[Int(c.name)],
                        dateOfBirth: CivilDate(dayNumber: c.dob), present: present, schoolURN: school, injured: injured))
            }
            if injuredOne { flags.insert(.childInjured) }
        }
        return Incident(
            incidentID: id, occurredAt: Instant(seconds: t), uprn: uprn, postcode: postcode, householdID: householdID,
            victim: victim, perpetrator: perpetrator, relationship: relationship, dashRisk: risk, dashScore: score,
            flags: flags, unknownFlags: unknown, children: children)
    }
}
