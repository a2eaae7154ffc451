package enum InputRecord: Sendable { case incident(Incident, SourceLocation) ; case reject(Reject) }
package protocol IncidentReader { mutating func next() throws(InputError) -> InputRecord? }
package struct InputError: Error, Sendable, CustomStringConvertible { package var location: SourceLocation; package var message: String; package var description: String { message } }
package final class ByteSource { init(path: String) throws(InputError) { fatalError() }; init(standardInput: ()) {} }
package struct CSVIncidentReader: IncidentReader { package init(source: ByteSource, name: String, zone: ZoneRules, columns: ColumnMap = .canonical) throws(InputError) {} 
 package mutating func next() throws(InputError) -> InputRecord? { nil } }
package struct JSONLinesIncidentReader: IncidentReader { package init(source: ByteSource, name: String, zone: ZoneRules) {} 
 package mutating func next() throws(InputError) -> InputRecord? { nil } }
package struct ColumnMap: Sendable { package static let canonical = ColumnMap(renames: [:]); package init(renames: [String: String]) {} }
package enum InputFormat: String, Sendable { case csv, jsonl; init?(pathExtension: String) { nil } }
