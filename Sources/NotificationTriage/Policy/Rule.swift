/// A rule's scope: once per incident, or once per linked child.
enum RuleScope: String, Sendable { case incident, child }

/// One rule of the policy, compiled. A class so that iterating the rules per incident costs one retain,
/// not a copy of every field.
package final class Rule: Sendable {
    let id: String
    let description: String
    let scope: RuleScope
    let condition: Condition
    /// The condition flattened for evaluation and explanations (with the rule's near-miss leaves).
    let compiled: CompiledCondition
    let destinations: [Int]
    let priority: Priority?
    let location: SourceLocation
    /// `[id]`, made once: a route this rule starts shares it (a retain, not an array per route); merging a
    /// second rule into the route copies it then.
    let idList: [String]
    /// The count facts among its leaves (each once, in leaf order): when the rule fires, the dates of the
    /// incidents behind each are kept for its reason (see ``DecisionEvidence``).
    let countFacts: [Fact]
    /// The destinations it routes to, one bit each (destination i: bit i; those past the 64th are not
    /// recorded, as ``IncidentVersion`` records none).
    let destinationBits: UInt64

    init(
        id: String, description: String, scope: RuleScope, condition: Condition, destinations: [Int],
        priority: Priority?, nearMissLeaves: [Leaf], location: SourceLocation
    ) {
        self.id = id
        self.description = description
        self.scope = scope
        self.condition = condition
        self.compiled = CompiledCondition(condition, nearMissLeaves: nearMissLeaves)
        self.destinations = destinations
        self.priority = priority
        self.location = location
        self.idList = [id]
        self.destinationBits = destinations.reduce(0) { $1 < 64 ? $0 | 1 << UInt64($1) : $0 }
        var counts: [Fact] = []
        for leaf in condition.leaves where (leaf.fact.isIncidentCount || leaf.fact == .pairMaracReferrals) && !counts.contains(leaf.fact) {
            counts.append(leaf.fact)
        }
        self.countFacts = counts
    }

    /// The leaves a rule reports near misses on: counts and scores compared with gte, gt or eq.
    static func nearMissLeaves(of condition: Condition) -> [Leaf] {
        condition.leaves.filter { ($0.fact.isIncidentCount || $0.fact.isScore) && [.gte, .gt, .eq].contains($0.op) }
    }
}
