import NotificationTriage

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A buffered writer to a file descriptor: standard output, or a file written under a temporary name
/// (see ``TemporaryFiles``) and renamed into place with the other files of its ``CommitGroup``, so that a
/// crash never leaves a half file that looks whole.
package final class OutputFile {
    let fd: Int32
    package let path: String
    let temporaryPath: String?
    package var buffer: [UInt8] = []
    let flushAt: Int
    private var stage = Stage.writing

    enum Stage { case writing, written, done }

    /// Standard output.
    package init(standardOutput: ()) {
        fd = 1
        path = "<stdout>"
        temporaryPath = nil
        flushAt = 1 << 20
        buffer.reserveCapacity(flushAt + (1 << 16))
    }

    /// A file written atomically: bytes go to a new temporary file beside `path` until it is committed.
    package init(atomicPath: String) throws(OutputError) {
        path = atomicPath
        (fd, temporaryPath) = try TemporaryFiles.shared.create(for: atomicPath)
        flushAt = 1 << 20
        buffer.reserveCapacity(flushAt + (1 << 16))
    }

    /// Writes the buffer out when it is large.
    @inline(__always)
    package func flushIfFull() throws(OutputError) {
        if buffer.count >= flushAt { try flush() }
    }

    package func write(_ s: String) throws(OutputError) {
        buffer.append(contentsOf: s.utf8)
        try flushIfFull()
    }

    package func flush() throws(OutputError) {
        var offset = 0
        while offset < buffer.count {
            let n = buffer.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 {
                if errno == EINTR { continue }
                throw OutputError(path: path, message: "write failed (\(errnoText()))")
            }
            offset += n
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Writes the buffer out, then writes `bytes` over the file at `offset` (a zip entry's checksum and size,
    /// known only once its data is written: see ``ZipWriter``). Only for a file written atomically, before it
    /// is finished: standard output cannot be written back.
    package func overwrite(at offset: Int, with bytes: [UInt8]) throws(OutputError) {
        try flush()
        precondition(temporaryPath != nil && stage == .writing, "only a temporary file being written can be patched")
        while true {
            let n = bytes.withUnsafeBytes { pwrite(fd, $0.baseAddress!, $0.count, off_t(offset)) }
            if n == bytes.count { return }
            if n < 0 && errno == EINTR { continue }
            throw OutputError(path: path, message: "write failed (\(n < 0 ? errnoText() : "short write"))")
        }
    }

    /// Flushes, syncs to disk and closes the temporary file (standard output is only flushed); the file
    /// keeps its temporary name until its group renames it.
    package func finishWriting() throws(OutputError) {
        try flush()
        guard temporaryPath != nil, stage == .writing else { return }
        if !syncedByGroup, fsync(fd) != 0 { throw OutputError(path: path, message: "fsync failed (\(errnoText()))") }
        stage = .written
        if close(fd) != 0 { throw OutputError(path: path, message: "close failed (\(errnoText()))") }
    }

    /// Synced with the others of its group by one file-system sync rather than by a sync of its own (a run
    /// writing thousands of small school packs would otherwise wait for each); see ``CommitGroup``.
    package var syncedByGroup = false

    /// Marks the file renamed into place.
    func renamed() { stage = .done }

    /// Writes, syncs and renames this file alone (see ``CommitGroup/commit()``).
    package func commit() throws(OutputError) { try CommitGroup([self]).commit() }

    /// Removes the temporary file without committing (on error).
    package func abandon() {
        guard let tmp = temporaryPath, stage != .done else { return }
        if stage == .writing { close(fd) }
        stage = .done
        TemporaryFiles.shared.remove(tmp)
    }
}
