/// Turns the YAML tree of a policy file into a typed, compiled ``Policy``, collecting every problem with
/// its line and column rather than stopping at the first.
struct PolicyValidator {
    let source: String
    var errors: [PolicyError] = []
    /// The contents of the calendar files read, in the order read, for the policy hash.
    var calendarFiles: [[UInt8]] = []

    init(source: String) { self.source = source }

    mutating func fail(_ message: String, _ node: YAMLNode) { errors.append(PolicyError(message, at: node.location)) }
    mutating func fail(_ message: String, at location: SourceLocation) {
        errors.append(PolicyError(message, at: location))
    }

    /// Checks that a mapping only uses known keys; returns its entries (empty for `null`).
    mutating func mapping(_ node: YAMLNode, what: String, allowed: [String]) -> [YAMLEntry] {
        if node.isNull { return [] }
        guard let entries = node.entries else {
            fail("\(what) must be a mapping of 'key: value' lines, found \(node.kindName)", node)
            return []
        }
        for e in entries where !allowed.contains(e.key) {
            var message = "unknown key \(PolicyError.quoted(e.key)) in \(what)"
            if let s = closestName(to: e.key, among: allowed) {
                message += " (did you mean '\(s)'?)"
            } else {
                message += " (expected one of: \(allowed.joined(separator: ", ")))"
            }
            fail(message, at: e.keyLocation)
        }
        return entries
    }

    /// The policy in `root`, parsed from `text`; nil when ``errors`` lists problems.
    mutating func validate(_ root: YAMLNode, text policyBytes: [UInt8]) -> Policy? {
        let top = mapping(
            root, what: "the policy file",
            allowed: [
                "version", "name", "timezone", "calendar", "history", "destinations", "rules", "screened_out_reason",
                "local_authorities",
            ])
        let get = { (key: String) in top.first { $0.key == key }?.value }

        var version = 1
        if let v = get("version") {
            if let n = v.int, n == 1 { version = n } else { fail("unsupported policy version \(found(v)): expected 1", v) }
        }
        let name = text(get("name"), what: "name") ?? "unnamed"
        var zone = ZoneRules(identifier: "Europe/London")!
        if let z = get("timezone") {
            if let id = text(z, what: "timezone") {
                if let rules = ZoneRules(identifier: id) {
                    zone = rules
                } else {
                    fail("unknown time zone \(PolicyError.quoted(id)): expected an IANA name such as 'Europe/London'", z)
                }
            }
        }
        var calendar = validateCalendar(get("calendar"))
        calendar.setCoverage(zone: zone)
        let history = validateHistory(get("history"))
        let destinations = validateDestinations(get("destinations"))
        let rules = validateRules(get("rules"), destinations: destinations)
        let reason =
            text(get("screened_out_reason"), what: "screened_out_reason")
            ?? "no rule applied: no child or pregnancy linked and below MARAC thresholds"
        var authorities: [String] = []
        for item in list(get("local_authorities"), what: "local_authorities") {
            if let code = item.string, code.count == 3, code.allSatisfy(\.isASCII), code.allSatisfy(\.isNumber) {
                authorities.append(code)
            } else {
                fail("a local authority code is 3 digits, as the school register's 'LA (code)', found \(found(item))", item)
            }
        }
        requireKeys(top, rules: rules)
        guard errors.isEmpty else { return nil }
        // The calendar files are part of the policy: a new feed changes deadlines, so it changes the hash.
        // Without files the hash is the text's, as before.
        var h = fnv1a64(policyBytes)
        for bytes in calendarFiles { h = fnv1a64(bytes, continuing: h) }
        let hash = hex16(h)
        return Policy(
            Policy.Fields(
                name: name, version: version, hash: hash, zone: zone, calendar: calendar, history: history,
                destinations: destinations, rules: rules, screenedOutReason: reason,
                localAuthorities: Array(Set(authorities)).sorted()))
    }

