import NotificationTriage

#if canImport(Glibc)
    import Glibc
#endif

/// The files of one run, committed together at its end: every file is first written out and synced, and
/// only then are they renamed into place, in order (a run's state last of all, so that a state never
/// records a run whose outputs are missing), and their directories synced. A failure before the first
/// rename commits nothing; a rename that fails part-way says exactly which files were committed.
/// An interruption waits for the renames to end (see ``TemporaryFiles``).
package struct CommitGroup {
    /// The files, in the order they are renamed.
    package var files: [OutputFile]

    package init(_ files: [OutputFile]) { self.files = files }

    /// A new output file at `path` (written under a temporary name), added to the group; nil for no path.
    package mutating func create(_ path: String?) throws(OutputError) -> OutputFile? {
        guard let path else { return nil }
        let f = try OutputFile(atomicPath: path)
        files.append(f)
        return f
    }

    /// Syncs every file, then renames them all. On failure every file not committed is removed.
    package func commit() throws(OutputError) {
        do {
            for f in files { try f.finishWriting() }
            // Files synced by the group (the school packs): one sync of everything written, before any rename.
            if files.contains(where: { $0.syncedByGroup && $0.temporaryPath != nil }) { sync() }
        } catch {
            abandon()
            throw error
        }
        let atomic = files.filter { $0.temporaryPath != nil }
        let (renamed, failure) = TemporaryFiles.shared.rename(atomic.map { ($0.temporaryPath!, $0.path) })
        for f in atomic.prefix(renamed) { f.renamed() }
        if let failure {
            abandon()
            let committed = atomic.prefix(renamed).map(\.path)
            let rest = atomic.dropFirst(renamed).map(\.path)
            throw OutputError(
                path: atomic[renamed].path,
                message: "cannot rename into place (\(String(cString: strerror(failure)))); "
                    + (committed.isEmpty ? "nothing committed" : "committed: " + committed.joined(separator: ", "))
                    + "; not committed: " + rest.joined(separator: ", "))
        }
        var synced: Set<String> = []
        for f in atomic where synced.insert(TemporaryFiles.split(f.path).directory).inserted {
            let dir = TemporaryFiles.split(f.path).directory
            let fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            guard fd >= 0 else { continue }
            // Some file systems cannot sync a directory (EINVAL); the renames are done either way.
            let ok = fsync(fd) == 0 || errno == EINVAL
            let text = errnoText()
            close(fd)
            if !ok {
                throw OutputError(
                    path: dir,
                    message: "cannot sync the directory (\(text)) after committing: " + atomic.map(\.path).joined(separator: ", "))
            }
        }
    }

    /// Removes every file not yet committed.
    package func abandon() {
        for f in files { f.abandon() }
    }
}
