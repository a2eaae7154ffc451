// triage-bench: our own small benchmark harness (Foundation only).
//
//   swift run -c release triage-bench [--sizes 10000,100000,1000000] [--large] [--runs 5] [--json FILE]
//
// For each size it generates deterministic data with the library's generator (written to temporary files
// first, so that the end-to-end runs time the real CLI path), then times: parse-only (CSV, JSON Lines), the
// screening engine alone on pre-parsed incidents, end-to-end `triage screen` (decisions to a file),
// `triage screen --out DIR`, `triage compare`, and `triage sweep` with K = 1, 4, 16 rule-only combinations
// (`sweep-k1`, `sweep-k4`, `sweep-k16`, each with its ratio to one screen). For a size of two years or more
// (`--large` adds ten), `years` times a screen of the whole file side by side with one of its first year,
// with the time per incident compared round by round. `--only stream` times decisions on a trickling pipe
// (StreamLatency.swift). Each case runs once to warm up, then several times; it
// prints the median, min and max wall time, incidents/s, MB/s and peak RSS, and checks a result (a count or
// a checksum) so nothing is optimised away and every run did the same work.
import Foundation
import NotificationTriage
import TriageJobs
import TriageSynthesis

#if canImport(Glibc)
    import Glibc
#endif

struct Measurement {
    var name: String
    var size: Int
    var bytes: Int
    var times: [Double]
    var peakRSSKiB: Int
    var check: String

    var median: Double { times.sorted()[times.count / 2] }
    var rate: Double { Double(size) / median }
}

var sizes = [10_000, 100_000, 1_000_000]
var runs = 5
var jsonPath: String? = nil
var only: Set<String>? = nil
var args = Array(CommandLine.arguments.dropFirst())
while !args.isEmpty {
    let a = args.removeFirst()
    switch a {
    case "--sizes": sizes = args.removeFirst().split(separator: ",").compactMap { Int($0) }
    case "--large": sizes.append(10_000_000)
    case "--runs": runs = max(1, Int(args.removeFirst()) ?? 5)
    case "--json": jsonPath = args.removeFirst()
    case "--only": only = Set(args.removeFirst().split(separator: ",").map(String.init))
    default:
        print("usage: triage-bench [--sizes N,N,...] [--large] [--runs N] [--only case,case] [--json FILE]")
        exit(2)
    }
}
// `years` compares a file with its own first year: it needs a size of two years or more (1M a year).
if only?.contains("years") == true && !sizes.contains(where: { $0 >= 2_000_000 }) {
    print("triage-bench: --only years needs a size of two years or more (--sizes 2000000 and up, or --large)")
    exit(2)
}

/// The triage binary next to this one.
let triage = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
    .appendingPathComponent("triage").path
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
/// The bench's files, in a directory of its own that no one else can predict or enter (`mkdtemp`, mode 0700).
let tmp: URL = {
    var template = Array(FileManager.default.temporaryDirectory.appendingPathComponent("triage-bench-XXXXXX").path.utf8CString)
    guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
        print("triage-bench: cannot make a temporary directory (\(String(cString: strerror(errno))))")
        exit(2)
    }
    return URL(fileURLWithPath: String(cString: made))
}()
defer { try? FileManager.default.removeItem(at: tmp) }

func now() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}

/// Peak RSS of this process so far, KiB.
func selfPeakRSS() -> Int {
    var u = rusage()
    getrusage(RUSAGE_SELF.rawValue, &u)
    return u.ru_maxrss
}

/// The high-water resident set of a running process (KiB), from /proc; 0 when it has exited.
func vmHWM(_ pid: pid_t) -> Int {
    let fd = open("/proc/\(pid)/status", O_RDONLY)
    guard fd >= 0 else { return 0 }
    var buf = [UInt8](repeating: 0, count: 4096)
    let n = read(fd, &buf, buf.count)
    close(fd)
    guard n > 0 else { return 0 }
    let text = String(decoding: buf[0..<n], as: UTF8.self)
    for line in text.split(separator: "\n") where line.hasPrefix("VmHWM:") {
        return Int(line.split(separator: " ", omittingEmptySubsequences: true)[1]) ?? 0
    }
    return 0
}

/// Runs a command; returns wall time, its peak RSS (KiB) and exit status. The peak is read from
/// /proc/PID/status (VmHWM) every few milliseconds while it runs: wait4's ru_maxrss would also count this
/// harness's own memory, which the child shares until exec.
/// What a spawned run took: wall seconds, peak RSS (KiB), exit status, and CPU seconds (user + system).
struct Spawned {
    var seconds: Double
    var peakKiB: Int
    var status: Int32
    var cpuSeconds: Double
}

