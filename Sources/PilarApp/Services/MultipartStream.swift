import Foundation
import NIOCore

/// A `multipart/form-data` parser for a body that arrives in chunks (RFC 7578 / RFC 2046 §5.1).
/// The delimiters are found with libc's `memchr` and `memcmp`, and the part bodies are handed on as slices of
/// what arrived, so it runs at memory speed even in a debug build — multipart-kit's byte-by-byte
/// parser manages about 1 MB/s unoptimised, which made `swift run pilar serve` unusable for
/// uploads. Memory stays bounded: at most one chunk plus a delimiter's length is held.
final class MultipartStream {
    enum Failure: Error, Equatable {
        /// Something other than a delimiter, a header block or a body where one was due.
        case malformed
    }

    /// A header of the part that begins (name, value), before any of its body.
    var onHeader: (String, String) -> Void = { _, _ in }
    /// A piece of the current part's body; a part's body may come in several pieces.
    var onBody: (inout ByteBuffer) -> Void = { _ in }
    /// The current part is complete.
    var onPartComplete: () -> Void = {}
    /// The closing delimiter has been read: the form is whole.
    private(set) var finished = false

    /// A part's header block larger than this is refused.
    static let maxHeaderBytes = 16 * 1024

    private enum Stage { case preamble, afterDelimiter, headers, body, epilogue }
    private var stage = Stage.preamble
    private var buffer = ByteBuffer()
    /// `--boundary` opens the first part; `CRLF--boundary` ends every part.
    private let dashBoundary: [UInt8]
    private let delimiter: [UInt8]
    private static let blankLine: [UInt8] = Array("\r\n\r\n".utf8)

    init(boundary: String) {
        dashBoundary = Array("--\(boundary)".utf8)
        delimiter = Array("\r\n--\(boundary)".utf8)
    }

    func execute(_ chunk: ByteBuffer) throws {
        guard stage != .epilogue else { return }
        buffer.writeImmutableBuffer(chunk)
        while try step() {}
        buffer.discardReadBytes()
    }

    /// One move of the state machine; false when it needs more bytes.
    private func step() throws -> Bool {
        switch stage {
        case .preamble:
            // Anything before the first delimiter is a preamble and ignored.
            guard let at = find(dashBoundary) else {
                buffer.moveReaderIndex(forwardBy: max(0, buffer.readableBytes - (dashBoundary.count - 1)))
                return false
            }
            buffer.moveReaderIndex(forwardBy: at + dashBoundary.count)
            stage = .afterDelimiter
            return true
        case .afterDelimiter:
            guard buffer.readableBytes >= 2, let two = buffer.getBytes(at: buffer.readerIndex, length: 2) else { return false }
            buffer.moveReaderIndex(forwardBy: 2)
            if two == [0x2D, 0x2D] {  // "--": the closing delimiter
                finished = true
                stage = .epilogue
                buffer.clear()
                return false
            }
            guard two == [0x0D, 0x0A] else { throw Failure.malformed }
            stage = .headers
            return true
        case .headers:
            // A part without headers starts with the blank line straight away.
            if buffer.readableBytes >= 2, buffer.getBytes(at: buffer.readerIndex, length: 2) == [0x0D, 0x0A] {
                buffer.moveReaderIndex(forwardBy: 2)
                stage = .body
                return true
            }
            guard let end = find(Self.blankLine) else {
                if buffer.readableBytes > Self.maxHeaderBytes { throw Failure.malformed }
                return false
            }
            guard end <= Self.maxHeaderBytes, let block = buffer.readString(length: end) else { throw Failure.malformed }
            buffer.moveReaderIndex(forwardBy: Self.blankLine.count)
            for line in block.split(separator: "\r\n", omittingEmptySubsequences: true) {
                guard let colon = line.firstIndex(of: ":") else { throw Failure.malformed }
                onHeader(line[..<colon].trimmingCharacters(in: .whitespaces),
                         line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
            }
            stage = .body
            return true
        case .body:
            if let at = find(delimiter) {
                if at > 0, var piece = buffer.readSlice(length: at) { onBody(&piece) }
                buffer.moveReaderIndex(forwardBy: delimiter.count)
                onPartComplete()
                stage = .afterDelimiter
                return true
            }
            // Everything but a possible start of the delimiter belongs to the body.
            let safe = buffer.readableBytes - (delimiter.count - 1)
            if safe > 0, var piece = buffer.readSlice(length: safe) { onBody(&piece) }
            return false
        case .epilogue:
            return false
        }
    }

    /// Where `needle` first occurs in the unread bytes, relative to the reader index: libc's
    /// `memchr` finds each candidate first byte and `memcmp` checks the rest (glibc's `memmem` is
    /// not visible to Swift).
    private func find(_ needle: [UInt8]) -> Int? {
        buffer.withUnsafeReadableBytes { haystack -> Int? in
            guard let base = haystack.baseAddress, haystack.count >= needle.count else { return nil }
            return needle.withUnsafeBytes { n -> Int? in
                guard let rest = n.baseAddress else { return nil }
                let last = haystack.count - needle.count
                var from = 0
                while from <= last {
                    guard let hit = memchr(base + from, Int32(needle[0]), last - from + 1) else { return nil }
                    let at = base.distance(to: UnsafeRawPointer(hit))
                    if memcmp(base + at, rest, needle.count) == 0 { return at }
                    from = at + 1
                }
                return nil
            }
        }
    }
}
