import NotificationTriage

#if canImport(Glibc)
    import Glibc
#endif

// `triage`: a thin shell over the NotificationTriage library. Each subcommand lives in Commands/.
let commands: [any Command.Type] = [
    ScreenCommand.self, ValidateCommand.self, GenerateCommand.self, CompareCommand.self,
]

var args = Array(CommandLine.arguments.dropFirst())
let first = args.first ?? "--help"
if first == "--version" || first == "-V" {
    print("triage \(triageVersion)")
    exit(ExitCode.ok)
}
if first == "--help" || first == "-h" || first == "help" {
    if first == "help", args.count > 1, let c = commands.first(where: { $0.name == args[1] }) {
        print(c.help)
    } else if first == "help", args.count > 1 {
        fail(usage: "unknown subcommand '\(args[1])'")
    } else {
        print(mainHelp(commands))
    }
    exit(ExitCode.ok)
}
guard let command = commands.first(where: { $0.name == first }) else {
    fail(usage: "unknown subcommand '\(first)' (expected one of: \(commands.map(\.name).joined(separator: ", ")))")
}
args.removeFirst()
if args.contains("--help") || args.contains("-h") {
    print(command.help)
    exit(ExitCode.ok)
}
exit(command.run(args))
