/// A node of the policy file's YAML subset, with where it starts.
package struct YAMLNode: Sendable, Equatable {
    /// What the node holds.
    package enum Value: Sendable, Equatable {
        /// A scalar's text after unquoting; `quoted` is true for '…' or "…".
        case scalar(String, quoted: Bool)
        case sequence([YAMLNode])
        /// Entries in file order (duplicate keys are a parse error).
        case mapping([YAMLEntry])
        /// `key:` with no value, `~` or `null`.
        case null
    }
    package var value: Value
    /// 1-based line and byte column of the node's first character.
    package var location: SourceLocation

    package init(_ value: Value, at location: SourceLocation) {
        self.value = value
        self.location = location
    }
}

/// One `key: value` of a mapping.
package struct YAMLEntry: Sendable, Equatable {
    package var key: String
    package var keyLocation: SourceLocation
    package var value: YAMLNode
}

extension YAMLNode {
    /// The scalar's text (quoted or plain); nil for collections and null.
    package var string: String? {
        if case .scalar(let s, _) = value { return s }
        return nil
    }

    private var plain: String? {
        if case .scalar(let s, false) = value { return s }
        return nil
    }

    /// A plain decimal integer (optional leading `-`).
    package var int: Int? {
        guard let s = plain, !s.isEmpty else { return nil }
        let digits = s.hasPrefix("-") ? s.dropFirst() : Substring(s)
        guard !digits.isEmpty, digits.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        return Int(s)
    }

    /// A plain integer or decimal (`20`, `1.5`, `-0.25`).
    package var double: Double? {
        guard let s = plain, !s.isEmpty else { return nil }
        var body = s.hasPrefix("-") ? s.dropFirst() : Substring(s)
        let parts = body.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, parts.allSatisfy({ !$0.isEmpty && $0.utf8.allSatisfy { $0 >= 48 && $0 <= 57 } }) else {
            return nil
        }
        body = Substring(s)
        return Double(body)
    }

    /// Plain `true` or `false` (any case).
    package var bool: Bool? {
        switch plain?.lowercased() {
        case "true": return true
        case "false": return false
        default: return nil
        }
    }

    /// A real date written `YYYY-MM-DD` (plain or quoted).
    package var date: CivilDate? {
        guard let s = string, s.utf8.count == 10 else { return nil }
        let b = Array(s.utf8)
        guard b[4] == 45, b[7] == 45 else { return nil }
        func num(_ r: Range<Int>) -> Int? {
            var v = 0
            for i in r {
                guard b[i] >= 48 && b[i] <= 57 else { return nil }
                v = v * 10 + Int(b[i] - 48)
            }
            return v
        }
        guard let y = num(0..<4), let m = num(5..<7), let d = num(8..<10) else { return nil }
        return CivilDate(year: y, month: m, day: d)
    }

    package var isNull: Bool { value == .null }

    /// Mapping look-up by key.
    package subscript(key: String) -> YAMLNode? { entries?.first { $0.key == key }?.value }

    package var entries: [YAMLEntry]? {
        if case .mapping(let e) = value { return e }
        return nil
    }

    package var items: [YAMLNode]? {
        if case .sequence(let i) = value { return i }
        return nil
    }

    /// How the node is described in messages: "a mapping", "a list", "a text value", "nothing".
    package var kindName: String {
        switch value {
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .scalar: "a text value"
        case .null: "nothing"
        }
    }
}
