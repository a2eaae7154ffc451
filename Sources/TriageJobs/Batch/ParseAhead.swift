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

    /// Starts reading `inputs` in order with `makeReader`.
    init(
        inputs: [String], batchSize: Int = 2048, depth: Int = 4,
        makeReader: @escaping @Sendable (String) throws(InputError) -> IncidentInput
    ) {
        queue = BoundedQueue(depth: depth)
        let t = Thread { [self] in
            // The first batches are small, so that screening starts early and a county-sized file keeps both
            // cores busy; they double up to `batchSize`, where the hand-over costs nothing per record.
            var size = min(128, batchSize)
            var batch = RecordBatch(capacity: size)
            do {
                for input in inputs {
                    var reader = try makeReader(input)
                    while let r = try reader.next() {
                        batch.append(r, lines: reader.recordLines)
                        if batch.count == size {
                            guard self.put(.batch(batch)) else { return }
                            size = min(size * 2, batchSize)
                            batch = RecordBatch(capacity: size)
                        }
                    }
                    batch.otherLines += reader.otherLines
                }
                if !batch.isEmpty { guard self.put(.batch(batch)) else { return } }
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

    private func put(_ item: Item) -> Bool { queue.put(item) }

    /// The next item, waiting for the reader when needed.
    func take() -> Item { queue.take() ?? .end }

    /// Stops the reader early (on an error in the consumer).
    func cancel() { queue.close(discard: true) }
}
