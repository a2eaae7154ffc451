extension Policy {
    /// The policy in plain English: calendar, history, destinations and one line per rule.
    public var explanation: String {
        var s = "Policy '\(name)' (version \(version), hash \(hash)), times in \(zone.identifier).\n"
        let days = { (mask: UInt8) in
            PolicyValidator.dayNames.enumerated().filter { mask & (1 << UInt8($0.offset + 1)) != 0 }.map(\.element)
                .joined(separator: ", ")
        }
        s += "School days: \(days(calendar.schoolDays)), starting \(clock(calendar.schoolDayStart)). "
        s += "Working days: \(days(calendar.workingDays)), ending \(clock(calendar.workingDayEnd)).\n"
        s += "\(calendar.bankHolidays.count) bank holidays and \(calendar.schoolClosures.count) school closures.\n"
        s +=
            "History: incidents in the last \(history.windowDays) days count; an incident's weight halves every \(oneDecimal(history.halfLifeDays)) days; "
            + "an incident up to \(history.lateDays) days behind the latest still finds all its history; "
            + "incident ids are remembered for \(history.rememberDays) days.\n"
        s += "\nDestinations:\n"
        for d in destinations {
            var deadlines: [String] = []
            for p in Priority.allCases {
                if let r = d.byPriority[p.rank - 1] { deadlines.append("\(p.rawValue): \(r)") }
            }
            if let r = d.deadline { deadlines.append(deadlines.isEmpty ? "\(r)" : "otherwise: \(r)") }
            s += "  \(d.id): \(d.description); by \(deadlines.joined(separator: ", ")); receives \(d.fields.joined(separator: ", "))\n"
        }
        s += "\nRules (in order):\n"
        for r in rules {
            let to = r.destinations.map { destinations[$0].id }.joined(separator: " and ")
            let scope = r.scope == .child ? "for each child, " : ""
            let when = r.condition.english
            let priority = r.priority.map { " (\($0.rawValue))" } ?? ""
            s += "  \(r.id): \(scope)\(when.isEmpty ? "always" : "when \(when)") -> \(to)\(priority). \(r.description)\n"
        }
        s += "\nAn incident no rule routes is screened out: \(screenedOutReason).\n"
        return s
    }

    private func clock(_ seconds: Int32) -> String {
        let h = Int(seconds) / 3600
        let m = Int(seconds) / 60 % 60
        return (h < 10 ? "0" : "") + "\(h):" + (m < 10 ? "0" : "") + "\(m)"
    }
}

extension Condition {
    /// The condition in words (`dash_risk is high and children_present is at least 1`).
    var english: String {
        switch self {
        case .always: return ""
        case .all(let cs): return cs.map { $0.nested }.joined(separator: " and ")
        case .any(let cs): return cs.map { $0.nested }.joined(separator: " or ")
        case .not(let c): return "not (\(c.english))"
        case .leaf(let l): return l.english
        }
    }

    private var nested: String {
        switch self {
        case .all, .any: return "(\(english))"
        default: return english
        }
    }
}

extension Leaf {
    /// The leaf in words.
    var english: String {
        let f = fact.name
        func value(_ v: Double) -> String {
            switch fact.kind {
            case .grading: return DashRisk.allCases.first { Double($0.rank) == v }?.rawValue ?? "?"
            case .relationship: return Relationship.allCases[Int(v)].rawValue
            case .education: return Education.allCases[Int(v)].rawValue
            case .bool: return v == 1 ? "true" : "false"
            default: return v == v.rounded() ? String(Int(v)) : oneDecimal(v)
            }
        }
        let vs = operands.map(value) + texts
        switch op {
        case .eq: return "\(f) is \(vs.first ?? "")"
        case .ne: return "\(f) is not \(vs.first ?? "")"
        case .lt: return "\(f) is under \(vs.first ?? "")"
        case .lte: return "\(f) is at most \(vs.first ?? "")"
        case .gt: return "\(f) is over \(vs.first ?? "")"
        case .gte: return "\(f) is at least \(vs.first ?? "")"
        case .between: return "\(f) is between \(vs[0]) and \(vs[1])"
        case .in: return "\(f) is one of \(vs.joined(separator: ", "))"
        case .present: return "\(f) is known"
        case .absent: return "\(f) is missing"
        case .has: return "flagged \(flags.names.joined(separator: " and "))"
        }
    }
}
