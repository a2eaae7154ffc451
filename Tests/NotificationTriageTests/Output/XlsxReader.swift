import Foundation
import TriageJobs

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Reads back a workbook ``XlsxWriter`` wrote, for tests: the zip's stored entries (each checked against
/// its CRC-32, its local header against the central directory's), then the first sheet's cells as text. A
/// date cell reads as `YYYY-MM-DD` and a date-time cell as `YYYY-MM-DDTHH:MM:SS` (from the cell format's
/// code); inline and shared strings read as their text, `_xHHHH_` escapes undone.
struct XlsxReader {
    struct Failure: Error, CustomStringConvertible { var description: String }

    /// Each entry's name and bytes, in the order of the central directory.
    let entries: [(name: String, data: [UInt8])]

    init(_ bytes: [UInt8]) throws {
        func u16(_ i: Int) -> Int { Int(bytes[i]) | Int(bytes[i + 1]) << 8 }
        func u32(_ i: Int) -> Int { u16(i) | u16(i + 2) << 16 }
        guard bytes.count >= 22, let end = stride(from: bytes.count - 22, through: 0, by: -1).first(where: { u32($0) == 0x0605_4B50 })
        else { throw Failure(description: "no end of central directory") }
        var at = u32(end + 16)
        var out: [(String, [UInt8])] = []
        for _ in 0..<u16(end + 10) {
            guard u32(at) == 0x0201_4B50 else { throw Failure(description: "bad central header at \(at)") }
            let (method, crc, size, nameCount) = (u16(at + 10), UInt32(u32(at + 16)), u32(at + 24), u16(at + 28))
            let name = String(decoding: bytes[(at + 46)..<(at + 46 + nameCount)], as: UTF8.self)
            let local = u32(at + 42)
            guard u32(local) == 0x0403_4B50, method == 0, u32(at + 20) == size else {
                throw Failure(description: "\(name): not a stored entry")
            }
            guard UInt32(u32(local + 14)) == crc, u32(local + 18) == size, u32(local + 22) == size else {
                throw Failure(description: "\(name): local header differs from the central directory")
            }
            let start = local + 30 + u16(local + 26) + u16(local + 28)
            let data = Array(bytes[start..<(start + size)])
            guard CRC32(data).value == crc else { throw Failure(description: "\(name): CRC-32 mismatch") }
            out.append((name, data))
            at += 46 + nameCount + u16(at + 30) + u16(at + 32)
        }
        entries = out
    }

    init(contentsOf url: URL) throws { try self.init([UInt8](Data(contentsOf: url))) }

    func entry(_ name: String) throws -> [UInt8] {
        guard let e = entries.first(where: { $0.name == name }) else { throw Failure(description: "no entry \(name)") }
        return e.data
    }

    /// The sheets' names, in order.
    func sheetNames() throws -> [String] { try XMLTree(try entry("xl/workbook.xml")).all("sheet").compactMap { $0["name"] } }

