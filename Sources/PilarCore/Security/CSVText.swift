/// One CSV cell as text Excel and LibreOffice read back as the same text, never as a formula.
///
/// Indonesian Excel splits on `;` as well as `,`, so a cell is quoted whenever it holds either,
/// a tab, a quote or a line break; a cell whose first non-space character would start a formula
/// (`= + - @`, a tab or a carriage return) gets a leading `'`, unless it is a plain number.
public enum CSVText {
    public static func cell(_ text: String) -> String {
        var text = text
        let firstNonSpace = text.first(where: { $0 != " " })
        if let first = firstNonSpace, "=+-@\t\r".contains(first), Double(text) == nil {
            text = "'" + text
        }
        if text.contains(where: { $0 == "," || $0 == ";" || $0 == "\t" || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return text
    }

    /// A whole line of cells, joined by commas and ended by CRLF.
    public static func line(_ cells: [String]) -> String {
        cells.map(cell).joined(separator: ",") + "\r\n"
    }
}
