import Foundation
import NotificationTriage

/// How decisions are written to standard output.
package enum DecisionFormat: String, Sendable { case jsonl, csv }

/// Everything `triage screen` is asked to do, parsed from its arguments.
package struct ScreenOptions: Sendable {
    package var inputs: [String] = []
    package var inputFormat: InputFormat? = nil
    package var columns: ColumnMap = .canonical
    package var outDir: String? = nil
    package var format: DecisionFormat = .jsonl
    package var statePath: String? = nil
    package var asOf: Instant? = nil
    package var sortInput = false
    package var orderByDeadline = false
    package var rejectsPath: String? = nil
    package var summaryPath: String? = nil
    package var excelBOM = false
    /// How long to wait for another run's lock on `--state` or `--out` (seconds; 0: refuse at once).
    package var waitLock: Double = 0
    /// Other files the run reads (the policy, the column map), which no output may replace.
    package var readOnlyInputs: [String] = []
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
        let writer: OutputThreads
        do { writer = try OutputThreads(policy: policy, options: options, stdout: stdout) } catch {
            throw JobError(error.description)
        }

        var pending: [Incident] = []
        let futureLimit = ScreenJob.latestAcceptedTime()
        do {
            let policy = self.policy
            let options = self.options
            let ahead = ParseAhead(inputs: options.inputs.isEmpty ? ["-"] : options.inputs) { input throws(InputError) in
                try ScreenJob.makeReader(input, policy: policy, options: options)
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
                        let record = batch.take(i)
                        let recordLines = Int(batch.lines[i])
                        summary.read += 1
                        // The history entries of the next few incidents are read now, so that they are in
                        // cache when those are screened.
                        screener.history.warmAhead(batch, i)
                        switch consume record {
                        case .incident(let incident, let location) where incident.occurredAt.seconds > futureLimit:
                            // A date in the future is a typing error; screening it would also age out every
                            // household's history, so it is rejected rather than trusted.
                            summary.rejected += 1
                            summary.lines.rejected += recordLines
                            try writer.reject(
                                Reject(
                                    location: location, field: "occurred_at", incidentID: incident.incidentID,
                                    message: "occurred_at is more than a day in the future: expected the time the incident happened"))
                        case .incident(let incident, _):
                            summary.lines.screened += recordLines
                            if options.sortInput {
                                pending.append(incident)
                            } else {
                                let d = screener.screen(incident, keys: batch.keys[i])
                                summary.count(d, asOf: options.asOf)
                                decisions.append(d)
                            }
                        case .reject(let r):
                            summary.rejected += 1
                            summary.lines.rejected += recordLines
                            try writer.reject(r)
                        }
                    }
                    if !decisions.isEmpty { try writer.write(decisions) }
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
                    let d = screener.screen(pending[i])
                    summary.count(d, asOf: options.asOf)
                    decisions.append(d)
                    if decisions.count == 2048 {
                        try writer.write(decisions)
                        decisions = []
                    }
                }
                try writer.write(decisions)
                pending = []
            }
            let outputs = try writer.finish()
            summary.elapsed = Date().timeIntervalSince(start)
            try files.commit(outputs, summary: summary.json) {
                screener.history.sweep()
                return screener.history.save()
            }
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

    /// The latest `occurred_at` accepted now: a day ahead. Later is a typing error, and screening it would also
    /// age out every household's history, so such a record is rejected (by `screen` and `compare` alike).
    static func latestAcceptedTime() -> Int64 { Int64(Date().timeIntervalSince1970) + 86_400 }

    func makeReader(_ input: String) throws(InputError) -> any IncidentReader {
        try ScreenJob.makeReader(input, policy: policy, options: options)
    }

    static func makeReader(_ input: String, policy: Policy, options: ScreenOptions) throws(InputError) -> any IncidentReader {
        let name = input == "-" ? "<stdin>" : input
        let source = input == "-" ? ByteSource.standardInput() : try ByteSource(path: input)
        let ext = input.split(separator: ".").last.map(String.init) ?? ""
        let byExtension = input == "-" ? nil : InputFormat(pathExtension: ext)
        // Sniffing names a gzip file, a workbook or a semicolon export, and tells JSON Lines from CSV on
        // standard input or with an unknown extension; it consumes nothing.
        let format = try InputSniffer.format(
            of: source, declared: options.inputFormat, byExtension: byExtension, columns: options.columns)
        // (`triage` refuses --columns when every input is named JSON Lines; one found so by its first byte
        // is refused here, as the map would be ignored.)
        if format == .jsonl && options.inputFormat == nil && byExtension == nil && options.columns != .canonical {
            throw InputError(
                "--columns renames the header of CSV input, but the input is JSON Lines: drop --columns",
                at: SourceLocation(source: name, line: 0))
        }
        switch format {
        case .csv: return try CSVIncidentReader(source: source, name: name, zone: policy.zone, columns: options.columns)
        case .jsonl: return JSONLinesIncidentReader(source: source, name: name, zone: policy.zone)
        }
    }
}
