import Testing

@testable import NotificationTriage
@testable import TriageSynthesis

/// The queue of slots to forget behaves as an array used first in, first out, and holds chunks for what
/// is queued only (about 16,384 slots a chunk).
@Suite struct SlotQueueTests {
    @Test(arguments: [(1, 40), (2, 5_000), (3, 60_000)] as [(UInt64, Int)])
    func behavesAsAFirstInFirstOutArray(seed: UInt64, steady: Int) {
        var rng = SeededGenerator(seed: seed)
        var queue = SlotQueue()
        var model: [Int32] = []
        var front = 0
        for step in 0..<200_000 {
            let live = model.count - front
            if live < steady || Int.random(in: 0..<2, using: &rng) == 0 {
                queue.append(Int32(step))
                model.append(Int32(step))
            } else {
                #expect(queue.removeFirst() == model[front])
                front += 1
            }
            if step % 9_973 == 0 {
                #expect(queue.count == model.count - front)
                #expect(queue.first == (front < model.count ? model[front] : nil))
                // Any place in line, across chunk ends, as the model has it; nil past the end.
                let n = model.count - front
                for k in [0, 1, 2, n / 2, n - 1, n, n + 1, 16_383, 16_384, 40_000] where k >= 0 {
                    #expect(queue.peek(k) == (front + k < model.count ? model[front + k] : nil))
                }
                #expect(Array(queue) == Array(model[front...]))
                // Held chunks cover the queued slots, with at most one partly spent and one partly filled.
                #expect(queue.chunkCount <= (model.count - front) / 16_384 + 2)
            }
        }
        while front < model.count {
            #expect(queue.removeFirst() == model[front])
            front += 1
        }
        #expect(queue.count == 0 && queue.first == nil && Array(queue).isEmpty)
    }
}
