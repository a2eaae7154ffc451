import Testing

@testable import NotificationTriage

/// Renders a node compactly for comparison: {k:v}, [a,b], 'quoted', plain, ~.
func debug(_ n: YAMLNode) -> String {
    switch n.value {
    case .null: return "~"
    case .scalar(let s, let q): return q ? "'\(s)'" : s
    case .sequence(let items): return "[" + items.map(debug).joined(separator: ",") + "]"
    case .mapping(let e): return "{" + e.map { "\($0.key):\(debug($0.value))" }.joined(separator: ",") + "}"
    }
}

struct YAMLCase: CustomTestStringConvertible, Sendable {
    var name: String
    var text: String
    var expected: String
    var testDescription: String { name }
}

@Suite struct YAMLParserTests {
    @Test(arguments: [
        YAMLCase(name: "empty", text: "", expected: "~"),
        YAMLCase(name: "comments only", text: "# hello\n\n  # more\n", expected: "~"),
        YAMLCase(name: "flat mapping", text: "a: 1\nb: two words\n", expected: "{a:1,b:two words}"),
        YAMLCase(name: "nested mapping", text: "a:\n  b: 1\n  c:\n    d: x\ne: y\n", expected: "{a:{b:1,c:{d:x}},e:y}"),
        YAMLCase(name: "block list", text: "a:\n  - 1\n  - 2\n", expected: "{a:[1,2]}"),
        YAMLCase(name: "list at parent indentation", text: "a:\n- 1\n- 2\nb: 3\n", expected: "{a:[1,2],b:3}"),
        YAMLCase(name: "list of mappings", text: "r:\n  - id: x\n    n: 1\n  - id: y\n", expected: "{r:[{id:x,n:1},{id:y}]}"),
        YAMLCase(
            name: "flow list and mapping", text: "a: [1, 'b c', \"d\"]\nb: {k: v, l: [1, 2]}\n",
            expected: "{a:[1,'b c','d'],b:{k:v,l:[1,2]}}"),
        YAMLCase(name: "flow across lines", text: "a: [one,\n    two, # note\n    three]\nb: 1\n", expected: "{a:[one,two,three],b:1}"),
        YAMLCase(name: "times and dotted names stay plain", text: "t: 08:30\nf: child.age\n", expected: "{t:08:30,f:child.age}"),
        YAMLCase(name: "quotes and escapes", text: "a: 'it''s'\nb: \"x\\ty\\u00e9\"\n", expected: "{a:'it's',b:'x\ty\u{e9}'}"),
        YAMLCase(name: "trailing comment", text: "a: 5   # five\n", expected: "{a:5}"),
        YAMLCase(name: "hash inside a word", text: "a: C#sharp\n", expected: "{a:C#sharp}"),
        YAMLCase(name: "null forms", text: "a:\nb: ~\nc: null\n", expected: "{a:~,b:~,c:~}"),
        YAMLCase(name: "document marker and BOM", text: "\u{FEFF}---\na: 1\n", expected: "{a:1}"),
        YAMLCase(name: "CRLF line ends", text: "a: 1\r\nb:\r\n  - x\r\n", expected: "{a:1,b:[x]}"),
        YAMLCase(name: "nested list in list", text: "- - a\n  - b\n- c\n", expected: "[[a,b],c]"),
        YAMLCase(
            name: "rule shape",
            text:
                "rules:\n  - id: e\n    scope: child\n    when:\n      all:\n        - {fact: child.age, lt: 18}\n        - {fact: child.school_urn, present: true}\n    route: [school]\n",
            expected: "{rules:[{id:e,scope:child,when:{all:[{fact:child.age,lt:18},{fact:child.school_urn,present:true}]},route:[school]}]}"
        ),
    ])
    func valid(_ c: YAMLCase) throws {
        #expect(debug(try YAML.parse(c.text, source: "t.yaml")) == c.expected)
    }

