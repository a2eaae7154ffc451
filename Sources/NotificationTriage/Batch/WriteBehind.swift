import Foundation

/// Encodes and writes decisions on a second thread (the same core as the parse-ahead reader, which is
/// mostly idle), so that the screening thread only screens. Order is kept: one writer, one queue.
final class WriteBehind: @unchecked Sendable {
    enum Item {
        case decisions([Decision])
        case reject(Reject)
    }

    private let queue = BoundedQueue<Item>(depth: 4)
    private let done = DispatchSemaphore(value: 0)
    private var failure: OutputError?
    private var sink: DecisionSink
    private var stopped = false

    init(sink: DecisionSink) {
        self.sink = sink
        let t = Thread { [self] in
            while let item = queue.take() {
                guard failure == nil else { continue }
                do {
                    switch item {
                    case .decisions(let ds): for d in ds { try self.sink.write(d) }
                    case .reject(let r): try self.sink.reject(r)
                    }
                } catch {
                    failure = error as? OutputError ?? OutputError(path: "<output>", message: "\(error)")
                }
            }
            done.signal()
        }
        t.stackSize = 8 << 20
        t.start()
    }

    func write(_ decisions: [Decision]) throws(OutputError) {
        _ = queue.put(.decisions(decisions))
    }

    func reject(_ r: Reject) throws(OutputError) {
        _ = queue.put(.reject(r))
    }

    /// Waits for everything queued to be written, then commits the files.
    func finish() throws(OutputError) {
        queue.close()
        done.wait()
        stopped = true
        if let failure { throw failure }
        try sink.finish()
    }

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
