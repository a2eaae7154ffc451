import Foundation
import Testing
import _TriageTestSupport

/// Every option either works in every mode it is accepted in or is refused with exit 2 and a message
/// saying why; a misspelt option or CSV header gets a did-you-mean (end to end, through the built binary).
@Suite struct OptionTests {
    /// A command line that used to be accepted and then ignored in part, and what it now says.
    struct Refusal: CustomStringConvertible, Sendable {
        var name: String
        /// Arguments; `OUT` is replaced by a fresh temporary directory.
        var arguments: [String]
        var message: String
        var description: String { name }
    }

    static let refusals: [Refusal] = [
        Refusal(
            name: "--wait-lock without --state or --out",
            arguments: ["screen", "samples/scenarios.csv", "--wait-lock", "5"],
            message: "--wait-lock waits for the lock on --state or --out: add one of them"),
        Refusal(
            name: "--order deadline without --out",
            arguments: ["screen", "samples/scenarios.csv", "--order", "deadline"],
            message: "--order deadline orders the destination files of --out: add --out DIR"),
        Refusal(
            name: "--format csv with --out",
            arguments: ["screen", "samples/scenarios.csv", "--out", "OUT", "--format", "csv"],
            message: "--format sets the format of decisions on standard output; with --out"),
        Refusal(
            name: "--format jsonl with --out",
            arguments: ["screen", "samples/scenarios.csv", "--format", "jsonl", "--out", "OUT"],
            message: "--format sets the format of decisions on standard output; with --out"),
        Refusal(
            name: "--excel on JSON Lines on standard output",
            arguments: ["screen", "samples/scenarios.csv", "--excel"],
            message: "--excel starts CSV outputs with a byte-order mark: add --format csv or --out DIR"),
        Refusal(
            name: "--excel with --format jsonl",
            arguments: ["screen", "samples/scenarios.csv", "--excel", "--format", "jsonl"],
            message: "--excel starts CSV outputs with a byte-order mark: add --format csv or --out DIR"),
        Refusal(
            name: "--columns with --input-format jsonl",
            arguments: ["screen", "-", "--input-format", "jsonl", "--columns", "samples/columns-example.yaml"],
            message: "--columns renames the header of CSV input, but the input is JSON Lines"),
        Refusal(
            name: "--columns with JSON Lines files only",
            arguments: ["screen", "samples/incidents.jsonl", "--columns", "samples/columns-example.yaml"],
            message: "--columns renames the header of CSV input, but the input is JSON Lines"),
        Refusal(
            name: "compare --columns with --input-format jsonl",
            arguments: [
                "compare", "--baseline", "thresholds.yaml", "--candidate", "thresholds.yaml", "--input-format", "jsonl",
                "--columns", "samples/columns-example.yaml", "-",
            ],
            message: "--columns renames the header of CSV input, but the input is JSON Lines"),
        Refusal(
            name: "an option given twice",
            arguments: ["screen", "samples/scenarios.csv", "--thresholds", "thresholds.yaml", "--thresholds", "other.yaml"],
            message: "option '--thresholds' is given more than once"),
        Refusal(
            name: "an option where a value belongs",
            arguments: ["screen", "samples/scenarios.csv", "--rejects", "--quiet"],
            message: "option '--rejects' needs a value: found the option '--quiet'"),
        Refusal(
            name: "generate with a file name",
            arguments: ["generate", "--incidents", "10", "out.csv"],
            message: "generate takes no file name ('out.csv'): write to a file with --output FILE"),
        Refusal(
            name: "a workbook on standard output",
            arguments: ["screen", "samples/scenarios.csv", "--format", "xlsx"],
            message: "--format xlsx writes a workbook, which cannot go to standard output (a terminal or a pipe): add --output FILE.xlsx"),
        Refusal(
            name: "--xlsx without --out",
            arguments: ["screen", "samples/scenarios.csv", "--xlsx", "--format", "csv"],
            message: "--xlsx writes the files of --out DIR as workbooks too: add --out DIR"),
        Refusal(
            name: "--output with --out",
            arguments: ["screen", "samples/scenarios.csv", "--out", "OUT", "--output", "OUT.xlsx"],
            message: "--output names the decisions' file; with --out DIR, decisions go to DIR/decisions.jsonl: drop one of them"),
        Refusal(
            name: "--excel with a workbook",
            arguments: ["screen", "samples/scenarios.csv", "--output", "OUT.xlsx", "--excel"],
            message: "--excel starts CSV outputs with a byte-order mark, which a workbook does not need: drop --excel"),
        Refusal(
            name: "a format that is not the output's",
            arguments: ["screen", "samples/scenarios.csv", "--format", "jsonl", "--output", "OUT.xlsx"],
            message: "--output names a .xlsx file but --format is jsonl: drop --format, or name the file .jsonl"),
        Refusal(
            name: "an unknown format",
            arguments: ["screen", "samples/scenarios.csv", "--format", "xls", "--output", "OUT.xls"],
            message: "unknown --format 'xls' (expected jsonl, csv or xlsx)"),
        Refusal(
            name: "decisions over an input",
            arguments: ["screen", "samples/scenarios.csv", "--output", "samples/scenarios.csv"],
            message: "is also an input (samples/scenarios.csv): refusing to overwrite it"),
        Refusal(
            name: "compare without a policy",
            arguments: ["compare", "--baseline", "thresholds.yaml", "samples/scenarios.csv"],
            message: "compare needs --baseline FILE and --candidate FILE"),
    ]

