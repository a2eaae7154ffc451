/// A field a destination may receive (the `fields:` list of a destination in the policy).
package enum OutputField: String, CaseIterable, Sendable {
    case incidentID = "incident_id", occurredAt = "occurred_at", uprn, postcode, householdID = "household_id"
    case victimID = "victim_id", victimName = "victim_name", victimDOB = "victim_dob", victimPregnant = "victim_pregnant"
    case perpetratorID = "perpetrator_id", perpetratorName = "perpetrator_name", perpetratorDOB = "perpetrator_dob"
    case relationship, dashRisk = "dash_risk", dashScore = "dash_score", flags, location, circumstances
    case childID = "child_id", childName = "child_name", childDOB = "child_dob", childPresent = "child_present"
    case childSchoolURN = "child_school_urn", childInjured = "child_injured", childEducation = "child_education"
    case childVoice = "child_voice"
    case priority, notifyBy = "notify_by", rules, reasons, history

    var isChildField: Bool {
        switch self {
        case .childID, .childName, .childDOB, .childPresent, .childSchoolURN, .childInjured, .childEducation, .childVoice:
            true
        default: false
        }
    }
    /// Route metadata every destination gets (no personal data).
    var isRouteField: Bool { self == .priority || self == .notifyBy || self == .rules }
    var isRich: Bool { self == .reasons || self == .history }
}