func spawn(_ argv: [String], stdout: String = "/dev/null") -> Spawned {
    var fa: posix_spawn_file_actions_t = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&fa)
    posix_spawn_file_actions_addopen(&fa, 1, stdout, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0)
    var pid: pid_t = 0
    let cargs = argv.map { strdup($0) } + [nil]
    defer { for p in cargs { free(p) } }
    let t0 = now()
    let rc = posix_spawn(&pid, argv[0], &fa, nil, cargs, environ)
    precondition(rc == 0, "cannot start \(argv[0])")
    var status: Int32 = 0
    var peak = 0
    var t1 = t0
    var usage = rusage()
    while true {
        let r = wait4(pid, &status, WNOHANG, &usage)
        if r == pid {
            t1 = now()
            break
        }
        // Read the high-water mark while the process is alive (a zombie has no memory figures).
        var info = siginfo_t()
        if waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT | WNOHANG) == 0 && info._sifields._sigchld.si_pid == pid {
            peak = max(peak, vmHWM(pid))
            continue
        }
        peak = max(peak, vmHWM(pid))
        usleep(2_000)
    }
    posix_spawn_file_actions_destroy(&fa)
    func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
    return Spawned(
        seconds: t1 - t0, peakKiB: peak, status: (status >> 8) & 0xFF, cpuSeconds: seconds(usage.ru_utime) + seconds(usage.ru_stime))
}

func fileSize(_ path: String) -> Int {
    ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue ?? 0
}

func lineCount(_ path: String) -> Int {
    guard let d = FileManager.default.contents(atPath: path) else { return -1 }
    return d.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
}

/// The `screened` count of a `--summary` file (-1 when it has none).
func screenedCount(_ path: String) -> Int {
    guard let d = FileManager.default.contents(atPath: path),
        let o = try? JSONSerialization.jsonObject(with: d) as? [String: Any], let n = o["screened"] as? Int
    else { return -1 }
    return n
}

/// Writes the header and the rows of `csv` whose `occurred_at` (the second column) falls in `year` (as the
/// generator writes it: the row's local date first), and returns how many incidents they hold: runs of rows
/// with one `incident_id`, as the reader groups them. Read and written a megabyte at a time.
func writeFirstYear(of csv: String, year: Int, to path: String) -> Int {
    let input = open(csv, O_RDONLY)
    let output = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
    precondition(input >= 0 && output >= 0, "cannot cut the first year of \(csv)")
    defer {
        close(input)
        close(output)
    }
    let prefix = Array(String(format: "%04d", year).utf8)
    var pending: [UInt8] = []
    var kept: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 20)
    var header = true
    var incidents = 0
    var lastID: [UInt8] = []
    // Every byte, or the bench stops: a short first year would be timed as a fast one.
    func writeAll(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { b in
            var done = 0
            while done < b.count {
                let n = write(output, b.baseAddress! + done, b.count - done)
                if n < 0 && errno == EINTR { continue }
                precondition(n > 0, "cannot write the first year to \(path)")
                done += n
            }
        }
    }
    func keep(_ line: ArraySlice<UInt8>) {
        if header {
            header = false
            kept.append(contentsOf: line)
            return
        }
        guard let comma = line.firstIndex(of: UInt8(ascii: ",")) else { return }
        let date = line[(comma + 1)...]
        guard date.count >= prefix.count, date.prefix(prefix.count).elementsEqual(prefix) else { return }
        let id = line[..<comma]
        if !id.elementsEqual(lastID) {
            incidents += 1
            lastID = Array(id)
        }
        kept.append(contentsOf: line)
    }
    while true {
        let got = chunk.withUnsafeMutableBytes { read(input, $0.baseAddress, $0.count) }
        if got <= 0 { break }
        pending.append(contentsOf: chunk[..<got])
        var start = pending.startIndex
        while let nl = pending[start...].firstIndex(of: 0x0A) {
            keep(pending[start...nl])
            start = nl + 1
        }
        pending.removeSubrange(..<start)
        if kept.count > 1 << 20 {
            writeAll(kept)
            kept.removeAll(keepingCapacity: true)
        }
    }
    if !pending.isEmpty { keep(pending[...]) }
    writeAll(kept)
    return incidents
}

var results: [Measurement] = []
let zone = Policy.default.zone

