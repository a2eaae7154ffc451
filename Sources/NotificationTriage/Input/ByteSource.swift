#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A growable window of input bytes read from a file descriptor in large chunks.
///
/// Readers scan `base[start..<end]` directly, move `start` past what they have consumed, and call
/// `fill()` when they need more; `fill()` keeps the unconsumed bytes (moving them to offset 0), so the
/// buffer only ever holds the record being read plus one chunk.
package final class ByteSource {
    /// The default read size: 4 MiB.
    package static let defaultChunkSize = 4 << 20

    /// The name used in error locations (the path, or `<stdin>`).
    package let name: String
    /// How many bytes one `fill()` reads at most (for in-memory sources; files read what fits).
    let chunkSize: Int
    /// Start of the buffer; valid until the next `fill()`.
    private(set) var base: UnsafeMutablePointer<UInt8>
    private(set) var capacity: Int
    /// First unconsumed byte.
    var start = 0
    /// One past the last valid byte.
    private(set) var end = 0
    /// True once the descriptor (or the in-memory bytes) is exhausted.
    private(set) var atEOF = false

    /// Whether reading may wait for input not yet written: a pipe, a terminal or a socket (a stream), not a
    /// regular file or memory. Only a stream is polled (``onWait``, ``moreInput(within:)``).
    package let isLive: Bool
    /// Called before a read that would wait for input (a stream with nothing ready), so that what has been
    /// read so far can be passed on rather than held until more arrives.
    package var onWait: (() -> Void)? = nil
    /// A descriptor that, once readable, ends a stream's input as if it had reached its end (a graceful stop):
    /// a wait for input watches it too. -1 for none.
    package var stopDescriptor: Int32 = -1

    private let fd: Int32
    private let ownsDescriptor: Bool
    private let memory: [UInt8]?
    private var memoryOffset = 0

    /// Opens a file for reading.
    package convenience init(path: String, chunkSize: Int = ByteSource.defaultChunkSize) throws(InputError) {
        let fd = open(path, O_RDONLY)
        if fd < 0 {
            let reason = String(cString: strerror(errno)).lowercased()
            throw InputError("cannot open input file: \(reason)", at: SourceLocation(source: path, line: 0))
        }
        self.init(fileDescriptor: fd, name: path, ownsDescriptor: true, chunkSize: chunkSize)
    }

    /// Reads an already open descriptor; closes it on deinit only when `ownsDescriptor` is true.
    package init(fileDescriptor: Int32, name: String, ownsDescriptor: Bool, chunkSize: Int = ByteSource.defaultChunkSize) {
        self.fd = fileDescriptor
        self.name = name
        self.ownsDescriptor = ownsDescriptor
        var st = stat()
        self.isLive = fstat(fileDescriptor, &st) == 0 && (st.st_mode & S_IFMT) != S_IFREG
        self.memory = nil
        self.chunkSize = max(1, chunkSize)
        self.capacity = 2 * self.chunkSize
        self.base = .allocate(capacity: capacity)
    }

    /// Reads standard input (never closed).
    package static func standardInput(chunkSize: Int = ByteSource.defaultChunkSize) -> ByteSource {
        ByteSource(fileDescriptor: 0, name: "<stdin>", ownsDescriptor: false, chunkSize: chunkSize)
    }

    /// Serves bytes from memory, `chunkSize` at a time (tests use a small chunk to force chunk boundaries).
    package init(bytes: [UInt8], name: String = "<memory>", chunkSize: Int = ByteSource.defaultChunkSize) {
        self.fd = -1
        self.name = name
        self.ownsDescriptor = false
        self.isLive = false
        self.memory = bytes
        self.chunkSize = max(1, chunkSize)
        self.capacity = 2 * self.chunkSize
        self.base = .allocate(capacity: capacity)
    }

    deinit {
        base.deallocate()
        if ownsDescriptor { close(fd) }
    }

    /// The unconsumed byte count.
    var available: Int { end - start }

    /// Reads more input, keeping `base[start..<end]` (which moves to offset 0, so `start` becomes 0).
    /// Returns false, reading nothing, at the end of input.
    func fill() throws(InputError) -> Bool {
        if atEOF { return false }
        if start > 0 {
            let n = end - start
            if n > 0 { memmove(base, base + start, n) }
            start = 0
            end = n
        }
        if capacity - end < chunkSize {
            let newCapacity = max(capacity * 2, end + chunkSize)
            let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
            grown.update(from: base, count: end)
            base.deallocate()
            base = grown
            capacity = newCapacity
        }
        let got: Int
        if let memory {
            let n = min(chunkSize, memory.count - memoryOffset, capacity - end)
            if n > 0 {
                memory.withUnsafeBufferPointer { src in
                    (base + end).update(from: src.baseAddress! + memoryOffset, count: n)
                }
            }
            memoryOffset += n
            got = n
        } else {
            if isLive {
                if !waitReadable(within: 0) {
                    onWait?()
                    // Waits for input, or for the stop descriptor.
                    _ = waitReadable(within: -1)
                }
                if stopRequested {
                    atEOF = true
                    return false
                }
            }
            var r: Int
            repeat {
                r = read(fd, base + end, capacity - end)
            } while r < 0 && errno == EINTR
            if r < 0 {
                let reason = String(cString: strerror(errno)).lowercased()
                throw InputError("cannot read input: \(reason)", at: SourceLocation(source: name, line: 0))
            }
            got = r
        }
        if got == 0 {
            atEOF = true
            return false
        }
        end += got
        return true
    }

    /// Whether more of a stream can be read (or its end) within `milliseconds` (-1: however long it takes),
    /// beyond the bytes already in the buffer; true at once for a file or memory. A stop (see
    /// ``stopDescriptor``) counts: the next read then ends the input.
    /// Calls ``onWait`` first when nothing is ready now.
    package func moreInput(within milliseconds: Int32) -> Bool {
        guard isLive, !atEOF else { return true }
        if waitReadable(within: 0) { return true }
        onWait?()
        return waitReadable(within: milliseconds)
    }

    /// Whether the descriptor (or the stop descriptor) is readable within `milliseconds`.
    private func waitReadable(within milliseconds: Int32) -> Bool {
        var fds = (pollfd(fd: fd, events: Int16(POLLIN), revents: 0), pollfd(fd: stopDescriptor, events: Int16(POLLIN), revents: 0))
        let count: nfds_t = stopDescriptor >= 0 ? 2 : 1
        while true {
            let n = withUnsafeMutableBytes(of: &fds) { poll($0.baseAddress!.assumingMemoryBound(to: pollfd.self), count, milliseconds) }
            if n >= 0 { return n > 0 }
            if errno != EINTR { return true }  // let the read report the problem
        }
    }

    /// Whether the stop descriptor is readable (a graceful stop was asked for).
    private var stopRequested: Bool {
        guard stopDescriptor >= 0 else { return false }
        var p = pollfd(fd: stopDescriptor, events: Int16(POLLIN), revents: 0)
        return poll(&p, 1, 0) > 0
    }

    /// Makes at least `count` unconsumed bytes available if the input has them; returns whether it does.
    func ensure(_ count: Int) throws(InputError) -> Bool {
        while end - start < count {
            if !(try fill()) { return false }
        }
        return true
    }

    /// Skips a UTF-8 byte-order mark at the current position, if there is one.
    func skipByteOrderMark() throws(InputError) {
        if try ensure(3), base[start] == 0xEF, base[start + 1] == 0xBB, base[start + 2] == 0xBF {
            start += 3
        }
    }
}
