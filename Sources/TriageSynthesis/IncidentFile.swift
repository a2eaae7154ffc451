import NotificationTriage

/// What `generateIncidentFile` wrote.
package struct GenerationSummary: Sendable, Equatable {
    /// Incidents generated (re-sends included).
    package var incidents: Int
    /// Incidents written with a defect (each one a reader must reject).
    package var defects: Int
    /// Bytes written.
    package var bytes: Int
}

/// Generates `options.incidents` incidents and streams them as a CSV (header line first) or JSON Lines
/// file, with `options.messyRate` of them given a defect (`MessyDefects`).
///
/// `write` is called with a buffer of about 1 MiB at a time (the last one shorter); the buffer is emptied
/// after each call, so `write` should copy or flush what it needs. `format` is `"csv"` or `"jsonl"`.
@discardableResult
package func generateIncidentFile(
    options: GeneratorOptions, format: String, zone: ZoneRules, write: (inout [UInt8]) -> Void
) -> GenerationSummary {
    precondition(format == "csv" || format == "jsonl", "format must be csv or jsonl")
    let chunk = 1 << 20
    let csv = format == "csv"
    var buffer: [UInt8] = []
    buffer.reserveCapacity(chunk + 64 * 1024)
    var summary = GenerationSummary(incidents: 0, defects: 0, bytes: 0)
    var messy = MessyDefects(rate: options.messyRate, seed: options.seed)
    let plain = options.messyRate <= 0
    if csv {
        buffer.append(contentsOf: IncidentEncoder.csvHeader.utf8)
        buffer.append(UInt8(ascii: "\n"))
    }
    var generator = IncidentGenerator(options: options, zone: zone)
    while let incident = generator.next() {
        summary.incidents += 1
        switch (csv, plain) {
        case (true, true): IncidentEncoder.appendCSV(incident, zone: zone, to: &buffer)
        case (true, false): messy.appendCSV(incident, zone: zone, to: &buffer)
        case (false, true): IncidentEncoder.appendJSONLine(incident, zone: zone, to: &buffer)
        case (false, false): messy.appendJSONLine(incident, zone: zone, to: &buffer)
        }
        if buffer.count >= chunk {
            summary.bytes += buffer.count
            write(&buffer)
            buffer.removeAll(keepingCapacity: true)
        }
    }
    if !buffer.isEmpty {
        summary.bytes += buffer.count
        write(&buffer)
        buffer.removeAll(keepingCapacity: true)
    }
    summary.defects = messy.defectsInjected
    return summary
}
