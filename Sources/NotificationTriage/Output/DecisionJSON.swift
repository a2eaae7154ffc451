/// Writes decisions as JSON Lines: one object per incident, keys in a fixed order, so the same input and
/// policy give byte-identical output.
public struct DecisionEncoder: Sendable {
    let policy: Policy
    /// The policy's zone, kept: reading it from the policy copies it (retaining its tables), per decision.
    private let zone: ZoneRules
    /// When set, each route says whether its deadline has passed at this time.
    public var asOf: Instant?
    /// What every line ends with, `],"policy":{"name":…,"hash":…}}`, and the policy's screened-out reason as
    /// a JSON string: the same for every decision, so encoded once.
    private let policyTail: [UInt8]
    private let screenedOutReason: String
    private let screenedOutReasonJSON: [UInt8]
    /// The policy's destination and rule ids, escaped once for every route.
    private let ids: PolicyIDsJSON

    /// An encoder for decisions made under `policy`.
    public init(policy: Policy, asOf: Instant? = nil) {
        self.policy = policy
        self.zone = policy.zone
        self.asOf = asOf
        var w = ByteWriter(capacity: 128)
        w.raw("],\"policy\":{\"name\":")
        w.jsonString(policy.name)
        w.raw(",\"hash\":")
        w.jsonString(policy.hash)
        w.raw("}}")
        policyTail = w.bytes
        screenedOutReason = policy.screenedOutReason
        var r = ByteWriter(capacity: 128)
        r.jsonString(screenedOutReason)
        screenedOutReasonJSON = r.bytes
        ids = PolicyIDsJSON(policy: policy)
    }

    /// The decision as one JSON line (ending in a newline), appended to `out`.
    public func appendJSONLine(_ d: Decision, to out: inout [UInt8]) {
        var scratch = EncoderScratch()
        appendJSONLine(d, to: &out, scratch: &scratch)
    }

    /// ``appendJSONLine(_:to:)`` with the buffers its reasons are worded in kept by the caller, from one
    /// decision to the next.
    package func appendJSONLine(_ d: Decision, to out: inout [UInt8], scratch: inout EncoderScratch) {
        var w = ByteWriter(capacity: 0)
        swap(&w.bytes, &out)
        write(d, &w, &scratch)
        w.byte(0x0A)
        swap(&w.bytes, &out)
    }

