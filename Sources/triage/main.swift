import NotificationTriage

#if canImport(Glibc)
    import Glibc
#endif

// `triage`: a thin shell over the NotificationTriage library. Each subcommand lives in Commands/.
func dispatch(_ arguments: [String]) -> Int32 {
    let commands: [any Command.Type] = [
        ScreenCommand.self, ValidateCommand.self, GenerateCommand.self, CompareCommand.self,
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

exit(dispatch(Array(CommandLine.arguments.dropFirst())))
