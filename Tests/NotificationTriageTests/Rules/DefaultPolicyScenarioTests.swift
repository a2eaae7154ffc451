import Testing
import _TriageTestSupport

@testable import NotificationTriage

/// One scenario: earlier incidents, the incident screened, and which rules must and must not fire.
struct RuleScenario: CustomTestStringConvertible, Sendable {
    var name: String
    var earlier: [Incident] = []
    var subject: Incident
    var fires: [String] = []
    var doesNotFire: [String] = []
    var testDescription: String { name }
}

typealias B = Build

let scenarios: [RuleScenario] = [
    // encompass
    RuleScenario(
        name: "encompass: child with a school URN, not present",
        subject: B.incident("E1", at: "2026-03-10 10:00", children: [B.child("C1", dob: "2018-01-01", urn: "123456")]),
        fires: ["encompass"], doesNotFire: ["education-unknown"]),
    RuleScenario(
        name: "encompass near miss: school-age child with no URN",
        subject: B.incident("E2", at: "2026-03-10 10:00", children: [B.child("C1", dob: "2018-01-01")]),
        fires: ["education-unknown"], doesNotFire: ["encompass"]),
    RuleScenario(
        name: "encompass: 18-year-old listed as a child is not notified",
        subject: B.incident("E3", at: "2026-03-10 10:00", children: [B.child("C1", dob: "2008-01-01", urn: "123456")]),
        doesNotFire: ["encompass", "education-unknown"]),
    // education-unknown
    RuleScenario(
        name: "education-unknown near miss: aged 4 with no URN",
        subject: B.incident("EU1", at: "2026-03-10 10:00", children: [B.child("C1", dob: "2021-06-01")]),
        fires: ["under-5"], doesNotFire: ["education-unknown"]),
    // under-5
    RuleScenario(
        name: "under-5: the day before the 5th birthday",
        subject: B.incident("U1", at: "2026-03-10 10:00", children: [B.child("C1", dob: "2021-03-11")]),
        fires: ["under-5"]),
    RuleScenario(
        name: "under-5 near miss: on the 5th birthday",
        subject: B.incident("U2", at: "2026-03-10 10:00", children: [B.child("C1", dob: "2021-03-10", urn: "100001")]),
        fires: ["encompass"], doesNotFire: ["under-5"]),
    // pregnancy and pre-birth
    RuleScenario(
        name: "pregnancy: pregnant victim", subject: B.incident("P1", at: "2026-03-10 10:00", pregnant: true),
        fires: ["pregnancy"], doesNotFire: ["pre-birth"]),
    RuleScenario(
        name: "pregnancy near miss: not pregnant", subject: B.incident("P2", at: "2026-03-10 10:00"),
        doesNotFire: ["pregnancy", "pre-birth"]),
    RuleScenario(
        name: "pre-birth: pregnant and high risk", subject: B.incident("PB1", at: "2026-03-10 10:00", risk: .high, pregnant: true),
        fires: ["pregnancy", "pre-birth"]),
    RuleScenario(
        name: "pre-birth: pregnant and a second incident for the victim",
        earlier: [B.incident("PB2a", at: "2025-12-01 10:00", household: "H9")],
        subject: B.incident("PB2", at: "2026-03-10 10:00", pregnant: true), fires: ["pre-birth"]),
    RuleScenario(
        name: "pre-birth: pregnant with substance misuse",
        subject: B.incident("PB3", at: "2026-03-10 10:00", flags: .substanceMisuse, pregnant: true),
        fires: ["pre-birth"]),
    // child-injured, infant-harm
    RuleScenario(
        name: "child-injured: injured child",
        subject: B.incident("CI1", at: "2026-03-10 10:00", children: [B.child("C1", dob: "2015-01-01", urn: "1", injured: true)]),
        fires: ["child-injured"]),
    RuleScenario(
        name: "child-injured: incident flagged child_injured",
        subject: B.incident("CI2", at: "2026-03-10 10:00", flags: .childInjured, children: [B.child("C1", dob: "2015-01-01", urn: "1")]),
        fires: ["child-injured"]),
    RuleScenario(
        name: "child-injured near miss: child not injured",
        subject: B.incident("CI3", at: "2026-03-10 10:00", flags: .injury, children: [B.child("C1", dob: "2015-01-01", urn: "1")]),
        doesNotFire: ["child-injured"]),
    RuleScenario(
        name: "infant-harm: 11 months and injury",
        subject: B.incident("IH1", at: "2026-03-10 10:00", flags: .injury, children: [B.child("C1", dob: "2025-04-01")]),
        fires: ["infant-harm", "under-5"]),
    RuleScenario(
        name: "infant-harm near miss: 12 months and injury",
        subject: B.incident("IH2", at: "2026-03-10 10:00", flags: .injury, children: [B.child("C1", dob: "2025-03-10")]),
        fires: ["under-5"], doesNotFire: ["infant-harm"]),
    // high and medium risk with children
    RuleScenario(
        name: "high-risk-child-present",
        subject: B.incident(
            "HR1", at: "2026-03-10 10:00", risk: .high, children: [B.child("C1", dob: "2015-01-01", present: true, urn: "1")]),
        fires: ["high-risk-child-present", "high-risk-children", "marac-high-risk"]),
    RuleScenario(
        name: "high-risk-child-present near miss: child not present",
        subject: B.incident("HR2", at: "2026-03-10 10:00", risk: .high, children: [B.child("C1", dob: "2015-01-01", urn: "1")]),
        fires: ["high-risk-children"], doesNotFire: ["high-risk-child-present"]),
    RuleScenario(
        name: "high-risk-children near miss: no child linked", subject: B.incident("HR3", at: "2026-03-10 10:00", risk: .high),
        fires: ["marac-high-risk"], doesNotFire: ["high-risk-children", "high-risk-child-present"]),
    RuleScenario(
        name: "medium-risk-child-present",
        subject: B.incident(
            "MR1", at: "2026-03-10 10:00", risk: .medium, children: [B.child("C1", dob: "2015-01-01", present: true, urn: "1")]),
        fires: ["medium-risk-child-present"]),
    RuleScenario(
        name: "medium-risk-child-present near miss: not present",
        subject: B.incident("MR2", at: "2026-03-10 10:00", risk: .medium, children: [B.child("C1", dob: "2015-01-01", urn: "1")]),
        doesNotFire: ["medium-risk-child-present"]),
    // repeats
    RuleScenario(
        name: "repeat-child: third incident for a child across households and adults",
        earlier: [
            B.incident(
                "RC1a", at: "2025-06-01 10:00", household: "HA", victim: "VA", perpetrator: "PA",
                children: [B.child("C7", dob: "2016-01-01", urn: "1")]),
            B.incident(
                "RC1b", at: "2025-11-20 10:00", household: "HB", victim: "VB", perpetrator: "PB",
                children: [B.child("C7", dob: "2016-01-01", urn: "1")]),
        ],
        subject: B.incident(
            "RC1", at: "2026-03-14 10:00", household: "HC", victim: "VC", perpetrator: "PC",
            children: [B.child("C7", dob: "2016-01-01", urn: "1")]),
        fires: ["repeat-child"], doesNotFire: ["repeat-household"]),
    RuleScenario(
        name: "repeat-child near miss: second incident",
        earlier: [
            B.incident(
                "RC2a", at: "2025-06-01 10:00", household: "HA", victim: "VA", children: [B.child("C8", dob: "2016-01-01", urn: "1")])
        ],
        subject: B.incident(
            "RC2", at: "2026-03-14 10:00", household: "HC", victim: "VC", children: [B.child("C8", dob: "2016-01-01", urn: "1")]),
        doesNotFire: ["repeat-child"]),
    RuleScenario(
        name: "repeat-household: third incident in 365 days",
        earlier: [B.incident("RH1a", at: "2025-06-01 10:00"), B.incident("RH1b", at: "2025-11-20 10:00")],
        subject: B.incident("RH1", at: "2026-03-14 10:00", children: [B.child("C1", dob: "2015-01-01", urn: "1")]),
        fires: ["repeat-household"]),
    RuleScenario(
        name: "repeat-household near miss: the first was 366 days ago",
        earlier: [B.incident("RH2a", at: "2025-03-13 10:00"), B.incident("RH2b", at: "2025-11-20 10:00")],
        subject: B.incident("RH2", at: "2026-03-14 10:00", children: [B.child("C1", dob: "2015-01-01", urn: "1")]),
        doesNotFire: ["repeat-household"]),
    RuleScenario(
        name: "repeat-household: the first exactly 365 days ago still counts",
        earlier: [B.incident("RH3a", at: "2025-03-14 10:00"), B.incident("RH3b", at: "2025-11-20 10:00")],
        subject: B.incident("RH3", at: "2026-03-14 10:00", children: [B.child("C1", dob: "2015-01-01", urn: "1")]),
        fires: ["repeat-household"]),
    // cumulative risk
    RuleScenario(
        name: "cumulative-risk: score 21 today",
        subject: B.incident(
            "CR1", at: "2026-03-10 10:00", risk: .high, flags: [.strangulation, .weapon, .threatsToKill],
            children: [B.child("C1", dob: "2015-01-01", urn: "1")]),
        fires: ["cumulative-risk"]),
    RuleScenario(
        name: "cumulative-risk near miss: score 18",
        subject: B.incident(
            "CR2", at: "2026-03-10 10:00", risk: .high, flags: [.strangulation, .weapon],
            children: [B.child("C1", dob: "2015-01-01", urn: "1")]),
        doesNotFire: ["cumulative-risk"]),
    // toxic trio
    RuleScenario(
        name: "toxic-trio",
        subject: B.incident(
            "TT1", at: "2026-03-10 10:00", flags: [.substanceMisuse, .mentalHealth], children: [B.child("C1", dob: "2015-01-01", urn: "1")]),
        fires: ["toxic-trio"]),
    RuleScenario(
        name: "toxic-trio near miss: substance misuse only",
        subject: B.incident(
            "TT2", at: "2026-03-10 10:00", flags: [.substanceMisuse], children: [B.child("C1", dob: "2015-01-01", urn: "1")]),
        doesNotFire: ["toxic-trio"]),
    // serial perpetrator
    RuleScenario(
        name: "serial-perpetrator: a second victim in 12 months",
        earlier: [B.incident("SP1a", at: "2025-10-01 10:00", household: "HX", victim: "VX", perpetrator: "PS")],
        subject: B.incident(
            "SP1", at: "2026-03-10 10:00", household: "HY", victim: "VY", perpetrator: "PS",
            children: [B.child("C1", dob: "2015-01-01", urn: "1")]),
        fires: ["serial-perpetrator"]),
    RuleScenario(
        name: "serial-perpetrator near miss: the same victim again",
        earlier: [B.incident("SP2a", at: "2025-10-01 10:00", household: "HX", victim: "VX", perpetrator: "PS")],
        subject: B.incident(
            "SP2", at: "2026-03-10 10:00", household: "HY", victim: "VX", perpetrator: "PS",
            children: [B.child("C1", dob: "2015-01-01", urn: "1")]),
        doesNotFire: ["serial-perpetrator"]),
    // early help
    RuleScenario(
        name: "second-incident-early-help: second standard incident with a child present",
        earlier: [B.incident("EH1a", at: "2025-10-01 10:00")],
        subject: B.incident("EH1", at: "2026-03-10 10:00", children: [B.child("C1", dob: "2015-01-01", present: true, urn: "1")]),
        fires: ["second-incident-early-help"]),
    RuleScenario(
        name: "second-incident-early-help near miss: first incident",
        subject: B.incident("EH2", at: "2026-03-10 10:00", children: [B.child("C1", dob: "2015-01-01", present: true, urn: "1")]),
        doesNotFire: ["second-incident-early-help"]),
    // MARAC
    RuleScenario(
        name: "marac-high-risk: DASH score 14", subject: B.incident("M1", at: "2026-03-10 10:00", score: 14), fires: ["marac-high-risk"]),
    RuleScenario(
        name: "marac-high-risk near miss: DASH score 13", subject: B.incident("M2", at: "2026-03-10 10:00", score: 13),
        doesNotFire: ["marac-high-risk"]),
    RuleScenario(
        name: "marac-judgement: strangulation", subject: B.incident("M3", at: "2026-03-10 10:00", flags: .strangulation),
        fires: ["marac-judgement"]),
    RuleScenario(
        name: "marac-judgement near miss: injury only", subject: B.incident("M4", at: "2026-03-10 10:00", flags: .injury),
        doesNotFire: ["marac-judgement"]),
    RuleScenario(
        name: "marac-escalation: third incident of the pair",
        earlier: [
            B.incident("ME1a", at: "2025-06-01 10:00", household: "H2"), B.incident("ME1b", at: "2025-11-20 10:00", household: "H3"),
        ],
        subject: B.incident("ME1", at: "2026-03-14 10:00"), fires: ["marac-escalation"]),
    RuleScenario(
        name: "marac-escalation near miss: second incident of the pair",
        earlier: [B.incident("ME2a", at: "2025-11-20 10:00")],
        subject: B.incident("ME2", at: "2026-03-14 10:00"), doesNotFire: ["marac-escalation"]),
    RuleScenario(
        name: "marac-repeat: the pair went to MARAC 5 months ago",
        earlier: [B.incident("MRP1a", at: "2025-10-01 10:00", risk: .high)],
        subject: B.incident("MRP1", at: "2026-03-14 10:00"), fires: ["marac-repeat"]),
    RuleScenario(
        name: "marac-repeat near miss: the earlier incident was not referred",
        earlier: [B.incident("MRP2a", at: "2025-10-01 10:00")],
        subject: B.incident("MRP2", at: "2026-03-14 10:00"), doesNotFire: ["marac-repeat"]),
    // marac-victim-repeat (issue 14, item 10)
    RuleScenario(
        name: "marac-victim-repeat: third incident for a victim, no perpetrator recorded",
        earlier: [
            B.incident("MV1a", at: "2025-06-01 10:00", household: "H2", perpetrator: nil),
            B.incident("MV1b", at: "2025-11-20 10:00", household: "H3", perpetrator: nil),
        ],
        subject: B.incident("MV1", at: "2026-03-14 10:00", perpetrator: nil), fires: ["marac-victim-repeat"],
        doesNotFire: ["marac-escalation"]),
    RuleScenario(
        name: "marac-victim-repeat near miss: second incident for the victim",
        earlier: [B.incident("MV2a", at: "2025-11-20 10:00", perpetrator: nil)],
        subject: B.incident("MV2", at: "2026-03-14 10:00", perpetrator: nil), doesNotFire: ["marac-victim-repeat"]),
    RuleScenario(
        name: "marac-victim-repeat does not fire when the perpetrator is recorded (the pair counts instead)",
        earlier: [
            B.incident("MV3a", at: "2025-06-01 10:00", perpetrator: "PA"), B.incident("MV3b", at: "2025-11-20 10:00", perpetrator: "PB"),
        ],
        subject: B.incident("MV3", at: "2026-03-14 10:00", perpetrator: "PC"), doesNotFire: ["marac-victim-repeat"]),
    // unknown-age-and-education (issue 14, item 8)
    RuleScenario(
        name: "unknown-age-and-education: no date of birth and no school",
        subject: B.incident("UA1", at: "2026-03-10 10:00", children: [B.child("C1", dob: nil)]),
        fires: ["unknown-age-and-education"], doesNotFire: ["encompass", "education-unknown", "under-5"]),
    RuleScenario(
        name: "unknown-age-and-education: date of birth after the incident is no date of birth",
        subject: B.incident("UA2", at: "2026-03-10 10:00", children: [B.child("C1", dob: "2026-06-01")]),
        fires: ["unknown-age-and-education"]),
    RuleScenario(
        name: "unknown-age-and-education near miss: no date of birth but a school is known (the school is told)",
        subject: B.incident("UA3", at: "2026-03-10 10:00", children: [B.child("C1", dob: nil, urn: "100001")]),
        fires: ["encompass"], doesNotFire: ["unknown-age-and-education"]),
    RuleScenario(
        name: "unknown-age-and-education near miss: age known, no school",
        subject: B.incident("UA4", at: "2026-03-10 10:00", children: [B.child("C1", dob: "2018-01-01")]),
        fires: ["education-unknown"], doesNotFire: ["unknown-age-and-education"]),
    // home-educated, missing-education (issue 17, item 4)
    RuleScenario(
        name: "home-educated: aged 9, electively home educated",
        subject: B.incident("HE1", at: "2026-03-10 10:00", children: [B.child("C1", dob: "2016-06-01", education: .ehe)]),
        fires: ["home-educated"], doesNotFire: ["education-unknown", "encompass", "missing-education"]),
    RuleScenario(
        name: "home-educated near miss: aged 4, home educated before school age",
        subject: B.incident("HE2", at: "2026-03-10 10:00", children: [B.child("C1", dob: "2021-06-01", education: .ehe)]),
        fires: ["under-5"], doesNotFire: ["home-educated", "education-unknown"]),
    RuleScenario(
        name: "home-educated near miss: aged 17 at school",
        subject: B.incident("HE3", at: "2026-03-10 10:00", children: [B.child("C1", dob: "2008-06-01", urn: "100001")]),
        fires: ["encompass"], doesNotFire: ["home-educated", "missing-education"]),
    RuleScenario(
        name: "missing-education: aged 13, in no education",
        subject: B.incident("ME1", at: "2026-03-10 10:00", children: [B.child("C1", dob: "2012-06-01", education: .noEducation)]),
        fires: ["missing-education"], doesNotFire: ["education-unknown", "home-educated"]),
    RuleScenario(
        name: "missing-education near miss: aged 18, no longer a child",
        subject: B.incident("ME2", at: "2026-03-10 10:00", children: [B.child("C1", dob: "2007-06-01", education: .noEducation)]),
        doesNotFire: ["missing-education", "education-unknown"]),
    RuleScenario(
        name: "education-unknown: recorded as at school but no URN given",
        subject: B.incident("EU2", at: "2026-03-10 10:00", children: [B.child("C1", dob: "2016-06-01", education: .school)]),
        fires: ["education-unknown"], doesNotFire: ["home-educated", "encompass"]),
]

