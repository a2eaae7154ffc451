import Testing
import _TriageTestSupport

@testable import NotificationTriage

/// The reserve-then-write forms of the byte writer agree with the general (digit by digit) forms they
/// replace, including the edges where the fast forms hand over to the general ones.
@Suite struct FastWriterTests {
    /// Zones with every kind of offset: none (written `Z` only for UTC), whole and part hours either side of
    /// UTC, the largest fixed-layout offset and the first that is not, and a real zone with transitions.
    static let zones: [ZoneRules] = [
        ZoneRules(fixedOffset: 0, identifier: "UTC"), ZoneRules(fixedOffset: 0, identifier: "Etc/Zero"),
        ZoneRules(fixedOffset: -5 * 3600, identifier: "Minus5"), ZoneRules(fixedOffset: -(9 * 3600 + 1800), identifier: "Minus930"),
        ZoneRules(fixedOffset: 5 * 3600 + 2700, identifier: "Plus545"), ZoneRules(fixedOffset: 14 * 3600, identifier: "Plus14"),
        ZoneRules(fixedOffset: 359_940, identifier: "Plus99h59"), ZoneRules(fixedOffset: -359_940, identifier: "Minus99h59"),
        ZoneRules(fixedOffset: 360_000, identifier: "Plus100h"), ZoneRules(fixedOffset: -360_000, identifier: "Minus100h"),
        ZoneRules(identifier: "Europe/London")!, ZoneRules(identifier: "America/St_Johns")!,
    ]

    /// Instants from before year 0 to after year 9999: a spread of round and odd seconds, every boundary of
    /// the fixed layout's range and a second either side of it.
    static let instants: [Int64] = {
        var out: [Int64] = [0, -1, 1, 86_399, 86_400, -86_400, -86_401, 1_711_846_800, 1_729_990_800]
        let yearZero: Int64 = -62_167_219_200
        let year10000: Int64 = 253_402_300_800
        for edge in [yearZero, year10000, yearZero + 360_000, year10000 - 360_000] {
            for d in [-86_401, -86_400, -1, 0, 1, 86_400] as [Int64] { out.append(edge + Int64(d)) }
        }
        var random = XorShift()
        // Years about −2000 to 12000.
        for _ in 0..<4000 { out.append(Int64(random.next() % 440_000_000_000) - 125_000_000_000) }
        return out
    }()

    @Test(arguments: zones.indices)
    func iso8601MatchesTheGeneralForm(zoneIndex: Int) {
        let zone = FastWriterTests.zones[zoneIndex]
        for s in FastWriterTests.instants {
            let instant = Instant(seconds: s)
            var fast: [UInt8] = Array("x".utf8)
            zone.appendISO8601(instant, to: &fast)
            var general: [UInt8] = Array("x".utf8)
            zone.appendISO8601Slowly(instant, offset: zone.offset(at: instant), to: &general)
            #expect(fast == general, "\(zone.identifier) \(s)")
            var w = ByteWriter(capacity: 0)
            w.iso8601(instant, zone)
            #expect(w.bytes == Array(general.dropFirst()))
            var cursor: [UInt8] = []
            cursor.append(atMost: ZoneRules.maxISO8601Count) { zone.putISO8601(instant, &$0) }
            #expect(cursor == Array(general.dropFirst()))
        }
    }

    /// Short copies (two overlapping words) and long ones (`memcpy`) put the same bytes, whatever the
    /// length and the alignment, and nothing past them.
    @Test func putCopiesEveryLengthExactly() {
        let source = (0..<64).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
        for offset in 0..<8 {
            for n in 0...(64 - offset) {
                var out: [UInt8] = [0xEE]
                source.withUnsafeBufferPointer { src in
                    out.append(atMost: n + 8) { c in
                        c.put(UnsafeBufferPointer(rebasing: src[offset..<(offset + n)]))
                        c.put(UInt8(ascii: "|"))
                    }
                }
                #expect(out == [0xEE] + Array(source[offset..<(offset + n)]) + [UInt8(ascii: "|")], "\(offset) \(n)")
            }
        }
    }

