import Foundation
import NotificationTriage
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// What SIGINT, SIGTERM and SIGHUP do to a run: the signals are blocked in every thread and waited for by
/// one of its own (no handler, so nothing runs in a signal context), which removes the run's temporary
/// and lock files, says in one line what was committed, and exits 128 + the signal. The old state and
/// outputs are untouched, unless the signal came during a commit: it then waits for the renames to end and
/// names the files committed.
///
/// A run reading a stream (standard input, a pipe) is stopped gracefully instead by the first SIGINT or
/// SIGTERM: it finishes the incident in hand, screens what it has read, flushes, commits its outputs and
/// saves its state as at the end of input, and exits as it would then. A second signal abandons it as above.
/// SIGHUP always abandons.
package enum Interruption {
    /// The graceful stop of the run reading a stream, while there is one.
    private static let streamStop = Mutex<GracefulStop?>(nil)

    /// Makes SIGINT and SIGTERM stop the run reading a stream gracefully, through `stop` (nil: abandon, as
    /// for a batch run).
    package static func stopGracefully(_ stop: GracefulStop?) {
        streamStop.withLock { $0 = stop }
    }

    static let signals: [(number: Int32, name: String)] = [(SIGINT, "SIGINT"), (SIGTERM, "SIGTERM"), (SIGHUP, "SIGHUP")]

    /// Call first thing in `main`, before any thread starts (threads inherit the blocked signals). A signal
    /// ignored when the process started (`nohup`) stays ignored.
    package static func install() {
        var set = sigset_t()
        sigemptyset(&set)
        for s in signals {
            var current = sigaction()
            sigaction(s.number, nil, &current)
            if unsafeBitCast(current.__sigaction_handler.sa_handler, to: Int.self) != 1 { sigaddset(&set, s.number) }  // 1: SIG_IGN
        }
        pthread_sigmask(SIG_BLOCK, &set, nil)
        let waited = set
        let t = Thread {
            var set = waited
            var number: Int32 = 0
            while true {
                guard sigwait(&set, &number) == 0 else { return }
                guard number != SIGHUP, let stop = streamStop.withLock({ $0 }), !stop.isRequested else { break }
                stop.request()
                let name = signals.first { $0.number == number }?.name ?? "signal \(number)"
                var line =
                    "triage: \(name): stopping: the input read so far is screened, outputs and state committed "
                    + "(send it again to abandon the run)\n"
                line.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
            }
            let committed = TemporaryFiles.shared.removeAllForExit()
            let name = signals.first { $0.number == number }?.name ?? "signal \(number)"
            let what = committed.isEmpty ? "nothing committed" : "committed \(committed.joined(separator: ", ")) before it"
            var line = "triage: interrupted by \(name): \(what), temporary files removed\n"
            line.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
            _exit(128 + number)
        }
        t.start()
    }
}
