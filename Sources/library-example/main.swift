// Screens the CSV file named by the first argument against the default policy and prints one decision
// per line, exactly as `triage screen FILE` does; each reject goes to standard error.
import Foundation
import NotificationTriage

guard CommandLine.arguments.count == 2 else {
    FileHandle.standardError.write(Data("usage: library-example FILE.csv\n".utf8))
    exit(2)
}
let policy = Policy.default
var screener = Screener(policy: policy)
let encoder = DecisionEncoder(policy: policy)
var lines: [UInt8] = []
do {
    var input = try IncidentInput(path: CommandLine.arguments[1], zone: policy.zone)
    while let record = try input.next() {
        switch screener.screen(record) {
        case .success(let decision):
            encoder.appendJSONLine(decision, to: &lines)
            if lines.count >= 1 << 16 {
                FileHandle.standardOutput.write(Data(lines))
                lines.removeAll(keepingCapacity: true)
            }
        case .failure(let reject):
            FileHandle.standardError.write(Data("reject: \(reject)\n".utf8))
        }
    }
    FileHandle.standardOutput.write(Data(lines))
} catch {
    FileHandle.standardError.write(Data("\(error)\n".utf8))
    exit(1)
}