    @Test func iso8601Layouts() {
        let utc = ZoneRules(fixedOffset: 0, identifier: "UTC")
        let minus = ZoneRules(fixedOffset: -(9 * 3600 + 1800), identifier: "Minus930")
        let plus = ZoneRules(fixedOffset: 360_000, identifier: "Plus100h")
        #expect(utc.iso8601(Instant(seconds: 0)) == "1970-01-01T00:00:00Z")
        #expect(minus.iso8601(Instant(seconds: 0)) == "1969-12-31T14:30:00-09:30")
        #expect(utc.iso8601(Instant(seconds: -62_135_596_800)) == "0001-01-01T00:00:00Z")
        #expect(utc.iso8601(Instant(seconds: -62_167_219_201)) == "-0001-12-31T23:59:59Z")
        #expect(utc.iso8601(Instant(seconds: 253_402_300_800)) == "10000-01-01T00:00:00Z")
        #expect(plus.iso8601(Instant(seconds: 0)) == "1970-01-05T04:00:00+100:00")
    }

    @Test func datesMatchTheGeneralForm() {
        let days: [Int32] = [-719_529, -719_528, -719_527, -1, 0, 1, 2_932_896, 2_932_897, Int32.min, Int32.max]
        var x: UInt32 = 12345
        var all = days
        for _ in 0..<2000 {
            x = x &* 1_103_515_245 &+ 12345
            all.append(Int32(bitPattern: x) / 256)
        }
        for n in all {
            let d = CivilDate(dayNumber: n)
            var w = ByteWriter(capacity: 0)
            w.date(d)
            let c = d.components
            var general: [UInt8] = []
            appendISODate(c.year, c.month, c.day, &general)
            #expect(w.bytes == general, "\(n)")
        }
    }

    /// The old rounding: the value scaled, rounded half away from zero, then split into whole and fraction.
    static func reference(_ v: Double, _ decimals: Int) -> String {
        var scale = 1
        for _ in 0..<decimals { scale *= 10 }
        let m = Int((v * Double(scale)).rounded())
        let a = abs(m)
        var frac = String(a % scale)
        while frac.count < decimals { frac = "0" + frac }
        return (m < 0 ? "-" : "") + String(a / scale) + "." + frac
    }

    @Test(arguments: [
        (0.0, "0.000"), (-0.0, "0.000"), (0.0005, "0.001"), (-0.0005, "-0.001"), (0.0004, "0.000"), (-0.0004, "0.000"),
        (1.2345, "1.235"), (-1.2346, "-1.235"), (12.5, "12.500"), (-7, "-7.000"), (1e15, "1000000000000000.000"),
        (-9.2e15, "-9200000000000000.000"), (123_456.789_6, "123456.790"),
    ])
    func fixed3(value: Double, expected: String) {
        var w = ByteWriter(capacity: 0)
        w.fixed3(value)
        #expect(String(decoding: w.bytes, as: UTF8.self) == expected)
        #expect(expected == FastWriterTests.reference(value, 3))
    }

    @Test func fixedDecimalsMatchTheOldRounding() {
        var x: UInt64 = 0xDEAD_BEEF
        for i in 0..<5000 {
            x = x &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let magnitude = [1.0, 10, 1000, 1e6, 1e12][i % 5]
            let v = (Double(x >> 11) / Double(1 << 53) - 0.5) * magnitude
            var w = ByteWriter(capacity: 0)
            w.fixed3(v)
            w.raw(" ")
            w.oneDecimal(v)
            let expected = FastWriterTests.reference(v, 3) + " " + FastWriterTests.reference(v, 1)
            #expect(String(decoding: w.bytes, as: UTF8.self) == expected, "\(v)")
        }
    }

