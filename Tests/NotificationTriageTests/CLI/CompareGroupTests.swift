import Testing

@testable import TriageJobs

/// A change's group (`compare`'s busiest groups of changes) is its differences' first words, deduplicated
/// and sorted: the same as splitting each by characters into a `Set`, which is what it replaced, for
/// ASCII, non-ASCII, spaces that join the character after them, and texts with no word.
struct CompareGroupTests {
    /// The group as it was first written: the reference.
    static func reference(_ differences: [String]) -> String {
        Set(differences.map { d in d.split(separator: " ", maxSplits: 1).first.map(String.init) ?? d }).sorted()
            .joined(separator: " ")
    }

    @Test(arguments: [
        [],
        ["+encompass"],
        ["+encompass (child C1)", "+encompass (child C2)"],
        ["-marac_repeat", "+encompass (child C1)", "+encompass", "-health_visitor_under5 (child C9)"],
        ["+b", "+a", "-a", "+b"],
        [""],
        ["   "],
        [" +a (child 1)", "  -b"],
        ["+a \u{301}b (child 1)", "+a"],
        [" \u{301}x y"],
        ["+é (child 1)", "+e\u{301} (child 2)"],
        ["\u{600} x", "+z"],
        ["+r\r\n x", "+日本 (child 1)", "+Ω"],
        ["+rule with spaces (child 1)", "+rule"],
        ["+tab\tinside (child 1)"],
    ])
    func groupIsTheFirstWordsSortedOnce(_ differences: [String]) {
        // The same bytes (`==` on strings would accept any canonically equivalent spelling).
        #expect(Array(CompareJob.group(differences).utf8) == Array(Self.reference(differences).utf8))
        // Order of the differences does not matter (beyond which of two equivalent spellings is kept).
        #expect(CompareJob.group(differences.reversed()) == Self.reference(differences))
        #expect(Array(CompareJob.group(differences.reversed()).utf8) == Array(Self.reference(differences.reversed()).utf8))
    }
}
