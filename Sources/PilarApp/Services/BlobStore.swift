import Foundation
import NIOCore
import Vapor

/// Where evidence files and programme documents live, content-addressed by their SHA-256: the same
/// bytes are stored once however many records point at them. The application holds one store
/// (`Application.blobStore`, made in `configure`); the folder store is the first implementation.
///
/// An upload is first written to a staging file on local disk while it is hashed and its type is
/// checked (`stagingPath`), then handed to the store (`put(stagedFile:)`) or discarded.
protocol BlobStore: Sendable {
    /// A new staging file path for an upload as it arrives.
    func stagingPath() throws -> String
    /// Stores a staged file under `sha256`; the staged file is consumed either way.
    /// Returns true when the content is new (false: the same bytes were already stored).
    @discardableResult
    func put(stagedFile: String, sha256: String) async throws -> Bool
    /// Stores the bytes of a stream, read to its end, under `sha256` (the caller's hash of them).
    @discardableResult
    func put(_ chunks: AsyncThrowingStream<ByteBuffer, any Error>, sha256: String) async throws -> Bool
    /// Whether the content is stored.
    func exists(sha256: String) async throws -> Bool
    /// The content's bytes in chunks, for a download or the bundle.
    func open(sha256: String) async throws -> BlobReader
    /// Removes the content (used when the write that would have referenced new content failed).
    func remove(sha256: String) async throws
    /// A path on this machine's disk when the store keeps files there (downloads then use the
    /// server's file streaming, with ranges and ETags); nil for a store elsewhere.
    func localPath(sha256: String) -> String?
    /// Removes what uploads cut off by a crash left behind (run at start-up); returns how many.
    func removeAbandonedStaging() -> Int
}

extension BlobStore {
    /// Removes a staged file that is not kept (a refused upload).
    func discard(stagedFile: String) {
        try? FileManager.default.removeItem(atPath: stagedFile)
    }

    /// Stores bytes held in memory (seeds and tests).
    @discardableResult
    func put(_ data: Data, sha256: String) async throws -> Bool {
        let stream = AsyncThrowingStream<ByteBuffer, any Error> { continuation in
            continuation.yield(ByteBuffer(data: data))
            continuation.finish()
        }
        return try await put(stream, sha256: sha256)
    }
}

/// A stored file's bytes, read chunk by chunk; `next()` returns nil at the end.
struct BlobReader: Sendable {
    let size: Int64
    let next: @Sendable () async throws -> ByteBuffer?
}
