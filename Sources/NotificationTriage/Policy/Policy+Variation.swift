/// Policies like this one with some numbers changed, for `triage sweep`: a rule's threshold, or a
/// `history` setting. Loading and checking the names is kept here, apart from screening.
extension Policy {
    /// One number of the policy that a sweep may change.
    package enum Setting: Sendable, Hashable {
        /// The comparison of `fact` with a number in the condition of rule `rule` (eq, ne, lt, lte, gt, gte).
        case threshold(rule: String, fact: String)
        /// A `history` setting: `window_days`, `half_life_days`, `weights.dash_risk.LEVEL` or
        /// `weights.flags.FLAG`.
        case history(String)
    }

    /// Why a setting cannot be changed: a message naming what was asked for and what exists.
    package struct VariationError: Error, Equatable, CustomStringConvertible {
        package var description: String
        init(_ description: String) { self.description = description }
    }

    /// What a sweep needs to know of a setting: its value in this policy, and whether it is a DASH grading
    /// (values are then written `standard`, `medium`, `high`).
    package struct SettingInfo: Sendable, Equatable {
        package var current: Double
        package var isGrading: Bool
    }

    /// The history fields a sweep may change (flag weights as `weights.flags.FLAG`).
    package static let variableHistoryFields = ["window_days", "half_life_days", "weights.dash_risk.LEVEL", "weights.flags.FLAG"]

    /// The operators whose one operand a sweep replaces.
    static let variableOperators: [Operator] = [.eq, .ne, .lt, .lte, .gt, .gte]

    /// Checks that `setting` names a number of this policy and says what it is now.
    package func info(_ setting: Setting) throws(VariationError) -> SettingInfo {
        switch setting {
        case .threshold(let ruleID, let factName):
            let (_, leaf) = try thresholdLeaf(rule: ruleID, fact: factName)
            return SettingInfo(current: leaf.operands[0], isGrading: leaf.fact.kind == .grading)
        case .history(let field):
            var h = history
            let current = try Policy.historyValue(field, &h, setting: nil)
            return SettingInfo(current: current, isGrading: false)
        }
    }

    /// This policy with each setting changed to its value. Rules not changed are shared with this policy
    /// (the same objects), so a screener can tell which rules a variant replaces. The name and hash stay
    /// this policy's: a variant lives only inside a sweep.
    package func varying(_ changes: [(Setting, Double)]) throws(VariationError) -> Policy {
        var f = storage.fields
        for (setting, value) in changes {
            guard value.isFinite else { throw VariationError("\(Policy.label(setting)): the value must be a finite number") }
            switch setting {
            case .threshold(let ruleID, let factName):
                let (index, leaf) = try thresholdLeaf(rule: ruleID, fact: factName)
                if leaf.fact.kind == .grading && (value != value.rounded() || !(0...2).contains(value)) {
                    throw VariationError("\(Policy.label(setting)): expected standard, medium or high")
                }
                let old = f.rules[index]
                let condition = old.condition.replacing(leafIndex: leaf.index, with: value)
                f.rules[index] = Rule(
                    id: old.id, description: old.description, scope: old.scope, condition: condition,
                    destinations: old.destinations, priority: old.priority, nearMissLeaves: Rule.nearMissLeaves(of: condition),
                    location: old.location)
            case .history(let field):
                _ = try Policy.historyValue(field, &f.history, setting: value)
            }
        }
        let h = f.history
        if !(h.halfLifeDays > 0 && h.halfLifeDays <= Double(h.windowDays)) {
            throw VariationError(
                "history: half_life_days (\(h.halfLifeDays.plainText)) must be more than 0 and at most window_days (\(h.windowDays))")
        }
        if let remember = h.rememberIDsDays, remember < h.windowDays {
            throw VariationError(
                "history: window_days (\(h.windowDays)) must be at most the policy's remember_ids_days (\(remember))")
        }
        return Policy(f)
    }

