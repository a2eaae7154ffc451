import NotificationTriage

/// Builds incidents for scenario tables with readable defaults.
package enum Build {
    package static let london = ZoneRules(identifier: "Europe/London")!

    /// A local London time `YYYY-MM-DD HH:MM`.
    package static func at(_ text: String) -> Instant {
        let parts = text.split(separator: " ")
        let d = parts[0].split(separator: "-").map { Int($0)! }
        let t = parts.count > 1 ? parts[1].split(separator: ":").map { Int($0)! } : [12, 0]
        let date = CivilDate(year: d[0], month: d[1], day: d[2])!
        return london.instant(LocalDateTime(date: date, secondOfDay: Int32(t[0] * 3600 + t[1] * 60)))
    }

    package static func date(_ text: String) -> CivilDate {
        let d = text.split(separator: "-").map { Int($0)! }
        return CivilDate(year: d[0], month: d[1], day: d[2])!
    }

    package static func child(
        _ id: String, dob: String?, present: Bool = false, urn: String? = nil, injured: Bool = false,
        education: Education? = nil
    ) -> Child {
        Child(
            personID: id, name: "Child \(id)", dateOfBirth: dob.map(date), present: present, schoolURN: urn, injured: injured,
            education: education)
    }

    package static func incident(
        _ id: String, at time: String, household: String = "H1", victim: String = "V1", perpetrator: String? = "P1",
        risk: DashRisk = .standard, score: Int? = nil, flags: RiskFlags = [], pregnant: Bool = false,
        children: [Child] = []
    ) -> Incident {
        Incident(
            incidentID: id, occurredAt: at(time), uprn: nil, postcode: "NN1 1AA", householdID: household,
            victim: Person(personID: victim, name: "Victim \(victim)", dateOfBirth: date("1990-05-05"), pregnant: pregnant),
            perpetrator: perpetrator.map { Person(personID: $0, name: "Perp \($0)", dateOfBirth: date("1988-01-01")) },
            relationship: .partner, dashRisk: risk, dashScore: score, flags: flags, children: children)
    }
}
