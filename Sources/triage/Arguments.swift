import NotificationTriage
import TriageJobs

#if canImport(Glibc)
    import Glibc
#endif

let triageVersion = "0.1.0"

/// Exit statuses, documented in the README.
enum ExitCode {
    /// Every record screened.
    static let ok: Int32 = 0
    /// A fatal error while running (unreadable input, bad state file, output that cannot be written).
    static let failure: Int32 = 1
    /// A usage or policy error before screening started.
    static let usage: Int32 = 2
    /// The run finished but some records were rejected.
    static let rejected: Int32 = 3
}

/// A subcommand: its name, help text and entry point.
protocol Command {
    static var name: String { get }
    static var summary: String { get }
    static var help: String { get }
    static func run(_ arguments: [String]) -> Int32
}

func mainHelp(_ commands: [any Command.Type]) -> String {
    var s = """
        triage \(triageVersion): screen police domestic-abuse notifications against a written policy.

        USAGE: triage <subcommand> [options]

        SUBCOMMANDS:

        """
    for c in commands { s += "  " + c.name.padding(toLength: 10, withPad: " ", startingAt: 0) + c.summary + "\n" }
    s += """

        Run 'triage help <subcommand>' for its options. 'triage --version' prints the version.
        """
    return s
}

/// Standard error.
func printError(_ s: String, newline: Bool = true) {
    var line = s
    if newline && !line.hasSuffix("\n") { line += "\n" }
    line.withUTF8 { buf in _ = write(2, buf.baseAddress, buf.count) }
}

/// `--schools FILE [--school-links FILE]`: the national school register, or nil without `--schools`.
/// A register that cannot be read ends the run before screening, with exit status 2.
func schoolRegister(_ args: Arguments) -> SchoolRegister? {
    if args.value("school-links") != nil && args.value("schools") == nil {
        fail(usage: "--school-links follows closed schools of the register given by --schools: add --schools FILE")
    }
    guard let path = args.value("schools") else { return nil }
    do { return try SchoolRegister(contentsOfFile: path, linksFile: args.value("school-links")) } catch {
        printError("triage: error: \(error)")
        exit(ExitCode.usage)
    }
}

/// The reading options of a command that screens notifications (`compare`, `sweep`): the input files,
/// `--state`, `--schools`, `--input-format` and `--columns`. A bad value ends the run with exit status 2.
func readingOptions(_ args: Arguments) -> ScreenOptions {
    var options = ScreenOptions()
    options.inputs = args.positionals
    options.statePath = args.value("state")
    options.schools = schoolRegister(args)
    if let f = args.value("input-format") {
        guard let v = InputFormat(rawValue: f) else { fail(usage: "unknown --input-format '\(f)' (expected csv or jsonl)") }
        options.inputFormat = v
    }
    if let c = args.value("columns") {
        do { options.columns = try ColumnMap.load(path: c) } catch {
            printError("\(error)")
            exit(ExitCode.usage)
        }
    }
    options.readOnlyInputs = readFiles(args)
    return options
}

/// The files the reading options read besides the input (`--columns`, `--schools`, `--school-links`): no
/// output may overwrite them.
func readFiles(_ args: Arguments) -> [String] {
    [args.value("columns"), args.value("schools"), args.value("school-links")].compactMap { $0 }
}

/// Exits (usage) when an output would overwrite a file the command reads: the inputs, the files the reading
/// options read, the state (only read by compare and sweep) and `policies`.
func refuseOverlaps(outputs: [String?], reading options: ScreenOptions, policies: [String?]) {
    do {
        try OutputPaths.refuseOverlaps(
            outputs: outputs.compactMap { $0 },
            inputs: options.inputs + options.readOnlyInputs + ([options.statePath] + policies).compactMap { $0 })
    } catch {
        printError("triage: error: \(error)")
        exit(ExitCode.usage)
    }
}

func fail(usage message: String) -> Never {
    printError("triage: error: \(message)\nRun 'triage --help' for usage.")
    exit(ExitCode.usage)
}

/// A minimal argument scanner: `--flag`, `--option VALUE`, `--option=VALUE` and positionals.
struct Arguments {
    private(set) var positionals: [String] = []
    private var options: [String: String] = [:]
    private var flags: Set<String> = []
    private var repeated: [String: [String]] = [:]

