extension PolicyValidator {
    /// Every field a destination may be sent, in output order.
    static let fieldVocabulary = [
        "incident_id", "occurred_at", "uprn", "postcode", "household_id", "victim_id", "victim_name", "victim_dob",
        "victim_pregnant", "perpetrator_id", "perpetrator_name", "perpetrator_dob", "relationship", "dash_risk",
        "dash_score", "flags", "location", "circumstances", "child_id", "child_name", "child_dob", "child_present",
        "child_school_urn", "child_injured", "child_education", "child_voice", "priority", "notify_by", "rules", "reasons", "history",
    ]

    /// Stands in for a deadline that was refused (the error is already recorded, so the policy is never
    /// built), so that the rules routed to its destination do not each report a missing deadline too.
    static let refusedDeadline = DeadlineRule.hours(1)

    mutating func deadlineRule(_ node: YAMLNode, what: String) -> DeadlineRule {
        if let s = node.string {
            if s == "next_school_day" { return .nextSchoolDay }
            fail(
                "unknown deadline \(PolicyError.quoted(s)) for \(what): expected next_school_day, {working_days: N} or {hours: N}",
                node)
            return PolicyValidator.refusedDeadline
        }
        guard let entries = node.entries, entries.count == 1 else {
            fail("deadline for \(what) must be next_school_day, {working_days: N} or {hours: N}", node)
            return PolicyValidator.refusedDeadline
        }
        let e = entries[0]
        switch e.key {
        case "working_days":
            return integer(e.value, what: "working_days", in: PolicyLimits.workingDays).map { .workingDays($0) }
                ?? PolicyValidator.refusedDeadline
        case "hours":
            return integer(e.value, what: "hours", in: PolicyLimits.hours).map { .hours($0) } ?? PolicyValidator.refusedDeadline
        case "next_school_day":
            return .nextSchoolDay
        default:
            fail(
                "unknown deadline kind \(PolicyError.quoted(e.key)) for \(what): expected next_school_day, working_days or hours",
                at: e.keyLocation)
            return PolicyValidator.refusedDeadline
        }
    }

    mutating func validateDestinations(_ node: YAMLNode?) -> [Destination] {
        var result: [Destination] = []
        if let node, node.items?.isEmpty ?? node.isNull {
            fail("'destinations' must list at least one destination", node)
        }
        for item in list(node, what: "destinations") {
            let entries = mapping(item, what: "a destination", allowed: ["id", "description", "deadline", "fields"])
            let get = { (key: String) in entries.first { $0.key == key }?.value }
            guard let id = text(get("id"), what: "destination id") else {
                if get("id") == nil { fail("destination needs an 'id'", item) }
                continue
            }
            if result.contains(where: { $0.id == id }) {
                fail("duplicate destination id \(PolicyError.quoted(id))", get("id")!)
                continue
            }
            var dest = Destination(
                id: id, description: text(get("description"), what: "description") ?? id, deadline: nil,
                byPriority: [nil, nil, nil], fields: [])
            if let d = get("deadline") {
                if let e = d.entries, e.contains(where: { ["red", "amber", "green", "default"].contains($0.key) }) {
                    for entry in mapping(d, what: "deadline by priority", allowed: ["red", "amber", "green", "default"]) {
                        let rule = deadlineRule(entry.value, what: "\(id) \(entry.key)")
                        if let p = Priority(rawValue: entry.key) {
                            dest.byPriority[p.rank - 1] = rule
                        } else {
                            dest.deadline = rule
                        }
                    }
                } else {
                    dest.deadline = deadlineRule(d, what: id)
                }
            } else {
                fail("destination \(PolicyError.quoted(id)) needs a 'deadline'", item)
            }
            if let f = get("fields") {
                if f.string == "all" {
                    dest.fields = PolicyValidator.fieldVocabulary
                } else {
                    var fields: [String] = []
                    for field in list(f, what: "fields") {
                        guard let name = field.string, PolicyValidator.fieldVocabulary.contains(name) else {
                            var message = "unknown field \(found(field)) for destination \(PolicyError.quoted(id))"
                            if let s = field.string.flatMap({ closestName(to: $0, among: PolicyValidator.fieldVocabulary) }) {
                                message += " (did you mean '\(s)'?)"
                            }
                            fail(message, field)
                            continue
                        }
                        fields.append(name)
                    }
                    // Output in vocabulary order, whatever order the file lists them in.
                    dest.fields = PolicyValidator.fieldVocabulary.filter { fields.contains($0) }
                }
            } else {
                fail("destination \(PolicyError.quoted(id)) needs 'fields' (the fields it may receive, or 'all')", item)
            }
            result.append(dest)
        }
        return result
    }
}
