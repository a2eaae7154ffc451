import Foundation
import NotificationTriage

/// A small blocking queue between two threads, bounded so that a fast producer cannot run ahead of a slow
/// consumer by more than `depth` items (memory stays bounded).
final class BoundedQueue<Item>: @unchecked Sendable {
    private let condition = NSCondition()
    private var items: [Item] = []
    private var closed = false
    private let depth: Int

    init(depth: Int) { self.depth = depth }

    /// Adds an item, waiting while the queue is full; false when the other side has closed it.
    func put(_ item: Item) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while items.count >= depth && !closed { condition.wait() }
        if closed { return false }
        items.append(item)
        condition.broadcast()
        return true
    }

    /// The next item, waiting when empty; nil once closed and drained.
    func take() -> Item? { take(idle: {}) }

    /// ``take()``, but when nothing is queued `idle` is called first (outside the lock), before waiting: the
    /// consumer's moment to flush what it holds, since nothing more is coming yet.
    func take(idle: () -> Void) -> Item? {
        condition.lock()
        if items.isEmpty && !closed {
            condition.unlock()
            idle()
            condition.lock()
        }
        defer { condition.unlock() }
        while items.isEmpty && !closed { condition.wait() }
        if items.isEmpty { return nil }
        let item = items.removeFirst()
        condition.broadcast()
        return item
    }

    /// Closes the queue: producers stop, consumers drain what is left (or nothing, with `discard`).
    func close(discard: Bool = false) {
        condition.lock()
        closed = true
        if discard { items.removeAll() }
        condition.broadcast()
        condition.unlock()
    }
}