    /// - Parameters:
    ///   - valued: options that take a value.
    ///   - flags: options that take none.
    ///   - repeatable: valued options that may be given more than once (`--vary`), read with ``values(_:)``.
    init(
        _ args: [String], command: String, valued: [String], flags flagNames: [String], repeatable: [String] = []
    ) throws(UsageError) {
        let valued = valued + repeatable
        var i = 0
        while i < args.count {
            let a = args[i]
            if a == "--" {
                positionals += args[(i + 1)...]
                break
            }
            if a.hasPrefix("--") {
                var name = String(a.dropFirst(2))
                var value: String? = nil
                if let eq = name.firstIndex(of: "=") {
                    value = String(name[name.index(after: eq)...])
                    name = String(name[..<eq])
                }
                if valued.contains(name) {
                    if value == nil {
                        i += 1
                        guard i < args.count else { throw UsageError("option '--\(name)' needs a value") }
                        // `--rejects --quiet` would otherwise write rejects to a file named --quiet.
                        let next = args[i].dropFirst(2).prefix { $0 != "=" }
                        if args[i].hasPrefix("--"), valued.contains(String(next)) || flagNames.contains(String(next)) {
                            throw UsageError("option '--\(name)' needs a value: found the option '\(args[i])'")
                        }
                        value = args[i]
                    }
                    if repeatable.contains(name) {
                        repeated[name, default: []].append(value!)
                        i += 1
                        continue
                    }
                    // The second of two would silently win.
                    if options[name] != nil { throw UsageError("option '--\(name)' is given more than once") }
                    options[name] = value
                } else if flagNames.contains(name) {
                    if value != nil { throw UsageError("option '--\(name)' takes no value") }
                    flags.insert(name)
                } else {
                    var message = "unknown option '--\(name)' for '\(command)'"
                    if let s = closestName(to: name, among: valued + flagNames) { message += " (did you mean '--\(s)'?)" }
                    throw UsageError(message)
                }
            } else {
                positionals.append(a)
            }
            i += 1
        }
    }

    func value(_ name: String) -> String? { options[name] }
    func flag(_ name: String) -> Bool { flags.contains(name) }
    /// Every value of a repeatable option, in the order given.
    func values(_ name: String) -> [String] { repeated[name] ?? [] }
}

/// Refuses `--columns` when every input is JSON Lines (by `--input-format` or by extension): the map renames
/// a CSV header and would be ignored. (Standard input found to be JSON Lines is refused when it is read.)
func refuseColumnsForJSONLines(_ args: Arguments) {
    guard args.value("columns") != nil else { return }
    let declared = args.value("input-format").flatMap(InputFormat.init(rawValue:))
    let named = args.positionals.map { $0 == "-" ? nil : InputFormat(pathExtension: String($0.split(separator: ".").last ?? "")) }
    if declared == .jsonl || (declared == nil && !named.isEmpty && named.allSatisfy { $0 == .jsonl }) {
        fail(usage: "--columns renames the header of CSV input, but the input is JSON Lines: drop --columns")
    }
}

struct UsageError: Error {
    var message: String
    init(_ message: String) { self.message = message }
}

/// The policy to use: `--thresholds FILE`, else `./thresholds.yaml` if present, else the built-in default.
/// Says which on standard error; prints every problem and returns nil when the file is invalid.
func resolvePolicy(_ path: String?, quiet: Bool) -> Policy? {
    let chosen: String? = path ?? (access("thresholds.yaml", R_OK) == 0 ? "thresholds.yaml" : nil)
    guard let file = chosen else {
        if !quiet { printError("triage: using the built-in default policy") }
        return Policy.default
    }
    do {
        let policy = try Policy(contentsOfFile: file)
        if !quiet { printError("triage: using policy '\(policy.name)' from \(file)") }
        return policy
    } catch {
        // A file that cannot be read is one error at line 0: `triage: error: FILE: message`, as before.
        for err in error.errors {
            printError(err.location.line == 0 ? "triage: error: \(err.location.source): \(err.message)" : err.description)
        }
        return nil
    }
}
