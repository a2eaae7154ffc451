import Foundation
import NotificationTriage
import TriageJobs

/// `triage screen`: the streaming batch screener.
enum ScreenCommand: Command {
    static let name = "screen"
    static let summary = "screen notifications (CSV or JSON Lines) and route them"
    static let help = """
        USAGE: triage screen [FILES...] [options]

        Screens every notification in FILES (CSV or JSON Lines; '-' or none reads standard input; several
        files are one stream, in order) and writes one decision per incident as JSON Lines to standard output.

        OPTIONS:
          --thresholds FILE     policy file (default: ./thresholds.yaml if present, else the built-in policy)
          --out DIR             write one file per destination (school.csv, social_care.jsonl, ...) plus
                                decisions.jsonl, screened_out.csv and rejects.jsonl, instead of standard output
          --format jsonl|csv|xlsx
                                format of the decisions (default: from --output's extension, else jsonl; not
                                with --out); xlsx is an Excel workbook, written only to --output FILE
          --output FILE         write the decisions to FILE instead of standard output, committed with the
                                run's other files (not with --out)
          --input-format csv|jsonl
                                input format (default: from the file extension; for standard input or another
                                extension, JSON Lines when the first byte is '{', else CSV)
          --columns FILE        YAML mapping from your export's column names to the canonical names (CSV only)
          --schools FILE        the national school register (GIAS establishments CSV, as downloaded): unknown
                                and closed schools are routed as education unknown, with a warning
          --school-links FILE   the register's links file: a closed school's successor is told instead
          --school-contacts FILE
                                CSV of urn,email (or urn,dsl_name,email): the contact of each school's pack
                                in DIR/schools/index.csv (only with --out)
          --state FILE          load history before screening and save it after (atomically); locked for the
                                run (FILE.lock), as --out is (DIR/.lock): a second run is refused
          --wait-lock SECONDS   wait up to SECONDS for another run's lock instead of refusing at once
          --as-of TIME|now      mark each route overdue or not at TIME (ISO 8601) and count overdue routes
          --sort                sort the input by occurred_at before screening (in memory)
          --order deadline      order each destination's file by deadline, then priority (only with --out)
          --rejects FILE        where unreadable records go (default: rejects.jsonl in --out, else stderr)
          --summary FILE        write the run's counts as JSON
          --report FILE.html    write one page for the morning meeting: notifications per destination and
                                priority, overdue ones (with --as-of), the red list with its reasons, children
                                with 3+ incidents in the window, warnings and rejects by kind
          --excel               start CSV outputs with a byte-order mark for spreadsheets (with --out, or
                                with --format csv)
          --xlsx                with --out: write each CSV file in DIR (each destination's, screened_out.csv)
                                as an Excel workbook too (school.xlsx, ...): ids, URNs and postcodes as text,
                                dates and times as dates in the policy's zone, the header frozen and filtered
          --quiet               no progress line and no summary on standard error

        A gzip file, an Excel workbook, UTF-16 text or a semicolon- or tab-separated export is refused by name.
        An option that does not apply with the others given is refused, never ignored.

        Files are written 0600 (a replaced file keeps its mode), directories 0700, and all are renamed into
        place together when the run ends. Reading standard input or another stream, each decision is written as
        soon as its incident has arrived, and SIGINT or SIGTERM ends the input gracefully: what was read is
        screened and committed, as at its end. Otherwise (and on SIGHUP, or a second signal) a signal commits
        nothing.

        EXIT STATUS: 0 all screened; 3 some records rejected; 2 usage or policy error; 1 fatal error;
        128 + the signal when a run is abandoned.
        """

