import NotificationTriage

/// Making pairs, households and children, and turning a pair into an `Incident` (the rates are
/// documented on `IncidentGenerator`).
extension IncidentGenerator {
    static let relationshipWeights = [45, 78, 85, 89, 93, 98, 100]  // cumulative
    static let relationshipOrder: [Relationship] = [.partner, .exPartner, .child, .otherFamily, .parent, .sibling, .other]
    static let childCountWeights = [45, 78, 93, 100]
    static let unknownFlagNames = ["stalking", "stalking", "coercive_control", "honour_based_abuse"]

    /// An adult of age `age` (years) on `today`, with an unknown date of birth in `unknownRate`.
    mutating func adult(female: Bool, age: Int, today: CivilDate, unknownRate: Double) -> AdultRecord {
        personSeq += 1
        let dob: Int32 =
            rng.chance(unknownRate)
            ? Int32.min : today.dayNumber - Int32((Double(age) * 365.2425).rounded(.up)) - 1 - Int32(rng.below(363))
        return AdultRecord(
            seq: personSeq, name: NameTable.random(female: female, rng: &rng), female: female, dob: dob,
            id: makeID("P-", Int(personSeq), width: 7))
    }

    /// A victim's age: 16–24 20%, 25–34 35%, 35–44 25%, 45–59 15%, 60–85 5%.
    mutating func adultAge() -> Int {
        let u = rng.below(100)
        switch u {
        case ..<20: return rng.int(in: 16...24)
        case ..<55: return rng.int(in: 25...34)
        case ..<80: return rng.int(in: 35...44)
        case ..<95: return rng.int(in: 45...59)
        default: return rng.int(in: 60...85)
        }
    }

    mutating func newHome(area: Int?) -> HomeRecord {
        homeSeq += 1
        let m = rng.below(100)
        let mode: UInt8 = m < 65 ? 0 : m < 95 ? 1 : 2
        let uprn = Places.uprn(&rng)
        let postcode = Places.postcode(area: area, &rng)
        return HomeRecord(
            seq: homeSeq, mode: mode, uprn: uprn, postcode: postcode,
            uprnText: mode == 2 ? nil : makeID("", Int(uprn), width: 12), postcodeText: makePostcode(postcode),
            householdText: mode == 1 ? makeID("H-", Int(homeSeq), width: 5) : nil)
    }

    /// 1–4 children for a victim aged `victimAge`, in `area`.
    mutating func newChildren(victim: AdultRecord, victimAge: Int, area: Int, today: CivilDate) -> ChildSet {
        var set = ChildSet()
        let oldest = Swift.min(17, victimAge - 15)
        guard oldest >= 0 else { return set }
        let n = rng.pick(IncidentGenerator.childCountWeights) + 1
        for _ in 0..<n {
            var age: Int
            if rng.chance(0.005) {
                age = 18
            } else {
                // Weights 12 (0–4), 10 (5–11), 8 (12–17) per year of age.
                repeat {
                    let u = rng.below(5 * 12 + 7 * 10 + 6 * 8)
                    age = u < 60 ? u / 12 : u < 130 ? 5 + (u - 60) / 10 : 12 + (u - 130) / 8
                } while age > oldest
            }
            childSeq += 1
            let female = rng.chance(0.5)
            let lastLike: UInt16? = rng.chance(0.7) ? victim.name : nil
            let dob = today.dayNumber - Int32((Double(age) * 365.2425).rounded(.up)) - 1 - Int32(rng.below(363))
            let urn = rng.chance(0.9) ? Places.schoolURN(area: area, &rng) : 0
            set.append(
                ChildRecord(
                    seq: childSeq, name: NameTable.random(female: female, lastLike: lastLike, rng: &rng), dob: dob,
                    schoolFrom: fourthBirthday(dob), urn: urn))
        }
        return set
    }

    /// The day number of the 4th birthday of a child born on day `dob` (29 February counts on 1 March).
    func fourthBirthday(_ dob: Int32) -> Int32 {
        let c = CivilDate(dayNumber: dob).components
        let d = CivilDate(year: c.year + 4, month: c.month, day: c.day) ?? CivilDate(year: c.year + 4, month: 3, day: 1)!
        return d.dayNumber
    }

