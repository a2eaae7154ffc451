import NotificationTriage
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// A request to stop reading a stream gracefully, made by SIGTERM or SIGINT while a run reads standard input
/// or another stream: the reader ends its input where it is (the incident in hand is finished), and the run
/// then screens what it has read, flushes, commits its outputs and saves its state as at a normal end. A wait
/// for input watches ``descriptor`` (see ``ByteSource/stopDescriptor``); between records the reader checks
/// ``isRequested``.
package final class GracefulStop: Sendable {
    /// Becomes readable when a stop is requested.
    let descriptor: Int32
    private let writeEnd: Int32
    private let requested = Atomic<Bool>(false)

    package init() {
        var fds: [Int32] = [-1, -1]
        if pipe(&fds) == 0 {
            _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
            _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
        }
        descriptor = fds[0]
        writeEnd = fds[1]
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
        if writeEnd >= 0 { close(writeEnd) }
    }

    /// Asks the reader to stop (safe from any thread; a second call does nothing more).
    package func request() {
        guard !requested.exchange(true, ordering: .sequentiallyConsistent) else { return }
        var byte: UInt8 = 1
        if writeEnd >= 0 { _ = write(writeEnd, &byte, 1) }
    }

    /// Whether a stop has been requested.
    package var isRequested: Bool { requested.load(ordering: .relaxed) }

    /// Whether `path` (`-` for standard input) is a stream: anything but a regular file (a pipe, a FIFO, a
    /// terminal, a socket), whose reading may wait for input not yet written.
    package static func isStream(_ path: String) -> Bool {
        var st = stat()
        let ok = path == "-" ? fstat(0, &st) == 0 : stat(path, &st) == 0
        return ok && (st.st_mode & S_IFMT) != S_IFREG
    }
}
