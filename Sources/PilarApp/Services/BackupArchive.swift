import Crypto
import Fluent
import Foundation
import NIOCore
import SQLKit
import Vapor
import ZIPFoundation

extension Backup {
    struct Summary: Sendable {
        var tables = 0
        var rows = 0
        var files = 0
        var bytes: Int64 = 0
    }

    // MARK: pilar backup

    /// Writes the archive to `path` (through `path.partial`, renamed when whole): every table read
    /// in one read-only transaction (a snapshot while the server writes on), then the files that
    /// snapshot refers to, each checked against its SHA-256 on the way.
    static func write(app: Application, to path: String) async throws -> Summary {
        guard let sql = app.db as? any SQLDatabase else { throw Refused(description: "the database does not speak SQL") }
        let work = path + ".parts-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: work) }
        let database = isSQLite(sql) ? "sqlite" : "postgres"
        let snapshot: (tables: [Table], files: [File], migrations: [String]) = try await app.db.transaction { tx in
            guard let sql = tx as? any SQLDatabase else { throw Refused(description: "the database does not speak SQL") }
            if !isSQLite(sql) { try await sql.raw("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY").run() }
            let migrations = try await migrations(sql)
            var tables: [Table] = []
            for name in try await Backup.tables(sql) {
                let columns = try await columns(sql, table: name)
                let file = (work as NSString).appendingPathComponent("\(name).jsonl")
                FileManager.default.createFile(atPath: file, contents: nil)
                let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: file))
                defer { try? handle.close() }
                var hasher = SHA256()
                var buffer = Data()
                func emit(_ line: Data) throws {
                    buffer.append(line)
                    buffer.append(0x0A)
                    if buffer.count > 1 << 16 { hasher.update(data: buffer); try handle.write(contentsOf: buffer); buffer.removeAll(keepingCapacity: true) }
                }
                let encoder = JSONEncoder()
                try emit(try encoder.encode(columns.map(\.name)))
                var rows = 0
                try await eachRow(sql, table: name, columns: columns) { cells in
                    try emit(try encoder.encode(cells))
                    rows += 1
                }
                hasher.update(data: buffer)
                try handle.write(contentsOf: buffer)
                tables.append(Table(name: name, columns: columns.map(\.name), rows: rows,
                                    sha256: hasher.finalize().hex))
            }
            let files = try await sql.select().distinct().column("sha256").column("size").from(EvidenceVersion.schema)
                .orderBy("sha256").all()
                .map { File(sha256: try $0.decode(column: "sha256", as: String.self), size: Int64(try $0.decode(column: "size", as: Int.self))) }
            var unique: [File] = []
            for file in files where unique.last?.sha256 != file.sha256 { unique.append(file) }
            return (tables, unique, migrations)
        }

        let partial = path + ".partial"
        FileManager.default.createFile(atPath: partial, contents: nil, attributes: [.posixPermissions: 0o600])
        let out = try FileHandle(forWritingTo: URL(fileURLWithPath: partial))
        var zip = ZipStream(date: app.now) { try out.write(contentsOf: $0) }
        var summary = Summary()
        do {
            for table in snapshot.tables {
                let file = (work as NSString).appendingPathComponent("\(table.name).jsonl")
                let size = (try FileManager.default.attributesOfItem(atPath: file)[.size] as? NSNumber)?.uint64Value ?? 0
                let reader = try FileHandle(forReadingFrom: URL(fileURLWithPath: file))
                defer { try? reader.close() }
                try await zip.add(name: table.entry, size: size) {
                    let chunk = try reader.read(upToCount: 1 << 20)
                    return chunk?.isEmpty == false ? chunk : nil
                }
                summary.tables += 1
                summary.rows += table.rows
            }
            for file in snapshot.files {
                let blob: BlobReader
                do {
                    blob = try await app.blobStore.open(sha256: file.sha256)
                } catch {
                    throw Refused(description: "the file \(file.sha256) is missing from the file store; `pilar files check` lists what it belongs to")
                }
                var hasher = SHA256()
                try await zip.add(name: file.entry, size: UInt64(file.size)) {
                    guard let chunk = try await blob.next() else { return nil }
                    let data = Data(chunk.readableBytesView)
                    hasher.update(data: data)
                    return data
                }
                guard hasher.finalize().hex == file.sha256 else {
                    throw Refused(description: "the stored file \(file.sha256) is damaged (its bytes hash to something else); `pilar files check` lists what it belongs to")
                }
                summary.files += 1
                summary.bytes += file.size
            }
            let manifest = Manifest(format: format, createdAt: app.now, database: database, migrations: snapshot.migrations,
                                    tables: snapshot.tables, files: snapshot.files)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            encoder.dateEncodingStrategy = .iso8601
            try await zip.add(name: manifestName, data: try encoder.encode(manifest))
            try await zip.finish()
            try out.synchronize()
            try out.close()
            if FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(atPath: path) }
            try FileManager.default.moveItem(atPath: partial, toPath: path)
        } catch {
            try? out.close()
            try? FileManager.default.removeItem(atPath: partial)
            throw error
        }
        return summary
    }

    // MARK: pilar restore

    /// Loads an archive into an empty database and file store. The archive is read through once
    /// and checked whole first (every entry's CRC-32, every table's SHA-256 and row count, every
    /// file's SHA-256 and size, every value); only then are the files stored and the rows
    /// inserted, in one transaction. A refusal or a failure leaves the database as it was and
    /// removes the files it had added.
    static func restore(app: Application, from path: String) async throws -> Summary {
        guard let sql = app.db as? any SQLDatabase else { throw Refused(description: "the database does not speak SQL") }
        guard FileManager.default.fileExists(atPath: path) else { throw Refused(description: "\(path): no such file") }
        let archive: Archive
        do {
            archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
        } catch {
            throw Refused(description: "\(path) is not a ZIP archive or is damaged or cut short (\(error)); nothing was restored")
        }
        func damaged(_ what: String) -> Refused {
            Refused(description: "\(path) is damaged: \(what); nothing was restored")
        }
        guard let manifestEntry = archive[manifestName] else {
            throw Refused(description: "\(path) is not a Pilar backup (it has no \(manifestName)); nothing was restored")
        }
        var manifestData = Data()
        do {
            guard try archive.extract(manifestEntry, consumer: { manifestData.append($0) }) == manifestEntry.checksum else {
                throw damaged("\(manifestName) does not match its CRC-32")
            }
        } catch let refused as Refused {
            throw refused
        } catch {
            throw damaged("\(manifestName) cannot be read (\(error))")
        }
        /// Extracts an entry to a file; ZIPFoundation returns the CRC-32 of what it read, and
        /// comparing it with the archive's is ours to do.
        func extract(_ entry: Entry, to file: String) throws {
            let crc: CRC32
            do {
                crc = try archive.extract(entry, to: URL(fileURLWithPath: file))
            } catch {
                throw damaged("\(entry.path) cannot be read (\(error))")
            }
            guard crc == entry.checksum else { throw damaged("\(entry.path) does not match its CRC-32") }
        }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        guard let manifest = try? decoder.decode(Manifest.self, from: manifestData) else { throw damaged("\(manifestName) is not a backup description") }
        guard manifest.format == format else {
            throw Refused(description: "\(path) is a backup of format \(manifest.format); this Pilar reads format \(format); nothing was restored")
        }

        // The target: migrated, of the same schema, empty.
        let migrated = try await migrations(sql)
        guard migrated == manifest.migrations else {
            let missing = Set(manifest.migrations).subtracting(migrated).sorted(), extra = Set(migrated).subtracting(manifest.migrations).sorted()
            throw Refused(description: "\(path) was made by a Pilar of another schema (missing here: \(missing.joined(separator: ", ")); not in the backup: \(extra.joined(separator: ", "))): restore it with the Pilar version that made it, then upgrade; nothing was restored")
        }
        let targetTables = try await tables(sql)
        guard Set(targetTables) == Set(manifest.tables.map(\.name)) else {
            throw damaged("its tables (\(manifest.tables.map(\.name).sorted().joined(separator: ", "))) are not this schema's")
        }
        var columnsOf: [String: [Column]] = [:]
        for table in manifest.tables {
            let columns = try await columns(sql, table: table.name)
            guard Set(columns.map(\.name)) == Set(table.columns), table.columns.count == columns.count else {
                throw damaged("the columns of \(table.name) are not this schema's")
            }
            columnsOf[table.name] = table.columns.map { name in columns.first { $0.name == name }! }
            if !replaceable.contains(table.name),
               let row = try await sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from(table.name).first(),
               try row.decode(column: "n", as: Int.self) > 0 {
                throw Refused(description: "the database is not empty (\(table.name) has rows): a backup is restored only into an empty database; nothing was restored")
            }
        }

        // Everything checked before anything is written.
        let work = (app.config.dataDirectory as NSString).appendingPathComponent("files/tmp/restore-\(UUID().uuidString)")
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: work) }
        let sqlite = isSQLite(sql)
        for table in manifest.tables {
            guard let entry = archive[table.entry] else { throw damaged("\(table.entry) is missing") }
            let file = (work as NSString).appendingPathComponent("\(table.name).jsonl")
            try extract(entry, to: file)
            var hasher = SHA256()
            var rows = -1
            try eachLine(file) { line in
                hasher.update(data: line)
                hasher.update(data: Data([0x0A]))
                if rows == -1 {
                    guard (try? decoder.decode([String].self, from: line)) == table.columns else { throw damaged("\(table.entry) does not begin with its columns") }
                } else {
                    guard let cells = try? decoder.decode([Cell].self, from: line), cells.count == table.columns.count else {
                        throw damaged("\(table.entry) row \(rows + 1) cannot be read")
                    }
                    for (cell, column) in zip(cells, columnsOf[table.name]!) {
                        _ = try expression(cell, column, sqlite: sqlite, table: table.name)
                    }
                }
                rows += 1
            }
            guard hasher.finalize().hex == table.sha256, rows == table.rows else {
                throw damaged("\(table.entry) is not what was written (its SHA-256 or its \(table.rows) rows differ)")
            }
        }
        var staged: [(File, String)] = []
        for file in manifest.files {
            guard let entry = archive[file.entry] else { throw damaged("\(file.entry) is missing") }
            let target = try app.blobStore.stagingPath()
            staged.append((file, target))
            try extract(entry, to: target)
            let (sha, size) = try hashFile(target)
            guard sha == file.sha256, size == file.size else { throw damaged("\(file.entry) does not hash to its name") }
        }
        defer { for (_, target) in staged { try? FileManager.default.removeItem(atPath: target) } }

        // Files first (a file nothing refers to yet harms nothing), then every row at once.
        var added: [String] = []
        var summary = Summary()
        do {
            for (file, target) in staged {
                if try await app.blobStore.put(stagedFile: target, sha256: file.sha256) { added.append(file.sha256) }
                summary.files += 1
                summary.bytes += file.size
            }
            let order = try await dependencyOrder(sql, tables: manifest.tables.map(\.name))
            let columnsByTable = columnsOf
            try await app.db.transaction { tx in
                guard let sql = tx as? any SQLDatabase else { throw Refused(description: "the database does not speak SQL") }
                for name in order.reversed() where replaceable.contains(name) { try await sql.delete(from: name).run() }
                for name in order {
                    let columns = columnsByTable[name]!
                    let batch = max(1, 4000 / max(1, columns.count))
                    var pending: [[any SQLExpression]] = []
                    func flush() async throws {
                        guard !pending.isEmpty else { return }
                        var insert = sql.insert(into: name).columns(columns.map(\.name))
                        for row in pending { insert = insert.values(row) }
                        try await insert.run()
                        pending.removeAll()
                    }
                    let file = (work as NSString).appendingPathComponent("\(name).jsonl")
                    var first = true
                    for line in try lines(file) {
                        if first { first = false; continue }
                        let cells = try decoder.decode([Cell].self, from: line)
                        pending.append(try zip(cells, columns).map { try expression($0, $1, sqlite: sqlite, table: name) })
                        if pending.count >= batch { try await flush() }
                    }
                    try await flush()
                }
            }
            summary.tables = manifest.tables.count
            summary.rows = manifest.tables.reduce(0) { $0 + $1.rows }
        } catch {
            for sha in added { try? await app.blobStore.remove(sha256: sha) }
            throw error
        }
        return summary
    }

    /// Calls `body` with each line of a file (without its newline), reading 1 MiB at a time.
    static func eachLine(_ path: String, _ body: (Data) throws -> Void) throws {
        let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        var pending = Data()
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            pending.append(chunk)
            var start = pending.startIndex
            while let newline = pending[start...].firstIndex(of: 0x0A) {
                try body(pending[start..<newline])
                start = pending.index(after: newline)
            }
            pending = Data(pending[start...])
        }
        if !pending.isEmpty { try body(pending) }
    }

    /// The lines of a file, a table's worth (read on restore, after it was checked).
    static func lines(_ path: String) throws -> [Data] {
        var all: [Data] = []
        try eachLine(path) { all.append(Data($0)) }
        return all
    }

    static func hashFile(_ path: String) throws -> (String, Int64) {
        let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        var hasher = SHA256()
        var size: Int64 = 0
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            hasher.update(data: chunk)
            size += Int64(chunk.count)
        }
        return (hasher.finalize().hex, size)
    }
}
