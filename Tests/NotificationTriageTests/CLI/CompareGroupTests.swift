import Testing

@testable import NotificationTriage
@testable import TriageJobs

/// A change's group (`compare`'s "What changed, grouped", and the `"group"` of each `--changes` line) is the
/// rules that fired under one policy only, signed, each once and sorted, whatever children they fired for.
struct CompareGroupTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let onlyUnderA: [String]
        let onlyUnderB: [String]
        /// The group, written out by hand.
        let expected: String
        var testDescription: String { expected.isEmpty ? "(none)" : expected }
    }

    @Test(arguments: [
        Case(onlyUnderA: [], onlyUnderB: [], expected: ""),
        Case(onlyUnderA: [], onlyUnderB: ["encompass"], expected: "+encompass"),
        // One rule fired for two children: one word.
        Case(onlyUnderA: [], onlyUnderB: ["encompass", "encompass"], expected: "+encompass"),
        Case(
            onlyUnderA: ["marac_repeat", "health_visitor_under5"], onlyUnderB: ["encompass", "encompass"],
            expected: "+encompass -health_visitor_under5 -marac_repeat"),
        // The same rule on both sides (for different children) is two words.
        Case(onlyUnderA: ["a"], onlyUnderB: ["b", "a"], expected: "+a +b -a"),
        // A rule id with a space stays whole (the group was once cut at the first space).
        Case(onlyUnderA: [], onlyUnderB: ["rule with spaces", "rule"], expected: "+rule +rule with spaces"),
        Case(onlyUnderA: ["日本"], onlyUnderB: ["Ω"], expected: "+Ω -日本"),
    ])
    func groupIsTheSignedRulesOnceSorted(_ c: Case) {
        #expect(CompareJob.group(onlyUnderA: c.onlyUnderA, onlyUnderB: c.onlyUnderB) == c.expected)
        // The order the rules fired in does not matter.
        #expect(CompareJob.group(onlyUnderA: c.onlyUnderA.reversed(), onlyUnderB: c.onlyUnderB.reversed()) == c.expected)
    }
}

/// The counting thread numbers both policies' rules together and makes each group once per set of rules
/// (``DifferenceScratch``): every group and difference must read as ``CompareJob/group(onlyUnderA:onlyUnderB:)``
/// and the text of the rule ids say, whichever changes came before it.
struct JointRulesTests {
    static let candidate: Policy = {
        let yaml = """
            version: 1
            name: candidate
            destinations:
              - {id: school, deadline: {working_days: 1}, fields: all}
            rules:
              - id: brand-new
                description: a rule only the candidate has
                route: school
              - id: encompass
                description: shared with the default policy by id
                scope: child
                when: {fact: child.school_urn, present: true}
                route: school
            """
        return try! Policy(yaml: yaml, source: "candidate.yaml")
    }()

    @Test func sharedIDsShareANumberAndNewOnesFollow() throws {
        let rules = JointRules(baseline: .default, candidate: JointRulesTests.candidate)
        let ids = Policy.default.ruleIDs
        let encompass = try #require(ids.firstIndex(of: "encompass"))
        #expect(rules.b[1] == rules.a[encompass])
        #expect(rules.b[0] == Int32(ids.count))
        #expect(rules.ids.count == ids.count + 1)
        #expect(rules.ids[Int(rules.b[0])] == "brand-new")
        #expect(rules.a.map { rules.ids[Int($0)] } == ids)
        #expect(rules.named("-", rules.a[encompass], "C-1 é") == "-encompass (child C-1 é)")
        #expect(rules.named("+", rules.b[0], nil) == "+brand-new")
    }

    @Test func groupsMadeOnceReadAsTheirRules() {
        let rules = JointRules(baseline: .default, candidate: JointRulesTests.candidate)
        typealias F = JointRules.Firing
        // Sets of firings under A only and B only, some the same rules in another order or for other children.
        let a = rules.a
        let b = rules.b
        let cases: [([F], [F])] = [
            ([], [F(rule: b[0], child: -1)]),
            ([F(rule: a[0], child: 0), F(rule: a[3], child: -1)], []),
            ([F(rule: a[3], child: -1), F(rule: a[0], child: 1)], []),
            ([F(rule: a[5], child: 0)], [F(rule: b[1], child: 0), F(rule: b[1], child: 1)]),
            ([F(rule: a[5], child: 2)], [F(rule: b[1], child: 3)]),
            ([F(rule: b[1], child: 0)], [F(rule: b[1], child: 1)]),
            ([], [F(rule: b[1], child: 0)]),
            ([F(rule: b[1], child: 0)], []),
            ([], []),
        ]
        var scratch = DifferenceScratch()
        for round in 0..<2 {
            for (onlyA, onlyB) in cases {
                let x = round == 0 ? onlyA : onlyA.reversed()
                let y = round == 0 ? onlyB : onlyB.reversed()
                let expected = CompareJob.group(
                    onlyUnderA: x.map { rules.ids[Int($0.rule)] }, onlyUnderB: y.map { rules.ids[Int($0.rule)] })
                #expect(scratch.group(onlyUnderA: x, onlyUnderB: y, rules) == expected)
            }
        }
    }
}
