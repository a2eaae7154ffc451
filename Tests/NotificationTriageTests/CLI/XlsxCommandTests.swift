import Foundation
import Testing
import TriageJobs
import _TriageTestSupport

/// `--format xlsx --output FILE` and `--out DIR --xlsx`: every workbook holds exactly its CSV's cells, read
/// back by our reader and, when LibreOffice is installed, by LibreOffice (converted back to CSV headless).
@Suite struct XlsxCommandTests {
    /// Incidents whose ids, URNs, UPRNs and names a spreadsheet would spoil: leading zeros, non-ASCII
    /// names, markup characters, an emoji, a formula-like name, a date of birth before Excel's first date,
    /// an Office escape, and times either side of a clock change.
    static let awkward = """
        incident_id,occurred_at,uprn,postcode,household_id,victim_id,victim_name,victim_dob,victim_pregnant,perpetrator_id,perpetrator_name,perpetrator_dob,relationship,dash_risk,dash_score,flags,child_id,child_name,child_dob,child_present,child_school_urn,child_injured
        INC-LZ1,2025-03-30T00:30:00+00:00,000123456789,CF10 1AA,HH-01,P-1,Ærø Jones,1990-05-05,false,P-2,"St Mary's & St John's",1985-01-01,partner,high,17,threats_to_kill,C-001,"Ysgol Gymraeg Bro Morgannwg <""x"">",2016-04-01,true,012345,false
        INC-LZ2,2025-06-30T14:05:00+01:00,012345678901,SA1 1AA,HH-02,P-3,Zoë 😀 Brontë,1992-02-29,true,P-4,=cmd,1899-01-01,ex_partner,medium,11,,C-002,Siân _x0041_,2019-09-09,false,001234,true

        """

