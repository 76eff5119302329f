import Fluent
import Foundation
import NIOCore
import SQLKit
import Vapor

/// Evidence files kept in the database (`PILAR_FILES=postgres`), so every `pilar serve` on one
/// PostgreSQL reaches every file without a shared mount. Content-addressed like the folder store:
/// `stored_files` holds one row per SHA-256, `stored_file_chunks` its bytes in chunks of 1 MiB.
/// Both directions go a chunk at a time: a 300 MB file never sits whole in memory. A file's row
/// and all its chunks are written in one transaction, so a file is either whole or absent; two
/// processes storing the same bytes at once store them once (the second waits on the first's
/// row, then finds it).
struct DatabaseBlobStore: BlobStore {
    static let filesTable = "stored_files"
    static let chunksTable = "stored_file_chunks"
    static let chunkSize = 1 << 20

    /// Uploads are staged on this machine's disk while they are hashed and checked.
    let staging: StagingFolder
    /// The application's database, looked up when used (the store lives in the application).
    let database: @Sendable () throws -> any Database

    init(dataDirectory: String, database: @escaping @Sendable () throws -> any Database) {
        staging = StagingFolder(folder: ((dataDirectory as NSString).appendingPathComponent("files") as NSString)
            .appendingPathComponent("tmp"))
        self.database = database
    }

    private func sql() throws -> any SQLDatabase {
        guard let sql = try database() as? any SQLDatabase else { throw Abort(.internalServerError, reason: "the file store needs an SQL database") }
        return sql
    }

    func stagingPath() throws -> String { try staging.newPath() }

    func removeAbandonedStaging() -> Int { staging.removeAbandoned() }

    func localPath(sha256: String) -> String? { nil }

    @discardableResult
    func put(stagedFile: String, sha256: String) async throws -> Bool {
        defer { try? FileManager.default.removeItem(atPath: stagedFile) }
        let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: stagedFile))
        defer { try? handle.close() }
        let size = Int64(try handle.seekToEnd())
        try handle.seek(toOffset: 0)
        let chunks = Int((size + Int64(Self.chunkSize) - 1) / Int64(Self.chunkSize))
        return try await database().transaction { tx in
            guard let sql = tx as? any SQLDatabase else { throw Abort(.internalServerError) }
            // Waits for another transaction storing the same bytes; inserts nothing once it has.
            let inserted = try await sql.insert(into: Self.filesTable)
                .columns("sha256", "size", "chunks", "stored_at")
                .values(SQLBind(sha256), SQLBind(size), SQLBind(chunks), SQLBind(Date()))
                .ignoringConflicts(with: "sha256")
                .returning("sha256")
                .all()
            guard !inserted.isEmpty else { return false }
            var seq = 0
            while let data = try handle.read(upToCount: Self.chunkSize), !data.isEmpty {
                try await sql.insert(into: Self.chunksTable)
                    .columns("sha256", "seq", "data")
                    .values(SQLBind(sha256), SQLBind(seq), SQLBind(data))
                    .run()
                seq += 1
            }
            guard seq == chunks else {
                throw Abort(.internalServerError, reason: "the staged file \(stagedFile) changed while it was stored")
            }
            return true
        }
    }

    @discardableResult
    func put(_ chunks: AsyncThrowingStream<ByteBuffer, any Error>, sha256: String) async throws -> Bool {
        try await put(stagedFile: try staging.write(chunks), sha256: sha256)
    }

    func exists(sha256: String) async throws -> Bool {
        try await sql().select().column("sha256").from(Self.filesTable).where("sha256", .equal, sha256).first() != nil
    }

    func open(sha256: String) async throws -> BlobReader {
        let sql = try sql()
        guard let row = try await sql.select().column("size").column("chunks").from(Self.filesTable)
            .where("sha256", .equal, sha256).first() else {
            throw Abort(.notFound, reason: "no stored file \(sha256)")
        }
        let size = try row.decode(column: "size", as: Int64.self)
        let count = try row.decode(column: "chunks", as: Int.self)
        let cursor = ChunkCursor(count: count)
        return BlobReader(size: size) {
            guard let seq = cursor.take() else { return nil }
            guard let chunk = try await sql.select().column("data").from(Self.chunksTable)
                .where("sha256", .equal, sha256).where("seq", .equal, seq).first() else {
                throw Abort(.internalServerError, reason: "stored file \(sha256) lacks its chunk \(seq)")
            }
            return ByteBuffer(data: try chunk.decode(column: "data", as: Data.self))
        }
    }

    func remove(sha256: String) async throws {
        // The chunks go with their file's row (ON DELETE CASCADE).
        try await sql().delete(from: Self.filesTable).where("sha256", .equal, sha256).run()
    }

    /// The next chunk to read; used by one reader at a time.
    private final class ChunkCursor: @unchecked Sendable {
        private var next = 0
        private let count: Int
        private let lock = NSLock()
        init(count: Int) { self.count = count }
        func take() -> Int? {
            lock.withLock {
                guard next < count else { return nil }
                defer { next += 1 }
                return next
            }
        }
    }
}
