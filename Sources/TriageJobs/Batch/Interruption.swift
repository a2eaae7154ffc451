import Foundation
import NotificationTriage

#if canImport(Glibc)
    import Glibc
#endif

/// What SIGINT, SIGTERM and SIGHUP do to a run: the signals are blocked in every thread and waited for by
/// one of its own (no handler, so nothing runs in a signal context), which removes the run's temporary
/// and lock files, says in one line what was committed, and exits 128 + the signal. The old state and
/// outputs are untouched, unless the signal came during a commit: it then waits for the renames to end and
/// names the files committed.
package enum Interruption {
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
            guard sigwait(&set, &number) == 0 else { return }
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
