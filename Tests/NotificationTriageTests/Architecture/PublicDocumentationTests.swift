import Foundation
import Testing

/// Every public declaration of the core library has a `///` comment, so the DocC catalog
/// (`Sources/NotificationTriage/NotificationTriage.docc`) never shows a symbol with no text. Read from the
/// sources themselves (no compiler plug-in): a declaration line whose leading modifiers include `public` or
/// `open`, a member of a `public extension` that is not narrowed, and a `case` of a public enum must follow a
/// `///` line, with only attribute lines (`@inlinable`, `@discardableResult`, …) between.
@Suite struct PublicDocumentationTests {
    @Test func everyPublicDeclarationIsDocumented() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let folder = root.appendingPathComponent("Sources/NotificationTriage")
        let files = try #require(FileManager.default.enumerator(atPath: folder.path)).compactMap { $0 as? String }
            .filter { $0.hasSuffix(".swift") }.sorted()
        #expect(files.count > 50, "the sources were not found under \(folder.path)")
        var undocumented: [String] = []
        for file in files {
            let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            let result = Self.check(text)
            // Unbalanced braces mean the reader lost track of the scopes and could miss an enum's cases.
            #expect(result.bracesBalance, "Sources/NotificationTriage/\(file): braces do not balance as read")
            for line in result.undocumented {
                undocumented.append("Sources/NotificationTriage/\(file):\(line)")
            }
        }
        #expect(undocumented.isEmpty, "public declarations without a /// comment:\n\(undocumented.joined(separator: "\n"))")
    }

    /// The checker itself finds what it should and nothing else: the lines marked `// undocumented`.
    @Test func theCheckerFindsUndocumentedDeclarations() {
        let text = #"""
            /// Documented.
            public struct A {
                public var a: Int  // undocumented
                /// Documented.
                @inlinable
                @discardableResult
                public init() {}
                var internalNeedsNothing: Int
                private func privateNeedsNothing() {}
                /// Documented.
                public func f() {
                    switch 1 {
                    case 1: break
                    default: break
                    }
                    let s = "public var notADeclaration {"
                }
                public static subscript(i: Int) -> Int { i }  // undocumented
                public typealias T = Int  // undocumented
                public struct Nested {}  // undocumented
            }
            /// Documented.
            public enum E {
                case undocumentedCase  // undocumented
                /// Documented.
                case documented, alsoDocumented
                /// Documented.
                public var x: Int {
                    switch self {
                    case .undocumentedCase: 1
                    default: 2
                    }
                }
                public static func f() {}  // undocumented
            }
            enum Internal {
                case needsNothing
            }
            public extension A {  // undocumented
                func member() {}  // undocumented
                /// Documented.
                static let documented = 1
                private func needsNothing() {}
                internal var needsNothingEither: Int { 1 }
            }
            let multiLine = """
                public var insideAString: Int
                """
            /* public var inABlockComment: Int
               public var stillInIt: Int */
            // public var inAComment: Int
            @usableFromInline public private(set) var b = 0  // undocumented

            /// A blank line between a comment and its declaration does not count.

            public let c = 0  // undocumented
            """#
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let expected = lines.indices.filter { lines[$0].hasSuffix("// undocumented") }.map { $0 + 1 }
        let result = Self.check(text)
        #expect(result.undocumented == expected)
        #expect(result.bracesBalance)
    }

    /// Words that may come before the declaration keyword, besides attributes.
    static let modifiers: Set<String> = [
        "public", "open", "package", "internal", "fileprivate", "private", "static", "class", "final", "mutating",
        "nonmutating", "override", "convenience", "required", "indirect", "nonisolated", "lazy", "weak", "unowned",
        "dynamic", "consuming", "borrowing", "optional", "prefix", "postfix", "infix",
    ]
    /// Keywords that start a declaration.
    static let declarations: Set<String> = [
        "func", "var", "let", "init", "deinit", "subscript", "typealias", "struct", "enum", "class", "actor",
        "protocol", "extension", "case", "associatedtype", "macro", "operator",
    ]

    /// What an open brace opened, so the lines directly inside know whether they are public members.
    enum Scope { case publicEnum, publicExtension, other }

    /// What ``check(_:)`` found in one file.
    struct Result {
        /// The 1-based numbers of the public declaration lines with no `///` line before them.
        var undocumented: [Int]
        /// Every brace read as code was closed, and no string or comment was left open.
        var bracesBalance: Bool
    }

    /// The public declaration lines of `text` with no `///` line before them.
    static func check(_ text: String) -> Result {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var scopes: [Scope] = []
        var inMultiLineString = false
        var inBlockComment = false
        var found: [Int] = []
        for (index, line) in lines.enumerated() {
            let code = strip(line, inMultiLineString: &inMultiLineString, inBlockComment: &inBlockComment)
            let words = code.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            // Attribute words (`@inlinable`, `@available(*, …)` written without spaces) are skipped.
            let declaration = Array(words.drop { $0.hasPrefix("@") })
            let keywordIndex = declaration.firstIndex { !modifiers.contains(modifierName($0)) } ?? declaration.endIndex
            // `init?(text:` and `subscript(i:` are read as `init` and `subscript`.
            let keyword = keywordIndex < declaration.endIndex ? String(declaration[keywordIndex].prefix(while: \.isLetter)) : ""
            let mods = Set(declaration[..<keywordIndex].map(modifierName))
            let isDeclaration = declarations.contains(keyword)
            var isPublic = false
            if isDeclaration {
                switch scopes.last {
                case .publicEnum?:
                    isPublic = mods.contains("public") || mods.contains("open") || keyword == "case"
                case .publicExtension?:
                    isPublic = mods.isDisjoint(with: ["private", "fileprivate", "internal", "package"])
                default:
                    isPublic = mods.contains("public") || mods.contains("open")
                }
            }
            if isPublic && !isDocumented(lineIndex: index, lines: lines) { found.append(index + 1) }
            // The first brace a public enum or extension line opens is its body.
            var opens: Scope = .other
            if isDeclaration && (mods.contains("public") || mods.contains("open")) {
                if keyword == "enum" { opens = .publicEnum }
                if keyword == "extension" { opens = .publicExtension }
            }
            for character in code {
                if character == "{" {
                    scopes.append(opens)
                    opens = .other
                } else if character == "}" {
                    _ = scopes.popLast()
                }
            }
        }
        return Result(undocumented: found, bracesBalance: scopes.isEmpty && !inMultiLineString && !inBlockComment)
    }

    /// `private(set)` counts as `private` for narrowing, and as a modifier to skip.
    static func modifierName(_ word: String) -> String {
        String(word.prefix { $0 != "(" })
    }

    /// The line before (skipping attribute lines) is a `///` comment.
    static func isDocumented(lineIndex: Int, lines: [String]) -> Bool {
        var i = lineIndex - 1
        while i >= 0 {
            let previous = lines[i].trimmingCharacters(in: .whitespaces)
            if previous.hasPrefix("///") { return true }
            guard previous.hasPrefix("@") else { return false }
            i -= 1
        }
        return false
    }

    /// The line's code with string literals, comments and multi-line string bodies removed, so that braces
    /// and words in them are not read as code.
    static func strip(_ line: String, inMultiLineString: inout Bool, inBlockComment: inout Bool) -> String {
        var out = ""
        var chars = Array(line)[...]
        while let c = chars.first {
            if inMultiLineString {
                if chars.starts(with: "\"\"\"") {
                    inMultiLineString = false
                    chars = chars.dropFirst(3).drop { $0 == "#" }
                } else {
                    chars = chars.dropFirst()
                }
                continue
            }
            if inBlockComment {
                if chars.starts(with: "*/") {
                    inBlockComment = false
                    chars = chars.dropFirst(2)
                } else {
                    chars = chars.dropFirst()
                }
                continue
            }
            if chars.starts(with: "//") { break }
            if chars.starts(with: "/*") {
                inBlockComment = true
                chars = chars.dropFirst(2)
                continue
            }
            let afterHashes = chars.drop { $0 == "#" }
            if afterHashes.starts(with: "\"\"\"") {
                inMultiLineString = true
                chars = afterHashes.dropFirst(3)
                continue
            }
            if afterHashes.first == "\"" {
                // A one-line string: skip to its closing quote (escapes skip the next character).
                var rest = afterHashes.dropFirst()
                while let s = rest.first, s != "\"" { rest = rest.dropFirst(s == "\\" ? 2 : 1) }
                chars = rest.dropFirst().drop { $0 == "#" }
                out += "\"\""
                continue
            }
            out.append(c)
            chars = chars.dropFirst()
        }
        return out
    }
}
