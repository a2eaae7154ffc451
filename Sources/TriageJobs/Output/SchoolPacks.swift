import Foundation
import NotificationTriage

/// Operation Encompass packs: with `--out DIR` and the school register (`--schools`), one CSV per school in `DIR/schools/<URN>.csv` holding that
/// school's rows of the `school` destination (only its fields, plus the school's name), siblings of one
/// incident together, in deadline order; and `DIR/schools/index.csv`, one row per school. A school outside
/// the policy's local authorities has its pack in `DIR/schools/out-of-area/<LA code>/`, for forwarding. The
/// packs are written at the end of the run and committed with its other files; `schools/` then holds this
/// run's packs only (an earlier run's pack for a school not in this one is removed after the commit).
/// When the `school` destination receives reasons or history (its file is JSON Lines), each pack is
/// `<URN>.jsonl`, its lines the destination's with `school_name` first.
struct SchoolPacks {
    struct Row {
        var notifyBy: Int64
        var seq: Int
        var childIndex: Int
        var childID: String
        var bytes: [UInt8]
    }

    let dir: String
    let header: [UInt8]
    let policy: Policy
    let schools: SchoolRegister?
    let contacts: SchoolContacts?
    let bom: [UInt8]
    /// Whether the packs are JSON Lines (as the `school` destination's file is).
    let isJSON: Bool
    private var rows: [String: [Row]] = [:]
    private var seq = 0
    /// The pack files this run wrote (relative to `dir`), for removing stale ones after the commit.
    private(set) var written: Set<String> = []

    /// Packs for the `school` destination's `writer`. With `excelBOM`, every CSV pack and the index start
    /// with a UTF-8 byte-order mark (`--excel`).
    init(
        outDir: String, policy: Policy, writer: DestinationWriter, schools: SchoolRegister?, contacts: SchoolContacts?,
        excelBOM: Bool
    ) {
        self.dir = outDir + "/schools"
        self.bom = excelBOM ? [0xEF, 0xBB, 0xBF] : []
        self.isJSON = writer.isJSON
        var h = ByteWriter(capacity: 256)
        if !writer.isJSON {
            h.bytes.append(contentsOf: bom)
            h.raw("school_name,")
            writer.header(into: &h)
        }
        header = h.bytes
        self.policy = policy
        self.schools = schools
        self.contacts = contacts
    }

    /// Adds the row `bytes` (as the destination file has it) of school route `r` of `d`.
    mutating func add(_ d: Decision, _ r: Route, row bytes: ArraySlice<UInt8>) {
        guard let c = r.childIndex, let given = d.incident.children[c].schoolURN, !given.isEmpty else { return }
        // The file is named by the register's URN (digits only): never by input text, which could name a path.
        // A school route with a register always has a school the register knows (see Screener.checkSchools).
        let urn = schools?[given]?.urn ?? given
        guard urn.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return }
        rows[urn, default: []].append(
            Row(notifyBy: r.notifyBy.seconds, seq: seq, childIndex: c, childID: d.incident.children[c].personID, bytes: Array(bytes)))
        seq += 1
    }

    /// Writes every pack and the index (under temporary names, to be committed with the run's other files);
    /// returns them and the URNs of schools with no contact (when a contacts file was given).
    mutating func finish() throws(OutputError) -> (files: [OutputFile], withoutContact: [String]) {
        try OutputPaths.makeDirectory(dir)
        var files: [OutputFile] = []
        var index = ByteWriter(capacity: 1 << 12)
        index.bytes.append(contentsOf: bom)
        index.raw("urn,name,la_code,la_name,rows,children,earliest_notify_by,out_of_area,contact\r\n")
        var withoutContact: [String] = []
        for urn in rows.keys.sorted() {
            var list = rows[urn]!
            // Deadline order; the rows of one incident (same deadline and incident) stay together.
            list.sort { ($0.notifyBy, $0.seq) < ($1.notifyBy, $1.seq) }
            let school = schools?[urn]
            let away = school.map { policy.isOutOfArea(laCode: $0.laCode) } ?? false
            // The folder is named by the register's LA code: letters and digits only, never a path.
            let la = school.map { s in s.laCode.utf8.allSatisfy { Self.isASCIIAlphanumeric($0) } && !s.laCode.isEmpty ? s.laCode : "unknown"
            }
            let sub = away ? "out-of-area/\(la!)/" : ""
            if away { try OutputPaths.makeDirectory(dir + "/out-of-area/" + la!) }
            let name = sub + urn + (isJSON ? ".jsonl" : ".csv")
            let file = try OutputFile(atomicPath: dir + "/" + name)
            file.syncedByGroup = true
            file.buffer.append(contentsOf: header)
            var w = ByteWriter(capacity: 256)
            for row in list {
                w.bytes.removeAll(keepingCapacity: true)
                if isJSON {
                    // `{"school_name":"…",` then the destination's line after its opening brace.
                    w.raw("{\"school_name\":")
                    w.jsonString(school?.name ?? "")
                    w.byte(UInt8(ascii: ","))
                    w.bytes.append(contentsOf: row.bytes.dropFirst())
                } else {
                    w.csvField(school?.name ?? "")
                    w.byte(UInt8(ascii: ","))
                    w.bytes.append(contentsOf: row.bytes)
                }
                file.buffer.append(contentsOf: w.bytes)
                try file.flushIfFull()
            }
            files.append(file)
            written.insert(name)
            let contact = contacts?.byURN[urn]
            if contacts != nil && contact == nil { withoutContact.append(urn) }
            index.csvField(urn)
            index.byte(UInt8(ascii: ","))
            index.csvField(school?.name ?? "")
            index.byte(UInt8(ascii: ","))
            index.csvField(school?.laCode ?? "")
            index.byte(UInt8(ascii: ","))
            index.csvField(school?.laName ?? "")
            index.byte(UInt8(ascii: ","))
            index.int(list.count)
            index.byte(UInt8(ascii: ","))
            index.int(Set(list.map(\.childID)).count)
            index.byte(UInt8(ascii: ","))
            policy.zone.appendISO8601(Instant(seconds: list[0].notifyBy), to: &index.bytes)
            index.raw(away ? ",true," : ",false,")
            index.csvField(contact ?? "")
            index.raw("\r\n")
        }
        let indexFile = try OutputFile(atomicPath: dir + "/index.csv")
        indexFile.buffer.append(contentsOf: index.bytes)
        written.insert("index.csv")
        return (files + [indexFile], withoutContact)
    }

    static func isASCIIAlphanumeric(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
    }

    /// After the commit: removes pack files of an earlier run that this run did not write (`NNN.csv` under
    /// `schools/` and `schools/out-of-area/*/`), so that the folder holds this run's packs only.
    func removeStale() {
        let fm = FileManager.default
        func isPack(_ name: String) -> Bool {
            let stem = name.hasSuffix(".csv") ? name.dropLast(4) : name.hasSuffix(".jsonl") ? name.dropLast(6) : ""
            return !stem.isEmpty && stem.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
        }
        for name in (try? fm.contentsOfDirectory(atPath: dir)) ?? [] where isPack(name) && !written.contains(name) {
            try? fm.removeItem(atPath: dir + "/" + name)
        }
        let away = dir + "/out-of-area"
        for la in (try? fm.contentsOfDirectory(atPath: away)) ?? [] {
            for name in (try? fm.contentsOfDirectory(atPath: away + "/" + la)) ?? []
            where isPack(name) && !written.contains("out-of-area/\(la)/\(name)") {
                try? fm.removeItem(atPath: away + "/" + la + "/" + name)
            }
        }
    }
}
