import NotificationTriage
import TriageJobs

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
        as file:line:col: message, with the line and a caret under the spot (the line only when it reads as
        policy YAML, never a line of a data file, and at most 120 bytes of it). A valid policy is followed
        by how far its calendar reaches (bank holidays and school closures: first and last day, how many,
        and the file they came from). Exit status 0 when valid, 2 when not.

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
            // The line is shown only when it reads as policy YAML (never a data file's record), at most
            // PolicySourceExcerpt.maxBytes of it: see PolicySourceExcerpt.
            let excerpt = PolicySourceExcerpt(text: text)
            for err in e.errors {
                var out = "\(err.location): error: \(err.message)"
                let l = err.location.line
                // An error in a calendar file points at that file, not at a line of the policy text.
                if err.location.column > 0, err.location.source == file, let shown = excerpt.line(l, column: err.location.column) {
                    let gutter = String(l)
                    out += "\n \(gutter) | \(shown.text)"
                    // Pad by characters, not bytes, so the caret sits under the spot.
                    let pad = String(decoding: shown.text.utf8.prefix(max(0, shown.caretColumn - 1)), as: UTF8.self).count
                    out += "\n \(String(repeating: " ", count: gutter.count)) | " + String(repeating: " ", count: pad) + "^"
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
            // How far the calendar reaches: a deadline past the bank holidays known is warned about.
            for line in policy.calendar.reach { print("  \(line)") }
        }
        return ExitCode.ok
    }
}
