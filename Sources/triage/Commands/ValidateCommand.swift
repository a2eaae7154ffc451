import NotificationTriage

#if canImport(Glibc)
    import Glibc
#endif

/// `triage validate`: checks a policy file and prints every problem with the line and a caret.
enum ValidateCommand: Command {
    static let name = "validate"
    static let summary = "check a policy file; --explain prints it in plain English"
    static let help = """
        USAGE: triage validate [FILE] [--explain]

        Checks a policy file (default ./thresholds.yaml, else the built-in policy) and prints every problem
        as file:line:col: message, with the line and a caret under the spot. Exit status 0 when valid,
        2 when not.

        OPTIONS:
          --explain     print the policy in plain English: calendar, history, destinations, one line per rule
        """

    static func run(_ arguments: [String]) -> Int32 {
        let args: Arguments
        do { args = try Arguments(arguments, command: name, valued: [], flags: ["explain"]) } catch {
            fail(usage: error.message)
        }
        guard args.positionals.count <= 1 else { fail(usage: "validate takes one policy file") }
        let path = args.positionals.first
        let policy: Policy
        var text = Policy.defaultText
        var file = "<default policy>"
        do {
            if let p = path ?? (access("thresholds.yaml", R_OK) == 0 ? "thresholds.yaml" : nil) {
                file = p
                guard let bytes = try readWholeFile(p) else {
                    printError("\(p): no such file")
                    return ExitCode.usage
                }
                text = String(decoding: bytes, as: UTF8.self)
            }
            policy = try Policy(yaml: text, source: file)
        } catch let e as PolicyErrors {
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            for err in e.errors {
                var out = "\(err.location): error: \(err.message)"
                let l = err.location.line
                if l >= 1 && l <= lines.count {
                    let gutter = String(l)
                    out += "\n \(gutter) | \(lines[l - 1])"
                    if err.location.column > 0 {
                        out +=
                            "\n \(String(repeating: " ", count: gutter.count)) | "
                            + String(repeating: " ", count: err.location.column - 1) + "^"
                    }
                }
                printError(out)
            }
            printError("\(file): \(e.errors.count) problem\(e.errors.count == 1 ? "" : "s")")
            return ExitCode.usage
        } catch {
            printError("triage: error: \(error)")
            return ExitCode.usage
        }
        if args.flag("explain") {
            print(policy.explanation, terminator: "")
        } else {
            print(
                "\(file): valid policy '\(policy.name)' (\(policy.ruleIDs.count) rules, \(policy.destinationIDs.count) destinations, hash \(policy.hash))"
            )
        }
        return ExitCode.ok
    }
}
