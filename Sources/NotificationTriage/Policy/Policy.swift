/// The screening policy: calendar, history settings, destinations and ordered rules, loaded from a
/// `thresholds.yaml` and compiled so that screening a record does no string look-ups.
///
/// Load one with ``Policy/init(yaml:source:)`` or use ``Policy/default``.
public struct Policy: Sendable {
    /// What a policy is made of, as the validator compiles it.
    struct Fields: Sendable {
        var name: String
        var version: Int
        var hash: String
        var zone: ZoneRules
        var calendar: PolicyCalendar
        var history: HistorySettings
        var destinations: [Destination]
        var rules: [Rule]
        var screenedOutReason: String
        /// The local authority codes of the policy's area (`local_authorities:`), sorted; empty when not given.
        var localAuthorities: [String] = []
    }

    /// The fields, shared: copying a policy (every screener, context and writer holds one) is one retain
    /// rather than a copy of every field.
    final class Storage: Sendable {
        let fields: Fields
        /// The rules that can have near misses (index, and whether per child), in policy order: wording a
        /// decision's near misses visits only these.
        let nearMissRules: [(rule: Int32, perChild: Bool)]
        /// Whether every text of the policy a reason can quote (rule descriptions, destination ids) is plain
        /// JSON text, with nothing to escape: then no reason needs escaping (the rest of a reason is fixed
        /// words, numbers and dates), and the encoder copies it without scanning it.
        let plainWords: Bool
        /// Every rule's condition end to end, the k-th rule's tree from `conditionRoots[k]` and its program
        /// from ``CompiledCondition/holds(part:_:)``'s part k, and whether each rule is a child rule: what the
        /// screening loop reads, rule after rule.
        let conditions: CompiledCondition
        let conditionRoots: [Int32]
        let childScoped: [Bool]
        init(_ fields: Fields) {
            self.fields = fields
            (conditions, conditionRoots) = CompiledCondition.concatenating(fields.rules.map(\.compiled))
            childScoped = fields.rules.map { $0.scope == .child }
            let quoted = fields.rules.map(\.description) + fields.destinations.map(\.id)
            plainWords = quoted.allSatisfy { s in s.withUTF8Bytes { !ByteScan.needsJSONEscape($0) } }
            nearMissRules = fields.rules.enumerated().compactMap { i, rule in
                rule.compiled.nearMissNodes.isEmpty ? nil : (Int32(i), rule.scope == .child)
            }
        }
    }
    let storage: Storage

    /// The policy's `name`.
    public var name: String { storage.fields.name }
    /// The policy file format `version` (1).
    public var version: Int { storage.fields.version }
    /// A hash (FNV-1a 64, hex) of the policy text, carried on every decision so it can be traced.
    public var hash: String { storage.fields.hash }
    /// The time zone local times are read and deadlines written in.
    public var zone: ZoneRules { storage.fields.zone }
    /// The local authority codes of the policy's area (`local_authorities:`, the register's `LA (code)`), sorted:
    /// a school in another authority is out of the area. Empty when the policy does not say.
    public var localAuthorities: [String] { storage.fields.localAuthorities }

    /// Whether a school of local authority `laCode` is outside the policy's area (never when the policy lists
    /// no authorities).
    public func isOutOfArea(laCode: String) -> Bool {
        !localAuthorities.isEmpty && localAuthorities.firstIndex(of: laCode) == nil
    }
    package var calendar: PolicyCalendar { storage.fields.calendar }
    package var history: HistorySettings { storage.fields.history }
    package var destinations: [Destination] { storage.fields.destinations }
    var rules: [Rule] { storage.fields.rules }
    /// Reason given when an incident gets no route.
    var screenedOutReason: String { storage.fields.screenedOutReason }

    init(_ fields: Fields) { storage = Storage(fields) }

    /// The ids of the rules, in policy order.
    public var ruleIDs: [String] { rules.map(\.id) }
    /// The ids of the destinations, in policy order.
    public var destinationIDs: [String] { destinations.map(\.id) }
    /// The look-back window in days.
    public var windowDays: Int { history.windowDays }

    /// The fields a destination may receive (data minimisation), or nil for an unknown destination.
    public func fields(for destination: String) -> [String]? {
        destinations.first { $0.id == destination }?.fields
    }

    /// Index of a destination by id.
    package func destinationIndex(_ id: String) -> Int? { destinations.firstIndex { $0.id == id } }
}
