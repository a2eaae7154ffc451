import Testing

@testable import NotificationTriage

/// A bad value is described, never quoted, unless it is a likely typo of a token of a closed set.
@Suite struct ValueDescriptionTests {
    static let risks = ["standard", "medium", "high"]

    @Test(arguments: [
        ("hihg", risks, "'hihg' (did you mean 'high'?)"),
        ("HGIH", risks, "'HGIH' (did you mean 'high'?)"),
        ("standrad", risks, "'standrad' (did you mean 'standard'?)"),
        ("meduim", risks, "'meduim' (did you mean 'medium'?)"),
        ("ture", ["true", "false"], "'ture' (did you mean 'true'?)"),
        ("Zebedee Quokkasmith", risks, "a 19-character text"),
        ("ZZ9 9ZZ", risks, "a 7-character text"),
        ("Ann", risks, "a 3-character text"),
        ("hi", risks, "a 2-character text"),
        ("12345", risks, "a 5-digit number"),
        ("", risks, "an empty value"),
        ("Zoë", risks, "a 3-character text"),
        ("a\u{0}b", risks, "a value with control characters"),
    ])
    func describesWithoutQuoting(_ value: String, _ tokens: [String], _ expected: String) {
        #expect(ValueDescription.describe(Array(value.utf8), closestTo: tokens) == expected)
    }

    @Test func invalidUTF8IsNamed() {
        #expect(ValueDescription.kind(of: [0x41, 0xFF, 0x42]) == "invalid utf-8")
    }

    @Test(arguments: [0, 299, 300, 301, 5_000])
    func messagesAreCapped(_ length: Int) {
        let message = String(repeating: "é", count: length)
        let capped = ValueDescription.capped(message)
        #expect(capped.utf8.count <= ValueDescription.maxMessageBytes)
        if message.utf8.count <= ValueDescription.maxMessageBytes { #expect(capped == message) }
    }

    @Test(arguments: [("hihg", "high", 1), ("high", "high", 0), ("hgh", "high", 1), ("abcd", "badc", 2), ("", "ab", 2)])
    func typoDistanceCountsASwapAsOneEdit(_ a: String, _ b: String, _ expected: Int) {
        #expect(ValueDescription.typoDistance(Array(a.utf8), Array(b.utf8)) == expected)
    }
}
