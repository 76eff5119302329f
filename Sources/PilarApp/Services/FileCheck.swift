import Fluent
import Crypto
import Foundation
import SQLKit
import Vapor

/// `pilar files check`: every file the database refers to (each evidence version's SHA-256 and
/// size) read back from the file store, hashed and compared. A file is *missing* when the store
/// does not have it or cannot open it, *damaged* when its bytes hash to something else or have
/// another length. Read-only; the store is streamed, so a 300 MB file never sits in memory.
enum FileCheck {
    struct Reference: Sendable, Equatable {
        var region: String
        var evidence: String
        var version: Int
        var name: String

        var description: String { "\(region) · \"\(evidence)\" v\(version) (\(name))" }
    }

    enum Problem: Sendable, Equatable {
        case missing(sha256: String, references: [Reference])
        case damaged(sha256: String, expectedSize: Int64, actualSHA256: String, actualSize: Int64, references: [Reference])

        var sha256: String {
            switch self {
            case let .missing(sha, _), let .damaged(sha, _, _, _, _): sha
            }
        }

        var line: String {
            switch self {
            case let .missing(sha, refs):
                "missing  \(sha)  \(refs.map(\.description).joined(separator: "; "))"
            case let .damaged(sha, expected, actual, size, refs):
                "damaged  \(sha)  \(refs.map(\.description).joined(separator: "; ")) — the stored bytes hash to \(actual) (\(size) bytes, expected \(expected))"
            }
        }
    }

    struct Report: Sendable {
        var files = 0
        var versions = 0
        var bytes: Int64 = 0
        var problems: [Problem] = []
    }

    static func run(db: any Database, store: any BlobStore) async throws -> Report {
        guard let sql = db as? any SQLDatabase else { throw Abort(.internalServerError) }
        let rows = try await RowColumns.all(sql.select()
            .column(SQLColumn("sha256", table: "v")).column(SQLColumn("size", table: "v"))
            .column(SQLColumn("number", table: "v")).column(SQLColumn("original_name", table: "v"))
            .column(SQLColumn("title", table: "e")).column(SQLColumn("code", table: "r"))
            .from(SQLAlias(SQLIdentifier(EvidenceVersion.schema), as: SQLIdentifier("v")))
            .join(SQLAlias(SQLIdentifier(Evidence.schema), as: SQLIdentifier("e")), on: SQLColumn("evidence_id", table: "v"), .equal, SQLColumn("id", table: "e"))
            .join(SQLAlias(SQLIdentifier(Region.schema), as: SQLIdentifier("r")), on: SQLColumn("region_id", table: "e"), .equal, SQLColumn("id", table: "r"))
            .orderBy(SQLColumn("sha256", table: "v")))
        var report = Report()
        var files: [(sha: String, size: Int64, refs: [Reference])] = []
        for row in rows {
            let sha = try row.string("sha256")
            let ref = Reference(region: try row.string("code"), evidence: try row.string("title"), version: try row.int("number"),
                                name: try row.string("original_name"))
            if files.last?.sha == sha { files[files.count - 1].refs.append(ref) } else {
                files.append((sha, Int64(try row.int("size")), [ref]))
            }
        }
        report.versions = rows.count
        for file in files {
            report.files += 1
            report.bytes += file.size
            // Opening fails for a file the store does not have: one look, not two.
            guard let reader = try? await store.open(sha256: file.sha) else {
                report.problems.append(.missing(sha256: file.sha, references: file.refs))
                continue
            }
            var hasher = SHA256()
            var size: Int64 = 0
            do {
                while let chunk = try await reader.next() {
                    chunk.withUnsafeReadableBytes { hasher.update(bufferPointer: $0) }
                    size += Int64(chunk.readableBytes)
                }
            } catch {
                report.problems.append(.missing(sha256: file.sha, references: file.refs))
                continue
            }
            let actual = hasher.finalize().map { String(format: "%02x", $0) }.joined()
            if actual != file.sha || size != file.size {
                report.problems.append(.damaged(sha256: file.sha, expectedSize: file.size, actualSHA256: actual, actualSize: size,
                                                references: file.refs))
            }
        }
        return report
    }
}
