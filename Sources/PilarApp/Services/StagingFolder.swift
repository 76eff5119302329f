import Foundation
import NIOCore
import Vapor

/// Where uploads are written while they arrive, before a file store keeps them: names
/// `HOST~PID~UUID` say which process on which host writes each, so a process that starts can
/// tell an upload cut off by a crash (its process is gone) from one still arriving in another
/// process sharing the folder.
struct StagingFolder: Sendable {
    let folder: String

    func newPath() throws -> String {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return (folder as NSString).appendingPathComponent("\(Self.host)~\(getpid())~\(UUID().uuidString)")
    }

    static let host = ProcessInfo.processInfo.hostName.map { $0.isLetter || $0.isNumber || $0 == "." ? $0 : "_" }
        .reduce(into: "") { $0.append($1) }

    /// Writes a stream, read to its end, to a new staging file (readable by this user only) and
    /// returns its path; nothing is left behind when the stream fails.
    func write(_ chunks: AsyncThrowingStream<ByteBuffer, any Error>) async throws -> String {
        let staged = try newPath()
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
            try? FileManager.default.removeItem(atPath: staged)
            throw error
        }
        return staged
    }

    /// Removes the staging files of uploads whose process on this host is gone (killed in the
    /// middle of an upload), and any staging file untouched for a day; returns how many.
    func removeAbandoned() -> Int {
        let fm = FileManager.default
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
}