/// One timed case: `body` does the work once and returns a check of its result (the same on every run), a
/// peak RSS in KiB, and the wall time of a process it spawned (nil: the body itself is timed).
struct Case {
    let name: String
    let size: Int
    let bytes: Int
    /// Runs the case once: what to check, the peak RSS, and for a spawned process its own wall and CPU
    /// seconds (nil: timed here, in process).
    let body: () -> (check: String, rss: Int, time: Double?, cpu: Double?)
}

/// Times `body` (several runs after a warm-up). A body that spawns a process returns that process's own
/// wall time, so checks made after it (counting output lines) are not timed.
@MainActor func measure(
    _ name: String, size: Int, bytes: Int, _ body: @escaping () -> (check: String, rss: Int, time: Double?, cpu: Double?)
) {
    measureTogether([Case(name: name, size: size, bytes: bytes, body: body)])
}

/// Times cases side by side: a warm-up of each, then `runs` rounds in which each case runs once in turn. The
/// machine's drift (it is shared) then falls on every case alike, so the ratios between them are fair; run one
/// case after another and a slow minute lands on one case only.
@MainActor func measureTogether(_ all: [Case], filtered: Bool = true) {
    let cases = filtered ? all.filter { only == nil || only!.contains($0.name) } : all
    var times = Array(repeating: [Double](), count: cases.count)
    var cpus = Array(repeating: [Double](), count: cases.count)
    var checks = Array(repeating: Set<String>(), count: cases.count)
    var rss = Array(repeating: 0, count: cases.count)
    for round in 0...runs {
        for (k, c) in cases.enumerated() {
            let t0 = now()
            let r = c.body()
            let t = r.time ?? (now() - t0)
            checks[k].insert(r.check)
            rss[k] = max(rss[k], r.rss)
            if round > 0 {  // the first round is the warm-up
                times[k].append(t)
                if let cpu = r.cpu { cpus[k].append(cpu) }
            }
        }
    }
    for (k, c) in cases.enumerated() {
        precondition(checks[k].count == 1, "\(c.name): runs disagree: \(checks[k])")
        let m = Measurement(name: c.name, size: c.size, bytes: c.bytes, times: times[k], peakRSSKiB: rss[k], check: checks[k].first!)
        results.append(m)
        print(
            c.name.padding(toLength: 16, withPad: " ", startingAt: 0) + String(format: "%10d", c.size)
                + String(format: "%10.3f", m.median) + String(format: "%9.3f", times[k].min()!)
                + String(format: "%9.3f", times[k].max()!) + String(format: "%12.0f", m.rate)
                + String(format: "%9.1f", Double(c.bytes) / m.median / 1e6) + String(format: "%9.1f", Double(rss[k]) / 1024) + "  "
                + m.check)
        fflush(nil)
    }
    // Side by side, each later case against the first round by round: the median of the per-round ratios
    // (with their range) is steadier than the ratio of the medians when the machine's speed drifts; CPU
    // seconds (user + system) are steadier still where the cases differ in how many threads they keep busy.
    guard cases.count > 1 else { return }
    func median(_ xs: [Double]) -> Double { xs.sorted()[xs.count / 2] }
    func ratios(_ a: [Double], _ b: [Double]) -> [Double] { zip(a, b).map { $0 / $1 } }
    func show(_ xs: [Double]) -> String {
        String(format: "%.2fx [%.2f–%.2f]", median(xs), xs.min()!, xs.max()!)
    }
    for k in 1..<cases.count {
        // Cases of different sizes are compared per incident.
        let scale = Double(cases[0].size) / Double(cases[k].size)
        let what = cases[k].size == cases[0].size ? "per round" : "per incident, per round"
        var line = "  \(cases[k].name) / \(cases[0].name), \(what): wall \(show(ratios(times[k], times[0]).map { $0 * scale }))"
        if cpus[k].count == times[k].count && cpus[0].count == times[0].count {
            line += ", CPU \(show(ratios(cpus[k], cpus[0]).map { $0 * scale }))"
        }
        print(line)
    }
    fflush(nil)
}

