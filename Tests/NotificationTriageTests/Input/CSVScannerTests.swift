import Testing

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
}