    /// A new victim–perpetrator pair, sometimes sharing a person with a recent pair.
    mutating func newDyad(today: CivilDate) -> Dyad {
        let u = rng.below(100)
        var d: Dyad
        if u < 4, recent.count >= 16 {
            // A recent perpetrator with a new victim in another household.
            let other = recent[rng.below(recent.count)]
            let victimFemale = other.perpetrator.female ? rng.chance(0.1) : rng.chance(0.95)
            let age = adultAge()
            let victim = adult(female: victimFemale, age: age, today: today, unknownRate: 0.01)
            let home = newHome(area: rng.chance(0.7) ? Places.area(ofPostcode: other.home.postcode) : nil)
            d = Dyad(
                victim: victim, perpetrator: other.perpetrator, home: home,
                relationship: rng.chance(0.7) ? .partner : .exPartner, children: ChildSet(), remaining: 0,
                gapDays: 0, pregnantUntil: Int32.min)
            d.children =
                rng.chance(0.5) && other.children.count > 0
                ? other.children
                : (rng.chance(0.4)
                    ? newChildren(victim: victim, victimAge: age, area: Places.area(ofPostcode: home.postcode), today: today)
                    : ChildSet())
        } else if u < 7, recent.count >= 16 {
            // A recent victim with a new perpetrator; often moved, children kept.
            let other = recent[rng.below(recent.count)]
            let perpAge = Swift.max(16, adultAge() + rng.int(in: -2...6))
            let perp = adult(
                female: other.victim.female ? rng.chance(0.05) : rng.chance(0.8), age: perpAge, today: today, unknownRate: 0.03)
            let home = rng.chance(0.6) ? newHome(area: Places.area(ofPostcode: other.home.postcode)) : other.home
            d = Dyad(
                victim: other.victim, perpetrator: perp, home: home,
                relationship: rng.chance(0.8) ? .partner : .exPartner, children: other.children, remaining: 0,
                gapDays: 0, pregnantUntil: Int32.min)
        } else {
            d = freshDyad(today: today)
        }
        if d.victim.female, d.victim.dob != Int32.min, rng.chance(0.07) {
            let age = CivilDate(dayNumber: d.victim.dob).age(on: today)
            if (16...45).contains(age) { d.pregnantUntil = today.dayNumber + Int32(rng.int(in: 14...270)) }
        }
        if rng.chance(0.25) {
            let v = rng.below(100)
            let (k, gap): (Int, Float) =
                switch v {
                case ..<60: (1, 75)
                case ..<80: (2, 60)
                case ..<90: (rng.int(in: 3...4), 45)
                case ..<97: (rng.int(in: 5...9), 30)
                default: (rng.int(in: 10...25), 18)
                }
            d.remaining = UInt16(k)
            d.gapDays = gap
        }
        return d
    }

    /// A pair of new people in a new household.
    mutating func freshDyad(today: CivilDate) -> Dyad {
        let rel = IncidentGenerator.relationshipOrder[rng.pick(IncidentGenerator.relationshipWeights)]
        var victimAge = adultAge()
        var perpAge: Int
        let victimFemale: Bool
        let perpFemale: Bool
        var childChance = 0.52
        switch rel {
        case .partner, .exPartner, .other:
            victimFemale = rng.chance(0.8)
            perpFemale = rng.chance(0.05) ? victimFemale : !victimFemale
            perpAge = Swift.max(16, Swift.min(85, victimAge + rng.int(in: -4...8)))
            if rel == .other { childChance = 0.2 }
        case .parent:  // the perpetrator is the victim's parent
            victimAge = rng.int(in: 16...30)
            perpAge = victimAge + rng.int(in: 20...35)
            victimFemale = rng.chance(0.6)
            perpFemale = rng.chance(0.35)
            childChance = 0.15
        case .child:  // the perpetrator is the victim's adult child
            perpAge = rng.int(in: 16...35)
            victimAge = perpAge + rng.int(in: 18...35)
            victimFemale = rng.chance(0.7)
            perpFemale = rng.chance(0.25)
            childChance = 0.2
        case .sibling, .otherFamily:
            perpAge = Swift.max(16, victimAge + rng.int(in: -8...8))
            victimFemale = rng.chance(0.6)
            perpFemale = rng.chance(0.3)
            childChance = 0.3
        }
        let victim = adult(female: victimFemale, age: victimAge, today: today, unknownRate: 0.01)
        let perp = adult(female: perpFemale, age: perpAge, today: today, unknownRate: 0.03)
        let home = newHome(area: nil)
        let children =
            rng.chance(childChance)
            ? newChildren(victim: victim, victimAge: victimAge, area: Places.area(ofPostcode: home.postcode), today: today)
            : ChildSet()
        return Dyad(
            victim: victim, perpetrator: perp, home: home, relationship: rel, children: children, remaining: 0,
            gapDays: 0, pregnantUntil: Int32.min)
    }

    /// Changes between a pair's incidents: a move, a separation, a new pregnancy.
    mutating func evolveOnRepeat(_ d: inout Dyad, today: CivilDate) {
        if rng.chance(0.05) {
            d.home = newHome(area: rng.chance(0.7) ? Places.area(ofPostcode: d.home.postcode) : nil)
        }
        if d.relationship == .partner, rng.chance(0.1) { d.relationship = .exPartner }
        if d.pregnantUntil < today.dayNumber, d.victim.female, d.victim.dob != Int32.min, rng.chance(0.02) {
            let age = CivilDate(dayNumber: d.victim.dob).age(on: today)
            if (16...45).contains(age) { d.pregnantUntil = today.dayNumber + Int32(rng.int(in: 30...270)) }
        }
    }
}
