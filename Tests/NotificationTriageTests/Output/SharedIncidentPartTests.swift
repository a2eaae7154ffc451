import Foundation
import Testing
import TriageSynthesis
import _TriageTestSupport

@testable import NotificationTriage

/// A sink writes all of a decision's routes before the next decision's, numbering each decision
/// (``EncoderScratch/decisionSerial``): the JSON lines of one decision's routes to destinations with the same
/// incident-level fields share those fields' bytes, written once. Every line must still be the line written
/// alone: destinations here hold the same fields in another order (`b`), the same with child fields (`c`,
/// `d`, child routes), and other fields (`e`); `f` has other incident-level fields but `c`'s child fields, so
/// its line for no one child shares `c`'s children array (every child), and never a child route's. Each line
/// is also read back by Foundation and must name its own incident.
@Suite struct SharedIncidentPartTests {
    static let policy: Policy = {
        let yaml = """
            version: 1
            name: shared
            destinations:
              - {id: a, deadline: {working_days: 1}, fields: [incident_id, postcode, victim_name, reasons]}
              - {id: b, deadline: {working_days: 1}, fields: [postcode, incident_id, victim_name, reasons]}
              - {id: c, deadline: {working_days: 1}, fields: [incident_id, postcode, victim_name, child_id, child_name, history]}
              - {id: d, deadline: {working_days: 1}, fields: [incident_id, postcode, victim_name, child_id, reasons]}
              - {id: e, deadline: {working_days: 1}, fields: [incident_id, occurred_at, flags, reasons]}
              - {id: f, deadline: {working_days: 1}, fields: [incident_id, child_id, child_name, reasons]}
            rules:
              - id: every
                description: every incident
                route: [a, b, c, e, f]
              - id: each-child
                description: each child
                scope: child
                when: {fact: child.age, gte: 0}
                route: [c, d, a]
            """
        return try! Policy(yaml: yaml, source: "shared.yaml")
    }()

    @Test func sharedLinesAreTheLinesWrittenAlone() throws {
        let policy = SharedIncidentPartTests.policy
        let writers = policy.destinations.map { DestinationWriter(destination: $0, policy: policy, asOf: nil) }
        #expect(writers.allSatisfy { $0.isJSON })
        var screener = Screener(policy: policy)
        var shared = EncoderScratch()
        var lines = 0
        var repeats = 0
        for incident in generate(GeneratorOptions(incidents: 300, seed: 5)) {
            let d = screener.screen(incident)
            shared.decisionSerial += 1
            var seen: Set<Int> = []
            for r in d.routes {
                var together = ByteWriter(capacity: 0)
                writers[r.destinationIndex].write(d, r, into: &together, scratch: &shared)
                var alone = ByteWriter(capacity: 0)
                writers[r.destinationIndex].write(d, r, into: &alone)
                #expect(together.bytes == alone.bytes, "\(r.destination) of \(d.incident.incidentID)")
                let object = try #require(try JSONSerialization.jsonObject(with: Data(together.bytes)) as? [String: Any])
                #expect(object["incident_id"] as? String == d.incident.incidentID)
                lines += 1
                if !seen.insert(r.destinationIndex).inserted { repeats += 1 }
            }
        }
        // Every destination, and several routes of a decision to one destination (a child route each), are reached.
        #expect(lines > 1_500)
        #expect(repeats > 100)
    }
}
