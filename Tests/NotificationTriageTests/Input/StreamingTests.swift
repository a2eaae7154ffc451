import Testing

@testable import NotificationTriage

@Suite struct InputStreamingTests {
    typealias F = InputFixtures

    /// A generated CSV: `count` incidents, every 7th bad, every 3rd with three children whose names hold
    /// quoted commas, doubled quotes and newlines; CRLF line ends.
    static func generatedCSV(count: Int) -> (text: String, good: Int, bad: Int) {
        var text = F.header + "\r\n"
        var good = 0
        var bad = 0
        for i in 0..<count {
            let id = "INC-\(i)"
            let isBad = i % 7 == 0
            let children = i % 3 == 0 ? 3 : 1
            for c in 0..<children {
                var o: [String: String] = [
                    "incident_id": id, "child_id": "C\(i)-\(c)",
                    "child_name": "\"Child \(c), \"\"Nick\"\"\nSecond line \(String(repeating: "é", count: i % 11))\"",
                ]
                if isBad && c == children - 1 { o["child_dob"] = "2019-02-29" }
                text += F.row(o) + "\r\n"
            }
            if isBad { bad += 1 } else { good += 1 }
        }
        return (text, good, bad)
    }

    struct ChunkCase: CustomTestStringConvertible, Sendable {
        var chunkSize: Int
        var testDescription: String { "chunk \(chunkSize)" }
    }

    @Test(arguments: [ChunkCase(chunkSize: 1), ChunkCase(chunkSize: 7), ChunkCase(chunkSize: 64), ChunkCase(chunkSize: 4093)])
    func csvAcrossChunkBoundaries(_ c: ChunkCase) throws {
        let count = c.chunkSize == 1 ? 60 : 600
        let (text, good, bad) = Self.generatedCSV(count: count)
        #expect(text.utf8.count > c.chunkSize * 4)
        let records = try F.csv(text, chunkSize: c.chunkSize)
        let incidents = records.compactMap(\.incident)
        let rejects = records.compactMap(\.reject)
        #expect(incidents.count == good)
        #expect(rejects.count == bad)
        #expect(incidents.count + rejects.count == count)
        #expect(rejects.allSatisfy { $0.field == "child_dob" })
        let three = try #require(incidents.first { $0.incidentID == "INC-3" })
        #expect(three.children.map(\.personID) == ["C3-0", "C3-1", "C3-2"])
        #expect(three.children[1].name == "Child 1, \"Nick\"\nSecond line ééé")
        // Each row takes two lines; the header one.
        let lines = records.map(\.location.line)
        #expect(lines == lines.sorted())
        #expect(records.last?.location.line == 2 + 2 * rowsBefore(count - 1))
    }

    /// Rows before incident `i` in the generated CSV.
    private func rowsBefore(_ i: Int) -> Int { (0..<i).reduce(0) { $0 + ($1 % 3 == 0 ? 3 : 1) } }

    @Test(arguments: [ChunkCase(chunkSize: 1), ChunkCase(chunkSize: 13), ChunkCase(chunkSize: 1024)])
    func jsonLinesAcrossChunkBoundaries(_ c: ChunkCase) throws {
        let count = c.chunkSize == 1 ? 50 : 500
        var text = ""
        var bad = 0
        for i in 0..<count {
            var line = F.jsonLine.replacingOccurrences(of: "\"INC-1\"", with: "\"INC-\(i)\"")
                .replacingOccurrences(of: "Ann Example", with: #"Ann \"\u00e9\" \ud83d\ude00 Example é"#)
            if i % 5 == 0 {
                line = line.replacingOccurrences(of: "\"dash_score\":9,", with: "\"dash_score\":9,,")
                bad += 1
            }
            text += line + (i % 2 == 0 ? "\n" : "\r\n")
        }
        #expect(text.utf8.count > c.chunkSize * 4)
        let records = try F.jsonl(text, chunkSize: c.chunkSize)
        #expect(records.count == count)
        #expect(records.compactMap(\.reject).count == bad)
        let incidents = records.compactMap(\.incident)
        #expect(incidents.count == count - bad)
        #expect(incidents.first?.victim.name == "Ann \"é\" 😀 Example é")
        #expect(records.map(\.location.line) == Array(1...count))
    }

    @Test func readsAFileFromDisk() throws {
        let (text, good, bad) = Self.generatedCSV(count: 200)
        let path = "/tmp/notification-triage-input-\(text.utf8.count).csv"
        let fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0o600)
        try #require(fd >= 0)
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
        defer { unlink(path) }
        #expect(written == bytes.count)
        let source = try ByteSource(path: path, chunkSize: 1000)
        var reader = try CSVIncidentReader(source: source, name: path, zone: F.london)
        let records = try F.readAll(&reader)
        #expect(records.compactMap(\.incident).count == good)
        #expect(records.compactMap(\.reject).count == bad)
        #expect(throws: InputError.self) { _ = try ByteSource(path: "/nonexistent/input.csv") }
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
