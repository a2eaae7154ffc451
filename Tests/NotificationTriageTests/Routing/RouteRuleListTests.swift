import Testing
import _TriageTestSupport

@testable import NotificationTriage

/// A route that several rules led to lists them all, in policy order, whether the list is a shared one
/// (rules within the first 64: ``RuleLists``) or appended to (past them), and routes with the same rules
/// share one list.
@Suite struct RouteRuleListTests {
    /// A policy of `count` rules routing to social care; rule i fires when the DASH score is at least
    /// `i % 3` (so a score of 0 fires a third of them, 2 all of them).
    static func policy(rules count: Int) throws -> Policy {
        var yaml = """
            version: 1
            name: many-rules
            destinations:
              - {id: social_care, deadline: {working_days: 1}, fields: all}
            rules:

            """
        for i in 0..<count {
            yaml += """
                  - id: r\(i)
                    description: rule \(i)
                    when: {fact: dash_score, gte: \(i % 3)}
                    route: social_care

                """
        }
        return try Policy(yaml: yaml, source: "many-rules.yaml")
    }

    /// The rules a route lists, worked out here from the rule numbers: those with `i % 3 <= score`.
    static func expected(rules count: Int, score: Int) -> [String] {
        (0..<count).filter { $0 % 3 <= score }.map { "r\($0)" }
    }

    @Test(arguments: [(3, 0), (3, 2), (64, 1), (65, 0), (65, 2), (70, 2), (130, 1)])
    func aRouteListsEveryRuleThatLedToItInOrder(rules count: Int, score: Int) throws {
        var screener = Screener(policy: try RouteRuleListTests.policy(rules: count))
        var lists: [[String]] = []
        for i in 0..<3 {
            let d = screener.screen(Build.incident("I\(i)", at: "2026-01-1\(i) 21:00", score: score))
            #expect(d.routes.count == 1)
            lists.append(d.routes.first?.rules ?? [])
        }
        for l in lists { #expect(l == RouteRuleListTests.expected(rules: count, score: score)) }
    }

    /// Two incidents routed by the same rules share the first one's list (no copy per route).
    @Test func routesWithTheSameRulesShareOneList() throws {
        var screener = Screener(policy: try RouteRuleListTests.policy(rules: 6))
        let a = screener.screen(Build.incident("A", at: "2026-01-10 21:00", score: 1)).routes[0].rules
        let b = screener.screen(Build.incident("B", at: "2026-01-11 21:00", score: 1)).routes[0].rules
        #expect(a == ["r0", "r1", "r3", "r4"])
        a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { pb in #expect(pa.baseAddress == pb.baseAddress) } }
    }
}
