import NotificationTriage

/// The files of a screening run besides its decisions, set up before anything is read: outputs that are
/// inputs are refused; the locks on `--state` and `--out` are taken; the state is read; and the state's
/// the summary's and the report's temporary files are created, so that a bad path fails now, not after
/// screening, and before `--out` is touched. At the end every file is committed in one ``CommitGroup``: the
/// outputs, then the report and the summary, then the state.
final class JobFiles {
    private var locks: [LockFile] = []
    private var history: History?
    private var state: OutputFile?
    private var summary: OutputFile?
    private var report: OutputFile?

    init(policy: Policy, options: ScreenOptions) throws(JobError) {
        var outputs = [options.outputPath, options.statePath, options.rejectsPath, options.summaryPath, options.reportPath]
            .compactMap { $0 }
        if let dir = options.outDir { outputs += DecisionSink.fileNames(policy: policy, options: options).map { dir + "/" + $0 } }
        do {
            try OutputPaths.refuseOverlaps(outputs: outputs, inputs: options.inputs + options.readOnlyInputs)
        } catch { throw JobError(error.description, usage: true) }
        do {
            if let path = options.statePath {
                locks.append(try LockFile(path: path + ".lock", guarding: path, wait: options.waitLock))
                if let bytes = try readWholeFile(path) { history = try History(state: bytes, source: path, policy: policy) }
                state = try OutputFile(atomicPath: path)
            }
            if let path = options.summaryPath { summary = try OutputFile(atomicPath: path) }
            if let path = options.reportPath { report = try OutputFile(atomicPath: path) }
            if let dir = options.outDir {
                try OutputPaths.makeDirectory(dir)
                locks.append(try LockFile(path: dir + "/.lock", guarding: dir, wait: options.waitLock))
            }
        } catch {
            release()
            switch error {
            case let e as OutputError: throw JobError(e.description)
            case let e as StateError: throw JobError(e.description)
            case let e as LockError: throw JobError(e.description)
            default: throw JobError("\(error)")
            }
        }
    }

    /// The history loaded from `--state`, if any, handed over (not kept here: it is large, and a second
    /// reference would make the screener copy it on its first change).
    func takeHistory() -> History? {
        defer { history = nil }
        return history
    }

    /// Commits `outputs`, then the report and the summary, then the state (see ``CommitGroup``).
    func commit(_ outputs: [OutputFile], summary json: String, report html: String?, state bytes: () -> [UInt8]) throws(OutputError) {
        summary?.buffer = Array(json.utf8)
        if let html { report?.buffer = Array(html.utf8) }
        state?.buffer = bytes()
        try CommitGroup(outputs + [report, summary, state].compactMap { $0 }).commit()
    }

    /// Removes the temporary files not committed and releases the locks (last).
    func release() {
        summary?.abandon()
        report?.abandon()
        state?.abandon()
        for l in locks.reversed() { l.release() }
        locks = []
    }
}
