import NotificationTriage

/// One page for the morning meeting (`triage screen … --report FILE.html`): notifications per destination and
/// priority, overdue ones (with `--as-of`), the red list with its reasons, children with three or more
/// incidents in the window, warnings by kind and rejects by kind. It shows police references and person ids,
/// never names, dates of birth or addresses. Fed every decision and reject of the run, in input order.
package struct RunReport {
    /// One red route: who must act at once, and why.
    struct RedRoute {
        var incidentID: String
        var occurredAt: Instant
        var destination: String
        var childID: String?
        var notifyBy: Instant
        var reasons: [String]
    }

    /// A child seen often: the most incidents in the window any of its decisions counted, and the latest.
    struct OftenSeen {
        var incidents: Int
        var latestIncident: String
        var latestAt: Instant
    }

    /// How many red routes the page lists (every one is counted).
    static let redListLimit = 500
    /// How many children with repeat incidents the page lists (every one is counted).
    static let childListLimit = 500
    /// The count from which a child is listed (three or more incidents in the window, as `repeat-child`).
    static let repeatThreshold = 3

    let policy: Policy
    let source: String
    let asOf: Instant?
    private(set) var red: [RedRoute] = []
    private(set) var redCount = 0
    private(set) var children: [String: OftenSeen] = [:]
    private(set) var warnings: [String: Int] = [:]
    private(set) var rejects: [String: Int] = [:]
    private(set) var first: Instant?
    private(set) var last: Instant?

    /// A report of a run of `policy` over `source` (the input names, for the page's heading).
    package init(policy: Policy, source: String, asOf: Instant?) {
        self.policy = policy
        self.source = source
        self.asOf = asOf
    }

    /// Counts a decision.
    package mutating func add(_ d: Decision) {
        let at = d.incident.occurredAt
        if first == nil || at < first! { first = at }
        if last == nil || at > last! { last = at }
        for r in d.routes where r.priority == .red {
            redCount += 1
            guard red.count < Self.redListLimit else { continue }
            var texts: [String] = []
            var scratch = EncoderScratch()
            d.forEachReasonText(of: r, scratch: &scratch) { rule, _, text in
                texts.append("\(rule): \(String(decoding: text, as: UTF8.self))")
            }
            red.append(
                RedRoute(
                    incidentID: d.incident.incidentID, occurredAt: at, destination: r.destination, childID: r.childID,
                    notifyBy: r.notifyBy, reasons: texts))
        }
        for c in d.history.children where c.incidents >= Self.repeatThreshold {
            if let seen = children[c.childID], seen.incidents > c.incidents || (seen.incidents == c.incidents && seen.latestAt > at) {
                continue
            }
            children[c.childID] = OftenSeen(incidents: c.incidents, latestIncident: d.incident.incidentID, latestAt: at)
        }
        for w in d.warnings { warnings[w.field + ": " + Self.kind(of: w.message), default: 0] += 1 }
    }

    /// Counts a reject.
    package mutating func add(_ r: Reject) {
        rejects[(r.field ?? "record") + ": " + Self.kind(of: r.message), default: 0] += 1
    }

    /// A message with its particulars taken out, so that messages of one kind count together: runs of digits
    /// become `N` and quoted text `'…'` (`school-age child (11) with no school URN` and `… (9) …` are one kind).
    static func kind(of message: String) -> String {
        var out = ""
        var inDigits = false
        var inQuote = false
        for c in message {
            if inQuote {
                if c == "'" {
                    inQuote = false
                    out += "…'"
                }
                continue
            }
            if c == "'" {
                inQuote = true
                out.append(c)
                continue
            }
            if c.isASCII && c.isNumber {
                if !inDigits { out.append("N") }
                inDigits = true
                continue
            }
            inDigits = false
            out.append(c)
        }
        return out
    }

    /// The page, with the run's counts.
    package func html(_ s: ScreenSummary) -> String {
        let zone = policy.zone
        var h = ReportPage.head(title: "Screening run: \(policy.name)")
        let span = first.map { "\(zone.local($0).date) to \(zone.local(last!).date)" } ?? "no incidents"
        h += """
            <h1>Screening run</h1>
            <p>Policy <b>\(esc(policy.name))</b> (hash <code>\(esc(policy.hash))</code>) over <code>\(esc(source))</code>\
            \(asOf.map { "; overdue as of <b>\(esc(zone.iso8601($0)))</b>" } ?? "").</p>
            <p class="small">\(s.read) incidents read: \(s.screened) screened, \(s.rejected) rejected; \(esc(span)). \
            \(s.screenedOut) screened out, \(s.duplicates) re-sent, \(s.outOfOrder) out of order, \(s.warnings) warnings.</p>
            <h2>Notifications per destination</h2>
            <div class="wide"><table id="destinations"><caption>Notifications by destination and priority\
            \(asOf == nil ? "" : ", and how many are past their deadline")</caption><thead><tr>\
            <th scope="col">destination</th><th scope="col" class="n">total</th><th scope="col" class="n">red</th>\
            <th scope="col" class="n">amber</th><th scope="col" class="n">green</th><th scope="col" class="n">no priority</th>\
            \(asOf == nil ? "" : "<th scope=\"col\" class=\"n\">overdue</th>")</tr></thead><tbody>

            """
        for (i, id) in policy.destinationIDs.enumerated() {
            let r = s.routes[i]
            h += "<tr><th scope=\"row\">\(esc(id))</th><td class=\"n\">\(r.reduce(0, +))</td><td class=\"n\">\(r[3])</td>"
            h += "<td class=\"n\">\(r[2])</td><td class=\"n\">\(r[1])</td><td class=\"n\">\(r[0])</td>"
            if asOf != nil { h += "<td class=\"n\(s.overdue[i] > 0 ? " alert" : "")\">\(s.overdue[i])</td>" }
            h += "</tr>\n"
        }
        h += "</tbody></table></div>\n"

        h += "<h2>Red list</h2>\n"
        if redCount == 0 {
            h += "<p>No red routes.</p>\n"
        } else {
            let shown = red.count < redCount ? " (the first \(red.count) of \(redCount); every one is in the destination files)" : ""
            h += "<div class=\"wide\"><table id=\"red\" style=\"width:100%\"><caption>Red routes, in input order\(shown); "
            h += "times in \(esc(zone.identifier))</caption><thead><tr>"
            h += "<th scope=\"col\">incident</th><th scope=\"col\">occurred</th><th scope=\"col\">to</th><th scope=\"col\">child</th>"
            h += "<th scope=\"col\">notify by</th><th scope=\"col\">why</th></tr></thead><tbody>\n"
            for r in red {
                h += "<tr><td class=\"nowrap\">\(esc(r.incidentID))</td><td class=\"nowrap\">\(Self.minutes(r.occurredAt, zone))</td>"
                h += "<td>\(esc(r.destination))</td><td class=\"nowrap\">\(esc(r.childID ?? ""))</td>"
                let overdue = asOf.map { r.notifyBy < $0 } ?? false
                h += "<td class=\"nowrap\">\(Self.minutes(r.notifyBy, zone))\(overdue ? " <span class=\"alert\">overdue</span>" : "")</td>"
                h += "<td>\(r.reasons.map(esc).joined(separator: "<br/>"))</td></tr>\n"
            }
            h += "</tbody></table></div>\n"
        }

        h += "<h2>Children with \(Self.repeatThreshold) or more incidents in \(policy.history.windowDays) days</h2>\n"
        if children.isEmpty {
            h += "<p>None.</p>\n"
        } else {
            let list = children.sorted { a, b in
                a.value.incidents != b.value.incidents ? a.value.incidents > b.value.incidents : a.key < b.key
            }
            let shown = list.prefix(Self.childListLimit)
            let note = shown.count < list.count ? " (the first \(shown.count) of \(list.count))" : ""
            h += "<div class=\"wide\"><table id=\"children\"><caption>\(list.count) children, most incidents first\(note)</caption>"
            h += "<thead><tr><th scope=\"col\">child</th><th scope=\"col\" class=\"n\">incidents</th>"
            h += "<th scope=\"col\">latest incident</th><th scope=\"col\">occurred</th></tr></thead><tbody>\n"
            for (id, c) in shown {
                h += "<tr><td class=\"nowrap\">\(esc(id))</td><td class=\"n\">\(c.incidents)</td>"
                h += "<td class=\"nowrap\">\(esc(c.latestIncident))</td><td class=\"nowrap\">\(Self.minutes(c.latestAt, zone))</td></tr>\n"
            }
            h += "</tbody></table></div>\n"
        }

        h += Self.kindTable(id: "warnings", title: "Warnings by kind", caption: "Data problems that did not stop screening", warnings)
        h += Self.kindTable(id: "rejects", title: "Rejects by kind", caption: "Records not screened (each is in the rejects file)", rejects)
        h +=
            "<p class=\"small\">Made by triage screen. Incident and person ids are police references; no names, dates of birth or addresses are shown.</p>\n</body></html>\n"
        return h
    }

    /// `2026-03-14 22:15`: a local time to the minute (the page says which zone), short enough not to wrap.
    static func minutes(_ t: Instant, _ zone: ZoneRules) -> String {
        let iso = zone.iso8601(t)
        return String(iso.prefix(10)) + " " + String(iso.dropFirst(11).prefix(5))
    }

    /// A table of counts by kind, most first.
    static func kindTable(id: String, title: String, caption: String, _ counts: [String: Int]) -> String {
        var h = "<h2>\(esc(title))</h2>\n"
        guard !counts.isEmpty else { return h + "<p>None.</p>\n" }
        h += "<div class=\"wide\"><table id=\"\(id)\"><caption>\(esc(caption))</caption><thead><tr>"
        h += "<th scope=\"col\">field: kind</th><th scope=\"col\" class=\"n\">count</th></tr></thead><tbody>\n"
        for (kind, n) in counts.sorted(by: { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }) {
            h += "<tr><td>\(esc(kind))</td><td class=\"n\">\(n)</td></tr>\n"
        }
        return h + "</tbody></table></div>\n"
    }
}
