/// The risk flags recorded on an incident: a growable set (a struct with static members, not an enum, so
/// adding a flag breaks no `switch`). Unknown flags are kept by name on the incident, not here.
public struct RiskFlags: OptionSet, Sendable, Hashable {
    /// One bit per flag, in the order of ``named``.
    public let rawValue: UInt32
    /// The flags whose bits are set in `rawValue`.
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// `weapon`: a weapon was used or threatened.
    public static let weapon = RiskFlags(rawValue: 1 << 0)
    /// `injury`: the victim was injured.
    public static let injury = RiskFlags(rawValue: 1 << 1)
    /// `strangulation`: strangulation or suffocation.
    public static let strangulation = RiskFlags(rawValue: 1 << 2)
    /// `threats_to_kill`: threats to kill.
    public static let threatsToKill = RiskFlags(rawValue: 1 << 3)
    /// `substance_misuse`: alcohol or drug misuse.
    public static let substanceMisuse = RiskFlags(rawValue: 1 << 4)
    /// `mental_health`: mental ill-health.
    public static let mentalHealth = RiskFlags(rawValue: 1 << 5)
    /// `breach_of_order`: a breach of a protective or bail order.
    public static let breachOfOrder = RiskFlags(rawValue: 1 << 6)
    /// `child_injured`: a child was injured (a child's own record can say so too: ``Child/injured``).
    public static let childInjured = RiskFlags(rawValue: 1 << 7)
    /// `professional_judgement`: the officer's professional judgement that the risk is high, whatever
    /// the DASH score.
    public static let professionalJudgement = RiskFlags(rawValue: 1 << 8)

    /// Every known flag with its canonical name, in a fixed order (used for output and parsing).
    public static let named: [(name: String, flag: RiskFlags)] = [
        ("weapon", .weapon), ("injury", .injury), ("strangulation", .strangulation),
        ("threats_to_kill", .threatsToKill), ("substance_misuse", .substanceMisuse),
        ("mental_health", .mentalHealth), ("breach_of_order", .breachOfOrder),
        ("child_injured", .childInjured), ("professional_judgement", .professionalJudgement),
    ]

    /// The flag with this canonical name (any case), or nil.
    public init?(name: some StringProtocol) {
        let lower = name.lowercased()
        guard let hit = RiskFlags.named.first(where: { $0.name == lower }) else { return nil }
        self = hit.flag
    }

    /// Canonical names of the flags set, in the fixed order.
    public var names: [String] {
        var out: [String] = []
        forEachName { _, name in out.append(name) }
        return out
    }

    /// Calls `body` with the position (0, 1, …) and canonical name of each flag set, in the fixed order:
    /// ``names`` without making the array (writers use it per line).
    @inline(__always)
    func forEachName(_ body: (_ position: Int, _ name: String) -> Void) {
        var i = 0
        for (name, flag) in RiskFlags.named where contains(flag) {
            body(i, name)
            i += 1
        }
    }
}