print("triage-bench: \(ProcessInfo.processInfo.processorCount) cores, \(runs) runs after a warm-up; times in seconds, RSS in MiB")
print("case                  size    median      min      max  incidents/s     MB/s  peakRSS  check")
for n in sizes {
    if let only, only.isSubset(of: ["stream"]) { break }  // no per-size case asked for
    // Data: incidents spread so that every size has the same incidents per household per year
    // (the population is sized by the rate; 1 M incidents = 1 year).
    let years = max(1, Double(n) / 1_000_000)
    var options = GeneratorOptions(incidents: n)
    options.years = years
    options.seed = 42
    // End the data before today: dates in the future are rejected by `triage screen`.
    options.start = CivilDate(year: 2026 - Int(years.rounded(.up)), month: 1, day: 1)!
    let csv = tmp.appendingPathComponent("in-\(n).csv").path
    let jsonl = tmp.appendingPathComponent("in-\(n).jsonl").path
    for (path, format) in [(csv, "csv"), (jsonl, "jsonl")] {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        _ = generateIncidentFile(options: options, format: format, zone: zone) { chunk in
            chunk.withUnsafeBytes { _ = write(fd, $0.baseAddress, $0.count) }
        }
        close(fd)
    }
    let csvBytes = fileSize(csv)
    let jsonlBytes = fileSize(jsonl)

    for (name, path, bytes, format) in [("parse-csv", csv, csvBytes, InputFormat.csv), ("parse-jsonl", jsonl, jsonlBytes, .jsonl)] {
        measure(name, size: n, bytes: bytes) {
            var count = 0
            var rejects = 0
            var children = 0
            let source = try! ByteSource(path: path)
            if format == .csv {
                var r = try! CSVIncidentReader(source: source, name: path, zone: zone)
                while let rec = try! r.next() {
                    if case .incident(let i, _) = rec { count += 1; children += i.children.count } else { rejects += 1 }
                }
            } else {
                var r = JSONLinesIncidentReader(source: source, name: path, zone: zone)
                while let rec = try! r.next() {
                    if case .incident(let i, _) = rec { count += 1; children += i.children.count } else { rejects += 1 }
                }
            }
            return ("incidents=\(count) children=\(children) rejects=\(rejects)", selfPeakRSS(), nil, nil)
        }
    }

    // Engine only: pre-parsed incidents, screened and encoded in memory.
    if only == nil || only!.contains("engine") {
        var incidents: [Incident] = []
        incidents.reserveCapacity(n)
        var r = try! CSVIncidentReader(source: try! ByteSource(path: csv), name: csv, zone: zone)
        while let rec = try! r.next() { if case .incident(let i, _) = rec { incidents.append(i) } }
        measure("engine", size: n, bytes: csvBytes) {
            var screener = Screener(policy: .default)
            var routes = 0
            var checksum: UInt64 = 0
            for i in incidents {
                let d = screener.screen(i)
                routes += d.routes.count
                for route in d.routes { checksum = checksum &* 31 &+ UInt64(bitPattern: route.notifyBy.seconds) }
            }
            return ("routes=\(routes) sum=\(checksum % 1_000_000)", selfPeakRSS(), nil, nil)
        }
        incidents = []
    }

    // The end-to-end cases run side by side (see `measureTogether`), so their ratios to `screen` are fair.
    // Each starts with its output gone, removed before its clock starts: a run that replaced the last round's
    // output (the 1 GB of decisions one case leaves for the next, or the 2.2 GB of a `--out` directory) would
    // be timed freeing it too, and the cases leave each other different amounts.
    let out = tmp.appendingPathComponent("decisions.jsonl").path
    let outDir = tmp.appendingPathComponent("out").path
    func fresh(_ path: String) { try? FileManager.default.removeItem(atPath: path) }
    measureTogether([
        Case(name: "screen", size: n, bytes: csvBytes) {
            fresh(out)
            let run = spawn([triage, "screen", csv, "--quiet"], stdout: out)
            return ("exit=\(run.status) lines=\(lineCount(out))", run.peakKiB, run.seconds, run.cpuSeconds)
        },
        Case(name: "screen-jsonl", size: n, bytes: jsonlBytes) {
            fresh(out)
            let run = spawn([triage, "screen", jsonl, "--quiet"], stdout: out)
            return ("exit=\(run.status) lines=\(lineCount(out))", run.peakKiB, run.seconds, run.cpuSeconds)
        },
        Case(name: "screen-out", size: n, bytes: csvBytes) {
            fresh(outDir)
            let run = spawn([triage, "screen", csv, "--quiet", "--out", outDir])
            return ("exit=\(run.status) lines=\(lineCount(outDir + "/decisions.jsonl"))", run.peakKiB, run.seconds, run.cpuSeconds)
        },
        Case(name: "compare", size: n, bytes: csvBytes) {
            fresh(out)
            let run = spawn(
                [
                    triage, "compare", "--baseline", root.appendingPathComponent("thresholds.yaml").path, "--candidate",
                    root.appendingPathComponent("samples/candidate-thresholds.yaml").path, csv,
                ], stdout: out)
            return ("exit=\(run.status) bytes=\(fileSize(out))", run.peakKiB, run.seconds, run.cpuSeconds)
        },
    ])
    // A long run against its own first year, side by side (the issue's "time per incident at 10M within
    // 1.15x of 1M"): the first year is cut from the same file, so both see the same population and rate.
    if years >= 2 && (only == nil || only!.contains("years")) {
        let firstYear = tmp.appendingPathComponent("in-\(n)-first-year.csv").path
        let firstCount = writeFirstYear(of: csv, year: options.start.components.year, to: firstYear)
        let summary = tmp.appendingPathComponent("summary.json").path
        // The check says when the screen's count differs from the incidents counted here (the rate's divisor).
        func screened(_ path: String, expected: Int) -> (check: String, rss: Int, time: Double?, cpu: Double?) {
            let run = spawn([triage, "screen", path, "--quiet", "--summary", summary])
            let count = screenedCount(summary)
            let check = "exit=\(run.status) screened=\(count)" + (count == expected ? "" : " (expected \(expected))")
            return (check, run.peakKiB, run.seconds, run.cpuSeconds)
        }
        measureTogether(
            [
                Case(name: "first-year", size: firstCount, bytes: fileSize(firstYear)) { screened(firstYear, expected: firstCount) },
                Case(name: "all-years", size: n, bytes: csvBytes) { screened(csv, expected: n) },
            ], filtered: false)
        try? FileManager.default.removeItem(atPath: firstYear)
    }

    // Sweeps of K rule-only combinations (one shared history, K rule sets on each incident's facts),
    // against one screen of the same file: the ratio is the cost of the K.
    let vary = [
        (1, ["cumulative-risk:household.score=15"]),
        (4, ["cumulative-risk:household.score=10..25/5"]),
        (16, ["repeat-household:household.incidents=2..5/1", "cumulative-risk:household.score=10..25/5"]),
    ]
    for (k, specs) in vary {
        measure("sweep-k\(k)", size: n, bytes: csvBytes) {
            let run = spawn(
                [triage, "sweep", "--thresholds", root.appendingPathComponent("thresholds.yaml").path]
                    + specs.flatMap { ["--vary", $0] } + [csv, "--json"], stdout: out)
            return ("exit=\(run.status) bytes=\(fileSize(out))", run.peakKiB, run.seconds, run.cpuSeconds)
        }
        if let screen = results.last(where: { $0.name == "screen" && $0.size == n }),
            let sweep = results.last(where: { $0.name == "sweep-k\(k)" && $0.size == n })
        {
            print("  sweep K=\(k): \(String(format: "%.2f", sweep.median / screen.median))x one screen")
        }
    }
    measure("cat", size: n, bytes: csvBytes) {
        let run = spawn(["/bin/cat", csv], stdout: "/dev/null")
        return ("exit=\(run.status)", run.peakKiB, run.seconds, run.cpuSeconds)
    }
    try? FileManager.default.removeItem(atPath: csv)
    try? FileManager.default.removeItem(atPath: jsonl)
}

