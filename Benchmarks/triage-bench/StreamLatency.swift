import Foundation
import NotificationTriage
import TriageSynthesis

#if canImport(Glibc)
    import Glibc
#endif

/// The `stream` case: `triage screen -` fed `count` incidents at `rate` a second through a pipe (each
/// incident's rows in one write, as a feed sends them), timing each decision line from its incident's write
/// to its arrival on the harness's end of the output pipe. Reports p50, p99 and max in milliseconds.
struct StreamLatency {
    var count = 1_000
    var rate = 50.0

    struct Result {
        var format: String
        var latencies: [Double]
        var decisions: Int
        func percentile(_ p: Double) -> Double {
            let s = latencies.sorted()
            return s.isEmpty ? .nan : s[min(s.count - 1, Int((Double(s.count) * p).rounded(.up)) - 1)]
        }
    }

    /// The incidents of a generated file, one write each (the header first, for CSV).
    func pieces(format: String) -> [(id: String, bytes: [UInt8])] {
        var options = GeneratorOptions(incidents: count)
        options.seed = 42
        options.start = CivilDate(year: 2025, month: 1, day: 1)!
        var file: [UInt8] = []
        _ = generateIncidentFile(options: options, format: format, zone: Policy.default.zone) { file.append(contentsOf: $0) }
        let lines = file.split(separator: 0x0A, omittingEmptySubsequences: false).dropLast()
        var out: [(id: String, bytes: [UInt8])] = []
        var rows = lines[...]
        if format == "csv", let header = rows.popFirst() { out.append(("", Array(header) + [0x0A])) }
        for line in rows {
            let id: String
            if format == "csv" {
                id = String(decoding: line.prefix { $0 != UInt8(ascii: ",") }, as: UTF8.self)
            } else {
                // {"incident_id":"ID",...
                let text = String(decoding: line.prefix(80), as: UTF8.self)
                id = text.split(separator: "\"").dropFirst(3).first.map(String.init) ?? ""
            }
            if format == "csv", let last = out.last, last.id == id {
                out[out.count - 1].bytes += Array(line) + [0x0A]
            } else {
                out.append((id, Array(line) + [0x0A]))
            }
        }
        return out
    }

    func run(triage: String, format: String) -> Result {
        let pieces = pieces(format: format)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: triage)
        p.arguments = ["screen", "-", "--quiet"]
        let input = Pipe()
        let output = Pipe()
        p.standardInput = input
        p.standardOutput = output
        p.standardError = FileHandle.nullDevice
        try! p.run()
        final class Shared: @unchecked Sendable {
            let lock = NSLock()
            var written: [String: Double] = [:]
            var latencies: [Double] = []
            var decisions = 0
        }
        let shared = Shared()
        let reader = Thread {
            let h = output.fileHandleForReading
            var pending: [UInt8] = []
            while true {
                let d = h.availableData
                if d.isEmpty { break }
                let t = now()
                pending.append(contentsOf: d)
                while let nl = pending.firstIndex(of: 0x0A) {
                    let line = String(decoding: pending[..<nl].prefix(120), as: UTF8.self)
                    pending.removeSubrange(...nl)
                    let id = line.split(separator: "\"").dropFirst(3).first.map(String.init) ?? ""
                    shared.lock.lock()
                    shared.decisions += 1
                    if let w = shared.written[id] { shared.latencies.append((t - w) * 1000) }
                    shared.lock.unlock()
                }
            }
        }
        reader.start()
        let gap = 1 / rate
        let start = now()
        for (i, piece) in pieces.enumerated() {
            let due = start + Double(i) * gap
            let wait = due - now()
            if wait > 0 { usleep(UInt32(wait * 1e6)) }
            shared.lock.lock()
            if !piece.id.isEmpty { shared.written[piece.id] = now() }
            shared.lock.unlock()
            input.fileHandleForWriting.write(Data(piece.bytes))
        }
        try? input.fileHandleForWriting.close()
        p.waitUntilExit()
        while !reader.isFinished { usleep(1_000) }
        shared.lock.lock()
        defer { shared.lock.unlock() }
        return Result(format: format, latencies: shared.latencies, decisions: shared.decisions)
    }
}
