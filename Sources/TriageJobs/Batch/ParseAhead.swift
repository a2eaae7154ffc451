import Foundation
import NotificationTriage

/// Reads and parses the inputs on a second thread, handing batches of records to the screening thread
/// through a small bounded queue: parsing runs ahead on the other core while the history stage stays
/// sequential and in input order. Memory is bounded by `depth` batches of `batchSize` records. Each
/// incident's history keys are worked out here too (``PreparedKeys``): they need only the incident.
final class ParseAhead: @unchecked Sendable {
    enum Item {
        case batch(RecordBatch)
        case failure(InputError)
        case end
    }

    private let queue: BoundedQueue<Item>
    private var thread: Thread?

    /// Starts reading `inputs` in order with `makeReader`. On a stream (standard input, a pipe), what has
    /// been read is handed over whenever the reader would wait for input, and at least every
    /// ``liveHandOver`` seconds while input trickles, so that each decision can leave as soon as its
    /// incident has arrived; `stop` ends the reading early, gracefully.
    init(
        inputs: [String], batchSize: Int = 2048, depth: Int = 4, stop: GracefulStop? = nil,
        makeReader: @escaping @Sendable (String) throws(InputError) -> IncidentInput
    ) {
        queue = BoundedQueue(depth: depth)
        let t = Thread { [self] in
            HelperPriority.lowerCurrentThread()
            // The first batches are small, so that screening starts early and a county-sized file keeps both
            // cores busy; they double up to `batchSize`, where the hand-over costs nothing per record.
            var size = min(128, batchSize)
            var batch = RecordBatch(capacity: size)
            // The batch's records, counted here: `batch.count`, read on the batch the closures below capture,
            // loaded a copy of the whole batch (every array retained and released) for each record.
            var inBatch = 0
            var cancelled = false
            var handedAt = ParseAhead.now()
            func handOver() {
                guard !batch.isEmpty, !cancelled else { return }
                if !self.put(.batch(batch)) { cancelled = true }
                size = min(size * 2, batchSize)
                batch = RecordBatch(capacity: size)
                inBatch = 0
                handedAt = ParseAhead.now()
            }
            do {
                reading: for input in inputs {
                    if stop?.isRequested == true { break }
                    var reader = try makeReader(input)
                    let live = reader.source.isLive
                    if live {
                        reader.source.onWait = { handOver() }
                        reader.source.stopDescriptor = stop?.descriptor ?? -1
                    }
                    defer { reader.source.onWait = nil }
                    while let r = try reader.next() {
                        batch.append(r, lines: reader.recordLines)
                        inBatch += 1
                        if inBatch == size || (live && ParseAhead.now() - handedAt >= ParseAhead.liveHandOver) {
                            handOver()
                            if cancelled { return }
                        }
                        if stop?.isRequested == true && !live {
                            batch.otherLines += reader.otherLines
                            break reading
                        }
                    }
                    batch.otherLines += reader.otherLines
                }
                handOver()
                if cancelled { return }
                _ = self.put(.end)
            } catch let e as InputError {
                _ = self.put(.failure(e))
            } catch {
                _ = self.put(.failure(InputError("\(error)", at: SourceLocation(source: "<input>", line: 0))))
            }
        }
        t.stackSize = 8 << 20
        thread = t
        t.start()
    }

    /// At most this long (seconds) between hand-overs while a stream trickles.
    static let liveHandOver = 0.1

    /// A monotonic clock in seconds.
    static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    private func put(_ item: Item) -> Bool { queue.put(item) }

    /// The next item, waiting for the reader when needed.
    func take() -> Item { queue.take() ?? .end }

    /// Stops the reader early (on an error in the consumer).
    func cancel() { queue.close(discard: true) }
}
