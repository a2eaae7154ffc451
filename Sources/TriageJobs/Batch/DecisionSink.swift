import NotificationTriage

#if canImport(Glibc)
    import Glibc
#endif

/// Where a run's decisions go: JSON Lines or CSV on standard output, or, with `--out DIR`, one file per
/// destination plus `decisions.jsonl`, `screened_out.csv` and `rejects.jsonl`, each written under a
/// temporary name and renamed into place only when the run completes (see ``CommitGroup``). Workbooks
/// (`--format xlsx`, `--xlsx`) are written beside, row for row as their CSV (see ``DecisionRows``).
struct DecisionSink {
    /// Which of a run's files a sink writes: with `--out DIR` the decisions (and rejects) and the
    /// destinations' files are written by two sinks on two threads, each file by one of them.
    enum Part { case all, decisions, destinations }

    let part: Part
    /// The decisions written, counted for the run's summary as they are written (by the sink that writes the
    /// decisions; nil for the destinations' one): on this thread, the screening thread only screens.
    var tally: ScreenSummary?
    let policy: Policy
    /// The policy's zone, kept: reading it from the policy copies it (retaining its tables), per decision.
    let zone: ZoneRules
    let options: ScreenOptions
    let encoder: DecisionEncoder
    /// Makes the routes of decisions screened without them (a batch screen leaves them to this thread); the
    /// sink that writes the decisions makes them before anything reads them, and passes them on made.
    var routeMaker: RouteMaker
    let stdout: OutputFile
    var decisions: OutputFile?
    var destinationFiles: [OutputFile] = []
    var writers: [DestinationWriter] = []
    /// The buffers decisions' reasons are worded in, reused from one decision to the next, and the bytes of
    /// a route's reasons for the CSV `reasons` column.
    var wording = EncoderScratch()
    var reasonBytes: [UInt8] = []
    /// With `--out`, on the decisions' thread: whether the decision lines keep their reasons' and history's
    /// bytes for the destinations' thread (some destination's lines hold them), which copies them rather
    /// than words them again.
    let keepsWording: Bool
    /// By destination index: whether its lines copy the wording kept (see ``keepsWording``).
    let copiesWording: [Bool]
    /// The bytes the last batch kept, to reserve for the next.
    var keptBytes = 0
    var screenedOut: OutputFile?
    let screenedOutRow: ScreenedOutRow
    var rejects: OutputFile?
    /// With `--out`, during a batch: the buffers of the destinations' files (at their indices), then of
    /// `decisions.jsonl` and `screened_out.csv` (at ``decisionsSlot`` and ``screenedOutSlot``, -1 when
    /// this sink does not write them).
    var taken = TakenBuffers()
    var decisionsSlot = -1
    var screenedOutSlot = -1
    /// With `--order deadline`: rows per destination, sorted at the end.
    var held: [[(notifyBy: Int64, rank: Int, seq: Int, bytes: [UInt8], cells: [XlsxCell])]] = []
    var seq = 0
    /// Operation Encompass packs (with `--out` and `--schools`, when the policy has a `school` destination).
    var packs: SchoolPacks? = nil
    var schoolIndex = -1
    /// With `--school-contacts`: the schools whose pack has no contact (known at ``finish()``).
    var schoolsWithoutContact: [String]? = nil
    /// The rows of `--format csv` and `screened_out.csv`, as workbook cells.
    let rows: DecisionRows
    /// With `--format xlsx`: the decisions' workbook, written to `stdout` (a file: see ``ScreenOptions/outputPath``).
    var workbook: XlsxWriter? = nil
    /// With `--out DIR --xlsx`: each CSV destination's workbook (`nil` for one written as JSON Lines), and
    /// `screened_out.xlsx`.
    var destinationBooks: [XlsxWriter?] = []
    var screenedOutBook: XlsxWriter? = nil
    /// The files of those workbooks, in the order they are committed.
    var bookFiles: [OutputFile] = []

