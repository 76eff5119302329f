import Fluent
import Foundation
import PilarCore
import Vapor

/// Imports instrument files into the database and serves parsed, compiled instruments.
/// Imported versions never change, so compiled ones are cached per process by version id.
final class InstrumentLibrary: @unchecked Sendable {
    private let lock = NSLock()
    private var cache: [UUID: CompiledInstrument] = [:]

    enum Outcome: Equatable {
        case imported(key: String, indicators: Int)
        case unchanged(key: String)
    }

    struct Conflict: Error, CustomStringConvertible {
        var key: String
        var description: String {
            "instrument '\(key)' is already imported with different content; imported versions are never edited in place, so give the new edition a new id"
        }
    }

    /// Validates `text` and stores it in one transaction; a bad file changes nothing.
    static func importInstrument(_ text: String, on db: any Database, now: Date) async throws -> Outcome {
        let instrument = try InstrumentParser.parse(text)
        let sha = SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
        if let existing = try await InstrumentVersion.query(on: db).filter(\.$key == instrument.id).first() {
            guard existing.sha256 == sha else { throw Conflict(key: instrument.id) }
            return .unchanged(key: instrument.id)
        }
        try await db.transaction { tx in
            let version = InstrumentVersion(
                key: instrument.id, title: instrument.title, authority: instrument.authority,
                edition: instrument.edition, isModel: instrument.isModel, source: text, sha256: sha, importedAt: now)
            try await version.create(on: tx)
            let versionID = try version.requireID()
            var records: [InstrumentNodeRecord] = []
            func add(_ node: InstrumentNode, parent: String?, top: String, depth: Int, pillar: String?) {
                let record = InstrumentNodeRecord()
                record.$version.id = versionID
                record.code = node.code
                record.parentCode = parent
                record.topCode = top
                record.kind = node.kind.rawValue
                record.title = node.title
                record.weight = node.weight
                record.pillar = node.pillar ?? pillar
                record.element = node.element
                record.naAllowed = node.naAllowed
                record.position = records.count
                record.depth = depth
                records.append(record)
                for child in node.children {
                    add(child, parent: node.code, top: top, depth: depth + 1, pillar: node.pillar ?? pillar)
                }
            }
            for group in instrument.groups { add(group, parent: nil, top: group.code, depth: 0, pillar: nil) }
            for start in stride(from: 0, to: records.count, by: 200) {
                try await Array(records[start..<min(start + 200, records.count)]).create(on: tx)
            }
        }
        return .imported(key: instrument.id, indicators: instrument.indicators.count)
    }

    /// Imports the files shipped in `Instruments/` that are not in the database yet.
    static func importBuiltIn(directory: String, on db: any Database, logger: Logger, now: Date) async throws {
        let folder = (directory as NSString).appendingPathComponent("Instruments")
        let files = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        for file in files.sorted() where file.hasSuffix(".yaml") || file.hasSuffix(".yml") || file.hasSuffix(".json") {
            let path = (folder as NSString).appendingPathComponent(file)
            let text = try String(contentsOfFile: path, encoding: .utf8)
            do {
                _ = try await importInstrument(text, on: db, now: now)
            } catch let conflict as Conflict {
                logger.warning("\(file): \(conflict.description); the imported version is kept")
            }
        }
    }

    /// The compiled instrument of the stored version `id`: its source text (large for a large
    /// instrument) is read from the database only the first time.
    func compiled(_ id: UUID, on db: any Database) async throws -> CompiledInstrument {
        if let hit = cached(id) { return hit }
        guard let version = try await InstrumentVersion.find(id, on: db) else { throw Abort(.internalServerError) }
        return try compiled(version)
    }

    private func cached(_ id: UUID) -> CompiledInstrument? {
        lock.withLock { cache[id] }
    }

    /// The compiled instrument of a stored version.
    func compiled(_ version: InstrumentVersion) throws -> CompiledInstrument {
        let id = try version.requireID()
        lock.lock()
        if let hit = cache[id] { lock.unlock(); return hit }
        lock.unlock()
        let compiled = CompiledInstrument(try InstrumentParser.parse(version.source))
        lock.lock()
        cache[id] = compiled
        lock.unlock()
        return compiled
    }
}

extension Application {
    private struct LibraryKey: StorageKey { typealias Value = InstrumentLibrary }

    var instruments: InstrumentLibrary {
        if let library = storage[LibraryKey.self] { return library }
        let library = InstrumentLibrary()
        storage[LibraryKey.self] = library
        return library
    }
}
