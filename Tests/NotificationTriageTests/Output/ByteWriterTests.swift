import Testing

@testable import NotificationTriage

/// The byte writer's number and date forms, which every decision and explanation goes through.
@Suite struct ByteWriterTests {
    @Test(arguments: [
        (0, 1, "0"), (7, 1, "7"), (7, 2, "07"), (42, 2, "42"), (123, 2, "123"), (5, 4, "0005"), (2026, 4, "2026"),
        (-3, 2, "-03"), (-120, 1, "-120"), (1_000_000, 1, "1000000"), (Int.max, 1, "9223372036854775807"),
        (Int.min, 1, "-9223372036854775808"), (10, 0, "10"),
    ])
    func digits(value: Int, width: Int, expected: String) {
        var out: [UInt8] = Array("x".utf8)
        appendDigits(value, width, &out)
        #expect(String(decoding: out, as: UTF8.self) == "x" + expected)
    }

    @Test(arguments: [(17.24, "17.2"), (17.25, "17.3"), (0, "0.0"), (-1.26, "-1.3"), (3, "3.0"), (0.04, "0.0")])
    func oneDecimalMatchesTheStringForm(value: Double, expected: String) {
        var w = ByteWriter()
        w.oneDecimal(value)
        #expect(String(decoding: w.bytes, as: UTF8.self) == expected)
        #expect(oneDecimal(value) == expected)
    }

    @Test func datesAreISO() {
        var w = ByteWriter()
        w.date(CivilDate(year: 2024, month: 2, day: 29)!)
        w.raw(" ")
        w.date(CivilDate(year: 999, month: 12, day: 1)!)
        #expect(String(decoding: w.bytes, as: UTF8.self) == "2024-02-29 0999-12-01")
    }
}

/// Relationship ranks are what conditions compare: they must follow declaration order.
@Test func relationshipRankIsDeclarationOrder() {
    #expect(Relationship.allCases.map(\.rank) == Array(0..<Relationship.allCases.count))
}
