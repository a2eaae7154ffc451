/// A growable run of plain values in memory of its own, for the hot loops that write one element at a time
/// (the CSV scanner's field spans) or a block at a time (a CSV group's first row): an append is a capacity
/// test and a store, where an `Array` element write also tests its buffer for uniqueness and its bounds,
/// about 30 instructions per CSV field.
///
/// - Warning: A reference type with no copy-on-write: every copy of a value holding it shares the same
///   elements. Hold it in one owner only, and read `elements(count:)` only until the next `append`.
final class GrowableBuffer<Element: BitwiseCopyable> {
    private var base: UnsafeMutablePointer<Element>
    /// How many elements fit before the next growth.
    private(set) var capacity: Int

    init(capacity: Int) {
        self.capacity = max(capacity, 1)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    /// Stores `element` at `index` (at most the number of elements stored so far), growing when needed.
    @inline(__always)
    func store(_ element: Element, at index: Int) {
        if _slowPath(index >= capacity) { grow(to: index + 1, keeping: index) }
        base[index] = element
    }

    /// The elements' memory, with room for at least `needed` of them (growing, keeping the first `count`,
    /// when needed): for a loop that stores through the pointer, up to ``capacity``, until it next grows.
    @inline(__always)
    func room(for needed: Int, keeping count: Int) -> UnsafeMutablePointer<Element> {
        if _slowPath(needed > capacity) { grow(to: needed, keeping: count) }
        return base
    }

    /// Makes the first `source.count` elements those of `source` (one block copy), growing when needed.
    @inline(__always)
    func replace(with source: UnsafeBufferPointer<Element>) {
        if _slowPath(source.count > capacity) { grow(to: source.count, keeping: 0) }
        guard let from = source.baseAddress else { return }
        base.update(from: from, count: source.count)
    }

    /// The first `count` elements (all stored by `store`).
    @inline(__always)
    func elements(count: Int) -> UnsafeMutableBufferPointer<Element> {
        UnsafeMutableBufferPointer(start: base, count: count)
    }

    /// Doubles the room until `needed` elements fit, keeping the first `count`.
    private func grow(to needed: Int, keeping count: Int) {
        var newCapacity = capacity
        while newCapacity < needed { newCapacity *= 2 }
        let bigger = UnsafeMutablePointer<Element>.allocate(capacity: newCapacity)
        bigger.initialize(from: base, count: count)
        base.deallocate()
        base = bigger
        capacity = newCapacity
    }
}
