import Fluent
import Foundation
import SQLKit
import Vapor
@testable import PilarApp

/// Every row of every table as text, to show that a refused request changed nothing. Sessions, the
/// sign-in throttle and inbox reminders (which any page view may add) are left out.
struct DatabaseSnapshot: Equatable {
    var tables: [String: [String]]

    static let ignored: Set<String> = ["pilar_sessions", "signin_throttle", "notifications", "_fluent_migrations", "_fluent_sessions"]

    static func take(_ db: any Database) async throws -> DatabaseSnapshot {
        guard let sql = db as? any SQLDatabase else { return DatabaseSnapshot(tables: [:]) }
        let names: [String]
        if sql.dialect.name == "sqlite" {
            names = try await sql.raw("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all()
                .map { try $0.decode(column: "name", as: String.self) }
        } else {
            names = try await sql.raw("SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema()").all()
                .map { try $0.decode(column: "name", as: String.self) }
        }
        var tables: [String: [String]] = [:]
        for name in names where !ignored.contains(name) {
            let rows = try await sql.raw("SELECT * FROM \(ident: name)").all()
            tables[name] = rows.map(Self.text).sorted()
        }
        return DatabaseSnapshot(tables: tables)
    }

    /// A row as `column=value` pairs, each value decoded as the first type that fits.
    static func text(_ row: any SQLRow) -> String {
        row.allColumns.sorted().map { column -> String in
            if (try? row.decodeNil(column: column)) == true { return "\(column)=∅" }
            if let v = try? row.decode(column: column, as: String.self) { return "\(column)=\(v)" }
            if let v = try? row.decode(column: column, as: Int64.self) { return "\(column)=\(v)" }
            if let v = try? row.decode(column: column, as: Double.self) { return "\(column)=\(v)" }
            if let v = try? row.decode(column: column, as: Bool.self) { return "\(column)=\(v)" }
            if let v = try? row.decode(column: column, as: UUID.self) { return "\(column)=\(v)" }
            if let v = try? row.decode(column: column, as: Date.self) { return "\(column)=\(v.timeIntervalSince1970)" }
            if let v = try? row.decode(column: column, as: Data.self) { return "\(column)=\(v.base64EncodedString())" }
            return "\(column)=?"
        }.joined(separator: "|")
    }

    /// The tables whose rows differ, for a failure message.
    func changes(since before: DatabaseSnapshot) -> [String] {
        Set(tables.keys).union(before.tables.keys).sorted().filter { tables[$0] != before.tables[$0] }
    }
}
