import NotificationTriage

/// Writes a one-sheet Office Open XML workbook (`.xlsx`) row by row into an ``OutputFile``: a stored zip
/// (see ``ZipWriter``) of the six parts a spreadsheet needs, the sheet streamed as rows arrive. Text is
/// written inline (`t="inlineStr"`, no shared-strings table to hold in memory), numbers as numbers, and
/// dates and date-times as Excel serial days with a date format. The header row is bold, frozen and
/// filtered, and every column has its width. The same rows always make the same bytes.
package struct XlsxWriter {
    private var zip: ZipWriter
    private let columns: [XlsxColumn]
    private let sheetName: String
    /// The column letters (`A`, …, `Z`, `AA`, …), made once.
    private let letters: [[UInt8]]
    /// Rows written so far, the header included.
    private var rows = 0
    private var row: [UInt8] = []

    /// The most rows an Excel sheet holds (the header included).
    package static let maxRows = 1_048_576

    /// Starts a workbook whose one sheet, named `sheetName`, has `columns` (and their header row).
    package init(file: OutputFile, columns: [XlsxColumn], sheetName: String) throws(OutputError) {
        precondition(!columns.isEmpty && columns.count <= 16_384, "a sheet has 1 to 16384 columns")
        zip = ZipWriter(file: file)
        self.columns = columns
        self.sheetName = XlsxParts.sheetName(sheetName)
        letters = columns.indices.map(XlsxParts.columnLetters)
        try zip.add("[Content_Types].xml", Array(XlsxParts.contentTypes.utf8))
        try zip.add("_rels/.rels", Array(XlsxParts.rootRelationships.utf8))
        try zip.add("xl/_rels/workbook.xml.rels", Array(XlsxParts.workbookRelationships.utf8))
        try zip.add("xl/styles.xml", Array(XlsxParts.styles.utf8))
        try zip.begin("xl/worksheets/sheet1.xml")
        try zip.write(Array(XlsxParts.sheetStart(columns).utf8))
        try append(columns.map { .text($0.name) }, style: XlsxParts.Style.header)
    }

    /// Appends a row, its cells in column order (fewer cells leave the last columns empty).
    package mutating func append(_ cells: [XlsxCell]) throws(OutputError) {
        try append(cells, style: nil)
    }

    private mutating func append(_ cells: [XlsxCell], style: UInt8?) throws(OutputError) {
        precondition(cells.count <= columns.count, "more cells than columns")
        guard rows < Self.maxRows else {
            throw OutputError(
                path: zip.file.path,
                message: "more than \(Self.maxRows - 1) rows, the most an Excel sheet holds below its header: write CSV")
        }
        rows += 1
        let number = Array(String(rows).utf8)
        row.removeAll(keepingCapacity: true)
        row += "<row r=\"".utf8
        row += number
        row += "\">".utf8
        for (i, cell) in cells.enumerated() { XlsxParts.cell(cell, ref: letters[i] + number, style: style, into: &row) }
        row += "</row>".utf8
        try zip.write(row)
    }

    /// Ends the sheet (with its filter over every row), writes the workbook part and the zip's directory.
    /// The file is then whole, ready to be committed.
    package mutating func finish() throws(OutputError) {
        let range = "A1:" + String(decoding: letters[letters.count - 1], as: UTF8.self) + String(rows)
        try zip.write(Array("</sheetData><autoFilter ref=\"\(range)\"/></worksheet>".utf8))
        try zip.end()
        try zip.add("xl/workbook.xml", Array(XlsxParts.workbook(sheetName: sheetName, filter: range).utf8))
        try zip.finish()
    }
}
