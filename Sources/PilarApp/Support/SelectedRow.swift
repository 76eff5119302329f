import SQLKit

/// A plain row holding just the columns a page reads: SQLKit selects into it and no Fluent model
/// is built (decoding models costs a reflection walk per row, which dominated large pages). Its
/// coding keys are the column names, so the select and the decoding cannot drift apart.
protocol SelectedRow: Decodable, Sendable {
    associatedtype Columns: CodingKey & CaseIterable & RawRepresentable where Columns.RawValue == String
}

extension SQLSelectBuilder {
    /// Selects the columns of `Row` (of `table` when the query joins several).
    @discardableResult
    func columns<Row: SelectedRow>(of _: Row.Type, table: String? = nil) -> Self {
        columns(Row.Columns.allCases.map { SQLColumn($0.rawValue, table: table) })
    }
}

extension SelectedRow {
    /// The row's columns as a quoted select list (`"a", "b"`, or `t."a", t."b"` with `table`), for
    /// the statements of the busiest pages, written as SQL text: SQLKit's builder spends more on
    /// quoting each identifier than SQLite spends on running the statement.
    static func selectList(_ table: String? = nil) -> String {
        let prefix = table.map { "\($0)." } ?? ""
        return Columns.allCases.map { "\(prefix)\"\($0.rawValue)\"" }.joined(separator: ", ")
    }
}
