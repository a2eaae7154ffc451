extension ColumnMap {
    /// Loads a column-mapping file: a YAML mapping from a force's header names to canonical names,
    /// either at the top level or under `columns:`.
    ///
    /// ```yaml
    /// columns:
    ///   Ref No: incident_id
    ///   Date/Time Reported: occurred_at
    /// ```
    public static func load(path: String) throws(PolicyErrors) -> ColumnMap {
        let bytes: [UInt8]
        do {
            guard let b = try readWholeFile(path) else {
                throw PolicyErrors([PolicyError("no such column-mapping file", at: SourceLocation(source: path, line: 0))])
            }
            bytes = b
        } catch let e as OutputError {
            throw PolicyErrors([PolicyError(e.message, at: SourceLocation(source: path, line: 0))])
        } catch {
            throw error as! PolicyErrors
        }
        return try parse(String(decoding: bytes, as: UTF8.self), source: path)
    }

    /// Parses the text of a column-mapping file.
    public static func parse(_ text: String, source: String) throws(PolicyErrors) -> ColumnMap {
        let root: YAMLNode
        do { root = try YAML.parse(text, source: source) } catch { throw PolicyErrors([error]) }
        var node = root
        if let entries = root.entries, entries.count == 1, entries[0].key == "columns" { node = entries[0].value }
        guard let entries = node.entries else {
            throw PolicyErrors([
                PolicyError("a column-mapping file must be a mapping of 'your header: canonical_name' lines", at: node.location)
            ])
        }
        var renames: [String: String] = [:]
        var errors: [PolicyError] = []
        for e in entries {
            guard let target = e.value.string else {
                errors.append(
                    PolicyError("expected a canonical column name for '\(e.key)', found \(e.value.kindName)", at: e.value.location))
                continue
            }
            if Column(name: ColumnMap.normalise(target)) == nil {
                // Quoted only as a likely typo of a canonical name: a data file given by mistake must not
                // have its values echoed.
                let found = ValueDescription.describe(Array(target.utf8), closestTo: Column.names)
                let message =
                    found.hasPrefix("'")
                    ? "unknown canonical column \(found)"
                    : "unknown canonical column: \(found); expected a canonical name such as incident_id or victim_dob"
                errors.append(PolicyError(message, at: e.value.location))
                continue
            }
            renames[e.key] = target
        }
        if !errors.isEmpty { throw PolicyErrors(errors) }
        return ColumnMap(renames: renames)
    }
}
