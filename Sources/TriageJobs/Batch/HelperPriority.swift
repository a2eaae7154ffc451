#if canImport(Glibc)
    import Glibc
#endif

/// The helper threads of a run (reading ahead, writing behind) run below the screening thread, which is the
/// one stage that cannot be split and so sets the pace: where the run has more busy threads than the machine
/// has cores, the screening thread runs whenever it can, and the helpers take the time it leaves.
enum HelperPriority {
    /// The helpers' niceness (0 is the default; 19 the lowest priority).
    static let niceness: Int32 = 5

    /// Lowers the calling thread's priority to ``niceness`` (never raises it: a run started at a lower
    /// priority keeps it). On Linux a thread's niceness is its own, so the process's other threads keep
    /// theirs; elsewhere nothing is changed.
    static func lowerCurrentThread() {
        #if os(Linux)
            let which = __priority_which_t(PRIO_PROCESS.rawValue)
            if getpriority(which, 0) < niceness { _ = setpriority(which, 0, niceness) }
        #endif
    }
}
