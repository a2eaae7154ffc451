import Testing

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
