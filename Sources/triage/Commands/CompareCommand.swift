import NotificationTriage
import TriageJobs

#if canImport(Glibc)
    import Glibc
#endif

/// `triage compare`: what a policy change does to each agency's workload.
enum CompareCommand: Command {
    static let name = "compare"
    static let summary = "screen once under two policies and report the difference per agency"
    static let help = """
        USAGE: triage compare --baseline A.yaml --candidate B.yaml [FILES...] [options]

        Screens the input once (one read, one parse) under both policies side by side, each as if with a
        history of its own (one history serves both when they record the same: the same history settings,
        time zone and local authorities, and the same rules routing to MARAC), and prints per destination
        and priority the notifications under A and B, the busiest week or month and the average per working
        day; fires per rule; and how many children reach each agency, including those reached under A but
        not under B.

        OPTIONS:
          --baseline FILE       the current policy (A)
          --candidate FILE      the proposed policy (B)
          --state FILE          start both histories from this state file (it is not updated)
          --by week|month       bucket for the busiest period (default week)
          --changes FILE        write every changed decision as JSON Lines
          --html FILE           write a self-contained HTML report with charts
          --json FILE           write the figures as JSON
          --input-format csv|jsonl, --columns FILE, --schools FILE, --school-links FILE
                        as for 'triage screen' (--columns only for CSV input)
          --quiet               accepted as for 'triage screen': compare writes no progress line and no
                                summary to standard error (the report names both policies)
        """

    static func run(_ arguments: [String]) -> Int32 {
        let args: Arguments
        do {
            args = try Arguments(
                arguments, command: name,
                valued: [
                    "baseline", "candidate", "state", "by", "changes", "html", "json", "input-format", "columns", "schools",
                    "school-links",
                ],
                flags: ["quiet"])
        } catch { fail(usage: error.message) }
        refuseColumnsForJSONLines(args)
        guard let aPath = args.value("baseline"), let bPath = args.value("candidate") else {
            fail(usage: "compare needs --baseline FILE and --candidate FILE")
        }
        guard let a = resolvePolicy(aPath, quiet: true), let b = resolvePolicy(bPath, quiet: true) else { return ExitCode.usage }
        let bucket = CompareJob.Bucket(rawValue: args.value("by") ?? "week")
        guard let bucket else { fail(usage: "unknown --by '\(args.value("by")!)' (expected week or month)") }
        let options = readingOptions(args)
        let job = CompareJob(baseline: a, candidate: b, options: options, bucket: bucket)
        let paths = (changes: args.value("changes"), json: args.value("json"), html: args.value("html"))
        refuseOverlaps(outputs: [paths.changes, paths.json, paths.html], reading: options, policies: [aPath, bPath])
        // Every output is created (under a temporary name) before the input is read, and all are committed
        // together at the end.
        var group = CommitGroup([])
        do {
            let changes = try group.create(paths.changes)
            let json = try group.create(paths.json)
            let html = try group.create(paths.html)
            let result = try job.run { change in
                guard let changes else { return }
                changes.buffer.append(contentsOf: CompareReport.changeLine(change, baseline: a, candidate: b))
                try changes.flushIfFull()
            }
            var final = CompareReport(result: result, baseline: a, candidate: b, baselineName: aPath, candidateName: bPath, bucket: bucket)
            if let c = paths.changes, let h = paths.html {
                var buffer = [CChar](repeating: 0, count: 4096)
                let found = getcwd(&buffer, buffer.count) != nil
                let cwd = found ? String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) : "/"
                final.changesLink = CompareReport.link(to: c, from: h, cwd: cwd)
            }
            json?.buffer = Array(final.json.utf8)
            html?.buffer = Array(final.html.utf8)
            try group.commit()
            print(final.text, terminator: "")
            return result.rejected > 0 ? ExitCode.rejected : ExitCode.ok
        } catch {
            group.abandon()
            printError("triage: error: \(error)")
            return ExitCode.failure
        }
    }
}
