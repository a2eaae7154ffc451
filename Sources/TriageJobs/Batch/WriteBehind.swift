import Foundation
import NotificationTriage

/// Encodes and writes decisions on a second thread (the same core as the parse-ahead reader, which is
/// mostly idle), so that the screening thread only screens. Order is kept: one writer, one queue.
final class WriteBehind: @unchecked Sendable {
    enum Item {
        /// A batch, and with `--out` what its decision lines worded (see ``DecisionSink/write(_:worded:)``).
        case decisions([Decision], WordedBatch?)
        case reject(Reject)
    }

    private let queue = BoundedQueue<Item>(depth: 4)
    private let done = DispatchSemaphore(value: 0)
    private var failure: OutputError?
    private var sink: DecisionSink
    private var stopped = false
    /// The writer each batch goes on to once this one has written it (the destinations' files after the
    /// decisions), so that each writing thread has a batch to itself while it writes it.
    private let next: WriteBehind?

    init(sink: DecisionSink, next: WriteBehind? = nil) {
        self.sink = sink
        self.next = next
        let t = Thread { [self] in
            HelperPriority.lowerCurrentThread()
            // Whenever nothing is queued, what is written so far goes out (a live stream's decisions leave as
            // soon as they are made); while batches queue up, writes stay large.
            while let item = queue.take(idle: { self.flushIdle() }) {
                // Consumed, so that the batch is not shared with `item` while written.
                switch consume item {
                case .decisions(var ds, var worded):
                    if failure == nil {
                        do throws(OutputError) { try self.sink.write(&ds, worded: &worded) } catch { failure = error }
                    }
                    if let next { _ = next.queue.put(.decisions(ds, worded)) }
                case .reject(let r):
                    if failure == nil {
                        do throws(OutputError) { try self.sink.reject(r) } catch { failure = error }
                    }
                }
            }
            done.signal()
        }
        t.stackSize = 8 << 20
        t.start()
    }

    func write(_ decisions: consuming [Decision]) throws(OutputError) {
        _ = queue.put(.decisions(decisions, nil))
    }

    /// On the writing thread, with nothing queued: writes out every buffered byte (not committed: files keep
    /// their temporary names until the run ends).
    private func flushIdle() {
        guard failure == nil else { return }
        do { try sink.flush() } catch { failure = error }
    }

    func reject(_ r: Reject) throws(OutputError) {
        _ = queue.put(.reject(r))
    }

    /// Waits for everything queued to be written (the files are not committed yet).
    func drain() throws(OutputError) {
        queue.close()
        done.wait()
        stopped = true
        if let failure { throw failure }
    }

    /// The files, written out, to be committed (once drained).
    func files() throws(OutputError) -> [OutputFile] { try sink.finish() }

    /// With `--school-contacts`: the schools whose pack has no contact (after ``files()``).
    var schoolsWithoutContact: [String]? { sink.schoolsWithoutContact }

    /// The decisions written, counted (once drained; see ``DecisionSink/tally``).
    var tally: ScreenSummary? { sink.tally }

    /// After the commit: removes an earlier run's packs for schools not in this one.
    func afterCommit() { sink.packs?.removeStale() }

    /// Stops and removes temporary files.
    func abandon() {
        if !stopped {
            queue.close(discard: true)
            done.wait()
            stopped = true
        }
        sink.abandon()
    }
}

/// The writing threads of a run: one for the decisions (standard output, or `decisions.jsonl` and the
/// rejects), and with `--out DIR` a second for the destinations' files, so that the extra encoding and
/// writing of `--out` has a core's share of its own rather than queuing behind the decisions. Each batch
/// goes to the first and then on to the second (never to both at once), so that each reads it without
/// copying it; each file is written by one of them, in input order.
final class OutputThreads {
    private let primary: WriteBehind
    private let destinations: WriteBehind?

    init(policy: Policy, options: ScreenOptions, stdout: OutputFile) throws(OutputError) {
        if options.outDir != nil {
            let decisionsSink = try DecisionSink(policy: policy, options: options, stdout: stdout, part: .decisions)
            let destinationsSink: DecisionSink
            do {
                destinationsSink = try DecisionSink(policy: policy, options: options, stdout: stdout, part: .destinations)
            } catch {
                decisionsSink.abandon()
                throw error
            }
            let destinations = WriteBehind(sink: destinationsSink)
            primary = WriteBehind(sink: decisionsSink, next: destinations)
            self.destinations = destinations
        } else {
            primary = WriteBehind(sink: try DecisionSink(policy: policy, options: options, stdout: stdout))
            destinations = nil
        }
    }

    /// Hands a batch to the writing threads (the caller keeps no copy).
    func write(_ decisions: consuming [Decision]) throws(OutputError) {
        try primary.write(decisions)
    }

    func reject(_ r: Reject) throws(OutputError) { try primary.reject(r) }

    /// Waits for both to finish writing and returns every file, in the order they are to be committed (the
    /// caller commits them with the run's other files, or abandons them when either thread failed).
    func finish() throws(OutputError) -> [OutputFile] {
        try primary.drain()
        try destinations?.drain()
        return try primary.files() + (destinations?.files() ?? [])
    }

    func abandon() {
        primary.abandon()
        destinations?.abandon()
    }

    /// With `--school-contacts`: the schools whose pack has no contact (after ``finish()``).
    var schoolsWithoutContact: [String]? { destinations?.schoolsWithoutContact ?? primary.schoolsWithoutContact }

    /// Every decision written, counted on the decisions' thread (after ``finish()``).
    var tally: ScreenSummary? { primary.tally }

    /// After the commit (see ``WriteBehind/afterCommit()``).
    func afterCommit() {
        primary.afterCommit()
        destinations?.afterCommit()
    }
}
