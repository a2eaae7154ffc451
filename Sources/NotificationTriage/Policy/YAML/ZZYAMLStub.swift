package struct YAMLNode: Sendable, Equatable {
    package enum Value: Sendable, Equatable {
        case scalar(String, quoted: Bool)
        case sequence([YAMLNode])
        case mapping([YAMLEntry])
        case null
    }
    package var value: Value
    package var location: SourceLocation
}
package struct YAMLEntry: Sendable, Equatable {
    package var key: String
    package var keyLocation: SourceLocation
    package var value: YAMLNode
}
package enum YAML {
    package static func parse(_ text: String, source: String) throws(PolicyError) -> YAMLNode { fatalError() }
}
extension YAMLNode {
    package var string: String? { nil }
    package var int: Int? { nil }
    package var double: Double? { nil }
    package var bool: Bool? { nil }
    package var date: CivilDate? { nil }
    package var isNull: Bool { false }
    package subscript(key: String) -> YAMLNode? { nil }
    package var entries: [YAMLEntry]? { nil }
    package var items: [YAMLNode]? { nil }
    package var kindName: String { "" }
}
