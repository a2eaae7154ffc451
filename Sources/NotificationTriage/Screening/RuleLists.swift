/// The `rules` list of a route that more than one rule led to, made once per set of rules and shared by
/// every route with that set (a retain), where appending each rule's id to the route's list allocated a
/// copy of it per route.
struct RuleLists {
    private var made: [UInt64: [String]] = [:]

    /// The most sets kept (a policy's routes combine a few dozen sets in practice; past this, lists are
    /// still made, just not kept).
    static let limit = 4096

    /// The bit of rule `index` in a set, or 0 for a rule past the 64th (whose routes append ids instead).
    @inline(__always)
    static func bit(_ index: Int) -> UInt64 { index < 64 ? 1 << UInt64(index) : 0 }

    /// The ids of the rules in `set` (bit i: rule i), in policy order.
    mutating func list(_ set: UInt64, _ rules: [Rule]) -> [String] {
        if let l = made[set] { return l }
        var l: [String] = []
        l.reserveCapacity(set.nonzeroBitCount)
        var bits = set
        while bits != 0 {
            l.append(rules[bits.trailingZeroBitCount].id)
            bits &= bits &- 1
        }
        if made.count < RuleLists.limit { made[set] = l }
        return l
    }
}