    @Test(arguments: refusals) func ignoredOptionsAreRefused(_ c: Refusal) throws {
        let out = Triage.tempDir().appendingPathComponent("out")
        let r = try Triage.run(c.arguments.map { $0.hasPrefix("OUT") ? out.path + $0.dropFirst(3) : $0 }, input: Data())
        #expect(r.status == 2)
        #expect(r.stderr.contains(c.message), "\(r.stderr)")
        #expect(r.stdout.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: out.path), "a refused run made --out")
        #expect(!FileManager.default.fileExists(atPath: out.path + ".xlsx"), "a refused run made --output")
    }

    /// A misspelt option and the message naming the option it is likely a typo of.
    struct Misspelling: CustomStringConvertible, Sendable {
        var arguments: [String]
        var message: String
        var description: String { arguments.joined(separator: " ") }
    }

    static let misspellings: [Misspelling] = [
        Misspelling(
            arguments: ["screen", "--thresold", "thresholds.yaml"],
            message: "unknown option '--thresold' for 'screen' (did you mean '--thresholds'?)"),
        Misspelling(arguments: ["screen", "--exel"], message: "unknown option '--exel' for 'screen' (did you mean '--excel'?)"),
        Misspelling(
            arguments: ["screen", "--inputformat", "csv"],
            message: "unknown option '--inputformat' for 'screen' (did you mean '--input-format'?)"),
        Misspelling(
            arguments: ["screen", "--sumary=s.json"], message: "unknown option '--sumary' for 'screen' (did you mean '--summary'?)"),
        Misspelling(
            arguments: ["compare", "--candiate", "b.yaml"],
            message: "unknown option '--candiate' for 'compare' (did you mean '--candidate'?)"),
        Misspelling(
            arguments: ["generate", "--incident", "5"],
            message: "unknown option '--incident' for 'generate' (did you mean '--incidents'?)"),
        Misspelling(
            arguments: ["validate", "--explian"], message: "unknown option '--explian' for 'validate' (did you mean '--explain'?)"),
        Misspelling(arguments: ["screen", "--banana"], message: "unknown option '--banana' for 'screen'\n"),
    ]

    @Test(arguments: misspellings) func misspeltOptionsGetADidYouMean(_ c: Misspelling) throws {
        let r = try Triage.run(c.arguments, input: Data())
        #expect(r.status == 2)
        #expect(r.stderr.contains(c.message), "\(r.stderr)")
    }

    @Test func excelOnStandardOutputStartsTheCSVWithAByteOrderMark() throws {
        let plain = try Triage.run(["screen", "samples/scenarios.csv", "--quiet", "--format", "csv"])
        let excel = try Triage.run(["screen", "samples/scenarios.csv", "--quiet", "--format", "csv", "--excel"])
        #expect(excel.status == 0)
        #expect(Array(excel.stdout.prefix(3)) == [0xEF, 0xBB, 0xBF])
        #expect(excel.stdout.dropFirst(3) == plain.stdout)
        #expect(plain.out.hasPrefix("incident_id,"))
    }

    /// A CSV header and the missing-column message it gets.
    struct Header: CustomStringConvertible, Sendable {
        var header: String
        var message: String
        var description: String { header }
    }

    static let headers: [Header] = [
        Header(
            header: "incidnet_id,occurred_at,household_id,victim_id,dash_risk",
            message: "missing required column: incident_id (found 'incidnet_id': did you mean 'incident_id'?)"),
        Header(
            header: "Incident_ID ,occured_at,household_id,victim_id,dash_rsk",
            message:
                "missing required columns: occurred_at (found 'occured_at': did you mean 'occurred_at'?), dash_risk (found 'dash_rsk': did you mean 'dash_risk'?)"
        ),
        Header(
            header: "incident_id,occurred_at,houshold_id,victim_id,dash_risk",
            message:
                "missing required column: one of household_id, uprn or postcode (found 'houshold_id': did you mean 'household_id'?)"),
        Header(
            header: "incident_id,occurred_at,household_id,victim,dash_risk",
            message: "missing required column: victim_id\n"),
    ]

    @Test(arguments: headers) func misspeltHeadersGetADidYouMean(_ c: Header) throws {
        let input = Data((c.header + "\nI1,2026-01-01T10:00:00Z,H1,V1,standard\n").utf8)
        let r = try Triage.run(["screen", "-", "--input-format", "csv", "--quiet"], input: input)
        #expect(r.status == 1)
        #expect(r.stderr.contains(c.message), "\(r.stderr)")
    }

    @Test func aFileWithoutAHeaderEchoesNoData() throws {
        // The first data row taken as a header: no cell of it is close to a column name, so none is quoted.
        let input = Data("INC-1,2026-01-01T10:00:00Z,,,H1,P1,Zebedee Quokkasmith,1990-01-01,false,,,,partner,high\n".utf8)
        let r = try Triage.run(["screen", "-", "--input-format", "csv", "--quiet"], input: input)
        #expect(r.status == 1)
        #expect(r.stderr.contains("missing required columns: incident_id, occurred_at, victim_id, dash_risk"))
        for secret in ["Zebedee", "Quokkasmith", "INC-1", "1990-01-01", "P1"] {
            #expect(!r.stderr.contains(secret), "\(secret) echoed")
        }
    }
}
