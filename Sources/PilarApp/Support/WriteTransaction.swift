import Fluent
import SQLKit
import Vapor

extension Database {
    /// A transaction that writes in `region`, counted in that region's row of `region_generations`
    /// (committed with it), so the region's cached pages and cycles know the data changed
    /// (`Generation`). A write in one region leaves every other region's caches alone, and no
    /// statement is shared by the write transactions of different regions.
    ///
    /// SQLite starts transactions deferred: one that reads and then writes while another connection
    /// is writing fails at once with "database is locked" (its busy handler is not consulted, to
    /// avoid a deadlock). There the count is therefore the first statement, which takes the write
    /// lock before anything is read, so concurrent writers wait their turn as `BEGIN IMMEDIATE`
    /// would (SQLite has one writer for the whole file anyway). On PostgreSQL it is the last, so the
    /// region's row is locked only from then until the commit.
    func writeTransaction<T: Sendable>(region: UUID, _ closure: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        try await transaction { tx in
            let sql = tx as? any SQLDatabase
            let sqlite = sql?.dialect.name == "sqlite"
            if sqlite, let sql { try await Generation.bump(sql, region: region) }
            let result = try await closure(tx)
            if !sqlite, let sql { try await Generation.bump(sql, region: region) }
            return result
        }
    }
}

extension Request {
    /// A write transaction in the signed-in user's region (see `Database.writeTransaction(region:)`);
    /// every user writes only in their own region.
    func writeTransaction<T: Sendable>(_ closure: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        let region = try requireUser().regionID
        let result = try await db.writeTransaction(region: region, closure)
        storage[Generation.RequestGeneration.self] = nil // what this request reads next is newer
        return result
    }
}

/// The count of committed write transactions per region: a cache entry of a region made at
/// generation g is still right while the region's count is g. A region without a row has count 0.
enum Generation {
    static func current(_ db: any Database, region: UUID) async throws -> Int64 {
        guard let sql = db as? any SQLDatabase else { return -1 }
        let row = try await sql.select().column("n").from("region_generations")
            .where("region_id", .equal, SQLBind(region)).first()
        return try row?.decode(column: "n", as: Int64.self) ?? 0
    }

    /// The region's count, read once per request: from the session lookup when the request is
    /// about the signed-in user's region (`DatabaseSessions`), else from the database.
    static func current(_ req: Request, region: UUID) async throws -> Int64 {
        if let known = req.storage[RequestGeneration.self], known.region == region { return known.n }
        let n = try await current(req.db, region: region)
        req.storage[RequestGeneration.self] = (region, n)
        return n
    }

    static func bump(_ sql: any SQLDatabase, region: UUID) async throws {
        try await sql.raw("""
            INSERT INTO region_generations (region_id, n) VALUES (\(bind: region), 1)
            ON CONFLICT (region_id) DO UPDATE SET n = region_generations.n + 1
            """).run()
    }

    struct RequestGeneration: StorageKey { typealias Value = (region: UUID, n: Int64) }
}
