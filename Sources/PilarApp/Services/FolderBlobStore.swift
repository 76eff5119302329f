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

    /// `files/tmp/HOST~PID~UUID`: which process on which host is writing it, so a process that
    /// starts can tell an upload cut off by a crash (its process is gone) from one still arriving
    /// in another process sharing the folder.
    func stagingPath() throws -> String {
        let folder = (root as NSString).appendingPathComponent("tmp")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return (folder as NSString).appendingPathComponent("\(Self.host)~\(getpid())~\(UUID().uuidString)")
    }

    static let host = ProcessInfo.processInfo.hostName.map { $0.isLetter || $0.isNumber || $0 == "." ? $0 : "_" }
        .reduce(into: "") { $0.append($1) }

    /// Removes the staging files of uploads whose process on this host is gone (killed in the
    /// middle of an upload), and any staging file untouched for a day; returns how many.
    func removeAbandonedStaging() -> Int {
        let fm = FileManager.default
        let folder = (root as NSString).appendingPathComponent("tmp")
        guard let names = try? fm.contentsOfDirectory(atPath: folder) else { return 0 }
        var removed = 0
        for name in names {
            let file = (folder as NSString).appendingPathComponent(name)
            let parts = name.split(separator: "~")
            var abandoned = false
            if parts.count == 3, String(parts[0]) == Self.host, let pid = Int32(parts[1]), pid != getpid() {
                abandoned = kill(pid, 0) != 0 && errno == ESRCH
            }
            if !abandoned, let modified = (try? fm.attributesOfItem(atPath: file))?[.modificationDate] as? Date,
               modified < Date().addingTimeInterval(-86_400) {
                abandoned = true
            }
            if abandoned, (try? fm.removeItem(atPath: file)) != nil { removed += 1 }
        }
        return removed
    }

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
        let staged = try stagingPath()
        guard FileManager.default.createFile(atPath: staged, contents: nil, attributes: [.posixPermissions: 0o600]),
              let handle = FileHandle(forWritingAtPath: staged) else {
            throw Abort(.internalServerError, reason: "cannot write \(staged)")
        }
        do {
            for try await var chunk in chunks {
                if let bytes = chunk.readData(length: chunk.readableBytes) { try handle.write(contentsOf: bytes) }
            }
            try handle.close()
        } catch {
            try? handle.close()
            discard(stagedFile: staged)
            throw error
        }
        return try await put(stagedFile: staged, sha256: sha256)
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