    /// Whether screening under `variant` (made by ``varying(_:)`` from this policy) records exactly the
    /// history that screening under this policy records, so that one history can serve both.
    ///
    /// What history records of an incident is its keys, time and weight (the `history` settings), whether it
    /// went to MARAC, and which destinations it went to. The destinations feed only a re-send's
    /// `supersedes`, never a fact; the MARAC mark feeds only `pair.marac_referrals`. So the histories are the
    /// same when the history settings are, and either no rule that changed routes to MARAC or no rule reads
    /// `pair.marac_referrals`.
    package func recordsSameHistory(as variant: Policy) -> Bool {
        guard history.isSame(as: variant.history), rules.count == variant.rules.count else { return false }
        let marac = destinationIndex("marac")
        let readsReferrals = (rules + variant.rules).contains { r in r.condition.leaves.contains { $0.fact == .pairMaracReferrals } }
        for (a, b) in zip(rules, variant.rules) where a !== b {
            guard a.id == b.id else { return false }
            if readsReferrals, let marac, a.destinations.contains(marac) { return false }
        }
        return true
    }

    /// Whether `other` (any policy, loaded on its own) can be screened beside this one on this one's history
    /// (``Screener/addCompanion(_:)``) and get the decisions it gets on a history of its own, all but their
    /// `supersedes`: the same history settings and time zone (so the same figures and facts from the same
    /// history), the same local authorities (so the same warnings about schools), and the same rules routing
    /// to MARAC, in the same order, each testing the same facts the same way (so the same MARAC marks
    /// recorded, which `pair.marac_referrals` counts). A `marac` destination in one policy only is a
    /// difference. Stricter than ``recordsSameHistory(as:)``, the sweep's test for variants of one policy,
    /// which lets a rule routing to MARAC change while no rule reads `pair.marac_referrals` (a sweep counts
    /// routes only; a companion's decisions carry the pair's MARAC count in their history figures).
    package func sharesHistory(with other: Policy) -> Bool {
        guard history.isSame(as: other.history), zone == other.zone, localAuthorities == other.localAuthorities else { return false }
        func toMARAC(_ p: Policy) -> [Rule]? {
            guard let m = p.destinationIndex("marac") else { return nil }
            return p.rules.filter { $0.destinations.contains(m) }
        }
        let mine = toMARAC(self)
        let theirs = toMARAC(other)
        guard let mine, let theirs else { return mine == nil && theirs == nil }
        return mine.count == theirs.count
            && zip(mine, theirs).allSatisfy { a, b in a.scope == b.scope && a.condition.testsTheSame(as: b.condition) }
    }

    /// `rule:fact` or `history:field`, as a sweep names a setting.
    package static func label(_ setting: Setting) -> String {
        switch setting {
        case .threshold(let rule, let fact): "\(rule):\(fact)"
        case .history(let field): "history:\(field)"
        }
    }

    /// The rule's index and its one comparison of the fact with a number, or why there is none.
    private func thresholdLeaf(rule ruleID: String, fact factName: String) throws(VariationError) -> (Int, Leaf) {
        guard let index = rules.firstIndex(where: { $0.id == ruleID }) else {
            var message = "no rule '\(ruleID)' in policy '\(name)'"
            if let s = closestName(to: ruleID, among: ruleIDs) { message += " (did you mean '\(s)'?)" }
            throw VariationError(message + "; its rules are \(ruleIDs.joined(separator: ", "))")
        }
        let leaves = rules[index].condition.leaves
        let compared = leaves.filter { Policy.variableOperators.contains($0.op) && !$0.operands.isEmpty && $0.fact.kind != .text }
        let names = compared.map(\.fact.name).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        let found = compared.filter { $0.fact.name == factName }
        if found.isEmpty, let other = leaves.first(where: { $0.fact.name == factName }) {
            return try fail(
                "rule '\(ruleID)' tests '\(factName)' with '\(other.op.rawValue)': a sweep changes a comparison with one number "
                    + "(\(Policy.variableOperators.map(\.rawValue).joined(separator: ", ")))")
        }
        guard !found.isEmpty else {
            var message = "rule '\(ruleID)' compares no '\(factName)' with a number"
            if let s = closestName(to: factName, among: names) { message += " (did you mean '\(s)'?)" }
            return try fail(
                message + (names.isEmpty ? "; it compares no fact with a number" : "; it compares \(names.joined(separator: ", "))"))
        }
        guard found.count == 1 else {
            return try fail("rule '\(ruleID)' compares '\(factName)' \(found.count) times: a sweep changes a fact compared once")
        }
        let kind = found[0].fact.kind
        guard kind == .number || kind == .grading else {
            return try fail("'\(factName)' in rule '\(ruleID)' is not a number or a DASH grading: it cannot be swept")
        }
        return (index, found[0])
    }

