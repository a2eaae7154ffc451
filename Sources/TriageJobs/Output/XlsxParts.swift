import NotificationTriage

/// The fixed parts of a workbook ``XlsxWriter`` writes (its cells: `XlsxParts+Cells.swift`).
enum XlsxParts {
    /// The cell formats of `styles.xml`, by index.
    enum Style {
        static let date: UInt8 = 1
        static let dateTime: UInt8 = 2
        static let header: UInt8 = 3
        /// Text (`@`): a value typed into the cell later stays text too.
        static let text: UInt8 = 4
    }

    static let xmlDeclaration = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"# + "\n"
    static let mainNamespace = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    static let relationshipNamespace = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    static let packageRelationships = "http://schemas.openxmlformats.org/package/2006/relationships"

    /// `[Content_Types].xml` for a workbook of `sheets` sheets, padded with trailing white space (which XML
    /// allows after the root element) to one length for any number of sheets, so that it can be written
    /// first (where tools that sniff a file's type look) and rewritten in place when a sheet overflows.
    static func contentTypes(sheets: Int) -> [UInt8] {
        let sheet = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
        func text(_ n: Int) -> String {
            xmlDeclaration
                + #"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">"#
                + #"<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>"#
                + #"<Default Extension="xml" ContentType="application/xml"/>"#
                + #"<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>"#
                + #"<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>"#
                + (1...n).map { "<Override PartName=\"/xl/worksheets/sheet\($0).xml\" ContentType=\"\(sheet)\"/>" }.joined()
                + "</Types>"
        }
        let bytes = Array(text(sheets).utf8)
        let length = text(XlsxWriter.maxSheets).utf8.count + 1
        return bytes + [0x0A] + Array(repeating: 0x20, count: length - bytes.count - 1)
    }

    static let rootRelationships =
        xmlDeclaration + "<Relationships xmlns=\"\(packageRelationships)\">"
        + "<Relationship Id=\"rId1\" Type=\"\(relationshipNamespace)/officeDocument\" Target=\"xl/workbook.xml\"/>"
        + "</Relationships>"

    /// The workbook's relationships: its styles (`rId1`), then each sheet (`rId2`, …).
    static func workbookRelationships(sheets: Int) -> String {
        xmlDeclaration + "<Relationships xmlns=\"\(packageRelationships)\">"
            + "<Relationship Id=\"rId1\" Type=\"\(relationshipNamespace)/styles\" Target=\"styles.xml\"/>"
            + (1...sheets).map {
                "<Relationship Id=\"rId\($0 + 1)\" Type=\"\(relationshipNamespace)/worksheet\" Target=\"worksheets/sheet\($0).xml\"/>"
            }.joined()
            + "</Relationships>"
    }

    /// Fonts, fills and borders hold the defaults a spreadsheet expects to find; the cell formats are
    /// those of ``Style``: ISO 8601 order for dates, which reads the same in every locale.
    static let styles =
        xmlDeclaration + "<styleSheet xmlns=\"\(mainNamespace)\">"
        + #"<numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/>"#
        + #"<numFmt numFmtId="165" formatCode="yyyy-mm-dd hh:mm:ss"/></numFmts>"#
        + #"<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>"#
        + #"<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>"#
        + #"<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>"#
        + #"<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>"#
        + #"<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>"#
        + #"<cellXfs count="5"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>"#
        + #"<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>"#
        + #"<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>"#
        + #"<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>"#
        + #"<xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>"#
        + #"<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>"#
        + "</styleSheet>"

    /// The workbook: its sheets, and each sheet's filter range under the name spreadsheets give it.
    static func workbook(sheets names: [String], filters: [String]) -> String {
        var sheets = ""
        var defined = ""
        for (i, (name, range)) in zip(names, filters).enumerated() {
            sheets += "<sheet name=\"\(escaped(name))\" sheetId=\"\(i + 1)\" r:id=\"rId\(i + 2)\"/>"
            let absolute = range.split(separator: ":").map { ref in
                let letters = ref.prefix { $0.isLetter }
                return "$" + letters + "$" + ref.dropFirst(letters.count)
            }.joined(separator: ":")
            let quoted = "'" + name.replacingOccurrences(of: "'", with: "''") + "'"
            defined += "<definedName name=\"_xlnm._FilterDatabase\" localSheetId=\"\(i)\" hidden=\"1\">"
            defined += escaped(quoted) + "!" + absolute + "</definedName>"
        }
        return xmlDeclaration + "<workbook xmlns=\"\(mainNamespace)\" xmlns:r=\"\(relationshipNamespace)\">"
            + "<bookViews><workbookView/></bookViews><sheets>" + sheets + "</sheets>"
            + "<definedNames>" + defined + "</definedNames></workbook>"
    }

    /// The sheet up to its first row: the frozen header, the column widths (text columns formatted as
    /// text), and the start of the data.
    static func sheetStart(_ columns: [XlsxColumn]) -> String {
        var s = xmlDeclaration + "<worksheet xmlns=\"\(mainNamespace)\" xmlns:r=\"\(relationshipNamespace)\">"
        s += #"<sheetViews><sheetView tabSelected="1" workbookViewId="0">"#
        s += #"<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>"#
        s += #"<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>"#
        s += #"<sheetFormatPr defaultRowHeight="15"/><cols>"#
        for (i, c) in columns.enumerated() {
            let width = (c.width * 100).rounded() / 100
            s += "<col min=\"\(i + 1)\" max=\"\(i + 1)\" width=\"\(width)\" customWidth=\"1\"/>"
        }
        return s + "</cols><sheetData>"
    }

    /// The name of sheet `number` of a workbook named `name` (`name`, then `name (2)`, …) that a spreadsheet
    /// accepts: at most 31 characters, none of `[]:*?/\`, not empty.
    static func sheetName(_ name: String, number: Int = 1) -> String {
        let suffix = number > 1 ? " (\(number))" : ""
        let clean = String(name.map { "[]:*?/\\".contains($0) ? "_" : $0 }.prefix(31 - suffix.count))
        return (clean.isEmpty ? "Sheet1" : clean) + suffix
    }

    /// `A` for 0, `Z` for 25, `AA` for 26, ….
    static func columnLetters(_ index: Int) -> [UInt8] {
        var n = index + 1
        var out: [UInt8] = []
        while n > 0 {
            n -= 1
            out.insert(UInt8(ascii: "A") + UInt8(n % 26), at: 0)
            n /= 26
        }
        return out
    }

    /// Text for an attribute or element: `&`, `<`, `>` and `"` escaped. Unlike the HTML pages' `esc`, `'` is
    /// kept as it is: a defined name quotes its sheet name with it (`'school (2)'!$A$1:$B$3`).
    static func escaped(_ s: String) -> String {
        var out = ""
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(c)
            }
        }
        return out
    }
}
