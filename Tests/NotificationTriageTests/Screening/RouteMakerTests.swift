import Foundation
import Testing
import _TriageTestSupport

@testable import NotificationTriage
@testable import TriageSynthesis

/// A batch screen may leave each decision's routes to the thread that writes it (``RouteMaker``): made there,
/// from the rules that fired, they must be the routes the library's `screen(_:)` makes on the spot, deadlines
/// (a school's own calendar included), rule lists, order and the warning about unknown bank holidays alike.
struct RouteMakerTests {
    @Test(arguments: [false, true])
    func routesMadeElsewhereAreTheRoutesMadeOnTheSpot(withSchools: Bool) throws {
        let policy = try SchoolCalendarTests.policy()
        let schools: SchoolRegister? = withSchools ? SchoolCalendarTests.register : nil
        // Years past the policy's known bank holidays too, so that some routes carry the coverage warning.
        let incidents = generate(
            GeneratorOptions(incidents: 3_000, seed: 21, start: CivilDate(year: 2026, month: 1, day: 1)!, years: 3, resendRate: 0.03))
        let clock = WallClock.fixed(Instant(seconds: 4_000_000_000))
        var onTheSpot = Screener(policy: policy, clock: clock)
        onTheSpot.schools = schools
        var batched = Screener(policy: policy, clock: clock)
        batched.schools = schools
        var maker = RouteMaker(policy: policy, schools: schools)
        var batch = RecordBatch(records: incidents.map { .incident($0, SourceLocation(source: "t", line: 1)) })
        var pending: [Decision] = []
        for i in incidents.indices {
            #expect(batched.screen(&batch, at: i, appendingTo: &pending, makingRoutes: false) == nil)
        }
        var routed = 0
        var covered = 0
        for (incident, var d) in zip(incidents, pending) {
            let expected = onTheSpot.screen(incident)
            #expect(d.routes.isEmpty, "no routes before they are made")
            #expect(d.screenedOut == expected.screenedOut)
            maker.complete(&d)
            #expect(d.routes == expected.routes, "\(incident.incidentID)")
            #expect(d.warnings == expected.warnings, "\(incident.incidentID)")
            #expect(d.reasons == expected.reasons)
            #expect(d.supersedes == expected.supersedes)
            // Made once: completing again changes nothing.
            let again = d.routes
            maker.complete(&d)
            #expect(d.routes == again)
            if !d.routes.isEmpty { routed += 1 }
            if d.warnings.contains(where: { $0.message.contains("bank holiday") }) { covered += 1 }
        }
        // The data hold what the check is about.
        #expect(routed > 1_000)
        #expect(covered > 10)
    }
}
