import Foundation
import Vapor

/// `pilar backup --to FILE`: one archive of a consistent snapshot, while the server runs.
struct BackupCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "to", help: "The archive to write (a ZIP file; replaced when it exists).")
        var to: String?
    }

    var help: String { "Writes every table and every evidence file to one archive (a consistent snapshot, while the server runs)." }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard let path = signature.to, !path.isEmpty else {
            context.console.error("Name the archive: pilar backup --to FILE")
            throw ExitCode(2)
        }
        let app = context.application
        try await Startup.migrateSchema(app)
        do {
            let summary = try await Backup.write(app: app, to: path)
            let size = ByteCountFormatter.string(fromByteCount: summary.bytes, countStyle: .file)
            context.console.print("Wrote \(path): \(summary.tables) tables, \(summary.rows) rows, \(summary.files) files (\(size)).")
        } catch let refused as Backup.Refused {
            context.console.error("Backup not written: \(refused.description)")
            throw ExitCode(1)
        }
    }
}

/// `pilar restore FILE`: loads an archive into an empty database and file store (`DATABASE_URL`
/// names PostgreSQL to move a SQLite city there).
struct RestoreCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "file", help: "The archive written by pilar backup.")
        var file: String
    }

    var help: String { "Loads a backup into an empty database and data folder (DATABASE_URL set: into PostgreSQL)." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        try await Startup.migrateSchema(app)
        do {
            let summary = try await Backup.restore(app: app, from: signature.file)
            let size = ByteCountFormatter.string(fromByteCount: summary.bytes, countStyle: .file)
            context.console.print("Restored \(signature.file) into \(app.config.database.kindName): \(summary.tables) tables, \(summary.rows) rows, \(summary.files) files (\(size)).")
        } catch let refused as Backup.Refused {
            context.console.error("Not restored: \(refused.description)")
            throw ExitCode(1)
        }
    }
}
