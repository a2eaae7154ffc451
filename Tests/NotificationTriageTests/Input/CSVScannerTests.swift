import Testing
import _TriageTestSupport

@testable import NotificationTriage
@testable import TriageSynthesis

/// The word-at-a-time separator search must find exactly the first comma or line feed of a word, whatever
/// the other bytes are (the bytes either side of each separator, and bytes with the high bit set, are the
/// ones the zero-byte test could confuse).
@Suite struct CSVScannerTests {
    @Test func separatorMaskFindsTheFirstSeparator() {
        let fillers: [UInt8] = [0x00, 0x01, 0x09, 0x0B, 0x0D, 0x22, 0x2B, 0x2D, 0x41, 0x7F, 0x80, 0xAC, 0x8A, 0xFF]
        var rng = SeededGenerator(seed: 5)
        for _ in 0..<50_000 {
            var bytes = (0..<8).map { _ in fillers.randomElement(using: &rng)! }
            for _ in 0..<Int.random(in: 0...3, using: &rng) {
                bytes[Int.random(in: 0..<8, using: &rng)] = Bool.random(using: &rng) ? 0x2C : 0x0A
            }
            let expected = bytes.firstIndex { $0 == 0x2C || $0 == 0x0A }
            let word = bytes.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
            let m = ByteScan.separatorMask(word)
            #expect((m == 0 ? nil : m.trailingZeroBitCount >> 3) == expected, "\(bytes)")
        }
    }

    /// The row mask must mark each comma, line feed and quote of a word, and nothing else (bytes that differ
    /// from them only in the high bit, and bytes next to them, are the ones a carry could confuse).
    @Test func plainRowMaskMarksExactlyEachSpecialByte() {
        let fillers: [UInt8] = [0x00, 0x0A, 0x22, 0x2C, 0x8A, 0xA2, 0xAC, 0x0B, 0x23, 0x2D, 0x09, 0x21, 0x2B, 0x7F, 0xFF, 0x41]
        var rng = XorShift(seed: 3)
        for _ in 0..<50_000 {
            let bytes = (0..<8).map { _ in fillers[Int(rng.next() % UInt64(fillers.count))] }
            var expected: UInt64 = 0
            for (i, b) in bytes.enumerated() where b == 0x0A || b == 0x22 || b == 0x2C { expected |= 0x80 << (8 * i) }
            let word = bytes.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
            #expect(ByteScan.plainRowMask(word) == expected, "\(bytes)")
        }
    }

    /// Fields of every length from 0 to 40 bytes, so each ends at every position of a word.
    @Test func fieldsOfEveryLengthSplitExactly() throws {
        var text = "a,b\n"
        var expected: [[String]] = []
        for n in 0...40 {
            let field = String(repeating: "x", count: n)
            text += field + "," + String(n) + "\n"
            expected.append([field, String(n)])
        }
        // Small chunks too, so that words also straddle refills.
        for chunkSize in [7, 64, 1 << 16] {
            let source = ByteSource(bytes: Array(text.utf8), name: "in.csv", chunkSize: chunkSize)
            var scanner = CSVRecordScanner(maxRecordBytes: 1 << 20)
            var rows: [[String]] = []
            _ = try scanner.scanRow(source)  // header
            while try scanner.scanRow(source) == .row {
                rows.append((0..<scanner.fieldCount).map { String(decoding: scanner.fieldBytes($0, source), as: UTF8.self) })
            }
            #expect(rows == expected, "chunk size \(chunkSize)")
        }
    }

    /// Everything one scan reports, row by row, for comparing two scans of the same bytes.
    private static func transcript(_ bytes: [UInt8], chunkSize: Int, maxRecordBytes: Int, plainRows: Bool) -> [String] {
        let source = ByteSource(bytes: bytes, name: "in.csv", chunkSize: chunkSize)
        var scanner = CSVRecordScanner(maxRecordBytes: maxRecordBytes, maxQuotedFieldBytes: 40, plainRows: plainRows)
        var lines: [String] = []
        for step in 0..<10_000 {
            let outcome: CSVRecordScanner.Outcome
            do { outcome = try scanner.scanRow(source) } catch {
                lines.append("error \(error)")
                break
            }
            var line = "\(outcome) line \(scanner.rowLine) after \(scanner.lineAfterLastRow) blank \(scanner.blankLines)"
            if outcome == .row {
                line += " bytes \(scanner.rowByteCount) malformed \(scanner.anyMalformed):"
                for (i, span) in scanner.spans.enumerated() {
                    line += " [\(span.line):\(span.column) \(span.escaped) \(span.malformed) "
                    line += String(decoding: scanner.fieldBytes(i, source), as: UTF8.self).debugDescription + "]"
                }
            }
            lines.append(line)
            if step == 0 { scanner.expectedFields = 3 }
            if outcome == .endOfInput { break }
        }
        return lines
    }

    /// Rows read a word at a time must come out exactly as the byte-by-byte scan reads them, whatever the
    /// bytes: quotes anywhere (opening, doubled, stray, left open), carriage returns before and away from
    /// line feeds, blank lines, bytes with the high bit set, rows longer than the window, and reads of every
    /// size so that rows and words straddle refills.
    @Test func plainRowsReadAsTheByteScanReadsThem() {
        let pieces: [[UInt8]] = [
            Array("a".utf8), Array("bb".utf8), Array("ccccccc".utf8), Array("0123456789abcdef".utf8), [0xC3, 0xA9],
            [0x2C], [0x2C], [0x2C], [0x0A], [0x0A], [0x0D, 0x0A], [0x0D], [0x22], Array("\"x\"\"y\"".utf8), [0xFF, 0x80],
        ]
        var rng = XorShift(seed: 11)
        var texts: [[UInt8]] = [
            [], Array("a,b,c".utf8), Array("a,b,c\n".utf8), Array("a,b,c\r\n1,2,3\r\n\r\n".utf8),
            Array(("h\n" + String(repeating: "a,", count: 100) + "b\n" + String(repeating: ",", count: 300) + "\n").utf8),
        ]
        for _ in 0..<1_500 {
            var text = Array("h1,h2,h3\n".utf8)
            for _ in 0..<Int(rng.next() % 60) { text += pieces[Int(rng.next() % UInt64(pieces.count))] }
            texts.append(text)
        }
        for text in texts {
            for chunkSize in [1, 5, 8, 13, 64, 1 << 16] {
                for maxRecordBytes in [12, 30, 1 << 20] {
                    let fast = Self.transcript(text, chunkSize: chunkSize, maxRecordBytes: maxRecordBytes, plainRows: true)
                    let slow = Self.transcript(text, chunkSize: chunkSize, maxRecordBytes: maxRecordBytes, plainRows: false)
                    #expect(
                        fast == slow,
                        "\(String(decoding: text, as: UTF8.self).debugDescription) chunk \(chunkSize) window \(maxRecordBytes)")
                    if fast != slow { return }
                }
            }
        }
    }
}