    private func fail(_ message: String) throws(VariationError) -> (Int, Leaf) { throw VariationError(message) }

    /// Reads a history field, and sets it when `setting` is given (checked against the policy file's limits).
    private static func historyValue(_ field: String, _ h: inout HistorySettings, setting value: Double?) throws(VariationError)
        -> Double
    {
        func bad(_ expected: String) -> VariationError {
            VariationError("history:\(field): \(value.map { "\($0.plainText) is out of range: " } ?? "")expected \(expected)")
        }
        let parts = field.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        // `weights.dash_risk.LEVEL` and `weights.flags.FLAG` only: a bare `dash_risk` or `flags` is unknown.
        let weight = parts.count == 3 && parts[0] == "weights"
        switch weight ? parts[1] : field {
        case "window_days":
            if let value {
                guard value == value.rounded(), PolicyLimits.windowDays.contains(Int(exactly: value) ?? -1) else {
                    throw bad("a whole number of days in \(PolicyLimits.windowDays)")
                }
                h.windowDays = Int(value)
            }
            return Double(h.windowDays)
        case "half_life_days":
            if let value {
                guard value > 0 else { throw bad("more than 0 days, at most window_days") }
                h.halfLifeDays = value
            }
            return h.halfLifeDays
        case "dash_risk" where weight:
            guard let grading = DashRisk(rawValue: parts[2]) else { throw bad("weights.dash_risk.standard, medium or high") }
            if let value {
                guard PolicyLimits.weight.contains(value) else { throw bad("a weight in 0...1000") }
                h.gradingWeights[grading.rank] = value
            }
            return h.gradingWeights[grading.rank]
        case "flags" where weight:
            guard let flag = RiskFlags(name: parts[2]) else {
                throw bad("weights.flags. followed by one of \(RiskFlags.named.map(\.name).joined(separator: ", "))")
            }
            let at = h.flagWeights.firstIndex { $0.flag == flag }
            if let value {
                guard PolicyLimits.weight.contains(value) else { throw bad("a weight in 0...1000") }
                if let at { h.flagWeights[at].weight = value } else { h.flagWeights.append((flag, value)) }
            }
            return at.map { h.flagWeights[$0].weight } ?? 0
        default:
            var message = "unknown history setting '\(field)'"
            if let s = closestName(to: field, among: ["window_days", "half_life_days"]) { message += " (did you mean '\(s)'?)" }
            throw VariationError(message + ": expected one of \(variableHistoryFields.joined(separator: ", "))")
        }
    }
}

extension HistorySettings {
    /// Whether two settings count history the same way (every field equal).
    func isSame(as o: HistorySettings) -> Bool {
        windowDays == o.windowDays && halfLifeDays == o.halfLifeDays && gradingWeights == o.gradingWeights
            && nearMissScoreMargin == o.nearMissScoreMargin && lateDays == o.lateDays && rememberIDsDays == o.rememberIDsDays
            && flagWeights.count == o.flagWeights.count
            && zip(flagWeights, o.flagWeights).allSatisfy { $0.flag == $1.flag && $0.weight == $1.weight }
    }
}

extension Condition {
    /// The condition with the one operand of the leaf at `leafIndex` replaced.
    func replacing(leafIndex: Int, with value: Double) -> Condition {
        switch self {
        case .always: return .always
        case .all(let cs): return .all(cs.map { $0.replacing(leafIndex: leafIndex, with: value) })
        case .any(let cs): return .any(cs.map { $0.replacing(leafIndex: leafIndex, with: value) })
        case .not(let c): return .not(c.replacing(leafIndex: leafIndex, with: value))
        case .leaf(var l):
            if l.index == leafIndex { l.operands = [value] }
            return .leaf(l)
        }
    }
}