    init(policy: Policy, options: ScreenOptions, stdout: OutputFile, part: Part = .all) throws(OutputError) {
        self.part = part
        tally = part == .destinations ? nil : ScreenSummary(policy: policy, asOf: options.asOf != nil)
        self.policy = policy
        self.zone = policy.zone
        self.options = options
        self.encoder = DecisionEncoder(policy: policy, asOf: options.asOf)
        self.routeMaker = RouteMaker(policy: policy, schools: options.schools)
        self.stdout = stdout
        self.rows = DecisionRows(zone: policy.zone, asOf: options.asOf)
        self.screenedOutRow = ScreenedOutRow(policy: policy)
        self.copiesWording =
            part == .decisions && options.outDir != nil
            ? policy.destinations.map { DestinationWriter(destination: $0, policy: policy, asOf: options.asOf).copiesWording } : []
        self.keepsWording = copiesWording.contains(true)
        if let dir = options.outDir {
            try OutputPaths.makeDirectory(dir)
            if part != .destinations { decisions = try OutputFile(atomicPath: dir + "/decisions.jsonl") }
            for dest in policy.destinations where part != .decisions {
                let w = DestinationWriter(destination: dest, policy: policy, asOf: options.asOf)
                let f = try OutputFile(atomicPath: dir + "/" + w.fileName)
                var h = ByteWriter(capacity: 256)
                if !w.isJSON && options.excelBOM { h.bytes.append(contentsOf: [0xEF, 0xBB, 0xBF]) }
                w.header(into: &h)
                f.buffer.append(contentsOf: h.bytes)
                writers.append(w)
                destinationFiles.append(f)
                destinationBooks.append(
                    options.xlsx && !w.isJSON ? try book(dir + "/" + w.destination + ".xlsx", w.xlsxColumns, sheet: w.destination) : nil)
            }
            held = Array(repeating: [], count: writers.count)
            // Packs name each school and sort out-of-area ones, which needs the register: with --schools only.
            if part != .decisions, options.schools != nil, let k = policy.destinationIndex("school"), writers.indices.contains(k) {
                schoolIndex = k
                packs = SchoolPacks(
                    outDir: dir, policy: policy, writer: writers[k], schools: options.schools, contacts: options.schoolContacts,
                    excelBOM: options.excelBOM)
            }
            if part != .decisions {
                let so = try OutputFile(atomicPath: dir + "/screened_out.csv")
                if options.excelBOM { so.buffer.append(contentsOf: [0xEF, 0xBB, 0xBF]) }
                so.buffer.append(contentsOf: (ScreenedOutRow.columnNames.joined(separator: ",") + "\r\n").utf8)
                screenedOut = so
                if options.xlsx {
                    screenedOutBook = try book(
                        dir + "/screened_out.xlsx", ScreenedOutRow.columnNames.map(XlsxColumn.init(csvColumn:)), sheet: "screened_out")
                }
            }
        } else if options.format == .csv {
            if options.excelBOM { stdout.buffer.append(contentsOf: [0xEF, 0xBB, 0xBF]) }
            stdout.buffer.append(contentsOf: (rows.names.joined(separator: ",") + "\r\n").utf8)
        } else if options.format == .xlsx {
            // A zip's headers are completed when it ends: it cannot stream to a terminal or a pipe.
            guard stdout.temporaryPath != nil else {
                throw OutputError(path: stdout.path, message: "a workbook cannot be written to standard output: name an output file")
            }
            workbook = try XlsxWriter(file: stdout, columns: rows.names.map(XlsxColumn.init(csvColumn:)), sheetName: "decisions")
        }
        if part != .destinations, let path = options.rejectsPath ?? options.outDir.map({ $0 + "/rejects.jsonl" }) {
            rejects = try OutputFile(atomicPath: path)
        }
    }

    /// A workbook written to a new temporary file beside `path`, kept with the others to commit or abandon.
    private mutating func book(_ path: String, _ columns: [XlsxColumn], sheet: String) throws(OutputError) -> XlsxWriter {
        let f = try OutputFile(atomicPath: path)
        bookFiles.append(f)
        return try XlsxWriter(file: f, columns: columns, sheetName: sheet)
    }