// Live: decisions on a trickling pipe (not per size).
if only?.contains("stream") == true {
    let bench = StreamLatency()
    for format in ["csv", "jsonl"] {
        let r = bench.run(triage: triage, format: format)
        func f(_ x: Double) -> String { String(format: "%.1f", x) }
        print(
            "stream-\(format): \(bench.count) incidents at \(Int(bench.rate))/s through a pipe: \(r.decisions) decisions, "
                + "latency from write to decision p50 \(f(r.percentile(0.5))) ms, p99 \(f(r.percentile(0.99))) ms, "
                + "max \(f(r.latencies.max() ?? .nan)) ms")
        fflush(nil)
    }
}

if let jsonPath {
    var s = "{\"cores\":\(ProcessInfo.processInfo.processorCount),\"runs\":\(runs),\"results\":[\n"
    s += results.map { m in
        "{\"case\":\"\(m.name)\",\"incidents\":\(m.size),\"bytes\":\(m.bytes),\"median_s\":\(m.median),\"min_s\":\(m.times.min()!),\"max_s\":\(m.times.max()!),\"incidents_per_s\":\(Int(m.rate)),\"peak_rss_kib\":\(m.peakRSSKiB),\"check\":\"\(m.check)\"}"
    }.joined(separator: ",\n")
    s += "\n]}\n"
    try! s.write(toFile: jsonPath, atomically: true, encoding: .utf8)
}
