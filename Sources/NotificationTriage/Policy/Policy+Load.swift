extension Policy {
    /// Loads and compiles a policy from the text of a `thresholds.yaml`.
    ///
    /// - Parameters:
    ///   - text: the file's contents.
    ///   - source: the file name used in error locations.
    /// - Throws: ``PolicyErrors`` listing every problem with its line and column.
    public init(yaml text: String, source: String) throws(PolicyErrors) {
        let root: YAMLNode
        do { root = try YAML.parse(text, source: source) } catch { throw PolicyErrors([error]) }
        var validator = PolicyValidator(source: source)
        guard let policy = validator.validate(root, text: Array(text.utf8)) else {
            throw PolicyErrors(validator.errors)
        }
        self = policy
    }

    /// Loads and compiles the policy file at `path` (a `thresholds.yaml`).
    ///
    /// - Throws: ``PolicyErrors`` listing every problem with its line and column, or saying (at line 0)
    ///   that the file is missing or cannot be read.
    public init(contentsOfFile path: String) throws(PolicyErrors) {
        let bytes: [UInt8]?
        do { bytes = try readWholeFile(path) } catch {
            throw PolicyErrors([PolicyError(error.message, at: SourceLocation(source: path, line: 0))])
        }
        guard let bytes else { throw PolicyErrors([PolicyError("no such policy file", at: SourceLocation(source: path, line: 0))]) }
        try self.init(yaml: String(decoding: bytes, as: UTF8.self), source: path)
    }

    /// The default policy (the shipped `thresholds.yaml`), compiled into the library so that it works with
    /// no file.
    public static let `default`: Policy = {
        do { return try Policy(yaml: defaultPolicyText, source: "<default policy>") } catch {
            fatalError("the built-in default policy is invalid: \(error)")
        }
    }()

    /// The text of the built-in default policy, identical to the shipped `thresholds.yaml`.
    public static var defaultText: String { defaultPolicyText }
}

/// FNV-1a 64-bit hash as 16 hex digits.
func fnv1a64Hex(_ bytes: some Collection<UInt8>) -> String { hex16(fnv1a64(bytes)) }

/// A 64-bit hash as 16 hex digits.
func hex16(_ h: UInt64) -> String {
    let s = String(h, radix: 16)
    return String(repeating: "0", count: 16 - s.count) + s
}

/// FNV-1a 64-bit hash of `bytes`, continuing from `h` (the offset basis by default) so that several
/// pieces hash as one.
func fnv1a64(_ bytes: some Collection<UInt8>, continuing h: UInt64 = 0xcbf2_9ce4_8422_2325) -> UInt64 {
    var h = h
    for b in bytes {
        h ^= UInt64(b)
        h = h &* 0x0000_0100_0000_01b3
    }
    return h
}
