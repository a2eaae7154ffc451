import Foundation
import Testing
import _TriageTestSupport

@testable import NotificationTriage
@testable import TriageJobs
@testable import TriageSynthesis

/// A policy screened beside another on that one's history (`triage compare`, when the two record the same
/// history) must get the decisions it gets screened alone on a history of its own, but `supersedes`.
struct CompanionScreenerTests {
    static let candidateText = try! String(
        contentsOf: Triage.root.appendingPathComponent("samples/candidate-thresholds.yaml"), encoding: .utf8)

    /// A candidate made from the default policy by one edit, and whether it may share the default's history.
    struct Edit: Sendable, CustomTestStringConvertible {
        let name: String
        let from: String
        let to: String
        let shares: Bool
        var testDescription: String { name }

        var policy: Policy {
            get throws {
                let text = Policy.defaultText.replacingOccurrences(of: from, with: to)
                #expect(text != Policy.defaultText || from.isEmpty, "the edit \(name) changed nothing")
                return try Policy(yaml: text, source: "candidate.yaml")
            }
        }
    }

    static let edits: [Edit] = [
        Edit(name: "no change", from: "", to: "", shares: true),
        Edit(
            name: "a threshold of a rule not routing to MARAC", from: "{fact: household.incidents, gte: 3}",
            to: "{fact: household.incidents, gte: 2}", shares: true),
        Edit(
            name: "a threshold of a rule routing to MARAC", from: "{fact: dash_score, gte: 14}", to: "{fact: dash_score, gte: 13}",
            shares: false),
        Edit(name: "the history window", from: "window_days: 365", to: "window_days: 180", shares: false),
        Edit(name: "the time zone", from: "timezone: Europe/London", to: "timezone: Europe/Dublin", shares: false),
        Edit(name: "the local authorities", from: "\ncalendar:", to: "\nlocal_authorities: [\"855\"]\ncalendar:", shares: false),
    ]

    @Test(arguments: edits)
    func historyIsSharedOnlyWhenItRecordsTheSame(_ edit: Edit) throws {
        let candidate = try edit.policy
        #expect(Policy.default.sharesHistory(with: candidate) == edit.shares)
        #expect(candidate.sharesHistory(with: .default) == edit.shares)
        var screener = Screener(policy: .default)
        let added = screener.addCompanion(candidate)
        #expect((added != nil) == edit.shares)
    }

    /// The sample candidate (two threshold changes, neither to a rule routing to MARAC) shares the history.
    @Test func theSampleCandidateSharesTheHistory() throws {
        #expect(Policy.default.sharesHistory(with: try Policy(yaml: Self.candidateText, source: "candidate.yaml")))
    }

    /// Every decision of both policies, field by field, with and without a school register, on generated
    /// incidents with re-sends and late arrivals: the baseline's as if it were alone (`supersedes` too), the
    /// candidate's as if it had a history of its own (no `supersedes`).
    @Test(arguments: [false, true])
    func decisionsAreThoseOfTwoHistories(withSchools: Bool) throws {
        let candidate = try Policy(yaml: Self.candidateText, source: "candidate.yaml")
        let incidents = generate(GeneratorOptions(incidents: 4_000, seed: 11, resendRate: 0.05))
        let clock = WallClock.fixed(Instant(seconds: 4_000_000_000))
        let schools: SchoolRegister? = withSchools ? SchoolRegisterScreeningTests.register : nil
        var shared = Screener(policy: .default, clock: clock)
        shared.schools = schools
        let added = shared.addCompanion(candidate)
        let k = try #require(added)
        var alone = Screener(policy: .default, clock: clock)
        alone.schools = schools
        var aloneB = Screener(policy: candidate, clock: clock)
        aloneB.schools = schools
        var resends = 0
        var differing = 0
        for incident in incidents {
            let a = shared.screen(incident)
            let taken = shared.takeCompanionDecision(k)
            let b = try #require(taken)
            let again = shared.takeCompanionDecision(k)
            #expect(again == nil, "a companion decision is taken once")
            let expectedA = alone.screen(incident)
            let expectedB = aloneB.screen(incident)
            Self.expectSame(a, expectedA, "baseline", incident.incidentID)
            #expect(a.supersedes == expectedA.supersedes)
            Self.expectSame(b, expectedB, "candidate", incident.incidentID)
            #expect(b.supersedes == nil)
            if expectedB.supersedes != nil { resends += 1 }
            if a.routes != b.routes { differing += 1 }
        }
        // The data hold what the check is about: re-sends, and decisions the two policies make differently.
        #expect(resends > 20)
        #expect(differing > 100)
    }

    static func expectSame(_ d: Decision, _ e: Decision, _ side: String, _ id: String) {
        #expect(d.incident == e.incident, "\(side) \(id): incident")
        #expect(d.routes == e.routes, "\(side) \(id): routes")
        #expect(d.reasons == e.reasons, "\(side) \(id): reasons")
        #expect(d.nearMisses == e.nearMisses, "\(side) \(id): near misses")
        #expect(d.warnings == e.warnings, "\(side) \(id): warnings")
        #expect(d.history == e.history, "\(side) \(id): history figures")
        #expect(d.duplicate == e.duplicate && d.outOfOrder == e.outOfOrder, "\(side) \(id): re-send or order")
        #expect(d.screenedOut == e.screenedOut && d.screenedOutReason == e.screenedOutReason, "\(side) \(id): screened out")
    }

    /// `compare` on one history gives the report, figures and changes of `compare` on two.
    @Test func compareOnOneHistoryReportsWhatTwoHistoriesDo() throws {
        let dir = Triage.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = dir.appendingPathComponent("in.csv")
        try Data(file(GeneratorOptions(incidents: 6_000, seed: 5, messyRate: 0.01, resendRate: 0.02), "csv").bytes).write(to: input)
        let candidate = try Policy(yaml: Self.candidateText, source: "candidate.yaml")
        var options = ScreenOptions()
        options.inputs = [input.path]
        var outputs: [(report: CompareReport, changes: [UInt8])] = []
        for share in [true, false] {
            var job = CompareJob(baseline: .default, candidate: candidate, options: options, bucket: .week)
            job.shareHistory = share
            var changes: [UInt8] = []
            let result = try job.run { changes += CompareReport.changeLine($0, baseline: .default, candidate: candidate) }
            outputs.append(
                (
                    CompareReport(
                        result: result, baseline: .default, candidate: candidate, baselineName: "a", candidateName: "b", bucket: .week),
                    changes
                ))
            #expect(result.changedCount > 100)
        }
        // The elapsed time is the one figure that may differ.
        func timeless(_ s: String) -> String {
            s.split(separator: "\n").filter { !$0.contains("elapsed") && !$0.contains("per second") }.joined(separator: "\n")
        }
        #expect(timeless(outputs[0].report.json).count > 1_000)
        #expect(timeless(outputs[0].report.json) == timeless(outputs[1].report.json))
        #expect(timeless(outputs[0].report.text) == timeless(outputs[1].report.text))
        #expect(outputs[0].changes == outputs[1].changes)
        #expect(!outputs[0].changes.isEmpty)
    }
}
