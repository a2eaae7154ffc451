import Foundation
import NotificationTriage

#if canImport(Glibc)
    import Glibc
#endif

/// The temporary files (and lock files) this process has made and not yet renamed into place or removed,
/// so that an interruption can remove every one of them, and a commit group can rename its files without
/// an interruption cutting in half-way (both take the same lock).
///
/// A temporary file is named `.NAME.tmp-PID-RANDOM` in its destination's directory: unpredictable (64 bits
/// from the system's random source), created with `O_CREAT|O_EXCL|O_NOFOLLOW` so that nothing planted at
/// the name is ever followed or reused, and carrying the pid so that a later run can tell a dead run's
/// leftovers (which it removes) from a live one's.
package final class TemporaryFiles: @unchecked Sendable {
    /// The process's registry.
    package static let shared = TemporaryFiles()

    private let lock = NSLock()
    /// Paths to remove on an interruption.
    private var live: Set<String> = []  // a set: a run with thousands of school packs renames each once
    /// Destinations renamed into place so far, in order.
    private var committed: [String] = []
    /// Directories already cleared of stale temporary files.
    private var swept: Set<String> = []

    /// Creates a temporary file for `destination`, mode 0600 (or the mode of the file it will replace,
    /// whatever the umask), and returns its descriptor and path. `randomPart` fixes the name (for tests).
    package func create(for destination: String, randomPart: String? = nil) throws(OutputError) -> (fd: Int32, path: String) {
        let (dir, base) = TemporaryFiles.split(destination)
        var mode: mode_t = 0o600
        var st = stat()
        if stat(destination, &st) == 0 {
            if st.st_mode & S_IFMT == S_IFDIR { throw OutputError(path: destination, message: "is a directory: expected a file name") }
            mode = st.st_mode & 0o777
        }
        lock.lock()
        defer { lock.unlock() }
        if swept.insert(dir).inserted { TemporaryFiles.removeStale(in: dir) }
        for _ in 0..<8 {
            let path = "\(dir)/.\(base).tmp-\(getpid())-\(randomPart ?? TemporaryFiles.randomHex())"
            let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
            if fd < 0 {
                if errno == EEXIST && randomPart == nil { continue }
                throw OutputError(path: destination, message: "cannot create a temporary file beside it (\(errnoText()))")
            }
            if fchmod(fd, mode) != 0 {
                let text = errnoText()
                close(fd)
                unlink(path)
                throw OutputError(path: destination, message: "cannot set the temporary file's mode (\(text))")
            }
            live.insert(path)
            return (fd, path)
        }
        throw OutputError(path: destination, message: "cannot create a temporary file beside it (every name tried exists)")
    }

    /// Adds a path (a lock file) to remove on an interruption.
    package func track(_ path: String) {
        lock.lock()
        live.insert(path)
        lock.unlock()
    }

    /// Removes a tracked path (a temporary file given up, or a lock file released).
    package func remove(_ path: String) {
        lock.lock()
        unlink(path)
        live.remove(path)
        lock.unlock()
    }

    /// Renames each temporary file to its destination in order, stopping at the first failure; returns how
    /// many were renamed and the failure's `errno`. An interruption waits until this returns.
    package func rename(_ pairs: [(temporary: String, destination: String)]) -> (renamed: Int, failure: Int32?) {
        lock.lock()
        defer { lock.unlock() }
        for (i, p) in pairs.enumerated() {
            if Glibc.rename(p.temporary, p.destination) != 0 { return (i, errno) }
            live.remove(p.temporary)
            committed.append(p.destination)
        }
        return (pairs.count, nil)
    }

    /// On an interruption: removes every tracked file and returns the destinations committed so far. Keeps
    /// the lock, so that nothing is created or renamed after it (the process is about to exit).
    package func removeAllForExit() -> [String] {
        lock.lock()
        for p in live { unlink(p) }
        live.removeAll()
        return committed
    }

    /// The directory (`.` when none is given) and the last component of a path.
    static func split(_ path: String) -> (directory: String, name: String) {
        guard let slash = path.lastIndex(of: "/") else { return (".", path) }
        let dir = String(path[..<slash])
        return (dir.isEmpty ? "/" : dir, String(path[path.index(after: slash)...]))
    }

    static func randomHex() -> String {
        var g = SystemRandomNumberGenerator()
        let hex = String(g.next() as UInt64, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// The pid in a temporary file's name (`.NAME.tmp-PID-` and 16 hex digits), or nil for any other name.
    static func pid(inTemporaryName name: String) -> pid_t? {
        let b = Array(name.utf8)
        guard b.count > 22, b.first == UInt8(ascii: "."), b[b.count - 17] == UInt8(ascii: "-") else { return nil }
        guard b[(b.count - 16)...].allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }) else { return nil }
        var start = b.count - 17
        while start > 0 && (0x30...0x39).contains(b[start - 1]) { start -= 1 }
        guard start < b.count - 17, start >= 6, Array(b[(start - 5)..<start]) == Array(".tmp-".utf8) else { return nil }
        return pid_t(String(decoding: b[start..<(b.count - 17)], as: UTF8.self))
    }

    /// Removes the temporary files of processes no longer alive from `dir` (regular files only).
    static func removeStale(in dir: String) {
        guard let d = opendir(dir) else { return }
        defer { closedir(d) }
        while let entry = readdir(d) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            guard let pid = pid(inTemporaryName: name), pid > 0, pid != getpid() else { continue }
            guard kill(pid, 0) != 0 && errno == ESRCH else { continue }
            let path = dir + "/" + name
            var st = stat()
            if lstat(path, &st) == 0 && st.st_mode & S_IFMT == S_IFREG { unlink(path) }
        }
    }
}

/// The text of the current `errno`.
