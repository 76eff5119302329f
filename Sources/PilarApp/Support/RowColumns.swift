import FluentSQLiteDriver
import Foundation
import SQLKit

/// Reading a large result column by column, for the few statements that read a whole cycle
/// (a thousand answers at scale 10, on every rebuild after a write): `SQLRowDecoder` builds a keyed
/// container per row and parses each UUID stored as text with `sscanf`, and SQLiteKit's row type
/// decodes every column through its generic `SQLiteDataDecoder` (an `Optional` through a nested
/// decoder and the runtime's metadata lookups), which together cost more than SQLite's reading of
/// the rows. On SQLite `RowColumns.all` runs the statement through SQLiteNIO itself and reads each
/// `SQLiteData` value directly, converted exactly as SQLiteKit converts it (`SQLiteDataConvertible`);
/// on PostgreSQL it reads through SQLKit's row.
struct RowColumns {
    private enum Storage {
        case sqlite(SQLiteRow)
        /// SQLite keeps UUIDs as text; PostgreSQL as `uuid`.
        case sql(any SQLRow, uuidsAsText: Bool)
    }

    private let storage: Storage

    init(_ row: any SQLRow, dialect: any SQLDialect) {
        storage = .sql(row, uuidsAsText: dialect.name == "sqlite")
    }

    init(sqlite row: SQLiteRow) {
        storage = .sqlite(row)
    }

    /// Every row of `query`, read column by column.
    static func all(_ select: SQLSelectBuilder) async throws -> [RowColumns] {
        let sql = select.database
        if let sqlite = sql as? any SQLiteDatabase {
            var serializer = SQLSerializer(database: sql)
            select.query.serialize(to: &serializer)
            let encoder = SQLiteDataEncoder()
            let binds = try serializer.binds.map { try encoder.encode($0) }
            return try await sqlite.query(serializer.sql, binds).map(RowColumns.init(sqlite:))
        }
        let dialect = sql.dialect
        return try await select.all().map { RowColumns($0, dialect: dialect) }
    }

    private func value<T: SQLiteDataConvertible & Decodable>(_ column: String, _: T.Type) throws -> T? {
        switch storage {
        case let .sqlite(row):
            guard let data = row.column(column) else { throw RowColumnsError.missing(column) }
            if case .null = data { return nil }
            guard let value = T(sqliteData: data) else { throw RowColumnsError.mismatch(column, "\(T.self)", "\(data)") }
            return value
        case let .sql(row, _):
            if try row.decodeNil(column: column) { return nil }
            return try row.decode(column: column, as: T.self)
        }
    }

    private func required<T: SQLiteDataConvertible & Decodable>(_ column: String, _ type: T.Type) throws -> T {
        guard let value = try value(column, type) else { throw RowColumnsError.null(column) }
        return value
    }

    func string(_ column: String) throws -> String { try required(column, String.self) }
    func optionalString(_ column: String) throws -> String? { try value(column, String.self) }
    func int(_ column: String) throws -> Int { try required(column, Int.self) }
    func optionalInt(_ column: String) throws -> Int? { try value(column, Int.self) }
    func optionalDouble(_ column: String) throws -> Double? { try value(column, Double.self) }
    func bool(_ column: String) throws -> Bool { try required(column, Bool.self) }
    func optionalDate(_ column: String) throws -> Date? { try value(column, Date.self) }

    /// A value stored as its raw text (the status enums).
    func raw<E: RawRepresentable>(_ column: String, as _: E.Type = E.self) throws -> E where E.RawValue == String {
        let text = try string(column)
        guard let value = E(rawValue: text) else { throw RowColumnsError.mismatch(column, "\(E.self)", text) }
        return value
    }

    func uuid(_ column: String) throws -> UUID {
        guard let id = try optionalUUID(column) else { throw RowColumnsError.null(column) }
        return id
    }

    func optionalUUID(_ column: String) throws -> UUID? {
        switch storage {
        case .sqlite:
            guard let text = try value(column, String.self) else { return nil }
            guard let id = UUID(hexText: text) else { throw RowColumnsError.mismatch(column, "UUID", text) }
            return id
        case let .sql(row, uuidsAsText):
            if try row.decodeNil(column: column) { return nil }
            if uuidsAsText, let text = try? row.decode(column: column, as: String.self), let id = UUID(hexText: text) { return id }
            return try row.decode(column: column, as: UUID.self)
        }
    }
}

/// A column `RowColumns` could not read, named.
enum RowColumnsError: Error, CustomStringConvertible {
    case missing(String)
    case null(String)
    case mismatch(String, String, String)

    var description: String {
        switch self {
        case let .missing(column): "column \(column) is not in the result"
        case let .null(column): "column \(column) is NULL"
        case let .mismatch(column, type, value): "column \(column) holds \(value), not a \(type)"
        }
    }
}

extension UUID {
    /// `XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX` (either case) without going through `sscanf`; nil
    /// for anything else.
    init?(hexText text: String) {
        var bytes: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        let ok: Bool = withUnsafeMutableBytes(of: &bytes) { out in
            var utf8 = text.utf8.makeIterator()
            var index = 0, position = 0
            func nibble(_ c: UInt8) -> UInt8? {
                switch c {
                case 0x30...0x39: c - 0x30
                case 0x41...0x46: c - 0x41 + 10
                case 0x61...0x66: c - 0x61 + 10
                default: nil
                }
            }
            while index < 16 {
                if position == 8 || position == 13 || position == 18 || position == 23 {
                    guard utf8.next() == 0x2D else { return false }
                    position += 1
                }
                guard let high = utf8.next().flatMap(nibble), let low = utf8.next().flatMap(nibble) else { return false }
                out[index] = high << 4 | low
                index += 1
                position += 2
            }
            return utf8.next() == nil
        }
        guard ok else { return nil }
        self.init(uuid: bytes)
    }
}
