#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads incidents from JSON Lines: one strict JSON object per line, blank lines skipped. A line that is
/// not valid JSON, or not a valid incident, is one reject; reading continues at the next line.
package struct JSONLinesIncidentReader: IncidentReader {
    private let source: ByteSource
    private let name: String
    private let zone: ZoneRules
    private let maxRecordBytes: Int
    private let scratch = ScratchBuffer()
    /// 1-based line number of the first unconsumed byte.
    private var line = 1
    private var started = false
    /// Blank lines skipped so far.
    private var blankLines = 0
    /// Each record is one line.
    package var recordLines: Int { 1 }
    /// Blank lines skipped so far (JSON Lines has no header).
    package var otherLines: Int { blankLines }

    /// Creates a reader; nothing is read until `next()`.
    package init(
        source: ByteSource, name: String, zone: ZoneRules,
        maxRecordBytes: Int = CSVIncidentReader.defaultMaxRecordBytes
    ) {
        self.source = source
        self.name = name
        self.zone = zone
        self.maxRecordBytes = maxRecordBytes
    }

    /// The next incident or reject; nil at the end of input.
    package mutating func next() throws(InputError) -> InputRecord? {
        if !started {
            started = true
            try source.skipByteOrderMark()
        }
        while true {
            let lineNumber = line
            guard let (lineStart, lineEnd, oversize) = try nextLine() else { return nil }
            if oversize {
                return .reject(
                    Reject(
                        location: SourceLocation(source: name, line: lineNumber), field: nil, incidentID: nil,
                        message: "record larger than the limit of \(maxRecordBytes) bytes: skipped to the next line"))
            }
            let bytes = Bytes(start: source.base + lineStart, count: lineEnd - lineStart)
            if isBlank(bytes) {
                blankLines += 1
                continue
            }
            var decoder = JSONIncidentDecoder(line: bytes, scratch: scratch, zone: zone)
            do throws(RecordError) {
                let incident = try decoder.decode()
                return .incident(incident, SourceLocation(source: name, line: lineNumber))
            } catch {
                return .reject(
                    Reject(
                        location: SourceLocation(source: name, line: lineNumber, column: error.column),
                        field: error.field, incidentID: decoder.draft.incidentID, message: error.message))
            }
        }
    }

    private func isBlank(_ b: Bytes) -> Bool {
        b.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }
    }

    /// The next line's bytes `[start, end)` in the buffer (line feed excluded), consumed from the source;
    /// the bytes stay valid until the next call. `oversize` when the line was longer than the limit and
    /// has been skipped. Nil at the end of input.
    private mutating func nextLine() throws(InputError) -> (Int, Int, Bool)? {
        var searched = 0
        while true {
            let start = source.start
            let end = source.end
            let from = start + searched
            if from < end, let hit = memchr(source.base + from, 0x0A, end - from) {
                let lf = source.base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                source.start = lf + 1
                line += 1
                return (start, lf, false)
            }
            searched = end - start
            if searched > maxRecordBytes {
                try skipPastLineFeed()
                return (0, 0, true)
            }
            if !(try source.fill()) {
                if source.start == source.end { return nil }
                let s = source.start
                source.start = source.end
                return (s, source.end, false)
            }
        }
    }

    /// Discards input up to and including the next line feed.
    private mutating func skipPastLineFeed() throws(InputError) {
        source.start = source.end
        while true {
            if source.start == source.end, !(try source.fill()) { return }
            let from = source.start
            if let hit = memchr(source.base + from, 0x0A, source.end - from) {
                source.start = source.base.distance(to: hit.assumingMemoryBound(to: UInt8.self)) + 1
                line += 1
                return
            }
            source.start = source.end
        }
    }
}