    /// A sheet's rows (the first's by default), each as many cells as the row's last one (missing cells empty).
    func rows(sheet: Int = 1) throws -> [[String]] {
        let styles = try XMLTree(try entry("xl/styles.xml"))
        var formats: [Int: String] = [:]
        for f in styles.all("numFmt") { formats[Int(f["numFmtId"] ?? "") ?? -1] = f["formatCode"] }
        let xfs = styles.all("cellXfs").first?.children.filter { $0.name == "xf" } ?? []
        let kinds = xfs.map { xf -> String in
            let code = formats[Int(xf["numFmtId"] ?? "0") ?? 0] ?? ""
            return code.contains("hh") ? "datetime" : code.contains("yy") ? "date" : ""
        }
        let shared = (try? XMLTree(try entry("xl/sharedStrings.xml")))?.all("si").map(\.text) ?? []
        let sheet = try XMLTree(try entry("xl/worksheets/sheet\(sheet).xml"))
        return try sheet.all("row").map { row in
            var cells: [String] = []
            for c in row.children where c.name == "c" {
                let ref = c["r"] ?? ""
                let column = ref.prefix { $0.isLetter }.unicodeScalars.reduce(0) { $0 * 26 + Int($1.value) - 64 } - 1
                guard column >= cells.count else { throw Failure(description: "cell \(ref) out of order") }
                while cells.count < column { cells.append("") }
                let value = c.children.first { $0.name == "v" }?.text ?? ""
                switch c["t"] {
                case "inlineStr": cells.append(Self.unescape(c.children.first { $0.name == "is" }?.text ?? ""))
                case "s": cells.append(Self.unescape(shared[Int(value) ?? 0]))
                case "str", "b", "e": cells.append(value)
                default:
                    let kind = kinds.indices.contains(Int(c["s"] ?? "0") ?? 0) ? kinds[Int(c["s"] ?? "0") ?? 0] : ""
                    guard !kind.isEmpty, let serial = Double(value) else {
                        cells.append(value)
                        continue
                    }
                    cells.append(Self.date(serial: serial, withTime: kind == "datetime"))
                }
            }
            return cells
        }
    }

    /// An Excel serial day (from 1899-12-30) as ISO 8601 text, to the second.
    static func date(serial: Double, withTime: Bool) -> String {
        let seconds = Int((serial * 86_400).rounded()) - 25_569 * 86_400
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = withTime ? "yyyy-MM-dd'T'HH:mm:ss" : "yyyy-MM-dd"
        return f.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
    }

    /// Undoes Office's `_xHHHH_` escapes.
    static func unescape(_ s: String) -> String {
        guard s.contains("_x") else { return s }
        var out = ""
        var rest = Substring(s)
        while let r = rest.range(of: "_x") {
            out += rest[..<r.lowerBound]
            let after = rest[r.upperBound...]
            if after.count >= 5, after.dropFirst(4).first == "_", let v = UInt32(after.prefix(4), radix: 16), let u = Unicode.Scalar(v) {
                out.unicodeScalars.append(u)
                rest = after.dropFirst(5)
            } else {
                out += "_x"
                rest = after
            }
        }
        return out + rest
    }
}

/// A parsed XML document as a tree, by Foundation's parser (which also checks that it is well-formed).
final class XMLTree: NSObject, XMLParserDelegate {
    final class Node {
        let name: String
        let attributes: [String: String]
        var children: [Node] = []
        var ownText = ""
        init(_ name: String, _ attributes: [String: String]) {
            self.name = name
            self.attributes = attributes
        }
        subscript(_ key: String) -> String? { attributes[key] }
        /// The text of this node and its descendants, in order.
        var text: String { ownText + children.map(\.text).joined() }
    }

    private var stack: [Node] = [Node("#document", [:])]
    var root: Node { stack[0] }

    init(_ bytes: [UInt8]) throws {
        super.init()
        // From a stream, in pieces: libxml2 refuses one piece of more than 10 MB (a big sheet) at once.
        let p = XMLParser(stream: InputStream(data: Data(bytes)))
        p.delegate = self
        guard p.parse() else {
            throw XlsxReader.Failure(description: "malformed XML: \(p.parserError.map { "\($0)" } ?? "?")")
        }
    }

    /// Every element named `name`, in document order.
    func all(_ name: String) -> [Node] {
        var out: [Node] = []
        func walk(_ n: Node) {
            if n.name == name { out.append(n) }
            n.children.forEach(walk)
        }
        walk(root)
        return out
    }

    func parser(
        _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String]
    ) {
        let n = Node(name, attributes)
        stack.last!.children.append(n)
        stack.append(n)
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        stack.removeLast()
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        // Only a leaf's text matters here (`<t>`, `<v>`): text between elements is kept with the last child.
        stack.last!.ownText += string
    }
}