    /// Writes a batch of decisions in order: one exclusive access to the writing thread's sink per batch
    /// rather than one per decision. The batch is this thread's alone while it is written (see
    /// ``OutputThreads``): each decision is moved out of it for its writing and back in after.
    ///
    /// `worded`: with `--out`, the decisions' sink keeps in it what the batch's decision lines worded (when
    /// ``keepsWording``), and the destinations' sink copies from it what it holds.
    mutating func write(_ decisions: inout [Decision], worded: inout WordedBatch?) throws(OutputError) {
        // Made by the first sink to get the batch (the destinations' sink gets it from the decisions' one, routes
        // made, unless that one had failed), a check of a flag for the next.
        for i in decisions.indices { routeMaker.complete(&decisions[i]) }
        // Decision lines to standard output, the usual case: the output buffer is taken from its file once per
        // batch (each access to a class's stored buffer is checked for exclusivity at run time), and handed
        // back to be written out whenever it is full.
        guard options.outDir == nil, options.format == .jsonl else {
            if keepsWording {
                worded = WordedBatch(reservingBytes: keptBytes + keptBytes / 8)
                swap(&wording.keep, &worded)
            }
            // Given back as far as it was kept, should a write fail part way.
            defer {
                if keepsWording {
                    swap(&wording.keep, &worded)
                    keptBytes = worded?.byteCount ?? 0
                }
            }
            if options.outDir != nil { takeBuffers() }
            defer { if taken.isTaken { taken.giveBack() } }
            var k = 0
            // Bound once per batch: read from the `inout` inside the loop, it was copied (its arrays retained
            // and released) per decision. Nothing in the loop changes it.
            let kept = worded
            try decisions.forEachMovedOut { d throws(OutputError) in
                tally?.count(d, asOf: options.asOf)
                // Kept only for a decision routed to a destination that copies it.
                if keepsWording {
                    wording.keep!.keeping = d.routes.contains {
                        copiesWording.indices.contains($0.destinationIndex) && copiesWording[$0.destinationIndex]
                    }
                }
                try write(d, worded: kept, decision: k)
                k += 1
            }
            return
        }
        var out: [UInt8] = []
        swap(&out, &stdout.buffer)
        defer { swap(&out, &stdout.buffer) }
        // Bound once per batch: read from `self` beside the `inout` scratch, it was copied (every table and
        // string retained and released) per decision.
        let encoder = self.encoder
        let asOf = options.asOf
        try decisions.forEachMovedOut { d throws(OutputError) in
            tally?.count(d, asOf: asOf)
            encoder.appendJSONLine(d, to: &out, scratch: &wording)
            if out.count >= stdout.flushAt {
                swap(&out, &stdout.buffer)
                defer { swap(&out, &stdout.buffer) }
                try stdout.flush()
            }
        }
    }

    /// Takes the buffers of the files a batch writes with `--out` (see ``taken``).
    private mutating func takeBuffers() {
        var files = destinationFiles
        decisionsSlot = -1
        screenedOutSlot = -1
        if let decisions {
            decisionsSlot = files.count
            files.append(decisions)
        }
        if let screenedOut {
            screenedOutSlot = files.count
            files.append(screenedOut)
        }
        taken.take(files)
    }

