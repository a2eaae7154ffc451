import NotificationTriage
import TriageJobs

#if canImport(Glibc)
    import Glibc
#endif

/// `triage sweep`: a family of thresholds tried in one pass, and what each does to each agency.
enum SweepCommand: Command {
    static let name = "sweep"
    static let summary = "try a grid of thresholds in one pass: each agency's workload and the children reached"
    static let help = """
        USAGE: triage sweep [--thresholds FILE] --vary SPEC [--vary SPEC ...] [FILES...] [options]

        Screens the input once under the policy and under every combination of the values given, and
        prints per destination the notifications by priority, per working day and in the busiest week, the
        distinct children reached, and the children gained and lost against the policy as it is.

        SPEC is RULE-ID:FACT=VALUES, where FACT is compared with a number in that rule's condition, or
        history:FIELD=VALUES for window_days, half_life_days, weights.dash_risk.LEVEL or weights.flags.FLAG.
        VALUES is a list (2,3,4,5; standard,medium,high for dash_risk) or a range FROM..TO/STEP (10..30/5).
          --vary repeat-household:household.incidents=2,3,4,5
          --vary cumulative-risk:household.score=10..30/5
        Several --vary form a grid. Combinations that change rule thresholds only share one history; those
        that change history settings, or a rule that routes to MARAC while pair.marac_referrals is read,
        get a history each (the output says which).

        OPTIONS:
          --thresholds FILE     the policy (default ./thresholds.yaml, else the built-in policy)
          --vary SPEC           a setting and its values (repeatable)
          --max N               allow up to N combinations (default 256)
          --json                print the figures as JSON instead of the text tables
          --csv FILE            write one row per combination and destination as CSV
          --html FILE           write a self-contained HTML page with a trade-off chart per destination
          --state FILE          start every history from this state file (it is not updated)
          --input-format csv|jsonl, --columns FILE, --schools FILE, --school-links FILE
                                as for 'triage screen' (--columns only for CSV input)
          --quiet               accepted as for 'triage screen': sweep writes nothing to standard error
                                but errors
        """

    static func run(_ arguments: [String]) -> Int32 {
        let args: Arguments
        do {
            args = try Arguments(
                arguments, command: name,
                valued: ["thresholds", "max", "csv", "html", "state", "input-format", "columns", "schools", "school-links"],
                flags: ["json", "quiet"], repeatable: ["vary"])
        } catch { fail(usage: error.message) }
        refuseColumnsForJSONLines(args)
        guard !args.values("vary").isEmpty else {
            fail(usage: "sweep needs at least one --vary SPEC (for example repeat-household:household.incidents=2,3,4)")
        }
        var max = SweepJob.defaultMax
        if let m = args.value("max") {
            guard let n = Int(m), (1...4096).contains(n) else { fail(usage: "--max '\(m)': expected a whole number from 1 to 4096") }
            max = n
        }
        guard let policy = resolvePolicy(args.value("thresholds"), quiet: true) else { return ExitCode.usage }
        let policyName =
            args.value("thresholds") ?? (access("thresholds.yaml", R_OK) == 0 ? "thresholds.yaml" : "the built-in default policy")
        var specs: [SweepSpec] = []
        var problems: [String] = []
        for text in args.values("vary") {
            do {
                let spec = try SweepSpec(text, policy: policy)
                if specs.contains(where: { $0.setting == spec.setting }) {
                    problems.append("--vary '\(text)': \(spec.label) is already varied: give all its values in one --vary")
                } else {
                    specs.append(spec)
                }
            } catch { problems.append(error.description) }
        }
        // Every bad spec is reported, not just the first.
        guard problems.isEmpty else { fail(usage: problems.joined(separator: "\ntriage: error: ")) }
        let options = readingOptions(args)
        let job: SweepJob
        do { job = try SweepJob(baseline: policy, specs: specs, options: options, max: max) } catch { fail(usage: error.description) }
        let paths = (csv: args.value("csv"), html: args.value("html"))
        refuseOverlaps(outputs: [paths.csv, paths.html], reading: options, policies: [args.value("thresholds")])
        // Every output is created (under a temporary name) before the input is read, and all are committed
        // together at the end.
        var group = CommitGroup([])
        do {
            let csv = try group.create(paths.csv)
            let html = try group.create(paths.html)
            let result = try job.run()
            let report = SweepReport(job: job, result: result, baseline: policy, baselineName: policyName)
            csv?.buffer = Array(report.csv.utf8)
            html?.buffer = Array(report.html.utf8)
            try group.commit()
            print(args.flag("json") ? report.json : report.text, terminator: "")
            return result.rejected > 0 ? ExitCode.rejected : ExitCode.ok
        } catch {
            group.abandon()
            printError("triage: error: \(error)")
            return ExitCode.failure
        }
    }
}