    /// RFC 8259 escaping, one byte at a time, as the writer did before it copied clean text in one go.
    static func escaped(_ s: String) -> [UInt8] {
        var out: [UInt8] = [UInt8(ascii: "\"")]
        for b in s.utf8 {
            switch b {
            case 0x22: out += Array("\\\"".utf8)
            case 0x5C: out += Array("\\\\".utf8)
            case 0x0A: out += Array("\\n".utf8)
            case 0x0D: out += Array("\\r".utf8)
            case 0x09: out += Array("\\t".utf8)
            case 0..<0x20:
                out += Array("\\u00".utf8) + [Array("0123456789abcdef".utf8)[Int(b >> 4)], Array("0123456789abcdef".utf8)[Int(b & 15)]]
            default: out.append(b)
            }
        }
        out.append(UInt8(ascii: "\""))
        return out
    }

    @Test func jsonStringsAtEveryLengthAndPosition() {
        let specials: [Character] = ["\"", "\\", "\n", "\r", "\t", "\u{0}", "\u{1F}", "é", "\u{7F}"]
        for length in 0..<26 {
            for position in -1..<length {
                for special in specials {
                    var chars = Array(repeating: Character("a"), count: length)
                    if position >= 0 { chars[position] = special }
                    let s = String(chars)
                    var w = ByteWriter(capacity: 0)
                    w.jsonString(s)
                    #expect(w.bytes == FastWriterTests.escaped(s), "\(s.debugDescription)")
                }
            }
        }
        var w = ByteWriter(capacity: 0)
        w.jsonString(String(repeating: "\u{1}", count: 40))
        #expect(w.bytes.count == 40 * 6 + 2)
    }

    @Test func csvFields() {
        let cases = [
            ("plain", "plain"), ("", ""), ("a,b", "\"a,b\""), ("say \"hi\"", "\"say \"\"hi\"\"\""), ("=1+2", "'=1+2"),
            ("+44 1234", "'+44 1234"), ("@x,\"", "\"'@x,\"\"\""), ("\"\"\"", "\"\"\"\"\"\"\"\""), ("line\r\nend", "\"line\r\nend\""),
        ]
        for (input, expected) in cases {
            var w = ByteWriter(capacity: 0)
            w.csvField(input)
            #expect(String(decoding: w.bytes, as: UTF8.self) == expected)
        }
    }

    /// OWASP's formula-injection set is guarded (`=`, `+`, `-`, `@`, tab, carriage return at the start of a
    /// cell), except a plain number, which a spreadsheet reads as a number.
    @Test(arguments: [
        ("-1+2", "'-1+2"), ("-cmd|' /C calc'!A0", "'-cmd|' /C calc'!A0"), ("-", "'-"), ("\tx", "'\tx"),
        ("\rx", "\"'\rx\""), ("=1", "'=1"), ("@SUM(A1)", "'@SUM(A1)"), ("+44 1234", "'+44 1234"),
        ("-5", "-5"), ("+44", "+44"), ("-0.5", "-0.5"), ("12", "12"), ("-.5", "'-.5"), ("-5.", "'-5."),
        ("a-b", "a-b"), ("x=1", "x=1"),
    ])
    func formulaGuardCoversOWASPSet(_ input: String, _ expected: String) {
        var w = ByteWriter(capacity: 0)
        w.csvField(input)
        #expect(String(decoding: w.bytes, as: UTF8.self) == expected)
        var parts = ByteWriter(capacity: 0)
        parts.csvField(joining: [input], separator: UInt8(ascii: ";"))
        #expect(parts.bytes == w.bytes)
    }

    /// A field written from parts reads exactly as the joined text written as one field, quoting and the
    /// formula guard included.
    @Test(arguments: [
        [], [""], ["a"], ["encompass", "toxic-trio"], ["=x", "b"], ["", "=x"], ["a,b", "c"], ["q\"", "r"], ["+1"],
        ["x", "line\nbreak"],
    ])
    func csvFieldFromPartsMatchesTheJoinedField(_ parts: [String]) {
        var a = ByteWriter(capacity: 0)
        a.csvField(joining: parts, separator: UInt8(ascii: ";"))
        var b = ByteWriter(capacity: 0)
        b.csvField(parts.joined(separator: ";"))
        #expect(a.bytes == b.bytes)
    }

