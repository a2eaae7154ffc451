/// Append-only storage in chunks (65,536 entries by default) that are freed whole once every entry in
/// them is older than the window. Growing never moves what is stored, so the peak memory of a long run is
/// the window's worth, not that plus the old copy an array keeps while it moves into one twice the size;
/// and nothing is freed entry by entry.
struct ChunkedStore<Element: Sendable>: Sendable {
    private let shift: Int
    private let mask: Int
    private var chunks: [[Element]] = []
    /// The latest and the earliest time among each block's entries: a block is a sixteenth of a chunk, so
    /// that an entry is known to be before or after the cutoff without reading it (``surelyBefore(_:_:)``,
    /// ``surelyAtOrAfter(_:_:)``) far more often than a chunk's bounds would tell (a chunk's latest is its
    /// blocks' latest, for ``release(before:)``). Kept for every block ever stored: 16 bytes per 4,096 entries
    /// (about 13 KB for a national year).
    private var blockNewest: [Int64] = []
    private var blockOldest: [Int64] = []
    private let blockShift: Int
    /// Chunks before this one are freed.
    private var firstLive = 0
    /// Entries ever appended (the next entry's index).
    private(set) var count = 0

    init(chunkShift: Int = 16) {
        shift = chunkShift
        mask = (1 << chunkShift) - 1
        blockShift = max(chunkShift - 4, 0)
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
        }
        chunks[count >> shift].append(e)
        let b = count >> blockShift
        if b == blockNewest.count {
            blockNewest.append(time)
            blockOldest.append(time)
        } else {
            if time > blockNewest[b] { blockNewest[b] = time }
            if time < blockOldest[b] { blockOldest[b] = time }
        }
        count += 1
        // 2^31 entries is over a thousand years of national data; past it the index would not fit.
        precondition(count <= Int(Int32.max), "history store is full")
        return Int32(count - 1)
    }

    /// Whether entry `i`'s time is surely `cutoff` or later, known from its block alone (no read of the
    /// entry, which is likely not in cache): true when every entry of its block is that late.
    @inline(__always)
    func surelyAtOrAfter(_ i: Int32, _ cutoff: Int64) -> Bool { blockOldest[Int(i) >> blockShift] >= cutoff }

    /// Whether entry `i`'s time is surely before `cutoff`, known from its block alone (no read of the entry):
    /// true when every entry of its block is older.
    @inline(__always)
    func surelyBefore(_ i: Int32, _ cutoff: Int64) -> Bool { blockNewest[Int(i) >> blockShift] < cutoff }

    /// Frees the chunks, oldest first, whose entries are all older than `cutoff`. Only safe when no list
    /// still reaches such an entry: right after every list was pruned to `cutoff`.
    mutating func release(before cutoff: Int64) {
        // A chunk before the last is full: all its blocks are there.
        let blocks = 1 << (shift - blockShift)
        while firstLive < chunks.count - 1
            && blockNewest[(firstLive * blocks)..<((firstLive + 1) * blocks)].allSatisfy({ $0 < cutoff })
        {
            chunks[firstLive] = []
            firstLive += 1
        }
    }

    /// Entries held in chunks not yet freed (for memory reporting and tests).
    var held: Int { count - firstLive * (mask + 1) }
}