    @Test(arguments: [
        YAMLCase(name: "tab indentation", text: "a:\n\tb: 1\n", expected: "t.yaml:2:1: tabs are not allowed for indentation; use spaces"),
        YAMLCase(
            name: "anchor", text: "a: &x 1\n", expected: "t.yaml:1:4: unsupported YAML: anchors ('&') are not supported in the policy file"),
        YAMLCase(
            name: "alias", text: "a: *x\n", expected: "t.yaml:1:4: unsupported YAML: aliases ('*') are not supported in the policy file"),
        YAMLCase(
            name: "tag", text: "a: !!str 1\n", expected: "t.yaml:1:4: unsupported YAML: tags ('!') are not supported in the policy file"),
        YAMLCase(
            name: "block scalar", text: "a: |\n  text\n",
            expected:
                "t.yaml:1:4: unsupported YAML: block scalars ('|', '>') are not supported in the policy file; write the text on one line"),
        YAMLCase(
            name: "second document", text: "a: 1\n---\nb: 2\n",
            expected: "t.yaml:2:1: unsupported YAML: multiple documents ('---') are not supported in the policy file"),
        YAMLCase(
            name: "directive", text: "%YAML 1.2\na: 1\n",
            expected: "t.yaml:1:1: unsupported YAML: directives ('%') are not supported in the policy file"),
        YAMLCase(
            name: "complex key", text: "? a\n",
            expected: "t.yaml:1:1: unsupported YAML: complex keys ('? ') are not supported in the policy file"),
        YAMLCase(name: "duplicate key", text: "id: 1\nn: 2\nid: 3\n", expected: "t.yaml:3:1: duplicate key 'id' (first at line 1)"),
        YAMLCase(name: "duplicate flow key", text: "a: {k: 1, k: 2}\n", expected: "t.yaml:1:11: duplicate key 'k' (first at line 1)"),
        YAMLCase(
            name: "unterminated double quote", text: "a:\n  b: \"open\n",
            expected: "t.yaml:2:6: unterminated double-quoted text (opened at line 2, column 6)"),
        YAMLCase(
            name: "unterminated flow list", text: "a: [1, 2\n", expected: "t.yaml:1:4: unterminated flow list (opened at line 1, column 4)"),
        YAMLCase(name: "missing comma", text: "a: {k: 1 l: 2}\n", expected: "t.yaml:1:11: expected ',' or '}' in mapping, found ':'"),
        YAMLCase(name: "trailing comma", text: "a: [1, ]\n", expected: "t.yaml:1:8: unexpected ']' after ',': expected another item"),
        YAMLCase(
            name: "over-indented key", text: "a: 1\n  b: 2\n",
            expected: "t.yaml:2:3: unexpected indentation: expected a key at column 1, found 'b:' at column 3"),
        YAMLCase(
            name: "list item among keys", text: "a:\n  b: 1\n  - c\n",
            expected: "t.yaml:3:3: expected 'key: value' here, found a list item '- ' (a mapping and a list cannot share an indentation)"),
        YAMLCase(
            name: "key among list items", text: "- a\nb: 1\n",
            expected: "t.yaml:2:1: expected '- item' here, found 'b:' (a list and a mapping cannot share an indentation)"),
        YAMLCase(name: "not a key", text: "a: 1\njust text\n", expected: "t.yaml:2:1: expected 'key: value' or '- item', found 'just'"),
        YAMLCase(
            name: "text after a flow value", text: "a: [1] x\n",
            expected: "t.yaml:1:8: expected the end of the line after the value, found 'x'"),
        YAMLCase(
            name: "bad escape", text: "a: \"\\q\"\n",
            expected: "t.yaml:1:5: unknown escape '\\q' in double-quoted text: expected \\\\, \\\", \\n, \\t or \\uXXXX"),
    ])
    func malformed(_ c: YAMLCase) {
        do {
            let n = try YAML.parse(c.text, source: "t.yaml")
            Issue.record("expected an error, got \(debug(n))")
        } catch {
            #expect(error.description == c.expected)
        }
    }

    @Test func typedAccessors() throws {
        let n = try YAML.parse("i: -12\nd: 2.5\nb: TRUE\ndt: 2024-02-29\nbad: 2025-02-29\nq: '7'\n", source: "t")
        #expect(n["i"]?.int == -12)
        #expect(n["d"]?.double == 2.5)
        #expect(n["i"]?.double == -12)
        #expect(n["b"]?.bool == true)
        #expect(n["dt"]?.date == CivilDate(year: 2024, month: 2, day: 29))
        #expect(n["bad"]?.date == nil)
        #expect(n["q"]?.int == nil)  // quoted text is not a number
        #expect(n["q"]?.string == "7")
        #expect(n["missing"] == nil)
        #expect(n["d"]?.location == SourceLocation(source: "t", line: 2, column: 4))
    }
}
