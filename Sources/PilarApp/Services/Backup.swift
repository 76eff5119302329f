import Crypto
import Fluent
import FluentSQLiteDriver
import Foundation
import NIOCore
import SQLKit
import Vapor
import ZIPFoundation

/// `pilar backup` and `pilar restore`: one ZIP archive holding a consistent snapshot of every
/// table (one JSON-lines entry per table: its column names, then one array of values per row)
/// and every evidence file the snapshot refers to (`files/ab/<sha256>`), described by
/// `pilar-backup.json` (the schema's migrations, each table's row count and SHA-256, each file's
/// size). Values are written as the database holds them and converted on restore to the target's
/// column types, so a SQLite backup restores into PostgreSQL (and back).
enum Backup {
    static let format = 1
    static let manifestName = "pilar-backup.json"
    /// Not rows of the city: the migration log belongs to the target, the database file store's
    /// tables are written as files.
    static let skipped: Set<String> = ["_fluent_migrations", DatabaseBlobStore.filesTable, DatabaseBlobStore.chunksTable]
    /// Tables a fresh migration fills (the shipped instruments): replaced by the archive's rows.
    static let replaceable: Set<String> = ["instrument_versions", "instrument_nodes"]

    struct Manifest: Codable, Sendable {
        var format: Int
        var createdAt: Date
        var database: String
        var migrations: [String]
        var tables: [Table]
        var files: [File]
    }

    struct Table: Codable, Sendable {
        var name: String
        var columns: [String]
        var rows: Int
        var sha256: String
        var entry: String { "tables/\(name).jsonl" }
    }

    struct File: Codable, Sendable {
        var sha256: String
        var size: Int64
        var entry: String { "files/\(sha256.prefix(2))/\(sha256)" }
    }

    /// A refused restore or backup: the message says what is wrong; nothing was changed.
    struct Refused: Error, CustomStringConvertible {
        var description: String
    }

    /// One stored value, as the database gave it.
    enum Cell: Codable, Equatable, Sendable {
        case null, int(Int64), double(Double), text(String), bool(Bool), blob(Data)

        init(from decoder: any Decoder) throws {
            let c = try decoder.singleValueContainer()
            if c.decodeNil() { self = .null; return }
            if let b = try? c.decode(Bool.self) { self = .bool(b); return }
            if let i = try? c.decode(Int64.self) { self = .int(i); return }
            if let d = try? c.decode(Double.self) { self = .double(d); return }
            if let s = try? c.decode(String.self) { self = .text(s); return }
            let object = try c.decode([String: String].self)
            guard let base64 = object["base64"], let data = Data(base64Encoded: base64) else {
                throw DecodingError.dataCorruptedError(in: c, debugDescription: "not a value")
            }
            self = .blob(data)
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.singleValueContainer()
            switch self {
            case .null: try c.encodeNil()
            case let .int(i): try c.encode(i)
            case let .double(d): try c.encode(d)
            case let .text(s): try c.encode(s)
            case let .bool(b): try c.encode(b)
            case let .blob(d): try c.encode(["base64": d.base64EncodedString()])
            }
        }
    }

    /// What a column holds, read from the database's own description of it.
    enum Kind: Sendable { case uuid, date, bool, int, double, text, json, blob }

    struct Column: Sendable {
        var name: String
        var kind: Kind
    }

    // MARK: The schema as the database describes it

    static func isSQLite(_ sql: any SQLDatabase) -> Bool { sql.dialect.name == "sqlite" }