/// Writes the routes for one destination, holding only the fields that destination may receive: CSV when
/// its fields are flat, JSON Lines when it receives reasons or history.
package struct DestinationWriter {
    package let destination: String
    package let fields: [OutputField]
    package let isJSON: Bool
    package let policy: Policy
    package let asOf: Instant?
    let encoder: DecisionEncoder
    let childFields: [OutputField]
    /// `,"field":` for each incident-level JSON field, and `"field":` for each child field, made once.
    let jsonKeys: [[UInt8]]
    let childJSONKeys: [[UInt8]]

    package init(destination: Destination, policy: Policy, asOf: Instant?) {
        self.destination = destination.id
        self.fields = destination.fields.compactMap(OutputField.init(rawValue:)).filter { !$0.isRouteField }
        self.isJSON = fields.contains { $0.isRich }
        self.policy = policy
        self.asOf = asOf
        self.encoder = DecisionEncoder(policy: policy, asOf: asOf)
        self.childFields = fields.filter(\.isChildField)
        func key(_ f: OutputField) -> [UInt8] {
            var w = ByteWriter(capacity: 32)
            w.jsonString(f.rawValue)
            w.byte(UInt8(ascii: ":"))
            return w.bytes
        }
        self.jsonKeys = fields.filter { !$0.isChildField && !$0.isRich }.map { [UInt8(ascii: ",")] + key($0) }
        self.childJSONKeys = childFields.map(key)
    }

    package var fileName: String { destination + (isJSON ? ".jsonl" : ".csv") }

    /// The CSV columns: route columns first, then the allowed fields.
    package var columnNames: [String] {
        ["to", "priority", "notify_by"] + (asOf != nil ? ["overdue"] : []) + ["rules", "resend"] + fields.map(\.rawValue)
    }

    /// The CSV header row (see ``columnNames``).
    package func header(into w: inout ByteWriter) {
        guard !isJSON else { return }
        w.text(columnNames.joined(separator: ","))
        w.raw("\r\n")
    }

    /// One row (CSV) or line (JSON) for a route of a decision.
    package func write(_ d: Decision, _ r: Route, into w: inout ByteWriter) {
        var scratch = EncoderScratch()
        write(d, r, into: &w, scratch: &scratch)
    }

    /// ``write(_:_:into:)`` with the buffers reasons are worded in kept by the caller, from one route to the
    /// next.
    package func write(_ d: Decision, _ r: Route, into w: inout ByteWriter, scratch: inout EncoderScratch) {
        if isJSON { writeJSON(d, r, &w, &scratch) } else { writeCSV(d, r, &w) }
    }

    /// A field's value as its CSV holds it (before quoting), or `nil` for an empty field.
    package func text(_ f: OutputField, _ d: Decision, child: Child?) -> String? {
        let i = d.incident
        switch f {
        case .incidentID: return i.incidentID
        case .occurredAt: return policy.zone.iso8601(i.occurredAt)
        case .uprn: return i.uprn
        case .postcode: return i.postcode
        case .householdID: return i.householdID
        case .victimID: return i.victim.personID
        case .victimName: return i.victim.name
        case .victimDOB: return i.victim.dateOfBirth?.description
        case .victimPregnant: return i.victim.pregnant ? "true" : "false"
        case .perpetratorID: return i.perpetrator?.personID
        case .perpetratorName: return i.perpetrator?.name
        case .perpetratorDOB: return i.perpetrator?.dateOfBirth?.description
        case .relationship: return i.relationship?.rawValue
        case .dashRisk: return i.dashRisk.rawValue
        case .dashScore: return i.dashScore.map(String.init)
        case .flags: return (i.flags.names + i.unknownFlags).joined(separator: ";")
        case .location: return i.location
        case .circumstances: return i.circumstances
        case .childID: return child?.personID
        case .childName: return child?.name
        case .childDOB: return child?.dateOfBirth?.description
        case .childPresent: return child.map { $0.present ? "true" : "false" }
        case .childSchoolURN: return child?.schoolURN
        case .childInjured: return child.map { $0.injured ? "true" : "false" }
        case .childEducation: return child?.education?.rawValue
        case .childVoice: return child?.voice
        case .priority, .notifyBy, .rules, .reasons, .history: return nil
        }
    }

    func writeCSV(_ d: Decision, _ r: Route, _ w: inout ByteWriter) {
        let child = r.childIndex.map { d.incident.children[$0] }
        w.csvField(r.destination)
        w.byte(UInt8(ascii: ","))
        w.csvField(r.priority?.rawValue ?? "")
        w.byte(UInt8(ascii: ","))
        w.iso8601(r.notifyBy, policy.zone)
        if let asOf {
            w.raw(r.notifyBy < asOf ? ",true," : ",false,")
        } else {
            w.byte(UInt8(ascii: ","))
        }
        w.csvField(joining: r.rules, separator: UInt8(ascii: ";"))
        // A re-sent notification updates the record of the earlier one: the agency must not log it as new.
        w.raw(d.duplicate ? ",true" : ",false")
        for f in fields {
            w.byte(UInt8(ascii: ","))
            // Dates and times have nothing to quote: written as bytes, with no `String` made.
            switch f {
            case .flags where d.incident.unknownFlags.isEmpty:
                // Known flags' names need no quoting (lower-case letters and `_`): written one by one.
                d.incident.flags.forEachName { i, name in
                    if i > 0 { w.byte(UInt8(ascii: ";")) }
                    w.text(name)
                }
            case .occurredAt: w.iso8601(d.incident.occurredAt, policy.zone)
            case .victimDOB: if let dob = d.incident.victim.dateOfBirth { w.date(dob) }
            case .perpetratorDOB: if let dob = d.incident.perpetrator?.dateOfBirth { w.date(dob) }
            case .childDOB: if let dob = child?.dateOfBirth { w.date(dob) }
            default: if let v = text(f, d, child: child) { w.csvField(v) }
            }
        }
        w.raw("\r\n")
    }

    func writeJSON(_ d: Decision, _ r: Route, _ w: inout ByteWriter, _ scratch: inout EncoderScratch) {
        w.raw("{\"route\":")
        encoder.writeRoute(r, &w, &scratch)
        w.raw(d.duplicate ? ",\"resend\":true" : ",\"resend\":false")
        // Values are written straight into the line (dates, times, numbers, flags): no `String` per field.
        var k = 0
        for f in fields where !f.isChildField && !f.isRich {
            w.bytes.append(contentsOf: jsonKeys[k])
            k += 1
            switch f {
            case .occurredAt: quoted(&w) { $0.iso8601(d.incident.occurredAt, policy.zone) }
            case .victimDOB: date(d.incident.victim.dateOfBirth, &w)
            case .perpetratorDOB: date(d.incident.perpetrator?.dateOfBirth, &w)
            case .dashScore:
                if let s = d.incident.dashScore { w.int(s) } else { w.raw("null") }
            case .victimPregnant: w.jsonBool(d.incident.victim.pregnant)
            case .flags:
                w.byte(UInt8(ascii: "["))
                // Known names in their fixed order, then unknown ones: no array of names made per line.
                var n = 0
                d.incident.flags.forEachName { i, name in
                    if i > 0 { w.byte(UInt8(ascii: ",")) }
                    w.jsonString(name)
                    n = i + 1
                }
                for name in d.incident.unknownFlags {
                    if n > 0 { w.byte(UInt8(ascii: ",")) }
                    n += 1
                    w.jsonString(name)
                }
                w.byte(UInt8(ascii: "]"))
            default: w.jsonOptionalString(text(f, d, child: nil))
            }
        }
        if !childFields.isEmpty {
            w.raw(",\"children\":[")
            var n = 0
            for ci in d.incident.children.indices where r.childIndex == nil || r.childIndex == ci {
                if n > 0 { w.byte(UInt8(ascii: ",")) }
                n += 1
                let child = d.incident.children[ci]
                w.byte(UInt8(ascii: "{"))
                for (k, f) in childFields.enumerated() {
                    if k > 0 { w.byte(UInt8(ascii: ",")) }
                    w.bytes.append(contentsOf: childJSONKeys[k])
                    switch f {
                    case .childPresent: w.jsonBool(child.present)
                    case .childInjured: w.jsonBool(child.injured)
                    case .childDOB: date(child.dateOfBirth, &w)
                    default: w.jsonOptionalString(text(f, d, child: child))
                    }
                }
                w.byte(UInt8(ascii: "}"))
            }
            w.byte(UInt8(ascii: "]"))
        }
        if fields.contains(.reasons) {
            w.raw(",\"reasons\":[")
            var first = true
            d.forEachReasonText(of: r, scratch: &scratch) { rule, childID, text in
                encoder.writeReason(rule: rule, childID: childID, text: text, first: first, &w)
                first = false
            }
            w.byte(UInt8(ascii: "]"))
        }
        if fields.contains(.history) {
            w.raw(",\"history\":")
            encoder.writeHistory(d.history, &w)
        }
        w.raw("}\n")
    }

    /// A JSON date string, or `null`.
    private func date(_ d: CivilDate?, _ w: inout ByteWriter) {
        guard let d else { return w.raw("null") }
        quoted(&w) { $0.date(d) }
    }

    /// Text that needs no escaping (dates, times), between quotes.
    private func quoted(_ w: inout ByteWriter, _ body: (inout ByteWriter) -> Void) {
        w.byte(UInt8(ascii: "\""))
        body(&w)
        w.byte(UInt8(ascii: "\""))
    }
}