    /// An empty or truncated file must not pass for a policy that screens everything out: `version`,
    /// `name`, `destinations` and at least one rule are required. A missing key is reported at line 1.
    mutating func requireKeys(_ top: [YAMLEntry], rules: [Rule]) {
        let fileStart = SourceLocation(source: source, line: 1)
        let get = { (key: String) in top.first { $0.key == key } }
        if get("version") == nil { fail("the policy file has no 'version': expected 'version: 1'", at: fileStart) }
        if get("name") == nil {
            fail("the policy file has no 'name': expected a short name such as 'name: default-england'", at: fileStart)
        }
        if get("destinations") == nil {
            fail("the policy file has no 'destinations': expected a list of at least one destination", at: fileStart)
        }
        if let r = get("rules") {
            if (r.value.items?.isEmpty ?? false) || r.value.isNull {
                fail("the policy routes nothing: 'rules' must list at least one rule with a route", at: r.keyLocation)
            } else if r.value.items != nil, errors.isEmpty, !rules.contains(where: { !$0.destinations.isEmpty }) {
                fail("the policy routes nothing: no rule has a route", at: r.keyLocation)
            }
        } else {
            fail("the policy file has no 'rules': expected a list of at least one rule", at: fileStart)
        }
    }

    // MARK: scalars

    /// How a message names a value that was not what was expected: quoted when it is a policy word,
    /// otherwise its kind (``PolicyError/quoted(_:)``).
    func found(_ node: YAMLNode) -> String { node.string.map(PolicyError.quoted) ?? node.kindName }

    /// A number found out of range, as written (`-10`, `10000000000`), or its kind when it is long.
    func foundNumber(_ node: YAMLNode) -> String {
        guard let s = node.string else { return node.kindName }
        guard s.utf8.count <= 20, PolicyError.quoted(s).hasPrefix("'") else { return ValueDescription.kind(of: s.utf8) }
        return s
    }

    mutating func text(_ node: YAMLNode?, what: String) -> String? {
        guard let node else { return nil }
        guard let s = node.string, !s.isEmpty else {
            fail("\(what) must be text, found \(node.kindName)", node)
            return nil
        }
        return s
    }

    /// A whole number in `range` (see ``PolicyLimits``).
    mutating func integer(_ node: YAMLNode?, what: String, in range: ClosedRange<Int>) -> Int? {
        guard let node else { return nil }
        guard let n = node.int else {
            fail("\(what) must be a whole number, found \(found(node))", node)
            return nil
        }
        guard range.contains(n) else {
            fail("\(what) must be between \(range.lowerBound) and \(range.upperBound), found \(foundNumber(node))", node)
            return nil
        }
        return n
    }

    /// A number in `range` (see ``PolicyLimits``); infinity is out of every range.
    mutating func number(_ node: YAMLNode?, what: String, in range: ClosedRange<Double>) -> Double? {
        guard let node else { return nil }
        guard let n = node.double else {
            fail("\(what) must be a number, found \(found(node))", node)
            return nil
        }
        guard n.isFinite, range.contains(n) else {
            fail("\(what) must be between \(range.described), found \(foundNumber(node))", node)
            return nil
        }
        return n
    }

    mutating func list(_ node: YAMLNode?, what: String) -> [YAMLNode] {
        guard let node, !node.isNull else { return [] }
        guard let items = node.items else {
            fail("\(what) must be a list ('- item' lines or [a, b]), found \(node.kindName)", node)
            return []
        }
        return items
    }

    // MARK: calendar

