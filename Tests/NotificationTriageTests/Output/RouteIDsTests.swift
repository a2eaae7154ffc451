import Foundation
import Testing
import TriageSynthesis
import _TriageTestSupport

@testable import NotificationTriage

/// A route's destination and rules are written from the policy's ids escaped once (``PolicyIDsJSON``) when
/// the route holds the policy's own strings, and from its strings otherwise. Either way the route object
/// must say what the route holds: each written object is read back by Foundation and compared with it.
@Suite struct RouteIDsTests {
    /// A copy of `s` in storage of its own (a long string copied this way is no longer the policy's).
    static func copy(_ s: String) -> String { String(decoding: Array(s.utf8), as: UTF8.self) }

    enum Change: String, CaseIterable, CustomTestStringConvertible {
        /// As the screener made it.
        case none
        /// Every id copied into new storage.
        case copied
        /// A destination and a rule the policy does not have, with text JSON escapes.
        case foreign
        /// The rules in reverse order, one of them repeated.
        case reordered
        /// A policy id under another destination's index.
        case misplaced
        var testDescription: String { rawValue }
    }

    static func changed(_ r: Route, _ change: Change) -> Route {
        var r = r
        switch change {
        case .none: break
        case .copied:
            r.destination = copy(r.destination)
            r.rules = r.rules.map(copy)
        case .foreign:
            r.destination = "elsewhere \"quoted\" \\ \u{01}"
            r.rules = ["made-up \"rule\""] + r.rules + ["tab\there"]
        case .reordered:
            r.rules = r.rules.reversed() + [r.rules[0]]
        case .misplaced:
            let ids = Policy.default.destinationIDs
            r.destination = ids[(r.destinationIndex + 1) % ids.count]
        }
        return r
    }

    @Test(arguments: Change.allCases)
    func routeObjectsSayWhatTheRouteHolds(_ change: Change) throws {
        var screener = Screener(policy: .default)
        let routes = generate(GeneratorOptions(incidents: 400, seed: 11)).flatMap { screener.screen($0).routes }
        // The policy's destinations and a good share of its rules are reached.
        #expect(Set(routes.map(\.destination)).count >= 4)
        #expect(Set(routes.flatMap(\.rules)).count >= 10)
        let encoder = DecisionEncoder(policy: .default)
        for route in routes {
            let r = RouteIDsTests.changed(route, change)
            var w = ByteWriter(capacity: 0)
            encoder.writeRoute(r, &w)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(w.bytes)) as? [String: Any])
            #expect(object["to"] as? String == r.destination)
            #expect(object["rules"] as? [String] == r.rules)
        }
    }
}
