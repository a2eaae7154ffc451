import NotificationTriage
import TriageJobs
import TriageSynthesis

#if canImport(Glibc)
    import Glibc
#endif

/// `triage generate`: deterministic synthetic notifications (no real person's data).
enum GenerateCommand: Command {
    static let name = "generate"
    static let summary = "write deterministic synthetic notifications for testing"
    static let help = """
        USAGE: triage generate --incidents N [options]

        Writes N synthetic incident notifications in time order to standard output (or --output FILE):
        households, victims, perpetrators and children are reused so that repeats happen, across addresses
        too. The same options always give the same bytes. No real person's data.

        OPTIONS:
          --incidents N         how many incidents (required)
          --seed S              random seed (default 1)
          --format csv|jsonl    output format (default csv)
          --start DATE          first day, YYYY-MM-DD (default 2025-01-01)
          --years Y             spread the incidents over Y years (default 1); the population is sized by
                                the rate N/Y, so 10x incidents over 10x years has the same people
          --messy RATE          give this share (0-1) of incidents a realistic defect, for testing rejects
          --output FILE         write to FILE (atomically) instead of standard output
        """

    static func run(_ arguments: [String]) -> Int32 {
        let args: Arguments
        do {
            args = try Arguments(
                arguments, command: name, valued: ["incidents", "seed", "format", "start", "years", "messy", "output"],
                flags: [])
        } catch { fail(usage: error.message) }
        if let p = args.positionals.first { fail(usage: "generate takes no file name ('\(p)'): write to a file with --output FILE") }
        guard let nText = args.value("incidents"), let n = Int(nText), n >= 0 else {
            fail(usage: "generate needs --incidents N (a whole number)")
        }
        var options = GeneratorOptions(incidents: n)
        if let s = args.value("seed") {
            guard let v = UInt64(s) else { fail(usage: "--seed must be a whole number, found '\(s)'") }
            options.seed = v
        }
        if let s = args.value("start") {
            let parts = s.split(separator: "-").compactMap { Int($0) }
            guard parts.count == 3, let d = CivilDate(year: parts[0], month: parts[1], day: parts[2]) else {
                fail(usage: "--start must be a date YYYY-MM-DD, found '\(s)'")
            }
            options.start = d
        }
        if let s = args.value("years") {
            guard let v = Double(s), v > 0, v <= 60 else { fail(usage: "--years must be a number above 0 (at most 60)") }
            options.years = v
        }
        if let s = args.value("messy") {
            guard let v = Double(s), (0...1).contains(v) else { fail(usage: "--messy must be a rate between 0 and 1") }
            options.messyRate = v
        }
        let format = args.value("format") ?? "csv"
        guard format == "csv" || format == "jsonl" else { fail(usage: "unknown --format '\(format)' (expected csv or jsonl)") }
        let zone = Policy.default.zone
        var out: OutputFile? = nil
        do {
            let file =
                try args.value("output").map { p throws(OutputError) in try OutputFile(atomicPath: p) } ?? OutputFile(standardOutput: ())
            out = file
            var failure: OutputError? = nil
            generateIncidentFile(options: options, format: format, zone: zone) { chunk in
                guard failure == nil else { return }
                file.buffer.append(contentsOf: chunk)
                do { try file.flushIfFull() } catch { failure = error as? OutputError }
            }
            if let failure { throw failure }
            try file.commit()
        } catch {
            out?.abandon()
            printError("triage: error: \(error)")
            return ExitCode.failure
        }
        return ExitCode.ok
    }
}
