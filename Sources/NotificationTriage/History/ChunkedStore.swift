/// Append-only storage in chunks (65,536 entries by default) that are freed whole once every entry in
/// them is older than the window. Growing never moves what is stored, so the peak memory of a long run is
/// the window's worth, not that plus the old copy an array keeps while it moves into one twice the size;
/// and nothing is freed entry by entry.
struct ChunkedStore<Element: Sendable>: Sendable {
    private let shift: Int
    private let mask: Int
    private var chunks: [[Element]] = []
    /// The latest and the earliest time among each chunk's entries.
    private var newest: [Int64] = []
    private var oldest: [Int64] = []
    /// Chunks before this one are freed.
    private var firstLive = 0
    /// Entries ever appended (the next entry's index).
    private(set) var count = 0

    init(chunkShift: Int = 16) {
        shift = chunkShift
        mask = (1 << chunkShift) - 1
    }

    @inline(__always)
    subscript(i: Int32) -> Element {
        get { chunks[Int(i) >> shift][Int(i) & mask] }
        set { chunks[Int(i) >> shift][Int(i) & mask] = newValue }
    }

    /// Whether entry `i` was appended and its chunk is not freed yet.
    func holds(_ i: Int32) -> Bool { i >= 0 && Int(i) < count && Int(i) >> shift >= firstLive }

    /// Stores an entry of time `time`; returns its index.
    @inline(__always)
    mutating func append(_ e: Element, time: Int64) -> Int32 {
        if count & mask == 0 {
            var chunk: [Element] = []
            // The first chunk grows as an array does (a county needs little); later ones are made whole.
            if !chunks.isEmpty { chunk.reserveCapacity(mask + 1) }
            chunks.append(chunk)
            newest.append(.min)
            oldest.append(.max)
        }
        let c = count >> shift
        chunks[c].append(e)
        if time > newest[c] { newest[c] = time }
        if time < oldest[c] { oldest[c] = time }
        count += 1
        // 2^31 entries is over a thousand years of national data; past it the index would not fit.
        precondition(count <= Int(Int32.max), "history store is full")
        return Int32(count - 1)
    }

    /// Whether entry `i`'s time is surely `cutoff` or later, known from its chunk alone (no read of the
    /// entry, which is likely not in cache): true when every entry of its chunk is that late.
    @inline(__always)
    func surelyAtOrAfter(_ i: Int32, _ cutoff: Int64) -> Bool { oldest[Int(i) >> shift] >= cutoff }

    /// Frees the chunks, oldest first, whose entries are all older than `cutoff`. Only safe when no list
    /// still reaches such an entry: right after every list was pruned to `cutoff`.
    mutating func release(before cutoff: Int64) {
        while firstLive < chunks.count - 1 && newest[firstLive] < cutoff {
            chunks[firstLive] = []
            firstLive += 1
        }
    }

    /// Entries held in chunks not yet freed (for memory reporting and tests).
    var held: Int { count - firstLive * (mask + 1) }
}