    static func tables(_ sql: any SQLDatabase) async throws -> [String] {
        let rows = isSQLite(sql)
            ? try await sql.raw("SELECT name AS t FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all()
            : try await sql.raw("SELECT table_name::text AS t FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'").all()
        return try rows.map { try $0.decode(column: "t", as: String.self) }.filter { !skipped.contains($0) }.sorted()
    }

    static func columns(_ sql: any SQLDatabase, table: String) async throws -> [Column] {
        if isSQLite(sql) {
            return try await sql.raw("PRAGMA table_info(\(ident: table))").all().map { row in
                let type = try row.decode(column: "type", as: String.self).uppercased()
                let kind: Kind = switch type {
                case "UUID": .uuid
                case "REAL": .date   // Fluent's datetime on SQLite; its double is DOUBLE
                case "DOUBLE", "FLOAT": .double
                case "INTEGER", "BIGINT", "INT", "BOOLEAN": .int
                case "BLOB": .blob
                case "JSON": .json
                default: .text
                }
                return Column(name: try row.decode(column: "name", as: String.self), kind: kind)
            }
        }
        return try await sql.raw("""
            SELECT column_name::text AS name, data_type::text AS type FROM information_schema.columns
            WHERE table_schema = current_schema() AND table_name = \(bind: table) ORDER BY ordinal_position
            """).all().map { row in
            let type = try row.decode(column: "type", as: String.self)
            let kind: Kind = switch type {
            case "uuid": .uuid
            case "timestamp with time zone", "timestamp without time zone", "date": .date
            case "boolean": .bool
            case "smallint", "integer", "bigint": .int
            case "double precision", "real", "numeric": .double
            case "bytea": .blob
            case "json", "jsonb": .json
            default: .text
            }
            return Column(name: try row.decode(column: "name", as: String.self), kind: kind)
        }
    }

    /// Tables ordered so that each comes after the tables it refers to.
    static func dependencyOrder(_ sql: any SQLDatabase, tables: [String]) async throws -> [String] {
        var refers: [String: Set<String>] = [:]
        if isSQLite(sql) {
            for table in tables {
                refers[table] = Set(try await sql.raw("PRAGMA foreign_key_list(\(ident: table))").all()
                    .map { try $0.decode(column: "table", as: String.self) })
            }
        } else {
            let rows = try await sql.raw("""
                SELECT DISTINCT tc.table_name::text AS t, ccu.table_name::text AS r
                FROM information_schema.table_constraints tc
                JOIN information_schema.constraint_column_usage ccu
                  ON tc.constraint_name = ccu.constraint_name AND tc.table_schema = ccu.table_schema
                WHERE tc.constraint_type = 'FOREIGN KEY' AND tc.table_schema = current_schema()
                """).all()
            for row in rows {
                refers[try row.decode(column: "t", as: String.self), default: []].insert(try row.decode(column: "r", as: String.self))
            }
        }
        var ordered: [String] = [], placed = Set<String>()
        var left = tables
        while !left.isEmpty {
            let ready = left.filter { refers[$0, default: []].subtracting([$0]).allSatisfy { placed.contains($0) || !tables.contains($0) } }
            guard !ready.isEmpty else { throw Refused(description: "the tables refer to each other in a circle: \(left.joined(separator: ", "))") }
            ordered += ready
            placed.formUnion(ready)
            left.removeAll { placed.contains($0) }
        }
        return ordered
    }

    static func migrations(_ sql: any SQLDatabase) async throws -> [String] {
        try await sql.select().column("name").from("_fluent_migrations").all()
            .map { try $0.decode(column: "name", as: String.self) }.sorted()
    }

    // MARK: Reading and writing values

    static func cell(_ row: any SQLRow, _ column: Column) throws -> Cell {
        if let sqlite = row as? SQLiteRow {
            switch sqlite.column(column.name) {
            case nil, .null?: return .null
            case let .integer(i)?: return .int(Int64(i))
            case let .float(d)?: return .double(d)
            case let .text(s)?: return .text(s)
            case let .blob(b)?: return .blob(Data(b.readableBytesView))
            }
        }
        if try row.decodeNil(column: column.name) { return .null }
        switch column.kind {
        case .uuid: return .text(try row.decode(column: column.name, as: UUID.self).uuidString.lowercased())
        case .date: return .double(try row.decode(column: column.name, as: Date.self).timeIntervalSince1970)
        case .bool: return .bool(try row.decode(column: column.name, as: Bool.self))
        case .int: return .int(try row.decode(column: column.name, as: Int64.self))
        case .double: return .double(try row.decode(column: column.name, as: Double.self))
        case .blob: return .blob(try row.decode(column: column.name, as: Data.self))
        case .text, .json: return .text(try row.decode(column: column.name, as: String.self))
        }
    }

    /// The column as selected: JSON read as text on PostgreSQL.
    static func selection(_ column: Column, sqlite: Bool) -> any SQLExpression {
        guard !sqlite, column.kind == .json else { return SQLIdentifier(column.name) }
        return SQLAlias(Cast(SQLIdentifier(column.name), as: "text"), as: SQLIdentifier(column.name))
    }

    /// `CAST(expression AS type)`.
    struct Cast: SQLExpression {
        var expression: any SQLExpression
        var type: String
        init(_ expression: any SQLExpression, as type: String) { (self.expression, self.type) = (expression, type) }
        func serialize(to serializer: inout SQLSerializer) {
            serializer.write("CAST(")
            expression.serialize(to: &serializer)
            serializer.write(" AS \(type))")
        }
    }

    /// A stored value as a bound parameter of the target's column type.
    static func expression(_ cell: Cell, _ column: Column, sqlite: Bool, table: String) throws -> any SQLExpression {
        func wrong() -> Refused {
            Refused(description: "\(table).\(column.name): the value \(cell) does not fit a \(column.kind) column")
        }
        if case .null = cell { return SQLLiteral.null }
        switch column.kind {
        case .uuid:
            guard case let .text(s) = cell, let uuid = UUID(uuidString: s) else { throw wrong() }
            return sqlite ? SQLBind(uuid.uuidString) : SQLBind(uuid)
        case .date:
            let seconds: Double
            switch cell {
            case let .double(d): seconds = d
            case let .int(i): seconds = Double(i)
            default: throw wrong()
            }
            return sqlite ? SQLBind(seconds) : SQLBind(Date(timeIntervalSince1970: seconds))
        case .bool, .int:
            let value: Int64
            switch cell {
            case let .int(i): value = i
            case let .bool(b): value = b ? 1 : 0
            case let .double(d) where d == d.rounded(): value = Int64(d)
            default: throw wrong()
            }
            return column.kind == .bool && !sqlite ? SQLBind(value != 0) : SQLBind(value)
        case .double:
            switch cell {
            case let .double(d): return SQLBind(d)
            case let .int(i): return SQLBind(Double(i))
            default: throw wrong()
            }
        case .text, .json:
            guard case let .text(s) = cell else { throw wrong() }
            return column.kind == .json && !sqlite ? Cast(SQLBind(s), as: "jsonb") : SQLBind(s)
        case .blob:
            guard case let .blob(d) = cell else { throw wrong() }
            return SQLBind(d)
        }
    }

    /// A value in a form both databases give alike (for comparing a restore with its source):
    /// UUIDs in lower case, times to the microsecond (PostgreSQL's resolution), truth as 0 or 1.
    static func comparable(_ cell: Cell, _ kind: Kind) -> String {
        switch (cell, kind) {
        case (.null, _): "null"
        case let (.text(s), .uuid): s.lowercased()
        case let (.double(d), .date): String(format: "%.6f", d)
        case let (.int(i), .date): String(format: "%.6f", Double(i))
        case let (.bool(b), _): b ? "1" : "0"
        case let (.int(i), _): "\(i)"
        case let (.double(d), _): "\(d)"
        case let (.text(s), _): "t:" + s
        case let (.blob(d), _): "b:" + d.base64EncodedString()
        }
    }

    /// Every row of a table, in key order, a page at a time.
    static func eachRow(_ sql: any SQLDatabase, table: String, columns: [Column], _ body: ([Cell]) throws -> Void) async throws {
        let sqlite = isSQLite(sql)
        let keyIndex = columns.firstIndex { $0.name == "id" } ?? 0
        let key = columns[keyIndex]
        var last: Cell?
        while true {
            var select = sql.select().from(table)
            for column in columns { select = select.column(selection(column, sqlite: sqlite)) }
            if let last { select = select.where(SQLIdentifier(key.name), .greaterThan, try expression(last, key, sqlite: sqlite, table: table)) }
            let rows = try await select.orderBy(SQLIdentifier(key.name)).limit(1000).all()
            for row in rows {
                let cells = try columns.map { try cell(row, $0) }
                try body(cells)
                last = cells[keyIndex]
            }
            if rows.count < 1000 { return }
        }
    }
}

extension SHA256.Digest {
    /// The digest as 64 lower-case hex digits, as files are named and stored.
    var hex: String { map { String(format: "%02x", $0) }.joined() }
}
