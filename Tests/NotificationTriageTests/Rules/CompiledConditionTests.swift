import Foundation
import Testing

@testable import NotificationTriage
@testable import TriageSynthesis

/// The flattened condition must agree with the tree it was made from, for every rule, fact value and forced
/// leaf (near misses force one leaf at a time).
@Suite struct CompiledConditionTests {
    /// A policy that uses every operator, nested `all`/`any`/`not`, text facts and `in` lists.
    static let everyOperator = """
        version: 1
        name: every-operator
        destinations:
          - {id: social_care, deadline: {working_days: 1}, fields: all}
        rules:
          - id: nested
            description: nested test
            scope: child
            when:
              any:
                - all:
                    - {fact: child.age, between: [0, 4]}
                    - not: {fact: child.school_urn, present: true}
                - all:
                    - {fact: relationship, in: [partner, ex_partner]}
                    - {fact: dash_score, ne: 3}
                    - not:
                        any:
                          - {fact: flags, has: [weapon, injury]}
                          - {fact: victim.age, lt: 20}
                - {fact: child.school_urn, eq: "100001"}
                - {fact: child.school_urn, in: ["100002", "100003"]}
                - {fact: household.score, gt: 7.5}
                - {fact: dash_score, in: [20, 21]}
                - {fact: victim.pregnant, eq: true}
            route: social_care
          - id: plain
            description: plain test
            when:
              all:
                - {fact: household.incidents, gte: 2}
                - {fact: dash_score, lte: 10}
                - {fact: dash_risk, eq: medium}
                - {fact: victim.age, absent: true}
            route: social_care
          - id: always
            description: always test
            route: social_care
          - id: late-text
            description: text and lists in a later rule (leaf indices moved in the policy-wide form)
            scope: child
            when:
              any:
                - {fact: child.school_urn, in: ["100004"]}
                - {fact: relationship, in: [ex_partner]}
            route: social_care
        """

    static func policies() throws -> [(String, Policy)] {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let candidate = try String(contentsOf: root.appendingPathComponent("samples/candidate-thresholds.yaml"), encoding: .utf8)
        return [
            ("default", Policy.default),
            ("candidate", try Policy(yaml: candidate, source: "candidate-thresholds.yaml")),
            ("every-operator", try Policy(yaml: everyOperator, source: "every-operator.yaml")),
        ]
    }

    @Test func agreesWithTheTreeOnRandomFacts() throws {
        var rng = SeededGenerator(seed: 7)
        let urns: [String?] = [nil, "100001", "100002", "100004"]
        for (name, policy) in try Self.policies() {
            var checked = 0
            for _ in 0..<4_000 {
                var facts = FactValues()
                for f in 0..<Fact.count {
                    // Small integers (so equality, ranges and thresholds are hit), halves, and missing values.
                    let r = Int.random(in: 0..<40, using: &rng)
                    facts.numbers[f] = r < 6 ? .nan : r < 12 ? Double(r) / 2 : Double(Int.random(in: 0...25, using: &rng))
                }
                facts.flags = RiskFlags(rawValue: UInt32.random(in: 0..<512, using: &rng))
                facts.schoolURN = urns[Int.random(in: 0..<urns.count, using: &rng)]
                for (k, rule) in policy.rules.enumerated() {
                    // The policy-wide form the screening loop reads says the same as the rule's own tree.
                    let root = Int(policy.storage.conditionRoots[k])
                    let tree = rule.condition.evaluate(facts, forcing: -1)
                    #expect(policy.storage.conditions.evaluate(at: root, facts) == tree)
                    // So does its program, in the policy-wide form and the rule's own.
                    #expect(policy.storage.conditions.holds(part: k, facts) == tree, "\(name) rule \(rule.id)")
                    #expect(rule.compiled.holds(part: 0, facts) == tree, "\(name) rule \(rule.id)")
                    #expect(policy.storage.childScoped[k] == (rule.scope == .child))
                    var treeEvidence: [(Leaf, Bool)] = []
                    rule.condition.evidence(facts, into: &treeEvidence)
                    var flatEvidence: [(Int32, Bool)] = []
                    rule.compiled.evidence(facts, into: &flatEvidence)
                    #expect(treeEvidence.map { "\($0.0.index)\($0.1)" } == flatEvidence.map { "\($0.0)\($0.1)" })
                    #expect(flatEvidence.allSatisfy { rule.compiled.leaves[Int($0.0)].index == Int($0.0) })
                    let leafCount = rule.condition.leaves.count
                    for forcing in -1..<leafCount {
                        let tree = rule.condition.evaluate(facts, forcing: forcing)
                        let flat = rule.compiled.evaluate(facts, forcing: forcing)
                        #expect(tree == flat, "\(name) rule \(rule.id) forcing \(forcing)")
                        if tree != flat { return }
                        checked += 1
                    }
                }
            }
            #expect(checked > 4_000)
        }
    }

    @Test func subtreeSizesCoverTheWholeCondition() throws {
        for (_, policy) in try Self.policies() {
            for rule in policy.rules {
                #expect(Int(rule.compiled.nodes[0].size) == rule.compiled.nodes.count)
            }
        }
    }
}
