import Crypto
import Foundation
import NIOCore
import NIOPosix
import PilarCore
import Vapor

/// Reads a multipart form from the request body as it arrives: small fields into memory (capped),
/// the one file part (named `file`) straight to a temporary file while hashing it, so memory stays flat however
/// large the file is. The caller commits or removes the temporary file.
///
/// The file's name is untrusted: it is read with RFC 6266/5987 rules (quoted strings, `filename*`),
/// cleaned of control, DEL, bidi and path characters (`SafeFileName.cleanOriginal`) before anything
/// looks at its extension, and a form with a second file part is refused.
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
        /// More than one file part, or a file in a field other than `file`.
        case multipleFiles
        /// The file store's disk is full.
        case storageFull
    }

    var fields: [String: String] = [:]
    var file: File?

    /// Parses the request body. On any failure the temporary file is removed before throwing.
    static func read(_ req: Request, store: any BlobStore, maxFileBytes: Int64) async throws -> MultipartUpload {
        guard let contentType = req.headers.contentType, contentType.type == "multipart", contentType.subType == "form-data",
              let boundary = contentType.parameters["boundary"], !boundary.isEmpty
        else { throw Failure.notMultipart }
        let state = State()
        let parser = MultipartStream(boundary: boundary)
        parser.onHeader = { name, value in state.header(name, value) }
        parser.onBody = { buffer in state.body(&buffer) }
        parser.onPartComplete = { state.partComplete() }
        let temporary = try store.stagingPath()
        var keep = false
        defer { if !keep { store.discard(stagedFile: temporary) } }
        try await req.application.fileio.withFileHandle(
            path: temporary, mode: .write, flags: .allowFileCreation(posixMode: 0o600)
        ) { handle in
            for try await chunk in req.body {
                do { try parser.execute(chunk) } catch is MultipartStream.Failure { throw Failure.malformed }
                if let problem = state.problem { throw problem }
                for buffer in state.takePending() {
                    state.size += Int64(buffer.readableBytes)
                    if state.size > maxFileBytes { throw Failure.tooLarge(limit: maxFileBytes) }
                    do {
                        try await req.application.fileio.write(fileHandle: handle, buffer: buffer)
                    } catch let error as IOError where error.errnoCode == ENOSPC || error.errnoCode == EDQUOT {
                        throw Failure.storageFull
                    }
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

        var fileParts = 0

        func header(_ name: String, _ value: String) {
            guard name.lowercased() == "content-disposition" else { return }
            let parameters = Self.parameters(value)
            currentName = parameters["name"]
            currentFilename = (parameters["filename*"] ?? parameters["filename"]).map { SafeFileName.cleanOriginal($0) }
            if currentFilename != nil {
                fileParts += 1
                if fileParts > 1 || currentName != "file" { problem = .multipleFiles }
            }
        }

        func body(_ buffer: inout ByteBuffer) {
            if currentFilename != nil && currentName == "file" {
                guard fileParts == 1 else { return }
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
                if fileParts == 1 { fileComplete = true }
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

        /// The parameters of a Content-Disposition header (`form-data; name="a"; filename="b;c.pdf"`),
        /// keys lowercased. Quoted values may hold `;`; a backslash escapes only `"` and `\\` (browsers
        /// send Windows paths unescaped); `filename*=UTF-8''…` is percent-decoded (RFC 5987).
        static func parameters(_ header: String) -> [String: String] {
            var result: [String: String] = [:]
            let chars = Array(header.unicodeScalars)
            var i = 0
            // Skip the disposition type.
            while i < chars.count, chars[i] != ";" { i += 1 }
            while i < chars.count {
                i += 1  // the ';'
                while i < chars.count, chars[i] == " " || chars[i] == "\t" { i += 1 }
                var key = ""
                while i < chars.count, chars[i] != "=", chars[i] != ";" { key.unicodeScalars.append(chars[i]); i += 1 }
                key = key.trimmingCharacters(in: .whitespaces).lowercased()
                guard i < chars.count, chars[i] == "=" else { continue }
                i += 1
                while i < chars.count, chars[i] == " " { i += 1 }
                var value = ""
                if i < chars.count, chars[i] == "\"" {
                    i += 1
                    while i < chars.count, chars[i] != "\"" {
                        if chars[i] == "\\", i + 1 < chars.count, chars[i + 1] == "\"" || chars[i + 1] == "\\" { i += 1 }
                        value.unicodeScalars.append(chars[i])
                        i += 1
                    }
                    i += 1  // the closing quote
                    while i < chars.count, chars[i] != ";" { i += 1 }
                } else {
                    while i < chars.count, chars[i] != ";" { value.unicodeScalars.append(chars[i]); i += 1 }
                    value = value.trimmingCharacters(in: .whitespaces)
                }
                if key.hasSuffix("*") {
                    // charset'language'percent-encoded
                    let pieces = value.split(separator: "'", maxSplits: 2, omittingEmptySubsequences: false)
                    guard pieces.count == 3, pieces[0].lowercased() == "utf-8",
                          let decoded = String(pieces[2]).removingPercentEncoding else { continue }
                    value = decoded
                }
                if result[key] == nil { result[key] = value }
            }
            return result
        }
    }
}