@Suite struct DefaultPolicyScenarioTests {
    @Test(arguments: scenarios)
    func scenario(_ s: RuleScenario) {
        var screener = Screener(policy: .default)
        for e in s.earlier { _ = screener.screen(e) }
        let d = screener.screen(s.subject)
        let fired = Set(d.reasons.map(\.rule))
        for r in s.fires { #expect(fired.contains(r), "expected \(r) to fire; fired: \(fired.sorted())") }
        for r in s.doesNotFire { #expect(!fired.contains(r), "expected \(r) not to fire") }
        #expect(fired.isSubset(of: Set(Policy.default.ruleIDs)))
    }

    @Test func everyRuleHasAFiringAndANonFiringScenario() {
        for id in Policy.default.ruleIDs {
            #expect(scenarios.contains { $0.fires.contains(id) }, "no scenario fires \(id)")
            #expect(scenarios.contains { $0.doesNotFire.contains(id) }, "no scenario shows \(id) not firing")
        }
    }

    @Test func screenedOutWithReason() {
        var screener = Screener(policy: .default)
        let d = screener.screen(B.incident("S1", at: "2026-03-10 10:00"))
        #expect(d.screenedOut)
        #expect(d.routes.isEmpty)
        #expect(d.screenedOutReason == "no child or pregnancy linked; below MARAC thresholds")
    }

    @Test func reasonStatesTheEvidence() {
        var screener = Screener(policy: .default)
        _ = screener.screen(B.incident("R1", at: "2025-06-01 10:00"))
        _ = screener.screen(B.incident("R2", at: "2025-11-20 10:00"))
        let d = screener.screen(B.incident("R3", at: "2026-03-14 10:00", children: [B.child("C1", dob: "2015-01-01", urn: "1")]))
        let text = d.reasons.first { $0.rule == "repeat-household" }?.text ?? ""
        #expect(text.contains("3 incidents at this household in 365 days: 2025-06-01, 2025-11-20, 2026-03-14"), "\(text)")
    }

    @Test func nearMissNamesTheDate() {
        var screener = Screener(policy: .default)
        _ = screener.screen(B.incident("N1", at: "2025-06-01 10:00"))
        let d = screener.screen(B.incident("N2", at: "2026-03-14 10:00", children: [B.child("C1", dob: "2015-01-01", urn: "1")]))
        let near = d.nearMisses.first { $0.rule == "repeat-household" }?.text ?? ""
        #expect(
            near == "2 of 3 incidents at this household in 365 days; another on or before 2026-06-01 would refer to social_care", "\(near)")
    }

    @Test func routesMergeAndTakeTheHighestPriority() {
        var screener = Screener(policy: .default)
        let d = screener.screen(
            B.incident("MG1", at: "2026-03-10 10:00", risk: .high, children: [B.child("C1", dob: "2015-01-01", present: true, urn: "1")]))
        let social = d.routes.filter { $0.destination == "social_care" && $0.childID == nil }
        #expect(social.count == 1)
        #expect(social.first?.priority == .red)
        #expect(social.first?.rules == ["high-risk-child-present", "high-risk-children"])
        #expect(Build.london.iso8601(social.first!.notifyBy) == "2026-03-10T14:00:00+00:00")
    }
}