    /// The policy with every destination's fields flat (no reasons or history), so each is written as CSV.
    static func flatPolicy(in dir: URL) throws -> String {
        let flat =
            "fields: [incident_id, occurred_at, uprn, postcode, household_id, victim_id, victim_name, victim_dob, victim_pregnant, "
            + "perpetrator_id, perpetrator_name, perpetrator_dob, relationship, dash_risk, dash_score, flags, child_id, "
            + "child_name, child_dob, child_present, child_school_urn, child_injured]"
        let text = try String(contentsOfFile: Triage.path("thresholds.yaml"), encoding: .utf8)
        let path = dir.appendingPathComponent("flat.yaml").path
        try text.replacingOccurrences(of: "fields: all", with: flat).write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// A CSV value as a workbook holds it: a time without its offset (a spreadsheet has no zones: the
    /// policy's wall clock), and without the `'` that guards a formula-like value in CSV (a text cell is
    /// never run as a formula).
    static func asInWorkbook(_ v: String) -> String {
        let u = Array(v.utf8)
        if u.count > 19, u[10] == UInt8(ascii: "T"), u[4] == UInt8(ascii: "-"), u[13] == UInt8(ascii: ":"), Int(v.prefix(4)) != nil {
            return String(v.prefix(19))
        }
        if v.hasPrefix("'"), let c = v.dropFirst().first, "=@+-\t\r".contains(c) { return String(v.dropFirst()) }
        return v
    }

    /// Rows padded to the header's width.
    static func padded(_ rows: [[String]]) -> [[String]] {
        let n = rows.first?.count ?? 0
        return rows.map { $0 + Array(repeating: "", count: max(0, n - $0.count)) }
    }

    /// Every cell of a CSV against a workbook's rows (already read), naming the first that differs.
    static func expectSame(csv: String, workbook: [[String]], _ what: String) {
        let want = padded(SchoolPackTests.rows(csv)).map { $0.map(asInWorkbook) }
        let got = padded(workbook)
        #expect(got.count == want.count, "\(what): \(got.count) rows, CSV has \(want.count)")
        for (i, (g, w)) in zip(got, want).enumerated() where g != w {
            Issue.record("\(what) row \(i + 1): workbook \(g) != CSV \(w)")
            return
        }
    }

    struct OutCase: CustomStringConvertible, Sendable {
        var input: String
        var options: [String]
        var description: String { ([input] + options).joined(separator: " ") }
    }

    @Test(arguments: [
        OutCase(input: "samples/incidents.csv", options: []),
        OutCase(input: "samples/scenarios.csv", options: ["--as-of", "2025-03-01", "--sort"]),
    ])
    func theDecisionsWorkbookHoldsEveryCellOfTheCSV(_ c: OutCase) throws {
        let dir = Triage.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let book = dir.appendingPathComponent("decisions.xlsx")
        let run = ["screen", c.input, "--quiet"] + c.options
        let x = try Triage.run(run + ["--format", "xlsx", "--output", book.path])
        let csv = try Triage.run(run + ["--format", "csv"])
        #expect(x.status == csv.status, "\(x.stderr)")
        #expect(x.stdout.isEmpty)
        Self.expectSame(csv: csv.out, workbook: try XlsxReader(contentsOf: book).rows(), "decisions.xlsx")
        // The format follows --output's extension when --format is not given.
        guard c.options.isEmpty else { return }
        let implied = dir.appendingPathComponent("implied.xlsx")
        #expect(try Triage.run(run + ["--output", implied.path]).status == csv.status)
        #expect(try Data(contentsOf: implied) == Data(contentsOf: book))
    }

    @Test(arguments: [
        OutCase(input: "awkward", options: []), OutCase(input: "samples/scenarios.csv", options: ["--as-of", "2025-03-01"]),
        OutCase(input: "samples/incidents.csv", options: ["--order", "deadline", "--excel"]),
    ])
    func eachFileOfOutHasAWorkbookWithItsCells(_ c: OutCase) throws {
        let dir = Triage.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = c.input == "awkward" ? dir.appendingPathComponent("awkward.csv").path : c.input
        if c.input == "awkward" { try Self.awkward.write(toFile: input, atomically: true, encoding: .utf8) }
        let out = dir.appendingPathComponent("out")
        let r = try Triage.run(
            ["screen", input, "--quiet", "--thresholds", try Self.flatPolicy(in: dir), "--out", out.path, "--xlsx"] + c.options)
        #expect(r.status == 0, "\(r.stderr)")
        let csvs = try FileManager.default.contentsOfDirectory(atPath: out.path).filter { $0.hasSuffix(".csv") }.sorted()
        // Each CSV destination of the flat policy, and screened_out.csv.
        #expect(csvs.count == 7, "\(csvs)")
        for name in csvs {
            let book = out.appendingPathComponent(name.dropLast(4) + ".xlsx")
            let text = String(decoding: try Data(contentsOf: out.appendingPathComponent(name)), as: UTF8.self)
            let csv = text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text
            Self.expectSame(csv: csv, workbook: try XlsxReader(contentsOf: book).rows(), String(book.lastPathComponent))
        }
    }

    @Test func leadingZerosAndNamesAreKept() throws {
        let dir = Triage.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = dir.appendingPathComponent("awkward.csv").path
        try Self.awkward.write(toFile: input, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("out")
        let r = try Triage.run(["screen", input, "--quiet", "--thresholds", try Self.flatPolicy(in: dir), "--out", out.path, "--xlsx"])
        #expect(r.status == 0, "\(r.stderr)")
        func rows(_ name: String) throws -> (rows: [[String]], col: (String) -> Int) {
            let rows = Self.padded(try XlsxReader(contentsOf: out.appendingPathComponent(name)).rows())
            return (rows, { rows[0].firstIndex(of: $0)! })
        }
        let (care, c) = try rows("social_care.xlsx")
        let first = try #require(care.first { $0[c("incident_id")] == "INC-LZ1" })
        #expect(first[c("uprn")] == "000123456789")
        #expect(first[c("victim_name")] == "Ærø Jones")
        #expect(first[c("perpetrator_name")] == "St Mary's & St John's")
        #expect(first[c("occurred_at")] == "2025-03-30T00:30:00")
        #expect(first[c("dash_score")] == "17")
        let second = try #require(care.first { $0[c("incident_id")] == "INC-LZ2" })
        #expect(second[c("uprn")] == "012345678901")
        #expect(second[c("victim_name")] == "Zoë 😀 Brontë")
        #expect(second[c("perpetrator_name")] == "=cmd")
        #expect(second[c("perpetrator_dob")] == "1899-01-01")
        // 14:05 in British Summer Time, as the policy's zone shows it.
        #expect(second[c("occurred_at")] == "2025-06-30T14:05:00")
        let (school, s) = try rows("school.xlsx")
        #expect(school.dropFirst().map { $0[s("child_school_urn")] } == ["012345", "001234"])
        #expect(school.dropFirst().map { $0[s("child_name")] } == ["Ysgol Gymraeg Bro Morgannwg <\"x\">", "Siân _x0041_"])
        #expect(school.dropFirst().map { $0[s("child_dob")] } == ["2016-04-01", "2019-09-09"])
    }

    /// A stream's workbook is written as decisions are made (to its temporary file) and is whole when the
    /// stream ends, here by SIGINT, which stops a stream gracefully: what was read is committed.
    @Test func aStreamsWorkbookIsCommittedWholeWhenTheStreamStops() throws {
        let dir = Triage.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let book = dir.appendingPathComponent("live.xlsx")
        let run = try LiveRun(["screen", "-", "--quiet", "--output", book.path])
        run.send(LiveStreamTests.header + LiveStreamTests.row("A", child: "C1") + LiveStreamTests.row("B", day: 2))
        // The sheet is stored, not compressed: its rows can be seen in the temporary file as they are made.
        func temporary() -> String {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
            guard let name = names.first(where: { $0.hasPrefix(".live.xlsx.tmp-") }) else { return "" }
            return String(decoding: (try? Data(contentsOf: dir.appendingPathComponent(name))) ?? Data(), as: UTF8.self)
        }
        #expect(run.eventually { temporary().contains("<t>B</t>") })
        #expect(!FileManager.default.fileExists(atPath: book.path))
        kill(run.process.processIdentifier, SIGINT)
        #expect(run.waitForExit() == 0, "\(run.standardError)")
        let rows = try XlsxReader(contentsOf: book).rows()
        #expect(Set(rows.dropFirst().compactMap(\.first)) == ["A", "B"])
    }

    /// LibreOffice, if installed: `soffice` or `libreoffice` on PATH.
    static let office: String? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        for dir in path.split(separator: ":") {
            for name in ["soffice", "libreoffice"] where FileManager.default.isExecutableFile(atPath: dir + "/" + name) {
                return dir + "/" + name
            }
        }
        return nil
    }()

    @Test func libreOfficeReadsEveryCellAsTheCSVHasIt() throws {
        guard let office = Self.office else {
            print("XlsxCommandTests: skipped: LibreOffice is absent (no soffice or libreoffice on PATH)")
            return
        }
        let dir = Triage.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = dir.appendingPathComponent("awkward.csv").path
        try Self.awkward.write(toFile: input, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("out")
        let policy = try Self.flatPolicy(in: dir)
        #expect(try Triage.run(["screen", input, "--quiet", "--thresholds", policy, "--out", out.path, "--xlsx"]).status == 0)
        let decisions = dir.appendingPathComponent("decisions.xlsx")
        #expect(try Triage.run(["screen", "samples/incidents.csv", "--quiet", "--output", decisions.path]).status == 0)
        let csv = try Triage.run(["screen", "samples/incidents.csv", "--quiet", "--format", "csv"])
        var pairs = [(decisions, csv.out)]
        for name in try FileManager.default.contentsOfDirectory(atPath: out.path).filter({ $0.hasSuffix(".xlsx") }).sorted() {
            let book = out.appendingPathComponent(name)
            pairs.append((book, try String(contentsOf: out.appendingPathComponent(name.dropLast(5) + ".csv"), encoding: .utf8)))
        }
        let converted = dir.appendingPathComponent("converted")
        try Self.convert(pairs.map(\.0), to: converted, office: office, profile: dir.appendingPathComponent("profile"))
        for (book, csv) in pairs {
            let name = book.deletingPathExtension().lastPathComponent + ".csv"
            let office = try String(contentsOf: converted.appendingPathComponent(name), encoding: .utf8)
            Self.expectSame(csv: csv, workbook: Self.officeRows(office), "LibreOffice's " + book.lastPathComponent)
        }
    }

    @Test func libreOfficeReadsEverySheetOfAnOverflowingWorkbook() throws {
        guard let office = Self.office else {
            print("XlsxCommandTests: skipped: LibreOffice is absent (no soffice or libreoffice on PATH)")
            return
        }
        let dir = Triage.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let rows: [[XlsxCell]] = (1...7).map { [.text(String(format: "%03d", $0)), .number(Double($0))] }
        let book = dir.appendingPathComponent("book.xlsx")
        try Data(XlsxWriterTests.workbook(["urn", "n"], rows, sheet: "school", rowsPerSheet: 3)).write(to: book)
        let converted = dir.appendingPathComponent("converted")
        try Self.convert([book], to: converted, office: office, profile: dir.appendingPathComponent("profile"), everySheet: true)
        var got: [[String]] = []
        for name in ["school", "school (2)", "school (3)", "school (4)"] {
            let text = try String(contentsOf: converted.appendingPathComponent("book-\(name).csv"), encoding: .utf8)
            let sheet = SchoolPackTests.rows(text)
            #expect(sheet.first == ["urn", "n"])
            got += sheet.dropFirst()
        }
        #expect(got == (1...7).map { [String(format: "%03d", $0), "\($0)"] })
    }

    /// Converts workbooks to CSV with LibreOffice in one run, in a profile of its own (another LibreOffice
    /// may be running). Filter options: comma, double quote, UTF-8, cells as shown (dates in their format);
    /// the first sheet to `NAME.csv`, or with `everySheet` each to `NAME-SHEET.csv` (7.2 and later).
    static func convert(_ books: [URL], to dir: URL, office: String, profile: URL, everySheet: Bool = false) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: office)
        p.arguments =
            [
                "-env:UserInstallation=file://" + profile.path, "--headless", "--convert-to",
                "csv:Text - txt - csv (StarCalc):44,34,76" + (everySheet ? ",1,,0,false,true,false,false,false,-1" : ""), "--outdir",
                dir.path,
            ] + books.map(\.path)
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
    }

    /// LibreOffice's CSV rows, a date-time as its format shows it (`yyyy-mm-dd hh:mm:ss`) made ISO 8601.
    static func officeRows(_ text: String) -> [[String]] {
        SchoolPackTests.rows(text).map { row in
            row.map { v in
                v.count == 19 && Array(v.utf8)[10] == UInt8(ascii: " ") && Int(v.prefix(4)) != nil
                    ? String(v.prefix(10)) + "T" + v.suffix(8) : v
            }
        }
    }
}
