import NotificationTriage
import TriageSynthesis

/// London, the zone the generator tests write and read times in.
package let london = ZoneRules(identifier: "Europe/London")!

/// The incidents the generator makes for `options`, in London time.
package func generate(_ options: GeneratorOptions) -> [Incident] {
    Array(IncidentGenerator(options: options, zone: london))
}

/// A whole generated file for `options` in `format` ("csv" or "jsonl"), with its summary.
package func file(_ options: GeneratorOptions, _ format: String) -> (bytes: [UInt8], summary: GenerationSummary) {
    var all: [UInt8] = []
    let summary = generateIncidentFile(options: options, format: format, zone: london) { all.append(contentsOf: $0) }
    return (all, summary)
}
