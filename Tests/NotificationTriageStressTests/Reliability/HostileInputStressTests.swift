import Foundation
import Testing

@testable import NotificationTriage

/// Hostile input too big for the inner loop: a policy of 100,000 rules still loads, in bounded time.
@Suite struct HostileInputStressTests {
    @Test func policyWithAHundredThousandRules() throws {
        var text = "version: 1\nname: big\ndestinations:\n  - {id: marac, deadline: {hours: 4}, fields: all}\nrules:\n"
        for i in 0..<100_000 { text += "  - {id: r\(i), description: d, when: {fact: dash_score, gte: \(i % 28)}, route: marac}\n" }
        let start = Date()
        let p = try Policy(yaml: text, source: "big.yaml")
        #expect(p.ruleIDs.count == 100_000)
        #expect(Date().timeIntervalSince(start) < 60)
    }
}
