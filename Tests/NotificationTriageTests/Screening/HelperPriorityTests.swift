import Foundation
import Testing

@testable import TriageJobs

#if canImport(Glibc)
    import Glibc
#endif

/// The reading and writing threads run below the screening thread: lowering a helper's priority changes that
/// thread alone, and never raises one already lower.
@Suite struct HelperPriorityTests {
    final class Seen: @unchecked Sendable {
        var before: Int32 = 0
        var after: Int32 = 0
        var again: Int32 = 0
    }

    @Test func aHelperIsLoweredAndTheOtherThreadsAreNot() {
        #if os(Linux)
            let which = __priority_which_t(PRIO_PROCESS.rawValue)
            let mine = getpriority(which, 0)
            let seen = Seen()
            let done = DispatchSemaphore(value: 0)
            let t = Thread {
                seen.before = getpriority(which, 0)
                HelperPriority.lowerCurrentThread()
                seen.after = getpriority(which, 0)
                // Lower still (as a run started with `nice` would be): a second call leaves it there.
                _ = setpriority(which, 0, HelperPriority.niceness + 3)
                HelperPriority.lowerCurrentThread()
                seen.again = getpriority(which, 0)
                done.signal()
            }
            t.start()
            done.wait()
            #expect(seen.after == max(seen.before, HelperPriority.niceness))
            #expect(seen.again == HelperPriority.niceness + 3)
            // This thread (the one that screens, in a run) keeps its priority.
            #expect(getpriority(which, 0) == mine)
        #endif
    }
}
