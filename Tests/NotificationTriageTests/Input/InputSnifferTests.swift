import Foundation
import Testing
import _TriageTestSupport

@testable import NotificationTriage

/// The first bytes of an input name what it is: a compressed file, a workbook, UTF-16 text or a
/// semicolon export is refused by name, and JSON Lines is told from CSV when nothing else says which.
@Suite struct InputSnifferTests {
    enum Expected: Sendable {
        case format(InputFormat)
        case error(String)
    }

    /// Bytes at the start of an input, what the user said about them, and what sniffing makes of them.
    struct Case: CustomStringConvertible, Sendable {
        var name: String
        var bytes: [UInt8]
        var declared: InputFormat? = nil
        var byExtension: InputFormat? = nil
        var expected: Expected
        var description: String { name }
    }

    static let header = Array("incident_id,occurred_at,household_id,victim_id,dash_risk\n".utf8)
    static let gzip: [UInt8] = [0x1F, 0x8B, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0x4B, 0x4C]
    static let gzipMessage = "in.dat: the file is gzip-compressed: run `gunzip -c in.dat | triage screen -`"
    static let zipMessage = "in.dat: the file is a zip archive (an Excel .xlsx workbook?): save it as CSV UTF-8"
    static let utf16Message = "in.dat:1: the file looks like UTF-16 text: save it as UTF-8 (in a spreadsheet, 'CSV UTF-8')"

    static let cases: [Case] = [
        Case(name: "gzip", bytes: gzip, expected: .error(gzipMessage)),
        Case(name: "gzip named .csv", bytes: gzip, byExtension: .csv, expected: .error(gzipMessage)),
        Case(name: "gzip with --input-format jsonl", bytes: gzip, declared: .jsonl, expected: .error(gzipMessage)),
        Case(name: "zip (xlsx)", bytes: [0x50, 0x4B, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00], byExtension: .csv, expected: .error(zipMessage)),
        Case(
            name: "old Excel workbook", bytes: [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1], byExtension: .csv,
            expected: .error("in.dat: the file is an Excel .xls workbook: save it as CSV UTF-8")),
        Case(name: "UTF-16 LE with BOM", bytes: [0xFF, 0xFE] + utf16LE("incident_id"), expected: .error(utf16Message)),
        Case(name: "UTF-16 BE with BOM", bytes: [0xFE, 0xFF, 0x00, 0x69, 0x00, 0x6E], declared: .jsonl, expected: .error(utf16Message)),
        Case(name: "UTF-16 LE without BOM", bytes: utf16LE("incident_id,occurred_at"), byExtension: .csv, expected: .error(utf16Message)),
        Case(
            name: "semicolon export", bytes: Array("incident_id;occurred_at;household_id;victim_id;dash_risk\r\nI1;x\r\n".utf8),
            byExtension: .csv,
            expected: .error("in.dat:1: the file looks semicolon-separated: save it with commas as the separator ('CSV UTF-8')")),
        Case(
            name: "quoted semicolon export with a BOM",
            bytes: [0xEF, 0xBB, 0xBF] + Array("\"Incident_ID\";\"Victim_ID\";\"Notes\"\n".utf8),
            expected: .error("in.dat:1: the file looks semicolon-separated: save it with commas as the separator ('CSV UTF-8')")),
        Case(
            name: "tab export", bytes: Array("incident_id\toccurred_at\thousehold_id\tvictim_id\tdash_risk\n".utf8), declared: .csv,
            expected: .error("in.dat:1: the file looks tab-separated: save it with commas as the separator ('CSV UTF-8')")),
        Case(name: "one known name before a semicolon", bytes: Array("incident_id;notes\n".utf8), expected: .format(.csv)),
        Case(name: "semicolons inside a comma header", bytes: Array("incident_id,flags;x;y\n".utf8), expected: .format(.csv)),
        Case(name: "JSON Lines without an extension", bytes: Array("{\"incident_id\":\"I1\"}\n".utf8), expected: .format(.jsonl)),
        Case(name: "JSON Lines after blank lines", bytes: Array("\n \r\n\t{\"a\":1}\n".utf8), expected: .format(.jsonl)),
        Case(name: "JSON Lines after a byte-order mark", bytes: [0xEF, 0xBB, 0xBF] + Array("{}\n".utf8), expected: .format(.jsonl)),
        Case(name: "CSV without an extension", bytes: header, expected: .format(.csv)),
        Case(name: "the extension wins over the first byte", bytes: Array("{}\n".utf8), byExtension: .csv, expected: .format(.csv)),
        Case(name: "--input-format wins over the first byte", bytes: header, declared: .jsonl, expected: .format(.jsonl)),
        Case(name: "empty", bytes: [], expected: .format(.csv)),
    ]

