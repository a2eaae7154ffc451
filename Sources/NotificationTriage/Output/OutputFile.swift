#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A problem writing an output or state file.
public struct OutputError: Error, Sendable, CustomStringConvertible {
    /// The file concerned.
    public var path: String
    /// What failed.
    public var message: String
    /// `path: message`.
    public var description: String { "\(path): \(message)" }
}

/// A buffered writer to a file descriptor (standard output, or a file written under a temporary name and
/// renamed into place by ``commit()`` so that a crash never leaves a half file that looks whole).
package final class OutputFile {
    let fd: Int32
    let path: String
    let temporaryPath: String?
    package var buffer: [UInt8] = []
    let flushAt: Int
    private var closed = false

    /// Standard output.
    package init(standardOutput: ()) {
        fd = 1
        path = "<stdout>"
        temporaryPath = nil
        flushAt = 1 << 20
        buffer.reserveCapacity(flushAt + (1 << 16))
    }

    /// A file written atomically: bytes go to `path.tmp-PID` until ``commit()`` renames it to `path`.
    package init(atomicPath: String) throws(OutputError) {
        path = atomicPath
        let tmp = atomicPath + ".tmp-\(getpid())"
        temporaryPath = tmp
        fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        flushAt = 1 << 20
        if fd < 0 { throw OutputError(path: atomicPath, message: "cannot create (\(String(cString: strerror(errno))))") }
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
                throw OutputError(path: path, message: "write failed (\(String(cString: strerror(errno))))")
            }
            offset += n
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes, syncs to disk and renames the temporary file into place.
    package func commit() throws(OutputError) {
        try flush()
        guard let tmp = temporaryPath, !closed else { return }
        closed = true
        if fsync(fd) != 0 { throw OutputError(path: path, message: "fsync failed (\(String(cString: strerror(errno))))") }
        close(fd)
        if rename(tmp, path) != 0 {
            throw OutputError(path: path, message: "cannot rename into place (\(String(cString: strerror(errno))))")
        }
    }

    /// Removes the temporary file without committing (on error).
    package func abandon() {
        guard let tmp = temporaryPath, !closed else { return }
        closed = true
        close(fd)
        unlink(tmp)
    }
}

/// Writes `bytes` to `path` atomically (temporary file, fsync, rename).
package func writeFileAtomically(_ bytes: [UInt8], to path: String) throws(OutputError) {
    let f = try OutputFile(atomicPath: path)
    f.buffer = bytes
    do { try f.commit() } catch {
        f.abandon()
        throw error
    }
}

/// Reads a whole file, or nil when it does not exist.
package func readWholeFile(_ path: String) throws(OutputError) -> [UInt8]? {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    if fd < 0 {
        if errno == ENOENT { return nil }
        throw OutputError(path: path, message: "cannot open (\(String(cString: strerror(errno))))")
    }
    defer { close(fd) }
    var out: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 20)
    while true {
        let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
        if n < 0 {
            if errno == EINTR { continue }
            throw OutputError(path: path, message: "read failed (\(String(cString: strerror(errno))))")
        }
        if n == 0 { break }
        out.append(contentsOf: chunk[0..<n])
    }
    return out
}