    /// Writes one decision, in every form but decision lines to standard output (``write(_:worded:)``
    /// writes those a batch at a time).
    ///
    /// `worded` and `k`: the batch's kept wording, and this decision's place in the batch (see
    /// ``write(_:worded:)``).
    private mutating func write(_ d: Decision, worded: WordedBatch?, decision k: Int) throws(OutputError) {
        if options.outDir == nil {
            switch options.format {
            case .jsonl: preconditionFailure("decision lines to standard output are written a batch at a time")
            case .csv: writeCSVDecision(d)
            case .xlsx: for row in rows.cells(d) { try workbook!.append(row) }
            }
            try stdout.flushIfFull()
            return
        }
        if decisionsSlot >= 0 {
            encoder.appendJSONLine(d, to: &taken.buffers[decisionsSlot], scratch: &wording)
            try taken.flushIfFull(decisionsSlot)
        }
        if d.screenedOut, screenedOutSlot >= 0 {
            var w = ByteWriter(capacity: 0)
            swap(&w.bytes, &taken.buffers[screenedOutSlot])
            screenedOutRow.write(d, into: &w)
            swap(&w.bytes, &taken.buffers[screenedOutSlot])
            try taken.flushIfFull(screenedOutSlot)
            try screenedOutBook?.append(rows.screenedOutCells(d))
        }
        // All of this decision's routes are written next: their JSON lines may share the incident's fields.
        wording.decisionSerial = wording.decisionSerial == Int.max ? 1 : wording.decisionSerial + 1
        // Each route read where it lies (a route copied out of the array retained and released its strings).
        try d.routes.withUnsafeBufferPointer { routes throws(OutputError) in
            for n in routes.indices {
                let r = routes.baseAddress! + n
                // Writers are in policy order, as a route's destination index is.
                let i = r.pointee.destinationIndex
                guard writers.indices.contains(i) else { continue }
                if options.orderByDeadline {
                    var w = ByteWriter(capacity: 256)
                    writers[i].write(d, route: r, routeIndex: n, into: &w, scratch: &wording, worded: worded, decision: k)
                    if i == schoolIndex { packs?.add(d, r.pointee, row: w.bytes[...]) }
                    let cells = destinationBooks[i] != nil ? writers[i].cells(d, r.pointee) : []
                    held[i].append((r.pointee.notifyBy.seconds, -(r.pointee.priority?.rank ?? 0), seq, w.bytes, cells))
                    seq += 1
                } else {
                    var w = ByteWriter(capacity: 0)
                    swap(&w.bytes, &taken.buffers[i])
                    let start = w.bytes.count
                    writers[i].write(d, route: r, routeIndex: n, into: &w, scratch: &wording, worded: worded, decision: k)
                    if i == schoolIndex { packs?.add(d, r.pointee, row: w.bytes[start...]) }
                    swap(&w.bytes, &taken.buffers[i])
                    try taken.flushIfFull(i)
                    if destinationBooks[i] != nil { try destinationBooks[i]!.append(writers[i].cells(d, r.pointee)) }
                }
            }
        }
    }

    mutating func writeCSVDecision(_ d: Decision) {
        var w = ByteWriter(capacity: 0)
        swap(&w.bytes, &stdout.buffer)
        func prefix() {
            w.csvField(d.incident.incidentID)
            w.byte(UInt8(ascii: ","))
            zone.appendISO8601(d.incident.occurredAt, to: &w.bytes)
            w.raw(d.screenedOut ? ",true" : ",false")
            w.raw(d.duplicate ? ",true," : ",false,")
        }
        if d.routes.isEmpty {
            prefix()
            w.raw(",,,")
            if options.asOf != nil { w.raw(",") }
            w.raw(",,,")  // rules and reasons empty
            w.csvField(d.screenedOutReason ?? "")
            w.raw("\r\n")
        }
        for r in d.routes {
            prefix()
            w.csvField(r.destination)
            w.byte(UInt8(ascii: ","))
            w.csvField(r.childID ?? "")
            w.byte(UInt8(ascii: ","))
            w.csvField(r.priority?.rawValue ?? "")
            w.byte(UInt8(ascii: ","))
            zone.appendISO8601(r.notifyBy, to: &w.bytes)
            if let asOf = options.asOf { w.raw(r.notifyBy < asOf ? ",true" : ",false") }
            w.byte(UInt8(ascii: ","))
            w.csvField(joining: r.rules, separator: UInt8(ascii: ";"))
            w.byte(UInt8(ascii: ","))
            reasonBytes.removeAll(keepingCapacity: true)
            d.appendReasonText(for: r, to: &reasonBytes, scratch: &wording)
            reasonBytes.withUnsafeBufferPointer { w.csvField($0) }
            w.raw(",\r\n")
        }
        swap(&w.bytes, &stdout.buffer)
    }

    mutating func reject(_ r: Reject) throws(OutputError) {
        // Whatever made the message, what leaves is at most 300 bytes.
        let message = ValueDescription.capped(r.message)
        var w = ByteWriter(capacity: 256)
        w.raw("{\"source\":")
        w.jsonString(r.location.source)
        w.raw(",\"line\":")
        w.int(r.location.line)
        w.raw(",\"column\":")
        w.int(r.location.column)
        w.raw(",\"field\":")
        w.jsonOptionalString(r.field)
        w.raw(",\"incident_id\":")
        w.jsonOptionalString(r.incidentID)
        w.raw(",\"message\":")
        w.jsonString(message)
        w.raw("}\n")
        if let rejects {
            rejects.buffer.append(contentsOf: w.bytes)
            try rejects.flushIfFull()
        } else {
            FileHandleStandardError.write("reject: \(r.location): \(r.field.map { "\($0): " } ?? "")\(message)\n")
        }
    }

