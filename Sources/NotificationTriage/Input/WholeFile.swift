#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A problem writing an output or state file.
package struct OutputError: Error, Sendable, CustomStringConvertible {
    /// A problem with `path`.
    package init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    /// The file concerned.
    package var path: String
    /// What failed.
    package var message: String
    /// `path: message`.
    package var description: String { "\(path): \(message)" }
}

/// Reads a whole file, or nil when it does not exist. With `limit`, a file longer than `limit` bytes (or a
/// device that never ends) is refused once that much has been read.
package func readWholeFile(_ path: String, limit: Int? = nil) throws(OutputError) -> [UInt8]? {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    if fd < 0 {
        if errno == ENOENT { return nil }
        throw OutputError(path: path, message: "cannot open (\(errnoText()))")
    }
    defer { close(fd) }
    var out: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 20)
    while true {
        let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
        if n < 0 {
            if errno == EINTR { continue }
            throw OutputError(path: path, message: "read failed (\(errnoText()))")
        }
        if n == 0 { break }
        out.append(contentsOf: chunk[0..<n])
        if let limit, out.count > limit { throw OutputError(path: path, message: "is larger than \(limit) bytes") }
    }
    return out
}

/// The text of the current `errno`, for messages.
package func errnoText() -> String { String(cString: strerror(errno)) }