    static func utf16LE(_ s: String) -> [UInt8] { s.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] } }

    @Test(arguments: cases, [1, 4096]) func sniffing(_ c: Case, chunkSize: Int) throws {
        let source = ByteSource(bytes: c.bytes, name: "in.dat", chunkSize: chunkSize)
        do {
            let format = try InputSniffer.format(of: source, declared: c.declared, byExtension: c.byExtension, columns: .canonical)
            guard case .format(let expected) = c.expected else {
                Issue.record("read as \(format), expected an error")
                return
            }
            #expect(format == expected)
            // Nothing was consumed.
            let held = Array(UnsafeBufferPointer(start: source.base + source.start, count: source.end - source.start))
            #expect(c.bytes.starts(with: held) && held.count >= min(c.bytes.count, 8))
        } catch {
            guard case .error(let message) = c.expected else {
                Issue.record("unexpected error \(error)")
                return
            }
            #expect(error.description == message)
        }
    }

    @Test func aColumnMapMakesTheForceNamesKnown() throws {
        let columns = ColumnMap(renames: ["Ref No": "incident_id", "Victim Ref": "victim_id"])
        let source = ByteSource(bytes: Array("Ref No;Victim Ref;Notes\n".utf8), name: "force.csv")
        #expect(throws: InputError.self) {
            try InputSniffer.format(of: source, declared: nil, byExtension: .csv, columns: columns)
        }
        #expect(try InputSniffer.format(of: source, declared: nil, byExtension: .csv, columns: .canonical) == .csv)
    }

    @Test func theCSVReaderNamesAGzipFileToo() throws {
        let source = ByteSource(bytes: Self.gzip, name: "in.dat")
        #expect(
            throws: InputError(
                "the file is gzip-compressed: run `gunzip -c in.dat | triage screen -`", at: .init(source: "in.dat", line: 0))
        ) {
            _ = try CSVIncidentReader(source: source, name: "in.dat", zone: InputFixtures.london)
        }
    }

    // MARK: Through the command line

    /// Runs `triage screen --quiet ARGS` with standard input read from a file holding `input` (not a pipe:
    /// a run that stops reading early must not leave the test writing into a closed pipe).
    func decisions(_ args: [String], input: Data? = nil) throws -> Triage.Result {
        let dir = Triage.tempDir()
        let (inFile, outFile, errFile) = (
            dir.appendingPathComponent("in"), dir.appendingPathComponent("out"), dir.appendingPathComponent("err")
        )
        try (input ?? Data()).write(to: inFile)
        FileManager.default.createFile(atPath: outFile.path, contents: nil)
        FileManager.default.createFile(atPath: errFile.path, contents: nil)
        let p = Process()
        p.executableURL = Triage.binary
        p.arguments = ["screen", "--quiet"] + args
        p.currentDirectoryURL = Triage.root
        p.standardInput = try FileHandle(forReadingFrom: inFile)
        p.standardOutput = try FileHandle(forWritingTo: outFile)
        p.standardError = try FileHandle(forWritingTo: errFile)
        try p.run()
        p.waitUntilExit()
        return Triage.Result(
            status: p.terminationStatus, stdout: try Data(contentsOf: outFile),
            stderr: String(decoding: try Data(contentsOf: errFile), as: UTF8.self))
    }

    @Test func gzipFilesAndStandardInputAreNamed() throws {
        let dir = Triage.tempDir()
        let csv = dir.appendingPathComponent("data.csv")
        try Data(contentsOf: URL(fileURLWithPath: Triage.path("samples/scenarios.csv"))).write(to: csv)
        let gz = Process()
        gz.executableURL = URL(fileURLWithPath: "/bin/gzip")
        gz.arguments = ["-k", csv.path]
        try gz.run()
        gz.waitUntilExit()
        let compressed = dir.appendingPathComponent("data.csv.gz")
        for (args, input, message) in [
            (
                [compressed.path], nil,
                "\(compressed.path): the file is gzip-compressed: run `gunzip -c \(compressed.path) | triage screen -`"
            ),
            ([compressed.path, "--input-format", "csv"], nil, "\(compressed.path): the file is gzip-compressed"),
            (["-"], try Data(contentsOf: compressed), "<stdin>: the input is gzip-compressed: run `gunzip -c FILE | triage screen -`"),
        ] as [([String], Data?, String)] {
            let r = try decisions(args, input: input)
            #expect(r.status == 1)
            #expect(r.stderr.contains(message), "\(r.stderr)")
            #expect(!r.stderr.contains("UTF-16"))
        }
    }

    @Test func jsonLinesOnStandardInputIsReadAsTheFileIs() throws {
        let file = try decisions(["samples/incidents.jsonl"])
        let piped = try decisions(["-"], input: Data(contentsOf: URL(fileURLWithPath: Triage.path("samples/incidents.jsonl"))))
        let none = try decisions([], input: Data(contentsOf: URL(fileURLWithPath: Triage.path("samples/incidents.jsonl"))))
        let txt = Triage.tempDir().appendingPathComponent("incidents.txt")
        try Data(contentsOf: URL(fileURLWithPath: Triage.path("samples/incidents.jsonl"))).write(to: txt)
        let unknownExtension = try decisions([txt.path])
        #expect(file.status == 0)
        #expect(file.stdout.count > 1000)
        for r in [piped, none, unknownExtension] {
            #expect(r.status == 0, "\(r.stderr)")
            #expect(r.stdout == file.stdout)
        }
    }

    @Test func csvOnStandardInputIsStillCSV() throws {
        let file = try decisions(["samples/scenarios.csv"])
        let piped = try decisions(["-"], input: Data(contentsOf: URL(fileURLWithPath: Triage.path("samples/scenarios.csv"))))
        #expect(piped.status == 0)
        #expect(piped.stdout == file.stdout)
    }

    @Test func aSemicolonExportIsNamed() throws {
        let text = try String(contentsOf: URL(fileURLWithPath: Triage.path("samples/scenarios.csv")), encoding: .utf8)
        let r = try decisions(["-"], input: Data(text.replacingOccurrences(of: ",", with: ";").utf8))
        #expect(r.status == 1)
        #expect(r.stderr.contains("<stdin>:1: the file looks semicolon-separated: save it with commas"), "\(r.stderr)")
    }

    @Test func columnsWithJSONLinesOnStandardInputIsRefused() throws {
        let r = try decisions(
            ["-", "--columns", "samples/columns-example.yaml"],
            input: Data(contentsOf: URL(fileURLWithPath: Triage.path("samples/incidents.jsonl"))))
        #expect(r.status == 1)
        #expect(r.stderr.contains("<stdin>: --columns renames the header of CSV input, but the input is JSON Lines"), "\(r.stderr)")
    }
}