    @Test func digitsReserveOnlyWhatTheyWrite() {
        var out: [UInt8] = []
        out.reserveCapacity(8)
        let capacity = out.capacity
        appendDigits(-123, 1, &out)
        appendDigits(45, 4, &out)
        #expect(String(decoding: out, as: UTF8.self) == "-1230045")
        #expect(out.capacity == capacity)
        var wide: [UInt8] = []
        appendDigits(5, 25, &wide)
        #expect(String(decoding: wide, as: UTF8.self) == String(repeating: "0", count: 19) + "5")
    }

    /// The history object's numbers are written in one reserved piece: the largest numbers must fit its bound.
    @Test func historyAtItsLargest() {
        let encoder = DecisionEncoder(policy: .default)
        let h = HistoryFigures(
            householdIncidents: Int.min, householdScore: -9.2e15, victimIncidents: Int.max, victimScore: 9.2e15,
            perpetratorIncidents: Int.min, perpetratorVictims: Int.min, perpetratorHouseholds: Int.min,
            pairIncidents: Int.min, pairMaracReferrals: Int.min,
            children: [ChildFigures(childID: "c\"1", incidents: Int.min, score: -9.2e15)])
        var w = ByteWriter(capacity: 0)
        encoder.writeHistory(h, &w)
        let text = String(decoding: w.bytes, as: UTF8.self)
        let min = String(Int.min)
        #expect(
            text
                == "{\"household_incidents\":\(min),\"household_score\":-9200000000000000.000,\"victim_incidents\":\(Int.max),"
                + "\"victim_score\":9200000000000000.000,\"perpetrator_incidents\":\(min),\"perpetrator_victims\":\(min),"
                + "\"perpetrator_households\":\(min),\"pair_incidents\":\(min),\"pair_marac_referrals\":\(min),"
                + "\"children\":[{\"child_id\":\"c\\\"1\",\"incidents\":\(min),\"score\":-9200000000000000.000}]}")
        // Without children, all but the closing `]}` is the one reserved piece.
        var head = ByteWriter(capacity: 0)
        encoder.writeHistory(HistoryFigures(h, children: []), &head)
        #expect(head.bytes.count - 2 <= DecisionEncoder.maxHistoryHead)
    }

    /// The parts encoded once per encoder (the policy's screened-out reason, the policy tail, priorities)
    /// read the same as encoding them each time; a decision whose reason was changed still gets its own.
    @Test(arguments: [nil, "no child linked", "quoted \"reason\"\nover two lines"])
    func encodedOncePartsMatch(_ reason: String?) {
        var screener = Screener(policy: .default)
        var d = screener.screen(Build.incident("E1", at: "2026-03-02 10:00", household: "H1", children: []))
        #expect(d.screenedOut)
        if let reason { d.screenedOutReason = reason }
        let line = DecisionEncoder(policy: .default).jsonLine(d)
        var w = ByteWriter(capacity: 0)
        w.jsonOptionalString(d.screenedOutReason)
        let expected = ",\"screened_out_reason\":" + String(decoding: w.bytes, as: UTF8.self) + ",\"duplicate\""
        #expect(line.contains(expected))
        #expect(line.hasSuffix(",\"policy\":{\"name\":\"\(Policy.default.name)\",\"hash\":\"\(Policy.default.hash)\"}}\n"))
        for p in [Priority.red, .amber, .green] {
            var routed = d
            routed.routes = [
                Route(destination: "social_care", childID: nil, childIndex: nil, priority: p, notifyBy: Instant(seconds: 0), rules: ["r"])
            ]
            #expect(DecisionEncoder(policy: .default).jsonLine(routed).contains("\"priority\":\"\(p.rawValue)\""))
        }
    }
}

extension HistoryFigures {
    fileprivate init(_ h: HistoryFigures, children: [ChildFigures]) {
        self = h
        self.children = children
    }
}
