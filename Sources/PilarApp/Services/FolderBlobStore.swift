import Foundation
import NIOCore
import Vapor

/// Files in the data folder (or a shared mount), each stored once under a name derived from its
/// SHA-256 (`files/ab/abcdef…`). Nothing here is reachable from the public folder. Staging files
/// sit in `files/tmp` on the same file system, so keeping an upload is an atomic move.
struct FolderBlobStore: BlobStore {
    let root: String

    init(dataDirectory: String) {
        root = (dataDirectory as NSString).appendingPathComponent("files")
    }

    func localPath(sha256: String) -> String? { path(for: sha256) }

    private func path(for sha256: String) -> String {
        (root as NSString).appendingPathComponent("\(sha256.prefix(2))/\(sha256)")
    }

    private var staging: StagingFolder { StagingFolder(folder: (root as NSString).appendingPathComponent("tmp")) }

    func stagingPath() throws -> String { try staging.newPath() }

    func removeAbandonedStaging() -> Int { staging.removeAbandoned() }

    @discardableResult
    func put(stagedFile: String, sha256: String) async throws -> Bool {
        let fm = FileManager.default
        let final = path(for: sha256)
        try fm.createDirectory(atPath: (final as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        if fm.fileExists(atPath: final) {
            try? fm.removeItem(atPath: stagedFile)
            return false
        }
        do {
            try fm.moveItem(atPath: stagedFile, toPath: final)
        } catch where fm.fileExists(atPath: final) {
            // Another request stored the same bytes in the meantime.
            try? fm.removeItem(atPath: stagedFile)
            return false
        }
        return true
    }

    @discardableResult
    func put(_ chunks: AsyncThrowingStream<ByteBuffer, any Error>, sha256: String) async throws -> Bool {
        try await put(stagedFile: try staging.write(chunks), sha256: sha256)
    }

    func exists(sha256: String) async throws -> Bool {
        FileManager.default.fileExists(atPath: path(for: sha256))
    }

    func open(sha256: String) async throws -> BlobReader {
        let file = path(for: sha256)
        let size = ((try? FileManager.default.attributesOfItem(atPath: file))?[.size] as? NSNumber)?.int64Value ?? 0
        let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: file))
        let box = HandleBox(handle)
        return BlobReader(size: size) {
            try box.read()
        }
    }

    func remove(sha256: String) async throws {
        try? FileManager.default.removeItem(atPath: path(for: sha256))
    }

    /// A file handle read by one task at a time, closed at the end.
    private final class HandleBox: @unchecked Sendable {
        private var handle: FileHandle?
        init(_ handle: FileHandle) { self.handle = handle }
        func read() throws -> ByteBuffer? {
            guard let handle else { return nil }
            if let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty { return ByteBuffer(data: chunk) }
            try? handle.close()
            self.handle = nil
            return nil
        }
        deinit { try? handle?.close() }
    }
}
