import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import ZIPFoundation

/// Spreadsheets in the Office Open XML format (.xlsx), written and read without Excel: enough for
/// sheets of text and numbers that Excel, LibreOffice and openpyxl open without a repair prompt.
enum XLSX {
    enum Cell: Equatable {
        case text(String)
        case number(Double)
        case empty
    }

    struct Sheet {
        var name: String
        var rows: [[Cell]]
        /// Column widths in characters.
        var widths: [Double] = []
        /// The first row is a header: bold and frozen.
        var header = true
    }

    // MARK: Writing

    static func write(_ sheets: [Sheet]) throws -> Data {
        let archive = try Archive(accessMode: .create)
        func add(_ path: String, _ text: String) throws {
            let data = Data(text.utf8)
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count),
                                 modificationDate: Date(timeIntervalSince1970: 1_600_000_000), compressionMethod: .deflate) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        let overrides = sheets.indices.map {
            "<Override PartName=\"/xl/worksheets/sheet\($0 + 1).xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
        }.joined()
        try add("[Content_Types].xml", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>\(overrides)</Types>
            """)
        try add("_rels/.rels", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>
            """)
        let sheetList = sheets.enumerated().map { i, s in
            "<sheet name=\"\(escape(String(s.name.prefix(31))))\" sheetId=\"\(i + 1)\" r:id=\"rId\(i + 1)\"/>"
        }.joined()
        try add("xl/workbook.xml", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>\(sheetList)</sheets></workbook>
            """)
        let rels = sheets.indices.map {
            "<Relationship Id=\"rId\($0 + 1)\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet\($0 + 1).xml\"/>"
        }.joined()
        try add("xl/_rels/workbook.xml.rels", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\(rels)<Relationship Id="rId\(sheets.count + 1)" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>
            """)
        // Style 0: normal; 1: bold header; 2: number with up to two decimals.
        try add("xl/styles.xml", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="1"><numFmt numFmtId="164" formatCode="#,##0.##"/></numFmts><fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>
            """)
        for (i, sheet) in sheets.enumerated() {
            try add("xl/worksheets/sheet\(i + 1).xml", worksheet(sheet))
        }
        guard let data = archive.data else { throw XLSXError(description: "the spreadsheet could not be written") }
        return data
    }

    static func worksheet(_ sheet: Sheet) -> String {
        var xml = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#
        if sheet.header {
            xml += #"<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>"#
        }
        if !sheet.widths.isEmpty {
            xml += "<cols>" + sheet.widths.enumerated().map { "<col min=\"\($0 + 1)\" max=\"\($0 + 1)\" width=\"\($1)\" customWidth=\"1\"/>" }.joined() + "</cols>"
        }
        xml += "<sheetData>"
        for (r, row) in sheet.rows.enumerated() {
            xml += "<row r=\"\(r + 1)\">"
            for (c, cell) in row.enumerated() {
                let ref = column(c) + String(r + 1)
                let style = sheet.header && r == 0 ? " s=\"1\"" : ""
                switch cell {
                case let .text(text):
                    xml += "<c r=\"\(ref)\" t=\"inlineStr\"\(style)><is><t xml:space=\"preserve\">\(escape(text))</t></is></c>"
                case let .number(value) where value.isFinite:
                    xml += "<c r=\"\(ref)\"\(style.isEmpty ? " s=\"2\"" : style)><v>\(value)</v></c>"
                default:
                    break
                }
            }
            xml += "</row>"
        }
        return xml + "</sheetData></worksheet>"
    }

    /// `0` → `A`, `26` → `AA`.
    static func column(_ index: Int) -> String {
        var n = index + 1, name = ""
        while n > 0 {
            let r = (n - 1) % 26
            name = String(UnicodeScalar(65 + r)!) + name
            n = (n - 1) / 26
        }
        return name
    }

    /// Text made safe for XML, without the control characters XML 1.0 forbids.
    static func escape(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default: if scalar.value >= 0x20 { out.unicodeScalars.append(scalar) }
            }
        }
        return out
    }

    // MARK: Reading

    struct XLSXError: Error, CustomStringConvertible {
        var description: String
    }

    /// The cells of the sheet called `name` (or the first sheet), by row then column, as text
    /// (numbers as written in the file). Missing cells are nil.
    static func read(_ data: Data, sheet name: String?) throws -> [[String?]] {
        let archive: Archive
        do { archive = try Archive(data: data, accessMode: .read) } catch {
            throw XLSXError(description: "the file is not an .xlsx spreadsheet")
        }
        func entry(_ path: String, limit: Int = 50 * 1024 * 1024) throws -> Data? {
            guard let e = archive[path] else { return nil }
            guard e.uncompressedSize <= limit else { throw XLSXError(description: "the spreadsheet is too large") }
            var out = Data()
            _ = try archive.extract(e, skipCRC32: false) { out.append($0) }
            return out
        }
        guard let workbook = try entry("xl/workbook.xml") else { throw XLSXError(description: "the file is not an .xlsx spreadsheet") }
        let sheets = XMLScan.elements(workbook, named: "sheet")
        guard let chosen = sheets.first(where: { $0["name"] == name }) ?? (name == nil ? sheets.first : nil) else {
            throw XLSXError(description: "the sheet '\(name ?? "")' is missing")
        }
        var target = "xl/worksheets/sheet1.xml"
        if let rid = chosen["r:id"], let relsData = try entry("xl/_rels/workbook.xml.rels"),
           let rel = XMLScan.elements(relsData, named: "Relationship").first(where: { $0["Id"] == rid }), let t = rel["Target"] {
            target = t.hasPrefix("/") ? String(t.dropFirst()) : "xl/" + t
        }
        let shared = try entry("xl/sharedStrings.xml").map(XMLScan.sharedStrings) ?? []
        guard let sheetData = try entry(target) else { throw XLSXError(description: "the sheet '\(name ?? "")' is missing") }
        return try XMLScan.cells(sheetData, shared: shared)
    }

    /// `B7` → (row 6, column 1).
    static func position(_ ref: String) -> (Int, Int)? {
        var col = 0, digits = ""
        for ch in ref.uppercased() {
            if let a = ch.asciiValue, (65...90).contains(a), digits.isEmpty { col = col * 26 + Int(a - 64) }
            else if ch.isNumber { digits.append(ch) } else { return nil }
        }
        guard col > 0, let row = Int(digits), row > 0 else { return nil }
        return (row - 1, col - 1)
    }
}

/// Small streaming readers for the parts of an .xlsx Pilar needs.
private enum XMLScan {
    final class Collector: NSObject, XMLParserDelegate {
        var onStart: (String, [String: String]) -> Void = { _, _ in }
        var onEnd: (String) -> Void = { _ in }
        var onText: (String) -> Void = { _ in }
        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) { onStart(qualifiedName ?? name, attributes) }
        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            onEnd(qualifiedName ?? name)
        }
        func parser(_ parser: XMLParser, foundCharacters string: String) { onText(string) }
    }

    static func local(_ name: String) -> String { name.split(separator: ":").last.map(String.init) ?? name }

    static func parse(_ data: Data, _ c: Collector) throws {
        let parser = XMLParser(data: data)
        parser.delegate = c
        parser.shouldResolveExternalEntities = false
        guard parser.parse() else { throw XLSX.XLSXError(description: "the spreadsheet's XML is damaged") }
    }

    static func elements(_ data: Data, named name: String) -> [[String: String]] {
        let c = Collector()
        var found: [[String: String]] = []
        c.onStart = { n, a in if local(n) == name { found.append(a) } }
        try? parse(data, c)
        return found
    }

    static func sharedStrings(_ data: Data) throws -> [String] {
        let c = Collector()
        var strings: [String] = [], current = "", inText = false, inPhonetic = false
        c.onStart = { n, _ in
            switch local(n) {
            case "si": current = ""
            case "t": inText = true
            case "rPh": inPhonetic = true
            default: break
            }
        }
        c.onEnd = { n in
            switch local(n) {
            case "si": strings.append(current)
            case "t": inText = false
            case "rPh": inPhonetic = false
            default: break
            }
        }
        c.onText = { s in if inText && !inPhonetic { current += s } }
        try parse(data, c)
        return strings
    }

    static func cells(_ data: Data, shared: [String]) throws -> [[String?]] {
        let c = Collector()
        var rows: [[String?]] = []
        var ref = "", type = "", value = "", inValue = false, inInline = false
        var nextRow = 0, nextCol = 0
        c.onStart = { n, a in
            switch local(n) {
            case "row":
                if let r = a["r"].flatMap(Int.init) { nextRow = r - 1 }
                nextCol = 0
            case "c":
                ref = a["r"] ?? ""
                type = a["t"] ?? ""
                value = ""
            case "v": inValue = true
            case "t": if type == "inlineStr" { inInline = true }
            default: break
            }
        }
        c.onText = { s in if inValue || inInline { value += s } }
        c.onEnd = { n in
            switch local(n) {
            case "v": inValue = false
            case "t": inInline = false
            case "row": nextRow += 1
            case "c":
                let (r, col) = XLSX.position(ref) ?? (nextRow, nextCol)
                nextCol = col + 1
                var text: String? = value
                if type == "s" { text = Int(value).flatMap { $0 < shared.count ? shared[$0] : nil } }
                if type == "b" { text = value == "1" ? "TRUE" : "FALSE" }
                guard r < 100_000, col < 200 else { return }
                while rows.count <= r { rows.append([]) }
                while rows[r].count <= col { rows[r].append(nil) }
                rows[r][col] = (text?.isEmpty ?? true) ? nil : text
            default: break
            }
        }
        try parse(data, c)
        return rows
    }
}
