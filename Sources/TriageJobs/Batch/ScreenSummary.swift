import NotificationTriage

/// The counts of a screening run: what was read, screened and rejected (`read = screened + rejected`),
/// routes per destination and priority, fires per rule, and overdue routes.
package struct ScreenSummary: Sendable {
    /// Incidents read (screened + rejected).
    package var read = 0
    /// Incidents screened.
    package var screened = 0
    /// Incidents rejected (unreadable records).
    package var rejected = 0
    /// Physical input lines: `read = screened + rejected + other`, where `screened` are the lines of the
    /// incidents screened, `rejected` the lines of the records rejected, and `other` header and blank lines.
    /// `read` equals the input's own line count (line feeds, plus one for a last line without one).
    package var lines = LineCounts()
    /// Incidents screened that were re-sent ids.
    package var duplicates = 0
    /// Incidents that arrived after a later one.
    package var outOfOrder = 0
    /// Incidents screened out (no route).
    package var screenedOut = 0
    /// Warnings raised.
    package var warnings = 0
    /// Routes per destination (policy order), then per priority: none, green, amber, red.
    package var routes: [[Int]]
    /// Fires per rule (policy order).
    package var fires: [Int]
    /// Overdue routes per destination (only with an as-of time).
    package var overdue: [Int]
    /// With `--school-contacts`: the URNs of schools whose pack has no contact (nil without the file).
    package var schoolsWithoutContact: [String]? = nil
    /// Wall-clock seconds.
    package var elapsed = 0.0
    let destinationIDs: [String]
    let ruleIDs: [String]
    let ruleIndex: [String: Int]
    let asOf: Bool

    init(policy: Policy, asOf: Bool) {
        destinationIDs = policy.destinationIDs
        ruleIDs = policy.ruleIDs
        ruleIndex = Dictionary(uniqueKeysWithValues: policy.ruleIDs.enumerated().map { ($1, $0) })
        routes = Array(repeating: [0, 0, 0, 0], count: destinationIDs.count)
        fires = Array(repeating: 0, count: ruleIDs.count)
        overdue = Array(repeating: 0, count: destinationIDs.count)
        self.asOf = asOf
    }

    mutating func count(_ d: Decision, asOf: Instant?) {
        screened += 1
        if d.duplicate { duplicates += 1 }
        if d.outOfOrder { outOfOrder += 1 }
        if d.screenedOut { screenedOut += 1 }
        warnings += d.warnings.count
        for r in d.routes {
            // Routes and reasons are made only by a screener, which records their positions in the policy.
            let di = r.destinationIndex
            guard routes.indices.contains(di) else { continue }
            routes[di][r.priority?.rank ?? 0] += 1
            if let asOf, r.notifyBy < asOf { overdue[di] += 1 }
        }
        d.forEachFiredRule { rule in
            if fires.indices.contains(rule) { fires[rule] += 1 }
        }
    }

    /// Adds the decisions counted elsewhere (the writing thread's tally, ``DecisionSink/tally``): screened,
    /// duplicates, out of order, screened out, warnings, routes, overdue routes and fires.
    mutating func addDecisions(_ other: ScreenSummary) {
        screened += other.screened
        duplicates += other.duplicates
        outOfOrder += other.outOfOrder
        screenedOut += other.screenedOut
        warnings += other.warnings
        for d in routes.indices {
            for p in routes[d].indices { routes[d][p] += other.routes[d][p] }
            overdue[d] += other.overdue[d]
        }
        for r in fires.indices { fires[r] += other.fires[r] }
    }

    /// Incidents per second.
    package var rate: Double { elapsed > 0 ? Double(read) / elapsed : 0 }

    /// Total routes to a destination.
    package func routeCount(_ destination: String) -> Int {
        destinationIDs.firstIndex(of: destination).map { routes[$0].reduce(0, +) } ?? 0
    }

    /// Fires of a rule.
    package func fireCount(_ rule: String) -> Int { ruleIndex[rule].map { fires[$0] } ?? 0 }

    /// The summary as aligned plain text (for standard error).
    package var text: String {
        var lines: [String] = []
        lines.append("read \(read) = screened \(screened) + rejected \(rejected)")
        lines.append(
            "input lines \(self.lines.read) = \(self.lines.screened) in incidents screened + \(self.lines.rejected) in rejects"
                + " + \(self.lines.other) header or blank")
        lines.append("duplicates \(duplicates), out of order \(outOfOrder), screened out \(screenedOut), warnings \(warnings)")
        let width = max(12, (destinationIDs.map(\.count).max() ?? 0) + 2)
        func padRight(_ s: String, _ n: Int) -> String { s + String(repeating: " ", count: max(0, n - s.count)) }
        func padLeft(_ s: String, _ n: Int) -> String { String(repeating: " ", count: max(0, n - s.count)) + s }
        lines.append(
            padRight("destination", width) + padLeft("routes", 8) + padLeft("red", 7) + padLeft("amber", 7) + padLeft("green", 7)
                + padLeft("none", 7) + (asOf ? padLeft("overdue", 9) : ""))
        for (i, id) in destinationIDs.enumerated() {
            let r = routes[i]
            lines.append(
                padRight(id, width) + padLeft("\(r.reduce(0, +))", 8) + padLeft("\(r[3])", 7) + padLeft("\(r[2])", 7)
                    + padLeft("\(r[1])", 7) + padLeft("\(r[0])", 7) + (asOf ? padLeft("\(overdue[i])", 9) : ""))
        }
        let rw = max(12, (ruleIDs.map(\.count).max() ?? 0) + 2)
        lines.append(padRight("rule", rw) + padLeft("fires", 8))
        for (i, id) in ruleIDs.enumerated() { lines.append(padRight(id, rw) + padLeft("\(fires[i])", 8)) }
        if let missing = schoolsWithoutContact {
            lines.append(
                "school packs without a contact: \(missing.count)" + (missing.isEmpty ? "" : " (\(missing.joined(separator: ", ")))"))
        }
        lines.append("elapsed \(oneDecimal(elapsed * 1000)) ms, \(Int(rate)) incidents/s")
        return lines.joined(separator: "\n") + "\n"
    }

    /// The summary as a JSON object (for `--summary FILE`), keys in a fixed order.
    package var json: String {
        var w = ByteWriter()
        w.raw("{\"read\":")
        w.int(read)
        w.raw(",\"screened\":")
        w.int(screened)
        w.raw(",\"rejected\":")
        w.int(rejected)
        w.raw(",\"lines\":{\"read\":")
        w.int(lines.read)
        w.raw(",\"screened\":")
        w.int(lines.screened)
        w.raw(",\"rejected\":")
        w.int(lines.rejected)
        w.raw(",\"header_or_blank\":")
        w.int(lines.other)
        w.raw("}")
        w.raw(",\"duplicates\":")
        w.int(duplicates)
        w.raw(",\"out_of_order\":")
        w.int(outOfOrder)
        w.raw(",\"screened_out\":")
        w.int(screenedOut)
        w.raw(",\"warnings\":")
        w.int(warnings)
        w.raw(",\"routes\":{")
        for (i, id) in destinationIDs.enumerated() {
            if i > 0 { w.byte(UInt8(ascii: ",")) }
            w.jsonString(id)
            let r = routes[i]
            w.raw(":{\"total\":")
            w.int(r.reduce(0, +))
            w.raw(",\"red\":")
            w.int(r[3])
            w.raw(",\"amber\":")
            w.int(r[2])
            w.raw(",\"green\":")
            w.int(r[1])
            w.raw(",\"none\":")
            w.int(r[0])
            if asOf {
                w.raw(",\"overdue\":")
                w.int(overdue[i])
            }
            w.byte(UInt8(ascii: "}"))
        }
        w.raw("},\"fires\":{")
        for (i, id) in ruleIDs.enumerated() {
            if i > 0 { w.byte(UInt8(ascii: ",")) }
            w.jsonString(id)
            w.byte(UInt8(ascii: ":"))
            w.int(fires[i])
        }
        w.byte(UInt8(ascii: "}"))
        if let missing = schoolsWithoutContact {
            w.raw(",\"school_packs_without_contact\":[")
            for (i, urn) in missing.enumerated() {
                if i > 0 { w.byte(UInt8(ascii: ",")) }
                w.jsonString(urn)
            }
            w.byte(UInt8(ascii: "]"))
        }
        w.raw(",\"elapsed_seconds\":")
        w.fixed3(elapsed)
        w.raw(",\"incidents_per_second\":")
        w.int(Int(rate))
        w.raw("}\n")
        return String(decoding: w.bytes, as: UTF8.self)
    }
}

/// Physical input lines of a run, each counted once: in the incident it belongs to (screened or
/// rejected) or as a header or blank line.
package struct LineCounts: Sendable, Equatable {
    /// Lines of incidents screened.
    package var screened = 0
    /// Lines of records rejected.
    package var rejected = 0
    /// Header and blank lines.
    package var other = 0
    /// Every line read: `screened + rejected + other`.
    package var read: Int { screened + rejected + other }

    /// No lines.
    package init() {}
}
