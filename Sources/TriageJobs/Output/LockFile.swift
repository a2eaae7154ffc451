import Foundation
import NotificationTriage

#if canImport(Glibc)
    import Glibc
#endif

/// Another run holds a lock, or a lock file cannot be made.
package struct LockError: Error, Sendable, CustomStringConvertible {
    /// The whole message.
    package var description: String
}

/// An exclusive lock on what a run writes (its `--state`, its `--out` directory), held for the whole run
/// so that two runs never interleave: `flock` on a lock file (`STATE.lock`, `DIR/.lock`) holding the
/// holder's pid. The file is removed when the lock is released (and on an interruption); a waiter that
/// locked a removed file sees that the path no longer names it and tries again.
package final class LockFile {
    let path: String
    private let fd: Int32
    private var released = false

    /// Locks `path`, on behalf of `guarded` (named in messages), polling every 50 ms for up to `wait`
    /// seconds while another process holds it.
    package init(path: String, guarding guarded: String, wait: Double) throws(LockError) {
        self.path = path
        let deadline = Date().addingTimeInterval(wait)
        while true {
            let fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o600)
            guard fd >= 0 else { throw LockError(description: "\(guarded): cannot create the lock file \(path) (\(errnoText()))") }
            _ = fchmod(fd, 0o600)  // whatever the umask, so that a waiting run can open it too
            var held = stat()
            guard fstat(fd, &held) == 0, held.st_mode & S_IFMT == S_IFREG, held.st_nlink == 1 else {
                close(fd)
                throw LockError(description: "\(guarded): the lock file \(path) is not a plain file: refusing to use it")
            }
            if flock(fd, LOCK_EX | LOCK_NB) == 0 {
                var named = stat()
                if stat(path, &named) == 0 && named.st_dev == held.st_dev && named.st_ino == held.st_ino {
                    let pid = Array("\(getpid())\n".utf8)
                    _ = ftruncate(fd, 0)
                    _ = pid.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
                    TemporaryFiles.shared.track(path)
                    self.fd = fd
                    return
                }
                close(fd)  // the holder removed it between our open and lock: try the file now there
                continue
            }
            let busy = errno == EWOULDBLOCK
            let text = errnoText()
            var bytes = [UInt8](repeating: 0, count: 24)
            let n = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
            close(fd)
            guard busy else { throw LockError(description: "\(guarded): cannot lock \(path) (\(text))") }
            if Date() >= deadline {
                let holder = n > 0 ? Int(String(decoding: bytes[..<n], as: UTF8.self).split(separator: "\n").first ?? "") : nil
                throw LockError(
                    description: "another triage run holds the lock on \(guarded) (pid \(holder.map(String.init) ?? "unknown"))"
                        + (wait > 0 ? " after waiting \(wait) s" : "; --wait-lock SECONDS waits for it"))
            }
            usleep(50_000)
        }
    }

    /// Removes the lock file and releases the lock.
    package func release() {
        guard !released else { return }
        released = true
        TemporaryFiles.shared.remove(path)
        close(fd)
    }
}
