import Foundation
import NotificationTriage

/// How decisions are written: to standard output, or to the file `--output` names (a workbook only there).
package enum DecisionFormat: String, Sendable { case jsonl, csv, xlsx }

/// Everything `triage screen` is asked to do, parsed from its arguments.
package struct ScreenOptions: Sendable {
    package var inputs: [String] = []
    package var inputFormat: InputFormat? = nil
    package var columns: ColumnMap = .canonical
    package var outDir: String? = nil
    package var format: DecisionFormat = .jsonl
    /// Where the decisions go instead of standard output (`--output FILE`), committed with the run's other
    /// files; a workbook (`--format xlsx`) needs one.
    package var outputPath: String? = nil
    /// With `--out DIR`: each CSV file of DIR written as a workbook too (`--xlsx`).
    package var xlsx = false
    package var statePath: String? = nil
    package var asOf: Instant? = nil
    package var sortInput = false
    package var orderByDeadline = false
    package var rejectsPath: String? = nil
    package var summaryPath: String? = nil
    /// The run's one-page HTML report (`--report FILE.html`).
    package var reportPath: String? = nil
    package var excelBOM = false
    /// How long to wait for another run's lock on `--state` or `--out` (seconds; 0: refuse at once).
    package var waitLock: Double = 0
    /// Other files the run reads (the policy, the column map), which no output may replace.
    package var readOnlyInputs: [String] = []
    /// The national school register (`--schools`), checked for every child's school.
    package var schools: SchoolRegister? = nil
    /// Who receives each school's pack (`--school-contacts`).
    package var schoolContacts: SchoolContacts? = nil
    package init() {}
}

/// A fatal problem that stops a run (unreadable input, bad state file, output that cannot be written).
package struct JobError: Error, Sendable, CustomStringConvertible {
    package var description: String
    /// A usage error found before the run started (an output that is an input): exit status 2, not 1.
    package var usage: Bool
    package init(_ description: String, usage: Bool = false) {
        self.description = description
        self.usage = usage
    }
}

/// Runs a whole screening job: reads every input in order as one stream, screens each incident, writes
/// decisions (or per-destination files), rejects and state, and returns the counts.
package struct ScreenJob {
    let policy: Policy
    let options: ScreenOptions
    /// Called now and then with the number of records read (for a progress line).
    var progress: ((Int) -> Void)? = nil
    /// Where messages for people go (standard error).
    var log: (String) -> Void

    package init(policy: Policy, options: ScreenOptions, log: @escaping (String) -> Void, progress: ((Int) -> Void)? = nil) {
        self.policy = policy
        self.options = options
        self.log = log
        self.progress = progress
    }

    package func run(stdout: OutputFile) throws(JobError) -> ScreenSummary {
        let start = Date()
        var summary = ScreenSummary(policy: policy, asOf: options.asOf != nil)

        // Everything but the input is set up first: locks, state, and every output's temporary file.
        let files = try JobFiles(policy: policy, options: options)
        defer { files.release() }
        var screener = Screener(policy: policy, history: files.takeHistory())
        screener.schools = options.schools
        let writer: OutputThreads
        let decisions: OutputFile
        do { decisions = try options.outputPath.map { p throws(OutputError) in try OutputFile(atomicPath: p) } ?? stdout } catch {
            throw JobError(error.description)
        }
        do { writer = try OutputThreads(policy: policy, options: options, stdout: decisions) } catch {
            // The `--output` file's temporary name is not left behind when the other outputs cannot be made.
            if decisions !== stdout { decisions.abandon() }
            throw JobError(error.description)
        }

        var pending: [Incident] = []
        // The morning meeting's page (`--report`): counted as the summary is, written and committed with it.
        var report =
            options.reportPath == nil
            ? nil
            : RunReport(policy: policy, source: options.inputs.isEmpty ? "-" : options.inputs.joined(separator: ", "), asOf: options.asOf)
        func reject(_ r: Reject, lines: Int) throws(OutputError) {
            summary.rejected += 1
            summary.lines.rejected += lines
            report?.add(r)
            try writer.reject(r)
        }
        do {
            let policy = self.policy
            let options = self.options
            let inputs = options.inputs.isEmpty ? ["-"] : options.inputs
            // A run reading a stream stops gracefully on SIGINT/SIGTERM (see Interruption).
            let stop = inputs.contains(where: GracefulStop.isStream) ? GracefulStop() : nil
            Interruption.stopGracefully(stop)
            defer { Interruption.stopGracefully(nil) }
            let ahead = ParseAhead(inputs: inputs, stop: stop) { input throws(InputError) in
                try IncidentInput(path: input, zone: policy.zone, format: options.inputFormat, columns: options.columns)
            }
            defer { ahead.cancel() }
            reading: while true {
                switch ahead.take() {
                case .end: break reading
                case .failure(let e): throw e
                case .batch(var batch):
                    var decisions: [Decision] = []
                    decisions.reserveCapacity(batch.count)
                    summary.lines.other += batch.otherLines
                    for i in 0..<batch.count {
                        let recordLines = Int(batch.lines[i])
                        summary.read += 1
                        if options.sortInput {
                            switch screener.admit(batch.take(i)) {
                            case .success(let incident):
                                summary.lines.screened += recordLines
                                pending.append(incident)
                            case .failure(let r):
                                try reject(r, lines: recordLines)
                            }
                            continue
                        }
                        // Counted for the summary where it is written (``OutputThreads/tally``), and its routes
                        // made there too (``DecisionSink``), unless the report reads them here.
                        if let r = screener.screen(&batch, at: i, appendingTo: &decisions, makingRoutes: report != nil) {
                            try reject(r, lines: recordLines)
                        } else {
                            summary.lines.screened += recordLines
                            if report != nil { report!.add(decisions[decisions.count - 1]) }
                        }
                    }
                    if !decisions.isEmpty { try writer.write(consume decisions) }
                    progress?(summary.read)
                }
            }
            if options.sortInput {
                // Stable sort by event time (in memory: --sort is for batch files).
                let order = pending.indices.sorted {
                    (pending[$0].occurredAt, $0) < (pending[$1].occurredAt, $1)
                }
                var decisions: [Decision] = []
                for i in order {
                    decisions.append(screener.screen(pending[i]))
                    if report != nil { report!.add(decisions[decisions.count - 1]) }
                    if decisions.count == 2048 {
                        try writer.write(consume decisions)
                        decisions = []
                    }
                }
                try writer.write(consume decisions)
                pending = []
            }
            let outputs = try writer.finish()
            if let tally = writer.tally { summary.addDecisions(tally) }
            summary.schoolsWithoutContact = writer.schoolsWithoutContact
            summary.elapsed = Date().timeIntervalSince(start)
            // From here a signal follows the commit rules (see Interruption), stream or not.
            Interruption.stopGracefully(nil)
            try files.commit(outputs, summary: summary.json, report: report?.html(summary)) {
                screener.history.sweep()
                return screener.history.save()
            }
            writer.afterCommit()
        } catch let e as InputError {
            writer.abandon()
            throw JobError(e.description)
        } catch let e as OutputError {
            writer.abandon()
            throw JobError(e.description)
        } catch {
            writer.abandon()
            throw JobError("\(error)")
        }
        return summary
    }
}
