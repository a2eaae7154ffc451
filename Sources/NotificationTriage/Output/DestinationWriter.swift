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
/// its fields are flat, JSON Lines when it receives reasons or history. A class: it is read for every route
/// and holds only constants, so it is shared rather than copied.
package final class DestinationWriter: Sendable {
    package let destination: String
    package let fields: [OutputField]
    package let isJSON: Bool
    package let policy: Policy
    /// The policy's zone, kept: reading it from the policy copies it (retaining its tables), per field.
    let zone: ZoneRules
    package let asOf: Instant?
    let encoder: DecisionEncoder
    let childFields: [OutputField]
    /// The incident-level fields of a JSON line (neither a child's nor reasons or history).
    let incidentJSONFields: [OutputField]
    /// `,"field":` for each of `incidentJSONFields`, then `"field":` for each of `childFields`, end to end,
    /// made once; the k-th ends at `keyEnds[k]`.
    let keyBytes: [UInt8]
    let keyEnds: [Int]
    /// The bytes of the incident-level keys, and of the child keys, in `keyBytes`.
    let incidentKeysLength: Int
    let childKeysLength: Int
    let hasReasons: Bool
    let hasHistory: Bool
    /// The most times one field is listed: the factor of the lines' bounds (a policy lists each once, but a
    /// destination made in code may repeat one).
    let fieldRepeats: Int
    /// The policy's rule ids, by index (a kept reason names its rule by index).
    let ruleIDs: [String]

    package init(destination: Destination, policy: Policy, asOf: Instant?) {
        self.destination = destination.id
        self.fields = destination.fields.compactMap(OutputField.init(rawValue:)).filter { !$0.isRouteField }
        self.isJSON = fields.contains { $0.isRich }
        self.policy = policy
        self.zone = policy.zone
        self.asOf = asOf
        self.encoder = DecisionEncoder(policy: policy, asOf: asOf)
        self.childFields = fields.filter(\.isChildField)
        self.incidentJSONFields = fields.filter { !$0.isChildField && !$0.isRich }
        self.hasReasons = fields.contains(.reasons)
        self.hasHistory = fields.contains(.history)
        self.fieldRepeats = Dictionary(fields.map { ($0, 1) }, uniquingKeysWith: +).values.max() ?? 1
        self.ruleIDs = policy.rules.map(\.id)
        var w = ByteWriter(capacity: 256)
        var ends: [Int] = []
        for f in incidentJSONFields {
            w.byte(UInt8(ascii: ","))
            w.jsonString(f.rawValue)
            w.byte(UInt8(ascii: ":"))
            ends.append(w.bytes.count)
        }
        self.incidentKeysLength = w.bytes.count
        for f in childFields {
            w.jsonString(f.rawValue)
            w.byte(UInt8(ascii: ":"))
            ends.append(w.bytes.count)
        }
        self.childKeysLength = w.bytes.count - incidentKeysLength
        self.keyBytes = w.bytes
        self.keyEnds = ends
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
        withUnsafePointer(to: r) { write(d, route: $0, routeIndex: -1, into: &w, scratch: &scratch, worded: nil, decision: 0) }
    }

    /// ``write(_:_:into:scratch:)`` for route `n` of decision `k` of a batch whose decision lines kept their
    /// routes, reasons and history in `worded`: those are copied, not written again (a decision `worded` does
    /// not hold is written). The route is read where it lies: passed by value, even from its array, it was
    /// copied (its strings and rule list retained and released).
    package func write(
        _ d: Decision, route r: UnsafePointer<Route>, routeIndex n: Int, into w: inout ByteWriter,
        scratch: inout EncoderScratch, worded: WordedBatch?, decision k: Int
    ) {
        if isJSON { writeJSON(d, r, n, &w, &scratch, worded, k) } else { writeCSV(d, r, &w, &scratch) }
    }

    /// Whether its lines copy what a decision line writes (they are JSON: routes, reasons, history), which
    /// ``WordedBatch`` keeps.
    package var copiesWording: Bool { isJSON }

    /// A field's value as its CSV holds it (before quoting), or `nil` for an empty field.
    package func text(_ f: OutputField, _ d: Decision, child: Child?) -> String? {
        let i = d.incident
        switch f {
        case .incidentID: return i.incidentID
        case .occurredAt: return zone.iso8601(i.occurredAt)
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

    // Each row, and each JSON line's fields, is one piece: its bound is summed from the fields' lengths
    // first, then it is written through a cursor, without a capacity check per field.

    /// A field of child `ci` (nil without one), read in place (``Incident/childField(_:_:)``).
    @inline(__always)
    private static func child<T>(_ i: Incident, _ ci: Int?, _ field: (UnsafePointer<Child>) -> T?) -> T? {
        guard let ci else { return nil }
        return i.childField(ci, field)
    }

    /// The most bytes ``put(_:_:child:_:)`` writes for every incident-level field of `i`, each once: a bound
    /// for any set of them (a destination's, each field at most ``fieldRepeats`` times). Summed over the
    /// incident once per line rather than field by field through a switch (about 40 instructions a field).
    private static func incidentBound(_ i: Incident) -> Int {
        var n = ByteCursor.textBound(i.incidentID) &+ ByteCursor.textBound(i.uprn) &+ ByteCursor.textBound(i.postcode)
        n &+= ByteCursor.textBound(i.householdID) &+ ByteCursor.textBound(i.victim.personID)
        n &+= ByteCursor.textBound(i.victim.name) &+ ByteCursor.textBound(i.location) &+ ByteCursor.textBound(i.circumstances)
        if let p = i.perpetrator {
            n &+= ByteCursor.textBound(p.personID) &+ ByteCursor.textBound(p.name)
        } else {
            n &+= 2 &* ByteCursor.textBound(nil)
        }
        n &+= i.unknownFlags.reduce(DestinationWriter.knownFlagsBound) { $0 &+ ByteCursor.textBound($1) &+ 1 }
        return n &+ DestinationWriter.incidentFixedBound
    }

    /// The incident-level fields of a bounded width: `occurred_at` (quoted), two dates (quoted), the DASH score,
    /// and `relationship`, `dash_risk` and `victim_pregnant` (32 each, as a name or a boolean, quoted).
    private static let incidentFixedBound =
        (ZoneRules.maxISO8601Count + 2) + 2 * (ByteCursor.maxDateCount + 2) + ByteCursor.maxIntCount + 3 * 32

    /// The most bytes ``put(_:_:child:_:)`` writes for every field of child `ci` (nil without one, when each
    /// is empty or `null`), each once (see ``incidentBound(_:)``). Read in place.
    private static func childBound(_ i: Incident, _ ci: Int?) -> Int {
        // The date (quoted), and `child_present`, `child_injured` and `child_education` (32 each).
        let fixed = (ByteCursor.maxDateCount + 2) + 3 * 32
        guard let ci else { return 4 &* ByteCursor.textBound(nil) &+ fixed }
        return i.childField(ci) { c in
            ByteCursor.textBound(c.pointee.personID) &+ ByteCursor.textBound(c.pointee.name)
                &+ ByteCursor.textBound(c.pointee.schoolURN) &+ ByteCursor.textBound(c.pointee.voice) &+ fixed
        }
    }

    /// Every known flag's name, quoted and separated: the most the known flags of a field take (each unknown
    /// one takes at most `6n + 5` more: escaped, quoted and separated in JSON; in CSV, where the field is
    /// quoted when one needs it, its quotes doubled).
    private static let knownFlagsBound = RiskFlags.named.reduce(0) { $0 + $1.name.utf8.count + 3 } + 2

    /// A field's value: in a CSV row as ``text(_:_:child:)`` gives it, quoted as it needs (nothing when
    /// empty); in a JSON line as a JSON value (`null` when empty). At most its share of
    /// ``incidentBound(_:)`` or ``childBound(_:_:)``.
    private func put(_ f: OutputField, _ i: Incident, child ci: Int?, _ c: inout ByteCursor) {
        @inline(__always) func string(_ s: String?, _ c: inout ByteCursor) {
            if isJSON { c.jsonOptionalString(s) } else if let s { c.csvField(s) }
        }
        @inline(__always) func date(_ d: CivilDate?, _ c: inout ByteCursor) {
            guard let d else { return isJSON ? c.put("null") : () }
            if isJSON { c.put(UInt8(ascii: "\"")) }
            c.anyDate(d)
            if isJSON { c.put(UInt8(ascii: "\"")) }
        }
        switch f {
        case .incidentID: string(i.incidentID, &c)
        case .occurredAt:
            if isJSON { c.put(UInt8(ascii: "\"")) }
            zone.putISO8601(i.occurredAt, &c)
            if isJSON { c.put(UInt8(ascii: "\"")) }
        case .uprn: string(i.uprn, &c)
        case .postcode: string(i.postcode, &c)
        case .householdID: string(i.householdID, &c)
        case .victimID: string(i.victim.personID, &c)
        case .victimName: string(i.victim.name, &c)
        case .victimDOB: date(i.victim.dateOfBirth, &c)
        case .victimPregnant: c.bool(i.victim.pregnant)
        case .perpetratorID: string(i.perpetrator?.personID, &c)
        case .perpetratorName: string(i.perpetrator?.name, &c)
        case .perpetratorDOB: date(i.perpetrator?.dateOfBirth, &c)
        case .relationship: string(i.relationship?.rawValue, &c)
        case .dashRisk: string(i.dashRisk.rawValue, &c)
        case .dashScore:
            if let v = i.dashScore { c.int(v) } else if isJSON { c.put("null") }
        case .flags: putFlags(i, &c)
        case .location: string(i.location, &c)
        case .circumstances: string(i.circumstances, &c)
        case .childID: string(DestinationWriter.child(i, ci) { $0.pointee.personID }, &c)
        case .childName: string(DestinationWriter.child(i, ci) { $0.pointee.name }, &c)
        case .childDOB: date(DestinationWriter.child(i, ci) { $0.pointee.dateOfBirth }, &c)
        case .childPresent:
            if let v = DestinationWriter.child(i, ci, { $0.pointee.present }) { c.bool(v) } else if isJSON { c.put("null") }
        case .childSchoolURN: string(DestinationWriter.child(i, ci) { $0.pointee.schoolURN }, &c)
        case .childInjured:
            if let v = DestinationWriter.child(i, ci, { $0.pointee.injured }) { c.bool(v) } else if isJSON { c.put("null") }
        case .childEducation: string(DestinationWriter.child(i, ci) { $0.pointee.education?.rawValue }, &c)
        case .childVoice: string(DestinationWriter.child(i, ci) { $0.pointee.voice }, &c)
        case .priority, .notifyBy, .rules, .reasons, .history: break
        }
    }

    /// The flags: known names in their fixed order, then unknown ones; a JSON array, or one CSV field
    /// joined by `;` (known names need no quoting, so they are written one by one).
    private func putFlags(_ i: Incident, _ c: inout ByteCursor) {
        if isJSON {
            c.put(UInt8(ascii: "["))
            var n = 0
            i.flags.forEachName { k, name in
                if k > 0 { c.put(UInt8(ascii: ",")) }
                c.jsonString(name)
                n = k + 1
            }
            for name in i.unknownFlags {
                if n > 0 { c.put(UInt8(ascii: ",")) }
                n += 1
                c.jsonString(name)
            }
            c.put(UInt8(ascii: "]"))
        } else if i.unknownFlags.isEmpty {
            i.flags.forEachName { k, name in
                if k > 0 { c.put(UInt8(ascii: ";")) }
                name.withUTF8Bytes { c.put($0) }
            }
        } else {
            c.csvField(joining: i.flags.names + i.unknownFlags, separator: UInt8(ascii: ";"))
        }
    }

    func writeCSV(_ d: Decision, _ r: UnsafePointer<Route>, _ w: inout ByteWriter, _ scratch: inout EncoderScratch) {
        let child = r.pointee.childIndex
        var n = 32 + ByteCursor.textBound(r.pointee.destination) + ZoneRules.maxISO8601Count + ByteCursor.csvBound(joining: r.pointee.rules)
        let incident = DestinationWriter.incidentBound(d.incident) &+ DestinationWriter.childBound(d.incident, child)
        n &+= fields.count &+ fieldRepeats &* incident
        w.write(atMost: n) { c in
            c.csvField(r.pointee.destination)
            c.put(UInt8(ascii: ","))
            if let p = r.pointee.priority { c.csvField(p.rawValue) }
            c.put(UInt8(ascii: ","))
            scratch.deadlines.put(r.pointee.notifyBy, zone: zone, &c)
            if let asOf {
                c.put(r.pointee.notifyBy < asOf ? ",true," : ",false,")
            } else {
                c.put(UInt8(ascii: ","))
            }
            c.csvField(joining: r.pointee.rules, separator: UInt8(ascii: ";"))
            // A re-sent notification updates the record of the earlier one: the agency must not log it as new.
            c.put(d.duplicate ? ",true" : ",false")
            for f in fields {
                c.put(UInt8(ascii: ","))
                put(f, d.incident, child: child, &c)
            }
            c.put("\r\n")
        }
    }

    func writeJSON(
        _ d: Decision, _ r: UnsafePointer<Route>, _ n: Int, _ w: inout ByteWriter, _ scratch: inout EncoderScratch,
        _ worded: WordedBatch?, _ k: Int
    ) {
        let kept = worded?.decision(k)
        w.raw("{\"route\":")
        if let kept, let worded, let route = worded.route(n, of: kept.routes) {
            worded.bytes.withUnsafeBufferPointer { w.raw(UnsafeBufferPointer(rebasing: $0[route])) }
        } else {
            encoder.writeRoute(at: r, &w, &scratch)
        }
        // The incident-level fields, one piece, shared by the decision's other routes to destinations with the
        // same fields (see `EncoderScratch.decisionSerial`); then the children, one piece.
        let serial = scratch.decisionSerial
        if scratch.incidentPart.holds(serial, incidentJSONFields) {
            w.raw(scratch.incidentPart.bytes)
        } else {
            let from = w.bytes.count
            writeIncidentFields(d, &w)
            scratch.incidentPart.keep(serial, incidentJSONFields, w.bytes, from: from)
        }
        // A route for no one child lists every child: the same array as the decision's other such lines.
        let allChildren = r.pointee.childIndex == nil
        if !childFields.isEmpty && allChildren && scratch.childrenPart.holds(serial, childFields) {
            w.raw(scratch.childrenPart.bytes)
        } else if !childFields.isEmpty {
            let from = w.bytes.count
            var n = 16
            let children = d.incident.children.indices
            for ci in children where r.pointee.childIndex == nil || r.pointee.childIndex == ci {
                n &+= 2 &+ childFields.count &+ childKeysLength &+ fieldRepeats &* DestinationWriter.childBound(d.incident, ci)
            }
            keyBytes.withUnsafeBufferPointer { keys in
                w.write(atMost: n) { c in
                    c.put(",\"children\":[")
                    var m = 0
                    let childKeysStart = incidentKeysLength
                    for ci in children where r.pointee.childIndex == nil || r.pointee.childIndex == ci {
                        if m > 0 { c.put(UInt8(ascii: ",")) }
                        m += 1
                        c.put(UInt8(ascii: "{"))
                        // The k-th key is `keys[start..<keyEnds[k]]`, where `start` is the end of the one before.
                        var start = childKeysStart
                        for (k, f) in childFields.enumerated() {
                            if k > 0 { c.put(UInt8(ascii: ",")) }
                            let end = keyEnds[incidentJSONFields.count &+ k]
                            c.put(UnsafeBufferPointer(rebasing: keys[start..<end]))
                            start = end
                            put(f, d.incident, child: ci, &c)
                        }
                        c.put(UInt8(ascii: "}"))
                    }
                    c.put(UInt8(ascii: "]"))
                }
            }
            if allChildren { scratch.childrenPart.keep(serial, childFields, w.bytes, from: from) }
        }
        if hasReasons {
            w.raw(",\"reasons\":[")
            if let kept, let worded {
                copyReasons(worded, kept.reasons, of: d, r, &w)
            } else {
                var first = true
                d.forEachReasonText(of: r.pointee, scratch: &scratch) { rule, childID, text in
                    encoder.writeReason(rule: rule, childID: childID, text: text, first: first, &w)
                    first = false
                }
            }
            w.byte(UInt8(ascii: "]"))
        }
        if hasHistory {
            w.raw(",\"history\":")
            if let kept, let worded {
                worded.bytes.withUnsafeBufferPointer { w.raw(UnsafeBufferPointer(rebasing: $0[kept.history])) }
            } else {
                encoder.writeHistory(d.history, &w)
            }
        }
        w.raw("}\n")
    }

    /// `,"resend":` and the incident-level fields of a JSON line, one piece.
    private func writeIncidentFields(_ d: Decision, _ w: inout ByteWriter) {
        let n = 16 &+ incidentKeysLength &+ fieldRepeats &* DestinationWriter.incidentBound(d.incident)
        keyBytes.withUnsafeBufferPointer { keys in
            w.write(atMost: n) { c in
                // The k-th key is `keys[start..<keyEnds[k]]`, where `start` is the end of the one before
                // (a local of this closure: a variable captured by a nested function is checked at run time).
                var start = 0
                c.put(d.duplicate ? ",\"resend\":true" : ",\"resend\":false")
                for (k, f) in incidentJSONFields.enumerated() {
                    let end = keyEnds[k]
                    c.put(UnsafeBufferPointer(rebasing: keys[start..<end]))
                    start = end
                    put(f, d.incident, child: nil, &c)
                }
            }
        }
    }

    /// The route's rules as a mask of their indexes in the policy, when each is the policy's own id string
    /// (as the screener makes routes: see ``PolicyIDsJSON``); else nil, and they are compared as strings. Rule
    /// ids are unique, so a reason's rule is one of the route's exactly when its index is in the mask: the
    /// reasons of a decision's other routes are passed over without comparing strings.
    private func ruleMask(of r: UnsafePointer<Route>) -> UInt64? {
        guard ruleIDs.count <= 64 else { return nil }
        var mask: UInt64 = 0
        var next = 0
        for id in r.pointee.rules {
            // In policy order: each looked for after the one before.
            var k = next
            while k < ruleIDs.count && !id.isSameRepresentation(as: ruleIDs[k]) { k += 1 }
            guard k < ruleIDs.count else { return nil }
            mask |= 1 &<< UInt64(k)
            next = k &+ 1
        }
        return mask
    }

    /// The kept reasons of the route's rules (for its child, or for the incident), in the decision line's
    /// order: those ``Decision/forEachReasonText(of:scratch:_:)`` words, as the decision line wrote them.
    private func copyReasons(_ worded: WordedBatch, _ range: Range<Int>, of d: Decision, _ r: UnsafePointer<Route>, _ w: inout ByteWriter) {
        var first = true
        let rules = ruleMask(of: r)
        worded.bytes.withUnsafeBufferPointer { bytes in
            for i in range {
                let e = worded.reasons[i]
                let child = e.child >= 0 ? Int(e.child) : nil
                if let child, child >= d.incident.children.count { continue }
                // The child's id, read only for a reason of one of the route's rules.
                func childID() -> String? { DestinationWriter.child(d.incident, child) { $0.pointee.personID } }
                // The rule tested by index when the mask holds the route's rules, else by id.
                let included =
                    if let rules {
                        rules & (1 &<< UInt64(e.rule)) != 0 && r.pointee.includesReason(ofChild: childID())
                    } else {
                        r.pointee.includesReason(rule: ruleIDs[Int(e.rule)], childID: childID())
                    }
                guard included else { continue }
                if !first { w.byte(UInt8(ascii: ",")) }
                first = false
                w.raw(UnsafeBufferPointer(rebasing: bytes[e.bytes]))
            }
        }
    }
}
