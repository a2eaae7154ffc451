/// Writes decisions as JSON Lines: one object per incident, keys in a fixed order, so the same input and
/// policy give byte-identical output.
public struct DecisionEncoder: Sendable {
    let policy: Policy
    /// When set, each route says whether its deadline has passed at this time.
    public var asOf: Instant?

    /// An encoder for decisions made under `policy`.
    public init(policy: Policy, asOf: Instant? = nil) {
        self.policy = policy
        self.asOf = asOf
    }

    /// The decision as one JSON line (ending in a newline), appended to `out`.
    public func appendJSONLine(_ d: Decision, to out: inout [UInt8]) {
        var w = ByteWriter(capacity: 0)
        swap(&w.bytes, &out)
        write(d, &w)
        w.byte(0x0A)
        swap(&w.bytes, &out)
    }

    /// The decision as a JSON line (`String` form, for tests and small tools).
    public func jsonLine(_ d: Decision) -> String {
        var out: [UInt8] = []
        appendJSONLine(d, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    func write(_ d: Decision, _ w: inout ByteWriter) {
        let zone = policy.zone
        w.raw("{\"incident_id\":")
        w.jsonString(d.incident.incidentID)
        w.raw(",\"occurred_at\":\"")
        zone.appendISO8601(d.incident.occurredAt, to: &w.bytes)
        w.raw("\",\"screened_out\":")
        w.jsonBool(d.screenedOut)
        w.raw(",\"screened_out_reason\":")
        w.jsonOptionalString(d.screenedOutReason)
        w.raw(",\"duplicate\":")
        w.jsonBool(d.duplicate)
        w.raw(",\"out_of_order\":")
        w.jsonBool(d.outOfOrder)
        w.raw(",\"routes\":[")
        for (i, r) in d.routes.enumerated() {
            if i > 0 { w.byte(UInt8(ascii: ",")) }
            writeRoute(r, &w)
        }
        w.raw("],\"history\":")
        writeHistory(d.history, &w)
        w.raw(",\"reasons\":")
        writeReasons(d.reasons, &w)
        w.raw(",\"near_misses\":")
        writeReasons(d.nearMisses, &w)
        w.raw(",\"warnings\":[")
        for (i, x) in d.warnings.enumerated() {
            if i > 0 { w.byte(UInt8(ascii: ",")) }
            w.raw("{\"field\":")
            w.jsonString(x.field)
            w.raw(",\"child_id\":")
            w.jsonOptionalString(x.childID)
            w.raw(",\"message\":")
            w.jsonString(x.message)
            w.byte(UInt8(ascii: "}"))
        }
        w.raw("],\"policy\":{\"name\":")
        w.jsonString(policy.name)
        w.raw(",\"hash\":")
        w.jsonString(policy.hash)
        w.raw("}}")
    }

    func writeRoute(_ r: Route, _ w: inout ByteWriter) {
        w.raw("{\"to\":")
        w.jsonString(r.destination)
        if let c = r.childID {
            w.raw(",\"child_id\":")
            w.jsonString(c)
        }
        w.raw(",\"priority\":")
        w.jsonOptionalString(r.priority?.rawValue)
        w.raw(",\"notify_by\":\"")
        policy.zone.appendISO8601(r.notifyBy, to: &w.bytes)
        w.byte(UInt8(ascii: "\""))
        if let asOf {
            w.raw(",\"overdue\":")
            w.jsonBool(r.notifyBy < asOf)
        }
        w.raw(",\"rules\":[")
        for (i, id) in r.rules.enumerated() {
            if i > 0 { w.byte(UInt8(ascii: ",")) }
            w.jsonString(id)
        }
        w.raw("]}")
    }

    func writeReasons(_ reasons: [Reason], _ w: inout ByteWriter) {
        w.byte(UInt8(ascii: "["))
        for (i, r) in reasons.enumerated() {
            if i > 0 { w.byte(UInt8(ascii: ",")) }
            w.raw("{\"rule\":")
            w.jsonString(r.rule)
            w.raw(",\"child_id\":")
            w.jsonOptionalString(r.childID)
            w.raw(",\"text\":")
            w.jsonString(r.text)
            w.byte(UInt8(ascii: "}"))
        }
        w.byte(UInt8(ascii: "]"))
    }

    func writeHistory(_ h: HistoryFigures, _ w: inout ByteWriter) {
        w.raw("{\"household_incidents\":")
        w.int(h.householdIncidents)
        w.raw(",\"household_score\":")
        w.fixed3(h.householdScore)
        w.raw(",\"victim_incidents\":")
        w.int(h.victimIncidents)
        w.raw(",\"victim_score\":")
        w.fixed3(h.victimScore)
        func optional(_ key: StaticString, _ v: Int?) {
            w.raw(key)
            if let v { w.int(v) } else { w.raw("null") }
        }
        optional(",\"perpetrator_incidents\":", h.perpetratorIncidents)
        optional(",\"perpetrator_victims\":", h.perpetratorVictims)
        optional(",\"perpetrator_households\":", h.perpetratorHouseholds)
        optional(",\"pair_incidents\":", h.pairIncidents)
        optional(",\"pair_marac_referrals\":", h.pairMaracReferrals)
        w.raw(",\"children\":[")
        for (i, c) in h.children.enumerated() {
            if i > 0 { w.byte(UInt8(ascii: ",")) }
            w.raw("{\"child_id\":")
            w.jsonString(c.childID)
            w.raw(",\"incidents\":")
            w.int(c.incidents)
            w.raw(",\"score\":")
            w.fixed3(c.score)
            w.byte(UInt8(ascii: "}"))
        }
        w.raw("]}")
    }
}
