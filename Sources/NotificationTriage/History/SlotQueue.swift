/// A first-in, first-out queue of table slots (the order in which incident ids are forgotten), kept in
/// chunks of 2^14 that are freed as soon as every slot in them is taken. Its memory follows what is queued:
/// an array whose spent front is dropped now and then holds up to twice that, and its doubling capacity up
/// to twice again (16 MiB rather than 5 for a national history).
struct SlotQueue: Sendable, Sequence {
    private static let chunkSize = 1 << 14
    /// The oldest chunk first; the front is `chunks[0][head]`.
    private var chunks: [[Int32]] = []
    private var head = 0
    private(set) var count = 0

    var first: Int32? { count == 0 ? nil : chunks[0][head] }
    /// The slot `k` places behind the front (0: the front), or nil when fewer are queued.
    func peek(_ k: Int) -> Int32? {
        guard k >= 0 && k < count else { return nil }
        let i = head + k
        return chunks[i / SlotQueue.chunkSize][i % SlotQueue.chunkSize]
    }

    /// Chunks held (for tests of its memory).
    var chunkCount: Int { chunks.count }

    mutating func append(_ slot: Int32) {
        if chunks.isEmpty || chunks[chunks.count - 1].count == SlotQueue.chunkSize {
            var chunk: [Int32] = []
            // A small run's queue stays small; a chunk once full is never grown.
            chunk.reserveCapacity(chunks.isEmpty ? 256 : SlotQueue.chunkSize)
            chunks.append(chunk)
        }
        chunks[chunks.count - 1].append(slot)
        count += 1
    }

    /// Takes the front slot (the queue must not be empty).
    @discardableResult
    mutating func removeFirst() -> Int32 {
        precondition(count > 0, "removeFirst from an empty queue")
        let slot = chunks[0][head]
        head += 1
        count -= 1
        if head == SlotQueue.chunkSize {
            chunks.removeFirst()
            head = 0
        }
        return slot
    }

    /// The queued slots, front first.
    struct Iterator: IteratorProtocol {
        let chunks: [[Int32]]
        var chunk = 0
        var index: Int

        mutating func next() -> Int32? {
            while chunk < chunks.count {
                if index < chunks[chunk].count {
                    defer { index += 1 }
                    return chunks[chunk][index]
                }
                chunk += 1
                index = 0
            }
            return nil
        }
    }

    func makeIterator() -> Iterator { Iterator(chunks: chunks, index: head) }
}
