import Crypto
import Foundation
import NIOCore
import NIOPosix
import Vapor

/// Reads a multipart form from the request body as it arrives: small fields into memory (capped),
/// the one file part (named `file`) straight to a temporary file while hashing it, so memory stays flat however
/// large the file is. The caller commits or removes the temporary file.
struct MultipartUpload {
    struct File {
        var filename: String
        var temporaryPath: String
        var size: Int64
        var sha256: String
        /// The first bytes, for checking the type.
        var head: [UInt8]
    }

    enum Failure: Error {
        case notMultipart
        case tooLarge(limit: Int64)
        case interrupted
        case malformed
        case fieldTooLong(String)
    }

    var fields: [String: String] = [:]
    var file: File?

    /// Parses the request body. On any failure the temporary file is removed before throwing.
    static func read(_ req: Request, store: BlobStore, maxFileBytes: Int64) async throws -> MultipartUpload {
        guard let contentType = req.headers.contentType, contentType.type == "multipart", contentType.subType == "form-data",
              let boundary = contentType.parameters["boundary"], !boundary.isEmpty
        else { throw Failure.notMultipart }
        let state = State()
        let parser = MultipartStream(boundary: boundary)
        parser.onHeader = { name, value in state.header(name, value) }
        parser.onBody = { buffer in state.body(&buffer) }
        parser.onPartComplete = { state.partComplete() }
        let temporary = try store.temporaryPath()
        var keep = false
        defer { if !keep { store.remove(temporary) } }
        try await req.application.fileio.withFileHandle(
            path: temporary, mode: .write, flags: .allowFileCreation(posixMode: 0o600)
        ) { handle in
            for try await chunk in req.body {
                do { try parser.execute(chunk) } catch is MultipartStream.Failure { throw Failure.malformed }
                if let problem = state.problem { throw problem }
                for buffer in state.takePending() {
                    state.size += Int64(buffer.readableBytes)
                    if state.size > maxFileBytes { throw Failure.tooLarge(limit: maxFileBytes) }
                    try await req.application.fileio.write(fileHandle: handle, buffer: buffer)
                }
            }
        }
        // Whole only when the closing delimiter arrived: a body cut off anywhere is refused.
        guard parser.finished else { throw Failure.interrupted }
        var upload = MultipartUpload(fields: state.fields)
        if let name = state.filename, state.fileComplete {
            upload.file = File(filename: name, temporaryPath: temporary, size: state.size,
                               sha256: state.hasher.finalize().map { String(format: "%02x", $0) }.joined(),
                               head: state.head)
            keep = true
        }
        return upload
    }

    /// Parser state, mutated only from the one task reading the body.
    final class State: @unchecked Sendable {
        static let maxFieldBytes = 64 * 1024
        /// All text fields together: a form of many small fields cannot fill the memory either.
        static let maxFormBytes = 1024 * 1024
        static let maxParts = 200
        var formBytes = 0
        var parts = 0
        var fields: [String: String] = [:]
        var currentName: String?
        var currentFilename: String?
        var currentData: [UInt8] = []
        var filename: String?
        var fileComplete = false
        var hasher = SHA256()
        var head: [UInt8] = []
        var pending: [ByteBuffer] = []
        var size: Int64 = 0
        var problem: Failure?

        func header(_ name: String, _ value: String) {
            guard name.lowercased() == "content-disposition" else { return }
            currentName = Self.parameter("name", in: value)
            currentFilename = Self.parameter("filename", in: value)
        }

        func body(_ buffer: inout ByteBuffer) {
            if currentFilename != nil && currentName == "file" {
                if filename == nil { filename = currentFilename }
                hasher.update(data: buffer.readableBytesView)
                if head.count < 4096 { head += buffer.readableBytesView.prefix(4096 - head.count) }
                pending.append(buffer)
            } else {
                currentData += buffer.readableBytesView
                formBytes += buffer.readableBytes
                if currentData.count > Self.maxFieldBytes || formBytes > Self.maxFormBytes {
                    problem = .fieldTooLong(currentName ?? "?")
                }
            }
        }

        func partComplete() {
            parts += 1
            if parts > Self.maxParts { problem = .fieldTooLong(currentName ?? "?") }
            if currentFilename != nil && currentName == "file" {
                if filename == nil { filename = currentFilename }
                fileComplete = true
            } else if let name = currentName {
                fields[name] = String(decoding: currentData, as: UTF8.self)
            }
            currentName = nil
            currentFilename = nil
            currentData = []
        }

        func takePending() -> [ByteBuffer] {
            defer { pending = [] }
            return pending
        }

        /// `name="value"` from a Content-Disposition header.
        static func parameter(_ key: String, in header: String) -> String? {
            for part in header.split(separator: ";") {
                let pair = part.trimmingCharacters(in: .whitespaces)
                guard pair.lowercased().hasPrefix(key + "=") else { continue }
                var value = String(pair.dropFirst(key.count + 1))
                if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = String(value.dropFirst().dropLast()) }
                return value.replacingOccurrences(of: "\\\"", with: "\"")
            }
            return nil
        }
    }
}
