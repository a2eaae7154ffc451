import NotificationTriage

/// Writes a zip archive of stored (uncompressed) entries into an ``OutputFile``: each entry's local header
/// and bytes, then the central directory and the end record. An entry may be streamed: its header goes out
/// with a zero checksum and size, written over once the entry ends (the file has a temporary name until it
/// is committed, so it can be), so that a sheet of a million rows is never held whole and every header is
/// complete, as readers that trust local headers need. Entries carry no time (1980-01-01, the first a zip
/// can say), so that one input always makes the same bytes. No Zip64: past 4 GiB the archive is refused.
/// An entry already written may be replaced by bytes of the same length (see ``replace(_:with:)``).
package struct ZipWriter {
    package let file: OutputFile
    /// Bytes appended to the file so far: the offset of the next byte.
    private var offset = 0
    private var central: [UInt8] = []
    private var entries = 0
    /// The entry being streamed: its name, where its header starts, its checksum and size so far.
    private var open: (name: [UInt8], header: Int, crc: CRC32, size: Int)? = nil
    /// Bytes to write over what is written, at the end, in order: streamed entries' checksums and sizes,
    /// and replaced entries' data.
    private var patches: [(offset: Int, bytes: [UInt8])] = []
    /// Each entry's local header, data and size, and where its record starts in `central`.
    private var records: [(header: Int, data: Int, size: Int, central: Int)] = []

    /// The most a field of a zip without Zip64 holds.
    static let limit = Int(UInt32.max)

    package init(file: OutputFile) { self.file = file }

    /// Adds a whole entry and returns its number (for ``replace(_:with:)``).
    @discardableResult
    package mutating func add(_ name: String, _ data: [UInt8]) throws(OutputError) -> Int {
        try begin(name)
        try write(data)
        try end()
        return entries - 1
    }

    /// Replaces the data of entry `number` with as many other bytes (a part whose final text is known only
    /// at the end, written first with room for it), before ``finish()``.
    package mutating func replace(_ number: Int, with data: [UInt8]) {
        let r = records[number]
        precondition(data.count == r.size, "a replacement must be as long as the entry")
        let crc = CRC32(data).value
        var fix: [UInt8] = []
        fix.le32(crc)
        patches.append((r.data, data))
        patches.append((r.header + 14, fix))
        central.replaceSubrange((r.central + 16)..<(r.central + 20), with: fix)
    }

    /// Starts an entry whose bytes follow through ``write(_:)``.
    package mutating func begin(_ name: String) throws(OutputError) {
        precondition(open == nil, "an entry is already open")
        let n = Array(name.utf8)
        open = (n, offset, CRC32(), 0)
        var h: [UInt8] = []
        h.le32(0x0403_4B50)
        Self.common(&h, crc: 0, size: 0, nameCount: n.count)
        h.le16(0)  // extra field length
        h += n
        try append(h)
    }

    /// Appends bytes to the open entry.
    package mutating func write(_ bytes: [UInt8]) throws(OutputError) {
        open!.crc.update(bytes)
        open!.size += bytes.count
        try append(bytes)
    }

    /// Ends the open entry and records it for the central directory.
    package mutating func end() throws(OutputError) {
        guard let e = open else { preconditionFailure("no entry is open") }
        open = nil
        guard e.size <= Self.limit else { throw tooLarge() }
        var fix: [UInt8] = []
        fix.le32(e.crc.value)
        fix.le32(UInt32(e.size))
        fix.le32(UInt32(e.size))
        patches.append((e.header + 14, fix))
        records.append((e.header, e.header + 30 + e.name.count, e.size, central.count))
        central.le32(0x0201_4B50)
        central.le16(20)  // made by: version 2.0, MS-DOS attributes
        Self.common(&central, crc: e.crc.value, size: UInt32(e.size), nameCount: e.name.count)
        central.le16(0)  // extra field length
        central.le16(0)  // comment length
        central.le16(0)  // disk number
        central.le16(0)  // internal attributes
        central.le32(0)  // external attributes
        central.le32(UInt32(e.header))
        central += e.name
        entries += 1
    }

    /// Writes the central directory and the end record, then completes the streamed entries' headers. The
    /// file is then whole, ready to be committed.
    package mutating func finish() throws(OutputError) {
        precondition(open == nil, "an entry is still open")
        guard entries < Int(UInt16.max), offset + central.count <= Self.limit else { throw tooLarge() }
        let start = offset
        var end: [UInt8] = []
        end.le32(0x0605_4B50)
        end.le16(0)  // this disk
        end.le16(0)  // the central directory's disk
        end.le16(UInt16(entries))
        end.le16(UInt16(entries))
        end.le32(UInt32(central.count))
        end.le32(UInt32(start))
        end.le16(0)  // comment length
        try append(central + end)
        for p in patches { try file.overwrite(at: p.offset, with: p.bytes) }
        patches = []
    }

    private mutating func append(_ bytes: [UInt8]) throws(OutputError) {
        offset += bytes.count
        guard offset <= Self.limit else { throw tooLarge() }
        file.buffer.append(contentsOf: bytes)
        try file.flushIfFull()
    }

    private func tooLarge() -> OutputError {
        OutputError(path: file.path, message: "the workbook would pass 4 GiB, the most a zip file without Zip64 holds: write CSV")
    }

    /// The fields local and central headers share, from the version needed to the name's length.
    private static func common(_ h: inout [UInt8], crc: UInt32, size: UInt32, nameCount: Int) {
        h.le16(20)  // version needed: 2.0
        h.le16(0)  // flags
        h.le16(0)  // method: stored
        h.le16(0)  // time: 00:00
        h.le16(0x21)  // date: 1980-01-01
        h.le32(crc)
        h.le32(size)  // compressed size: stored, the same
        h.le32(size)
        h.le16(UInt16(nameCount))
    }
}

extension [UInt8] {
    /// Appends a little-endian 16-bit number.
    mutating func le16(_ v: UInt16) {
        append(UInt8(truncatingIfNeeded: v))
        append(UInt8(truncatingIfNeeded: v >> 8))
    }

    /// Appends a little-endian 32-bit number.
    mutating func le32(_ v: UInt32) {
        for shift in stride(from: 0, to: 32, by: 8) { append(UInt8(truncatingIfNeeded: v >> UInt32(shift))) }
    }
}