    /// The decision as a JSON line (`String` form, for tests and small tools).
    public func jsonLine(_ d: Decision) -> String {
        var out: [UInt8] = []
        appendJSONLine(d, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    // Constant text next to a Boolean is written with it (the Boolean picks one of two strings), and
    // adjacent constants are one piece, so each decision is fewer, larger pieces.

    func write(_ d: Decision, _ w: inout ByteWriter, _ scratch: inout EncoderScratch) {
        assert(!d.routesPending, "a decision written before its routes were made (RouteMaker.complete)")
        // Everything before the routes is one piece (a re-send's changes aside), its bound summed first.
        let reason = d.screenedOutReason
        let usual = reason == nil || reason == screenedOutReason
        let head =
            160 &+ ByteCursor.textBound(d.incident.incidentID) &+ ZoneRules.maxISO8601Count
            &+ (usual ? screenedOutReasonJSON.count : ByteCursor.textBound(reason))
        w.write(atMost: head) { c in
            c.put("{\"incident_id\":")
            c.jsonString(d.incident.incidentID)
            c.put(",\"occurred_at\":\"")
            zone.putISO8601(d.incident.occurredAt, &c)
            c.put(
                d.screenedOut
                    ? "\",\"screened_out\":true,\"screened_out_reason\":" : "\",\"screened_out\":false,\"screened_out_reason\":")
            if reason == nil {
                c.put("null")
            } else if usual {
                c.put(screenedOutReasonJSON)
            } else {
                c.jsonOptionalString(reason)
            }
            c.put(d.duplicate ? ",\"duplicate\":true,\"supersedes\":" : ",\"duplicate\":false,\"supersedes\":")
            if d.supersedesBox == nil { c.put("null") }
        }
        if let s = d.supersedesBox { writeSupersedes(s.value, &w) }
        w.raw(d.outOfOrder ? ",\"out_of_order\":true,\"routes\":[" : ",\"out_of_order\":false,\"routes\":[")
        // Each route read in place, through a pointer: passed by value, even from the array, it was copied
        // (its strings and rule list retained and released).
        d.routes.withUnsafeBufferPointer { routes in
            scratch.keep?.beginRoutes(at: w.bytes.count)
            for i in routes.indices {
                if i > 0 { w.byte(UInt8(ascii: ",")) }
                let start = w.bytes.count
                writeRoute(at: routes.baseAddress! + i, &w, &scratch)
                scratch.keep?.addRoute(at: start..<w.bytes.count)
            }
        }
        w.raw("],\"history\":")
        scratch.keep?.beginHistory(at: w.bytes.count)
        writeHistory(d.history, &w)
        scratch.keep?.endHistory(at: w.bytes.count)
        writeReasons(d.evidence, children: d.incident.children, &w, &scratch)
        w.raw(",\"warnings\":[")
        for (i, x) in d.warnings.enumerated() {
            w.raw(i > 0 ? ",{\"field\":" : "{\"field\":")
            w.jsonString(x.field)
            w.raw(",\"child_id\":")
            w.jsonOptionalString(x.childID)
            w.raw(",\"message\":")
            w.jsonString(x.message)
            w.byte(UInt8(ascii: "}"))
        }
        w.raw(policyTail)
        scratch.keep?.endDecision()
    }

    /// `{"dash_risk":["standard","high"],"routes_added":["marac"]}`: each change as `[before, after]`, only
    /// what changed, keys in a fixed order.
    func writeSupersedes(_ s: Supersedes, _ w: inout ByteWriter) {
        w.raw(s.earlierVersionHeld ? "{\"earlier_version_held\":true" : "{\"earlier_version_held\":false")
        if let c = s.occurredAt {
            w.raw(",\"occurred_at\":[\"")
            w.iso8601(c.before, zone)
            w.raw("\",\"")
            w.iso8601(c.after, zone)
            w.raw("\"]")
        }
        if let c = s.dashRisk {
            w.raw(",\"dash_risk\":[")
            w.jsonString(c.before.rawValue)
            w.byte(UInt8(ascii: ","))
            w.jsonString(c.after.rawValue)
            w.byte(UInt8(ascii: "]"))
        }
        if let c = s.dashScore {
            w.raw(",\"dash_score\":[")
            if let v = c.before { w.int(v) } else { w.raw("null") }
            w.byte(UInt8(ascii: ","))
            if let v = c.after { w.int(v) } else { w.raw("null") }
            w.byte(UInt8(ascii: "]"))
        }
        if let c = s.victimPregnant {
            w.raw(",\"victim_pregnant\":[")
            w.jsonBool(c.before)
            w.byte(UInt8(ascii: ","))
            w.jsonBool(c.after)
            w.byte(UInt8(ascii: "]"))
        }
        func names(_ key: StaticString, _ list: [String]) {
            guard !list.isEmpty else { return }
            w.raw(key)
            for (i, n) in list.enumerated() {
                if i > 0 { w.byte(UInt8(ascii: ",")) }
                w.jsonString(n)
            }
            w.byte(UInt8(ascii: "]"))
        }
        names(",\"flags_added\":[", s.flagsAdded.names)
        names(",\"flags_removed\":[", s.flagsRemoved.names)
        if let c = s.children {
            w.raw(",\"children\":[")
            w.int(c.before)
            w.byte(UInt8(ascii: ","))
            w.int(c.after)
            w.byte(UInt8(ascii: "]"))
        }
        names(",\"routes_added\":[", s.routesAdded)
        names(",\"routes_removed\":[", s.routesRemoved)
        w.byte(UInt8(ascii: "}"))
    }

    /// One route object (for a few: ``writeRoute(_:_:_:)`` with a kept scratch is the way for many).
    package func writeRoute(_ r: Route, _ w: inout ByteWriter) {
        var scratch = EncoderScratch()
        writeRoute(r, &w, &scratch)
    }

    /// One route object, its deadline's text taken from `scratch` when written lately.
    package func writeRoute(_ r: Route, _ w: inout ByteWriter, _ scratch: inout EncoderScratch) {
        withUnsafePointer(to: r) { writeRoute(at: $0, &w, &scratch) }
    }

    /// ``writeRoute(_:_:_:)`` for a route read where it lies.
    func writeRoute(at route: UnsafePointer<Route>, _ w: inout ByteWriter, _ scratch: inout EncoderScratch) {
        // One piece, its bound summed first.
        var n =
            120 &+ ByteCursor.textBound(route.pointee.destination) &+ ByteCursor.textBound(route.pointee.childID)
            &+ ZoneRules.maxISO8601Count
        for id in route.pointee.rules { n &+= ByteCursor.textBound(id) &+ 1 }
        w.write(atMost: n) { c in
            c.put("{\"to\":")
            ids.putDestination(of: route, &c)
            if let id = route.pointee.childID {
                c.put(",\"child_id\":")
                c.jsonString(id)
            }
            switch route.pointee.priority {
            case nil: c.put(",\"priority\":null,\"notify_by\":\"")
            case .red: c.put(",\"priority\":\"red\",\"notify_by\":\"")
            case .amber: c.put(",\"priority\":\"amber\",\"notify_by\":\"")
            case .green: c.put(",\"priority\":\"green\",\"notify_by\":\"")
            }
            scratch.deadlines.put(route.pointee.notifyBy, zone: zone, &c)
            if let asOf {
                c.put(route.pointee.notifyBy < asOf ? "\",\"overdue\":true,\"rules\":[" : "\",\"overdue\":false,\"rules\":[")
            } else {
                c.put("\",\"rules\":[")
            }
            ids.putRules(of: route, &c)
            c.put("]}")
        }
    }

    /// The decision's reasons and near misses as two JSON arrays, worded straight into `w`.
    /// (Given the evidence and the children, not the decision: a decision in hand here was copied whole.)
    func writeReasons(
        _ evidence: DecisionEvidence?, children: [Child], _ w: inout ByteWriter, _ scratch: inout EncoderScratch
    ) {
        guard let evidence else {
            if scratch.keep != nil { w.bytes.withUnsafeBufferPointer { scratch.keep!.endReasons($0) } }
            return w.raw(",\"reasons\":[],\"near_misses\":[]")
        }
        var words = Wording(evidence, children: children, &scratch)
        defer { words.end(&scratch) }
        var first = true
        let plain = evidence.policy.storage.plainWords
        @inline(__always) func reason(_ rule: Rule, _ child: Int?, _ text: UnsafeBufferPointer<UInt8>) {
            writeReason(rule: rule.id, childID: child.map { children[$0].personID }, text: text, plain: plain, first: first, &w)
            first = false
        }
        w.raw(",\"reasons\":[")
        if scratch.keep == nil {
            words.forEachReason { rule, _, child, text in reason(rule, child, text) }
        } else {
            // Each reason object kept as written (without the comma before it).
            words.forEachReason { rule, r, child, text in
                let start = first ? w.bytes.count : w.bytes.count + 1
                reason(rule, child, text)
                scratch.keep!.addReason(rule: r, child: child, at: start..<w.bytes.count)
            }
            w.bytes.withUnsafeBufferPointer { scratch.keep!.endReasons($0) }
        }
        w.raw("],\"near_misses\":[")
        first = true
        words.forEachNearMiss { rule, _, child, text in reason(rule, child, text) }
        w.byte(UInt8(ascii: "]"))
    }

    /// One reason object, preceded by a comma unless it is the first of its list.
    /// `plain`: the text is known to need no escapes (see `Policy.Storage.plainWords`), so it is not scanned.
    func writeReason(
        rule: String, childID: String?, text: UnsafeBufferPointer<UInt8>, plain: Bool = false, first: Bool,
        _ w: inout ByteWriter
    ) {
        // One piece, its bound summed first.
        let n = 48 &+ ByteCursor.textBound(rule) &+ ByteCursor.textBound(childID) &+ (plain ? text.count : text.count &* 6 &+ 2)
        w.write(atMost: n) { c in
            c.put(first ? "{\"rule\":" : ",{\"rule\":")
            c.jsonString(rule)
            c.put(",\"child_id\":")
            c.jsonOptionalString(childID)
            if plain {
                c.put(",\"text\":\"")
                c.put(text)
                c.put("\"}")
            } else {
                c.put(",\"text\":")
                c.jsonString(text)
                c.put(UInt8(ascii: "}"))
            }
        }
    }

    /// The most bytes the fixed part of `writeHistory` (everything before the first child) can take: 240
    /// bytes of keys and punctuation (207 today), seven counts of at most `ByteCursor.maxIntCount` bytes
    /// each (or `null`), and two scores of at most `ByteCursor.maxFixedCount`.
    static let maxHistoryHead = 240 + 7 * ByteCursor.maxIntCount + 2 * ByteCursor.maxFixedCount

    func writeHistory(_ h: HistoryFigures, _ w: inout ByteWriter) {
        // Numbers only, so the part before the children is one piece with a known bound.
        w.write(atMost: DecisionEncoder.maxHistoryHead) { c in
            c.put("{\"household_incidents\":")
            c.int(h.householdIncidents)
            c.put(",\"household_score\":")
            c.fixed(h.householdScore, decimals: 3)
            c.put(",\"victim_incidents\":")
            c.int(h.victimIncidents)
            c.put(",\"victim_score\":")
            c.fixed(h.victimScore, decimals: 3)
            @inline(__always) func optional(_ key: StaticString, _ v: Int?) {
                c.put(key)
                if let v { c.int(v) } else { c.put("null") }
            }
            optional(",\"perpetrator_incidents\":", h.perpetratorIncidents)
            optional(",\"perpetrator_victims\":", h.perpetratorVictims)
            optional(",\"perpetrator_households\":", h.perpetratorHouseholds)
            optional(",\"pair_incidents\":", h.pairIncidents)
            optional(",\"pair_marac_referrals\":", h.pairMaracReferrals)
            c.put(",\"children\":[")
        }
        for (i, c) in h.children.enumerated() {
            w.raw(i > 0 ? ",{\"child_id\":" : "{\"child_id\":")
            w.jsonString(c.childID)
            w.write(atMost: 32 + ByteCursor.maxIntCount + ByteCursor.maxFixedCount) { o in
                o.put(",\"incidents\":")
                o.int(c.incidents)
                o.put(",\"score\":")
                o.fixed(c.score, decimals: 3)
                o.put(UInt8(ascii: "}"))
            }
        }
        w.raw("]}")
    }
}
