import Foundation
import NIOCore
import NIOPosix
import Vapor

/// Uploaded files in the data folder, each stored once under a name derived from its SHA-256
/// (`files/ab/abcdef…`). Nothing here is reachable from the public folder.
struct BlobStore {
    let root: String

    init(dataDirectory: String) {
        root = (dataDirectory as NSString).appendingPathComponent("files")
    }

    func path(for sha256: String) -> String {
        (root as NSString).appendingPathComponent("\(sha256.prefix(2))/\(sha256)")
    }

    /// A new temporary file path inside the store (same file system, so moving it is atomic).
    func temporaryPath() throws -> String {
        let folder = (root as NSString).appendingPathComponent("tmp")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return (folder as NSString).appendingPathComponent(UUID().uuidString)
    }

    /// Moves a finished temporary file to its SHA-256 name. Returns true if the blob is new
    /// (false: the same content was already stored, and the temporary file is removed).
    @discardableResult
    func commit(temporary: String, sha256: String) throws -> Bool {
        let fm = FileManager.default
        let final = path(for: sha256)
        try fm.createDirectory(atPath: (final as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        if fm.fileExists(atPath: final) {
            try? fm.removeItem(atPath: temporary)
            return false
        }
        try fm.moveItem(atPath: temporary, toPath: final)
        return true
    }

    func remove(_ path: String) {
        try? FileManager.default.removeItem(atPath: path)
    }
}
