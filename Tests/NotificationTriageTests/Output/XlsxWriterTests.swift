import Foundation
import NotificationTriage
import Testing
import _TriageTestSupport

@testable import TriageJobs

/// The workbook writer, read back by our own reader (``XlsxReader``): every cell as it was written, text
/// kept as text, dates as dates, and the zip sound (checksums, headers).
@Suite struct XlsxWriterTests {
    /// Writes `rows` under `columns` to a new file and returns its bytes.
    static func workbook(
        _ columns: [String], _ rows: [[XlsxCell]], sheet: String = "decisions", rowsPerSheet: Int = XlsxWriter.maxRows
    ) throws -> [UInt8] {
        let dir = Triage.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("book.xlsx").path
        let file = try OutputFile(atomicPath: path)
        var w = try XlsxWriter(file: file, columns: columns.map { XlsxColumn($0, width: 12) }, sheetName: sheet, rowsPerSheet: rowsPerSheet)
        for r in rows { try w.append(r) }
        try w.finish()
        try file.commit()
        return [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    static func text(_ entry: String, of bytes: [UInt8]) throws -> String {
        String(decoding: try XlsxReader(bytes).entry(entry), as: UTF8.self)
    }

    @Test(
        arguments: [
            ("", 0x0000_0000), ("a", 0xE8B7_BE43), ("123456789", 0xCBF4_3926),
            ("The quick brown fox jumps over the lazy dog", 0x414F_A339),
        ] as [(String, UInt32)])
    func crc32OfKnownVectors(input: String, expected: UInt32) {
        #expect(CRC32(Array(input.utf8)).value == expected)
        // Fed in pieces, the same.
        var c = CRC32()
        for b in input.utf8 { c.update([b]) }
        #expect(c.value == expected)
    }

    /// Eight bytes at a time gives what one bit at a time gives, at every length and alignment.
    @Test func crc32MatchesTheBitwiseDefinition() {
        func bitwise(_ bytes: ArraySlice<UInt8>) -> UInt32 {
            var c: UInt32 = 0xFFFF_FFFF
            for b in bytes {
                c ^= UInt32(b)
                for _ in 0..<8 { c = c & 1 == 1 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
            }
            return ~c
        }
        // Fixed pseudo-random bytes (Knuth's multiplicative hash of the index): the same every run.
        let bytes = (0..<1_000).map { UInt8(truncatingIfNeeded: (UInt32($0) &* 2_654_435_761) >> 13) }
        for n in [0, 1, 7, 8, 9, 15, 16, 17, 63, 64, 65, 1_000] {
            #expect(CRC32(Array(bytes.prefix(n))).value == bitwise(bytes.prefix(n)), "\(n) bytes")
        }
        var pieces = CRC32()
        for start in stride(from: 0, to: 1_000, by: 13) { pieces.update(Array(bytes[start..<min(start + 13, 1_000)])) }
        #expect(pieces.value == bitwise(bytes[...]))
    }

    @Test func everyCellReadsBackAsWritten() throws {
        let texts = [
            "012345", "000123456789", "Ysgol Gymraeg Bro Morgannwg", "St Mary's & St John's", "Ærø", "<", "\"", "Siân 😀",
            "=cmd", "  padded  ", "two\nlines", "cr\r\nlf", "_x0041_ stays", "a]]>b", "tab\there",
        ]
        let date = CivilDate(year: 2016, month: 4, day: 1)!
        let time = LocalDateTime(date: CivilDate(year: 2025, month: 3, day: 30)!, secondOfDay: 1 * 3600 + 30 * 60 + 59)
        let rows: [[XlsxCell]] =
            texts.map { [.text($0), .date(date), .dateTime(time), .number(17)] } + [
                [.text(""), .date(CivilDate(year: 1899, month: 1, day: 1)!), .number(-2.5), .number(0.1)],
                [.text("last")],
            ]
        let bytes = try Self.workbook(["name", "dob", "when", "score"], rows)
        let got = try XlsxReader(bytes).rows()
        #expect(got[0] == ["name", "dob", "when", "score"])
        for (i, t) in texts.enumerated() {
            #expect(got[i + 1] == [t, "2016-04-01", "2025-03-30T01:30:59", "17"], "row \(i + 1)")
        }
        // An empty text is no cell; a date Excel cannot hold (before 1900-03-01) is ISO text.
        #expect(got[texts.count + 1] == ["", "1899-01-01", "-2.5", "0.1"])
        #expect(got[texts.count + 2] == ["last"])
        #expect(got.count == rows.count + 1)
    }

    @Test func charactersXMLCannotHoldAreDropped() throws {
        let bytes = try Self.workbook(["t"], [[.text("a\u{0}b\u{1}c\u{1B}d\u{FFFE}e\u{FFFF}f\u{7F}g")]])
        #expect(try XlsxReader(bytes).rows()[1] == ["abcdef\u{7F}g"])
    }

    /// Excel holds at most 32,767 UTF-16 code units in a cell and calls a file with more damaged: a longer
    /// text is cut on a character boundary and ends with `…`.
    @Test func textLongerThanACellHoldsIsCut() throws {
        let long = String(repeating: "ab😀", count: 10_000)  // 40,000 code units
        let exact = String(repeating: "x", count: 32_767)
        let got = try XlsxReader(try Self.workbook(["t"], [[.text(long)], [.text(exact)]])).rows()
        #expect(got[1][0].utf16.count <= 32_767)
        #expect(got[1][0].hasSuffix("…") && long.hasPrefix(String(got[1][0].dropLast())))
        #expect(got[2][0] == exact)
    }

    @Test func theHeaderIsFrozenFilteredAndTheColumnsSized() throws {
        let bytes = try Self.workbook(["a", "b", "c"], [[.text("1")], [.text("2")]], sheet: "school")
        let sheet = try Self.text("xl/worksheets/sheet1.xml", of: bytes)
        #expect(sheet.contains(#"<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>"#))
        #expect(sheet.contains(#"<autoFilter ref="A1:C3"/>"#))
        #expect(sheet.contains(#"<col min="3" max="3" width="12.0" customWidth="1"/>"#))
        let workbook = try Self.text("xl/workbook.xml", of: bytes)
        #expect(workbook.contains(#"<sheet name="school" sheetId="1" r:id="rId2"/>"#))
        #expect(workbook.contains("'school'!$A$1:$C$3</definedName>"))
        #expect(
            try XlsxReader(bytes).entries.map(\.name) == [
                "[Content_Types].xml", "_rels/.rels", "xl/styles.xml", "xl/worksheets/sheet1.xml", "xl/_rels/workbook.xml.rels",
                "xl/workbook.xml",
            ])
    }

    @Test func rowsPastASheetGoOnToTheNextWithTheHeaderAgain() throws {
        let rows: [[XlsxCell]] = (1...7).map { [.text("r\($0)"), .number(Double($0))] }
        let one = try Self.workbook(["name", "n"], [], sheet: "school")
        let bytes = try Self.workbook(["name", "n"], rows, sheet: "school", rowsPerSheet: 3)
        let book = try XlsxReader(bytes)
        #expect(try book.sheetNames() == ["school", "school (2)", "school (3)", "school (4)"])
        let sheets = try (1...4).map { try book.rows(sheet: $0) }
        #expect(sheets.map(\.first) == Array(repeating: ["name", "n"], count: 4))
        #expect(sheets.flatMap { $0.dropFirst() } == rows.indices.map { ["r\($0 + 1)", "\($0 + 1)"] })
        let types = try Self.text("[Content_Types].xml", of: bytes)
        #expect(types.contains("/xl/worksheets/sheet4.xml") && !types.contains("/xl/worksheets/sheet5.xml"))
        // Rewritten in place: as long as a one-sheet workbook's.
        #expect(try XlsxReader(one).entry("[Content_Types].xml").count == book.entry("[Content_Types].xml").count)
        let workbook = try Self.text("xl/workbook.xml", of: bytes)
        #expect(workbook.contains("'school (2)'!$A$1:$B$3</definedName>"))
        #expect(workbook.contains("'school (4)'!$A$1:$B$2</definedName>"))
    }

    @Test func theSameRowsMakeTheSameBytes() throws {
        let rows: [[XlsxCell]] = [[.text("x"), .dateTime(LocalDateTime(date: CivilDate(year: 2025, month: 1, day: 1)!, secondOfDay: 61))]]
        #expect(try Self.workbook(["a", "b"], rows) == Self.workbook(["a", "b"], rows))
    }

    @Test(arguments: [(0, "A"), (25, "Z"), (26, "AA"), (51, "AZ"), (701, "ZZ"), (702, "AAA")])
    func columnLetters(index: Int, letters: String) {
        #expect(String(decoding: XlsxParts.columnLetters(index), as: UTF8.self) == letters)
    }

    @Test(arguments: [
        ("school", 1, "school"), ("a/b:c", 1, "a_b_c"), ("", 1, "Sheet1"), ("school", 2, "school (2)"),
        (String(repeating: "x", count: 40), 1, String(repeating: "x", count: 31)),
        (String(repeating: "x", count: 40), 12, String(repeating: "x", count: 26) + " (12)"),
    ])
    func sheetNamesAreOnesASpreadsheetAccepts(name: String, number: Int, expected: String) {
        #expect(XlsxParts.sheetName(name, number: number) == expected)
    }
}
