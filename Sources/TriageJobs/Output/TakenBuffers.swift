import NotificationTriage

/// Output files' buffers taken out of their files for one batch, and given back after it.
///
/// An ``OutputFile`` is a class, so every use of its stored buffer is checked for exclusive access at run
/// time (two or three checks per route written to a destination's file, each a call into the runtime); an
/// array held in a struct is checked by the compiler. A file whose buffer is taken must not be used until
/// it is given back: the sink takes them at the start of a batch and gives them back at its end (and on
/// a failure), before any flush, finish or abandon reads them.
struct TakenBuffers {
    private var files: [OutputFile] = []
    /// The taken buffers, by the index each file had in ``take(_:)``.
    var buffers: [[UInt8]] = []

    /// Whether buffers are taken (between ``take(_:)`` and ``giveBack()``).
    private(set) var isTaken = false

    /// Takes the buffers of `files`: `buffers[i]` is `files[i]`'s.
    mutating func take(_ files: [OutputFile]) {
        precondition(!isTaken, "buffers taken twice")
        isTaken = true
        self.files = files
        buffers = Array(repeating: [], count: files.count)
        for i in files.indices { swap(&buffers[i], &files[i].buffer) }
    }

    /// Writes buffer `i` to its file when it is large (as ``OutputFile/flushIfFull()``).
    @inline(__always)
    mutating func flushIfFull(_ i: Int) throws(OutputError) {
        if buffers[i].count >= files[i].flushAt { try flush(i) }
    }

    private mutating func flush(_ i: Int) throws(OutputError) {
        swap(&buffers[i], &files[i].buffer)
        defer { swap(&buffers[i], &files[i].buffer) }
        try files[i].flush()
    }

    /// Puts every buffer back in its file.
    mutating func giveBack() {
        for i in files.indices { swap(&buffers[i], &files[i].buffer) }
        files = []
        buffers = []
        isTaken = false
    }
}
