import NotificationTriage

/// Writes an Office Open XML workbook (`.xlsx`) row by row into an ``OutputFile``: a stored zip (see
/// ``ZipWriter``) of the parts a spreadsheet needs, each sheet streamed as rows arrive. Text is written
/// inline (`t="inlineStr"`, no shared-strings table to hold in memory), numbers as numbers, and dates and
/// date-times as Excel serial days with a date format. The header row is bold, frozen and filtered, and
/// every column has its width. Rows past what a sheet holds (1,048,576 with the header) go on to a
/// second sheet (`name (2)`, with the header again), and so on. The same rows always make the same bytes.
package struct XlsxWriter {
    private var zip: ZipWriter
    private let columns: [XlsxColumn]
    private let baseName: String
    private let rowsPerSheet: Int
    /// The column letters (`A`, …, `Z`, `AA`, …), made once.
    private let letters: [[UInt8]]
    /// The entry of `[Content_Types].xml`, rewritten at the end when there is more than one sheet.
    private var contentTypes = 0
    /// Sheets so far, and rows on the last (the header included).
    private var sheets = 1
    private var rows = 0
    private var row: [UInt8] = []

    /// The most rows an Excel sheet holds (the header included).
    package static let maxRows = 1_048_576
    /// The most sheets a workbook gets (16 full sheets would pass the 4 GiB a zip without Zip64 holds).
    static let maxSheets = 16

    /// Starts a workbook whose first sheet, named `sheetName`, has `columns` (and their header row).
    /// `rowsPerSheet` (the header included) is for tests.
    package init(file: OutputFile, columns: [XlsxColumn], sheetName: String, rowsPerSheet: Int = maxRows) throws(OutputError) {
        precondition(!columns.isEmpty && columns.count <= 16_384, "a sheet has 1 to 16384 columns")
        precondition((2...Self.maxRows).contains(rowsPerSheet), "a sheet holds its header and 1 to 1048575 rows")
        zip = ZipWriter(file: file)
        self.columns = columns
        self.baseName = sheetName
        self.rowsPerSheet = rowsPerSheet
        letters = columns.indices.map(XlsxParts.columnLetters)
        contentTypes = try zip.add("[Content_Types].xml", XlsxParts.contentTypes(sheets: 1))
        try zip.add("_rels/.rels", Array(XlsxParts.rootRelationships.utf8))
        try zip.add("xl/styles.xml", Array(XlsxParts.styles.utf8))
        try startSheet()
    }

    /// Appends a row, its cells in column order (fewer cells leave the last columns empty).
    package mutating func append(_ cells: [XlsxCell]) throws(OutputError) {
        precondition(cells.count <= columns.count, "more cells than columns")
        if rows == rowsPerSheet {
            guard sheets < Self.maxSheets else {
                throw OutputError(path: zip.file.path, message: "more rows than \(Self.maxSheets) sheets hold: write CSV")
            }
            try endSheet()
            sheets += 1
            try startSheet()
        }
        try append(cells, style: nil)
    }

    /// Ends the last sheet, writes the workbook's parts that name the sheets and the zip's directory. The
    /// file is then whole, ready to be committed.
    package mutating func finish() throws(OutputError) {
        try endSheet()
        if sheets > 1 { zip.replace(contentTypes, with: XlsxParts.contentTypes(sheets: sheets)) }
        try zip.add("xl/_rels/workbook.xml.rels", Array(XlsxParts.workbookRelationships(sheets: sheets).utf8))
        let names = (1...sheets).map { XlsxParts.sheetName(baseName, number: $0) }
        let last = String(decoding: letters[letters.count - 1], as: UTF8.self)
        let filters = (1...sheets).map { "A1:" + last + String($0 < sheets ? rowsPerSheet : rows) }
        try zip.add("xl/workbook.xml", Array(XlsxParts.workbook(sheets: names, filters: filters).utf8))
        try zip.finish()
    }

    private mutating func startSheet() throws(OutputError) {
        try zip.begin("xl/worksheets/sheet\(sheets).xml")
        try zip.write(Array(XlsxParts.sheetStart(columns).utf8))
        rows = 0
        try append(columns.map { .text($0.name) }, style: XlsxParts.Style.header)
    }

    private mutating func endSheet() throws(OutputError) {
        let range = "A1:" + String(decoding: letters[letters.count - 1], as: UTF8.self) + String(rows)
        try zip.write(Array("</sheetData><autoFilter ref=\"\(range)\"/></worksheet>".utf8))
        try zip.end()
    }

    private mutating func append(_ cells: [XlsxCell], style: UInt8?) throws(OutputError) {
        rows += 1
        let number = Array(String(rows).utf8)
        row.removeAll(keepingCapacity: true)
        row += "<row r=\"".utf8
        row += number
        row += "\">".utf8
        for (i, cell) in cells.enumerated() { XlsxParts.cell(cell, column: letters[i], row: number, style: style, into: &row) }
        row += "</row>".utf8
        try zip.write(row)
    }
}
