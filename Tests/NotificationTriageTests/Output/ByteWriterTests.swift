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

/// The 8-bytes-at-a-time scans agree with a byte-by-byte scan, for every position of a special byte and
/// with UTF-8 (high) bytes around it.
@Test(arguments: [UInt8(0x00), 0x09, 0x0A, 0x0D, 0x1F, 0x20, 0x21, 0x22, 0x2C, 0x5C, 0x7F, 0x80, 0xA2, 0xC3, 0xFF])
func byteScansAgreeWithANaiveScan(special: UInt8) {
    let fillers: [UInt8] = [UInt8(ascii: "a"), 0xC3, 0xA9, 0xFF, 0x21, 0x7E]
    for length in 0..<24 {
        for position in -1..<length {
            for filler in fillers {
                var bytes = [UInt8](repeating: filler, count: length)
                if position >= 0 { bytes[position] = special }
                let naiveJSON = bytes.contains { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }
                let naiveCSV = bytes.contains { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }
                bytes.withUnsafeBufferPointer { buf in
                    #expect(ByteScan.needsJSONEscape(buf) == naiveJSON, "\(bytes)")
                    #expect(ByteScan.needsCSVQuotes(buf) == naiveCSV, "\(bytes)")
                }
            }
        }
    }
}