    static func run(_ arguments: [String]) -> Int32 {
        let args: Arguments
        do {
            args = try Arguments(
                arguments, command: name,
                valued: [
                    "thresholds", "out", "format", "input-format", "columns", "state", "as-of", "order", "rejects", "summary",
                    "report", "wait-lock", "schools", "school-links", "school-contacts", "output",
                ],
                flags: ["sort", "excel", "quiet", "xlsx"])
        } catch { fail(usage: error.message) }
        // An option that applies only with another is refused without it, never ignored.
        if args.value("order") == "deadline" && args.value("out") == nil {
            fail(usage: "--order deadline orders the destination files of --out: add --out DIR")
        }
        if args.value("format") != nil && args.value("out") != nil {
            fail(
                usage: "--format sets the format of decisions on standard output; with --out, decisions go to decisions.jsonl "
                    + "and each destination's file has the format its policy names: drop --format")
        }
        if args.value("output") != nil && args.value("out") != nil {
            fail(
                usage: "--output names the decisions' file; with --out DIR, decisions go to DIR/decisions.jsonl: "
                    + "drop one of them")
        }
        if args.flag("xlsx") && args.value("out") == nil {
            fail(
                usage:
                    "--xlsx writes the files of --out DIR as workbooks too: add --out DIR, or for decisions use --format xlsx --output FILE"
            )
        }
        let named = args.value("output").flatMap(Self.format(byExtension:))
        if let f = args.value("format"), let named, f != named {
            // A workbook named .csv, or JSON Lines named .xlsx, would not open in what its name promises.
            fail(usage: "--output names a .\(named) file but --format is \(f): drop --format, or name the file .\(f)")
        }
        let format = args.value("format") ?? named
        if format == "xlsx" && args.value("output") == nil {
            fail(
                usage: "--format xlsx writes a workbook, which cannot go to standard output (a terminal or a pipe): "
                    + "add --output FILE.xlsx")
        }
        if args.flag("excel") && args.value("out") == nil && format != "csv" {
            fail(
                usage: format == "xlsx"
                    ? "--excel starts CSV outputs with a byte-order mark, which a workbook does not need: drop --excel"
                    : "--excel starts CSV outputs with a byte-order mark: add --format csv or --out DIR")
        }
        if args.value("wait-lock") != nil && args.value("state") == nil && args.value("out") == nil {
            fail(usage: "--wait-lock waits for the lock on --state or --out: add one of them")
        }
        refuseColumnsForJSONLines(args)
        let quiet = args.flag("quiet")
        guard let policy = resolvePolicy(args.value("thresholds"), quiet: quiet) else { return ExitCode.usage }

        var options = ScreenOptions()
        options.inputs = args.positionals
        options.outDir = args.value("out")
        options.outputPath = args.value("output")
        options.xlsx = args.flag("xlsx")
        options.statePath = args.value("state")
        options.rejectsPath = args.value("rejects")
        options.summaryPath = args.value("summary")
        options.reportPath = args.value("report")
        options.sortInput = args.flag("sort")
        options.excelBOM = args.flag("excel")
        if let w = args.value("wait-lock") {
            guard let v = Double(w), v >= 0, v <= 86_400 else { fail(usage: "--wait-lock must be a number of seconds from 0 to 86400") }
            options.waitLock = v
        }
        let implicitPolicy = access("thresholds.yaml", F_OK) == 0 ? "thresholds.yaml" : nil
        options.readOnlyInputs =
            readFiles(args) + [args.value("thresholds") ?? implicitPolicy, args.value("school-contacts")].compactMap { $0 }
        options.schools = schoolRegister(args)
        if let c = args.value("school-contacts") {
            guard args.value("out") != nil, args.value("schools") != nil else {
                fail(
                    usage: "--school-contacts names the contact of each school's pack, which --out DIR writes with the "
                        + "register: add --out DIR and --schools FILE")
            }
            // Packs are CSV: a policy whose school destination receives rich fields (JSON Lines) has none.
            if let k = policy.destinationIndex("school"), case let school = policy.destinations[k],
                DestinationWriter(destination: school, policy: policy, asOf: nil).isJSON
            {
                fail(usage: "--school-contacts: this policy's school destination is written as JSON Lines, so there are no packs")
            }
            do { options.schoolContacts = try SchoolContacts(contentsOfFile: c) } catch {
                printError("triage: error: \(error)")
                return ExitCode.usage
            }
        }
        if let f = format {
            guard let v = DecisionFormat(rawValue: f) else { fail(usage: "unknown --format '\(f)' (expected jsonl, csv or xlsx)") }
            options.format = v
        }
        if let f = args.value("input-format") {
            guard let v = InputFormat(rawValue: f) else { fail(usage: "unknown --input-format '\(f)' (expected csv or jsonl)") }
            options.inputFormat = v
        }
        if let o = args.value("order") {
            guard o == "deadline" else { fail(usage: "unknown --order '\(o)' (expected deadline)") }
            options.orderByDeadline = true
        }
        if let t = args.value("as-of") {
            if t == "now" {
                options.asOf = Instant(seconds: Int64(Date().timeIntervalSince1970))
            } else {
                guard let v = policy.zone.instant(parsing: t) else {
                    fail(usage: "cannot read --as-of '\(t)' (expected now, YYYY-MM-DD or an ISO 8601 date-time)")
                }
                options.asOf = v
            }
        }
        if let c = args.value("columns") {
            do { options.columns = try ColumnMap.load(path: c) } catch {
                printError("\(error)")
                return ExitCode.usage
            }
        }

        let tty = isatty(2) == 1 && !quiet
        let start = Date()
        let job = ScreenJob(
            policy: policy, options: options, log: { printError($0) },
            progress: tty
                ? { n in
                    let s = Date().timeIntervalSince(start)
                    printError(
                        "\r\(n) records, \(Int(Double(n) / max(s, 0.001)))/s, \(String(format: "%.1f", s)) s\u{1B}[K", newline: false)
                } : nil)
        do {
            let summary = try job.run(stdout: OutputFile(standardOutput: ()))
            if tty { printError("\r\u{1B}[K", newline: false) }
            if !quiet { printError(summary.text) }
            return summary.rejected > 0 ? ExitCode.rejected : ExitCode.ok
        } catch {
            printError("triage: error: \(error)")
            return error.usage ? ExitCode.usage : ExitCode.failure
        }
    }

    /// The format `--output` names by its extension (`.jsonl`, `.csv`, `.xlsx`), when `--format` does not.
    static func format(byExtension path: String) -> String? {
        let ext = path.split(separator: ".").last.map { $0.lowercased() }
        return ext.flatMap { ["jsonl", "csv", "xlsx"].contains($0) ? $0 : nil }
    }
}