    static let dayNames = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]

    mutating func timeOfDay(_ node: YAMLNode?, what: String, default d: Int32) -> Int32 {
        guard let node else { return d }
        let s = node.string ?? ""
        let parts = s.split(separator: ":", omittingEmptySubsequences: false)
        if parts.count == 2, parts[0].count == 2, parts[1].count == 2, let h = Int(parts[0]), let m = Int(parts[1]),
            (0..<24).contains(h), (0..<60).contains(m)
        {
            return Int32(h * 3600 + m * 60)
        }
        fail("\(what) must be a time 'HH:MM' (for example \"08:30\"), found \(found(node))", node)
        return d
    }

    mutating func weekdays(_ node: YAMLNode?, what: String) -> UInt8 {
        guard let node else { return 0b0011_1110 }
        var mask: UInt8 = 0
        for item in list(node, what: what) {
            let s = (item.string ?? "").lowercased()
            if let i = PolicyValidator.dayNames.firstIndex(where: { s == $0 || (s.count > 3 && s.hasPrefix($0)) }) {
                mask |= 1 << UInt8(i + 1)
            } else {
                fail("unknown day \(found(item)) in \(what): expected mon, tue, wed, thu, fri, sat or sun", item)
            }
        }
        if mask == 0 && node.items != nil { fail("\(what) must name at least one day", node) }
        return mask
    }

    mutating func validateCalendar(_ node: YAMLNode?) -> PolicyCalendar {
        var cal = PolicyCalendar(
            schoolDayStart: 30_600, schoolDays: 0b0011_1110, workingDayEnd: 61_200, workingDays: 0b0011_1110,
            bankHolidays: [], schoolClosures: [])
        guard let node else { return cal }
        let entries = mapping(
            node, what: "calendar",
            allowed: [
                "school_day_start", "school_days", "working_day_end", "working_days", "bank_holidays", "bank_holidays_file",
                "bank_holidays_division", "school_closures", "school_closures_file", "school_calendars",
            ])
        let get = { (key: String) in entries.first { $0.key == key }?.value }
        cal.schoolDayStart = timeOfDay(get("school_day_start"), what: "school_day_start", default: 30_600)
        cal.workingDayEnd = timeOfDay(get("working_day_end"), what: "working_day_end", default: 61_200)
        cal.schoolDays = weekdays(get("school_days"), what: "school_days")
        cal.workingDays = weekdays(get("working_days"), what: "working_days")
        for item in list(get("bank_holidays"), what: "bank_holidays") {
            if let d = item.date {
                cal.bankHolidays.append(d.dayNumber)
            } else {
                fail("bank holiday must be a date YYYY-MM-DD, found \(found(item))", item)
            }
        }
        let inlineHolidays = cal.bankHolidays.count
        let fromFile = bankHolidaysFile(get("bank_holidays_file"), division: get("bank_holidays_division"))
        cal.bankHolidays = Array(Set(cal.bankHolidays + fromFile.days)).sorted()
        for item in list(get("school_closures"), what: "school_closures") {
            if let d = item.date {
                cal.schoolClosures.append(d.dayNumber...d.dayNumber)
            } else if item.entries != nil {
                let e = mapping(item, what: "a school closure", allowed: ["from", "to", "name"])
                let from = e.first { $0.key == "from" }?.value
                let to = e.first { $0.key == "to" }?.value
                guard let f = from?.date, let t = to?.date else {
                    fail("a school closure range needs 'from' and 'to' dates (YYYY-MM-DD)", item)
                    continue
                }
                if t < f {
                    fail("school closure ends (\(t)) before it starts (\(f))", item)
                    continue
                }
                let days = Int(t.dayNumber) - Int(f.dayNumber) + 1
                if !PolicyLimits.schoolClosureDays.contains(days) {
                    fail("a school closure must last at most \(PolicyLimits.schoolClosureDays.upperBound) days, found \(days) days", item)
                    continue
                }
                cal.schoolClosures.append(f.dayNumber...t.dayNumber)
            } else {
                fail("school closure must be a date YYYY-MM-DD or {from: DATE, to: DATE}, found \(found(item))", item)
            }
        }
        let inlineClosures = cal.schoolClosures.count
        let closuresFile = schoolClosuresFile(get("school_closures_file"))
        cal.schoolClosures += closuresFile.closures
        cal.schoolClosures.sort { $0.lowerBound < $1.lowerBound }
        // A school's own term dates, or its local authority's, by URN or LA code: each an .ics or CSV file.
        if let own = get("school_calendars"), !own.isNull {
            if own.entries == nil { fail("school_calendars must be a mapping of 'URN or LA code: FILE' lines, found \(own.kindName)", own) }
            for e in own.entries ?? [] {
                guard e.key.count >= 3, e.key.count <= 8, e.key.allSatisfy({ $0.isASCII && $0.isNumber }) else {
                    fail(
                        "school_calendars keys are a school's URN or a local authority's 3-digit code, found \(PolicyError.quoted(e.key))",
                        at: e.keyLocation)
                    continue
                }
                let file = schoolClosuresFile(e.value)
                cal.schoolCalendars[e.key] = file.closures.sorted { $0.lowerBound < $1.lowerBound }
            }
        }
        let ownCalendars = cal.schoolCalendars.keys.sorted()
        cal.reach = [
            reach(
                "bank holidays", dates: cal.bankHolidays.map { $0...$0 }, wholeYears: true, inline: inlineHolidays,
                file: fromFile.path, fromFile: fromFile.days.count),
            reach(
                "school closures", dates: cal.schoolClosures, wholeYears: false, inline: inlineClosures,
                file: closuresFile.path, fromFile: closuresFile.closures.count),
        ]
        if !ownCalendars.isEmpty {
            cal.reach.append(
                "school calendars: \(ownCalendars.count) (\(ownCalendars.prefix(10).joined(separator: ", "))"
                    + (ownCalendars.count > 10 ? ", …" : "") + ")")
        }
        return cal
    }

    // MARK: history

    static let defaultHistory = HistorySettings(
        windowDays: 365, halfLifeDays: 180, gradingWeights: [1, 4, 10],
        flagWeights: [
            (.strangulation, 5), (.childInjured, 5), (.weapon, 3), (.threatsToKill, 3), (.injury, 2),
            (.substanceMisuse, 2), (.mentalHealth, 2), (.breachOfOrder, 2),
        ], nearMissScoreMargin: 4)

    mutating func validateHistory(_ node: YAMLNode?) -> HistorySettings {
        var h = PolicyValidator.defaultHistory
        guard let node else { return h }
        let entries = mapping(
            node, what: "history",
            allowed: [
                "window_days", "half_life_days", "weights", "near_miss_score_margin", "late_days", "remember_ids_days",
            ])
        let get = { (key: String) in entries.first { $0.key == key }?.value }
        if let n = integer(get("window_days"), what: "window_days", in: PolicyLimits.windowDays) { h.windowDays = n }
        // The half-life is at most the window: an incident's weight halves at least once before it leaves.
        if let node = get("half_life_days") {
            if let n = node.double, n > 0, n <= Double(h.windowDays) {
                h.halfLifeDays = n
            } else if node.double == nil {
                fail("half_life_days must be a number, found \(found(node))", node)
            } else {
                fail(
                    "half_life_days must be more than 0 and at most window_days (\(h.windowDays)), found \(foundNumber(node))",
                    node)
            }
        } else if h.halfLifeDays > Double(h.windowDays), let node = get("window_days") {
            fail(
                "half_life_days (\(h.halfLifeDays.plainText) by default) must be at most window_days (\(h.windowDays)): set half_life_days",
                node)
        }
        if let n = integer(get("late_days"), what: "late_days", in: PolicyLimits.lateDays) { h.lateDays = n }
        // Ids are remembered at least as long as their incidents count: a re-send inside the window is always
        // recognised.
        if let node = get("remember_ids_days"),
            let n = integer(node, what: "remember_ids_days", in: PolicyLimits.rememberIDsDays)
        {
            if n < h.windowDays {
                fail("remember_ids_days must be at least window_days (\(h.windowDays)), found \(n)", node)
            } else {
                h.rememberIDsDays = n
            }
        }
        if let n = number(
            get("near_miss_score_margin"), what: "near_miss_score_margin", in: PolicyLimits.nearMissScoreMargin)
        {
            h.nearMissScoreMargin = n
        }
        if let w = get("weights") {
            let we = mapping(w, what: "history weights", allowed: ["dash_risk", "flags"])
            if let g = we.first(where: { $0.key == "dash_risk" })?.value {
                let ge = mapping(g, what: "dash_risk weights", allowed: ["standard", "medium", "high"])
                for e in ge {
                    guard let grading = DashRisk(rawValue: e.key),
                        let v = number(e.value, what: "weight \(PolicyError.quoted(e.key))", in: PolicyLimits.weight)
                    else { continue }
                    h.gradingWeights[grading.rank] = v
                }
            }
            if let f = we.first(where: { $0.key == "flags" })?.value {
                let fe = mapping(f, what: "flag weights", allowed: RiskFlags.named.map(\.name))
                var weights: [(RiskFlags, Double)] = []
                for e in fe {
                    guard let flag = RiskFlags(name: e.key),
                        let v = number(e.value, what: "weight \(PolicyError.quoted(e.key))", in: PolicyLimits.weight)
                    else { continue }
                    weights.append((flag, v))
                }
                if f.entries != nil { h.flagWeights = weights }
            }
        }
        return h
    }
}
