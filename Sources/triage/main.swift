import NotificationTriage
import TriageJobs

#if canImport(Glibc)
    import Glibc
#endif

// `triage`: a thin shell over the NotificationTriage library. Each subcommand lives in Commands/.
func dispatch(_ arguments: [String]) -> Int32 {
    let commands: [any Command.Type] = [
        ScreenCommand.self, ValidateCommand.self, GenerateCommand.self, CompareCommand.self, SweepCommand.self,
    ]
    var args = arguments
    let first = args.first ?? "--help"
    if first == "--version" || first == "-V" {
        print("triage \(triageVersion)")
        return ExitCode.ok
    }
    if first == "--help" || first == "-h" || first == "help" {
        if first == "help", args.count > 1 {
            guard let c = commands.first(where: { $0.name == args[1] }) else { fail(usage: "unknown subcommand '\(args[1])'") }
            print(c.help)
        } else {
            print(mainHelp(commands))
        }
        return ExitCode.ok
    }
    guard let command = commands.first(where: { $0.name == first }) else {
        fail(usage: "unknown subcommand '\(first)' (expected one of: \(commands.map { $0.name }.joined(separator: ", ")))")
    }
    args.removeFirst()
    if args.contains("--help") || args.contains("-h") {
        print(command.help)
        return ExitCode.ok
    }
    return command.run(args)
}

#if canImport(Glibc)
    // Large buffers (history chunks, key indexes, output buffers) come straight from the OS and go back to
    // it. Otherwise glibc raises its mmap threshold the first time such a buffer is freed and serves later
    // ones from the heap, which fragments over a long run: 10M incidents peaked at 379 MiB, 315 with this.
    // `mallopt` is in <malloc.h>, which the Glibc module does not import: found by name instead.
    //
    // Small blocks (up to 160 bytes, glibc's largest setting) are freed to their arena's fast bins, which
    // take no lock: each decision's small arrays and texts are allocated on the screening thread and freed
    // on the writing thread, and with the default (128) more of those frees queue on the screening thread's
    // arena lock (about 3% of a 1M run, A/B 3 rounds).
    if let f = dlsym(nil, "mallopt") {
        let mallopt = unsafeBitCast(f, to: (@convention(c) (Int32, Int32) -> Int32).self)
        _ = mallopt(-3, 1 << 20)  // M_MMAP_THRESHOLD, 1 MiB
        _ = mallopt(1, 160)  // M_MXFAST, bytes
    }
#endif
// SIGINT, SIGTERM and SIGHUP remove the run's temporary files and commit nothing; on a run reading a stream,
// the first SIGINT or SIGTERM stops it gracefully instead (see Interruption).
Interruption.install()
exit(dispatch(Array(CommandLine.arguments.dropFirst())))
