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