    /// Writes every buffered byte to its file (standard output, or the temporary files of `--out`), as a
    /// stream's decisions are made. Rows held for `--order deadline` stay held until ``finish()``.
    mutating func flush() throws(OutputError) {
        if part != .destinations { try stdout.flush() }
        for f in [decisions, rejects, screenedOut].compactMap({ $0 }) + destinationFiles where !f.buffer.isEmpty { try f.flush() }
    }

    /// Writes out what is held and returns the files, in the order they are to be committed (by the caller,
    /// with the run's other files).
    mutating func finish() throws(OutputError) -> [OutputFile] {
        if options.orderByDeadline {
            for i in writers.indices {
                held[i].sort { ($0.notifyBy, $0.rank, $0.seq) < ($1.notifyBy, $1.rank, $1.seq) }
                for row in held[i] {
                    destinationFiles[i].buffer.append(contentsOf: row.bytes)
                    try destinationFiles[i].flushIfFull()
                    try destinationBooks[i]?.append(row.cells)
                }
            }
        }
        try workbook?.finish()
        for i in destinationBooks.indices { try destinationBooks[i]?.finish() }
        try screenedOutBook?.finish()
        if part != .destinations { try stdout.flush() }
        // With `--output FILE`, the decisions are a file of the run, committed with the others.
        let output = part != .destinations && stdout.temporaryPath != nil ? [stdout] : []
        var packFiles: [OutputFile] = []
        if packs != nil {
            let (files, missing) = try packs!.finish()
            packFiles = files
            if options.schoolContacts != nil { schoolsWithoutContact = missing }
        }
        return output + [decisions, rejects].compactMap { $0 } + destinationFiles + [screenedOut].compactMap { $0 } + bookFiles
            + packFiles
    }

    /// The names of the files in `--out` a run writes.
    static func fileNames(policy: Policy, options: ScreenOptions) -> [String] {
        let writers = policy.destinations.map { DestinationWriter(destination: $0, policy: policy, asOf: options.asOf) }
        let books = options.xlsx ? writers.filter { !$0.isJSON }.map { $0.destination + ".xlsx" } + ["screened_out.xlsx"] : []
        return ["decisions.jsonl", "screened_out.csv"] + (options.rejectsPath == nil ? ["rejects.jsonl"] : [])
            + writers.map(\.fileName) + books
    }

    func abandon() {
        for f in destinationFiles { f.abandon() }
        screenedOut?.abandon()
        decisions?.abandon()
        rejects?.abandon()
        for f in bookFiles { f.abandon() }
        // A decisions file (`--output`); standard output has nothing to remove.
        if part != .destinations { stdout.abandon() }
    }
}

/// Standard error, unbuffered.
enum FileHandleStandardError {
    static func write(_ s: String) {
        var s = s
        s.withUTF8 { buf in
            var off = 0
            while off < buf.count {
                let n = Glibc.write(2, buf.baseAddress! + off, buf.count - off)
                if n <= 0 { break }
                off += n
            }
        }
    }
}

extension Array where Element == Decision {
    /// Calls `body` with each decision in order, moved out of the array for the call and back in after it.
    ///
    /// Read in place (`self[i]`), each decision is copied first, every string and array of it retained and
    /// released again: the compiler cannot tell that the writing calls leave the array alone. A local moved
    /// out of it is plainly left alone. Only for an array no other thread reads meanwhile.
    mutating func forEachMovedOut<E: Error>(_ body: (borrowing Decision) throws(E) -> Void) throws(E) {
        try withUnsafeMutableBufferPointer { buffer throws(E) in
            for i in buffer.indices {
                let slot = buffer.baseAddress! + i
                let d = slot.move()
                defer { slot.initialize(to: d) }
                try body(d)
            }
        }
    }
}
