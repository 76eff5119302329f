import Foundation
import NIOCore
import Vapor

/// One line per request, as JSON, for a service manager's journal or a log collector: when it
/// ended (UTC), the request id (the one the error page shows), the method, the path without its
/// query (a query can hold what someone searched for), the status, the time taken in milliseconds
/// and the signed-in user's id when there is one. First in the chain, so it sees the status the
/// error middleware made. The lines go to `Application.requestLogSink` (standard output unless a
/// test collects them); `PILAR_REQUEST_LOG=off` turns them off.
struct RequestLogMiddleware: Middleware {
    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        let started = NIODeadline.now()
        return next.respond(to: request).always { result in
            let status: Int
            switch result {
            case let .success(response): status = Int(response.status.code)
            case .failure: status = 500
            }
            let elapsed = Double((NIODeadline.now() - started).nanoseconds) / 1_000_000
            request.application.requestLogSink(Self.line(
                at: request.now, id: request.id, method: request.method.rawValue, path: request.url.path,
                status: status, milliseconds: elapsed, user: request.auth.get(User.self)?.id))
        }
    }

    /// Each line in one write to standard output (made once, not per request).
    static let standardOutput: @Sendable (String) -> Void = { line in
        // Whatever `print` still holds (the start-up lines) once, before the first line;
        // then each line in one write (whole lines even when requests end at the same
        // moment on two threads).
        StdoutFlush.once()
        var bytes = Array(line.utf8)
        bytes.append(0x0A)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { write(STDOUT_FILENO, $0.baseAddress! + offset, $0.count - offset) }
            if written <= 0 { if errno == EINTR { continue }; return }
            offset += written
        }
    }

    static func line(at date: Date, id: String, method: String, path: String, status: Int, milliseconds: Double,
                     user: UUID?) -> String {
        var out = "{\"time\":\"\(timestamp(date))\",\"id\":"
        json(id, into: &out)
        out += ",\"method\":"
        json(method, into: &out)
        out += ",\"path\":"
        json(path, into: &out)
        let tenths = Int((milliseconds * 10).rounded())
        out += ",\"status\":\(status),\"ms\":\(tenths / 10).\(tenths % 10)"
        if let user { out += ",\"user\":\"\(user.uuidString)\"" }
        out += "}"
        return out
    }

    /// `2026-12-02T06:01:02.345Z` (without `String(format:)`, which cost more than the rest of the line).
    static func timestamp(_ date: Date) -> String {
        let t = date.timeIntervalSince1970
        var seconds = time_t(t.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        let millis = min(999, Int((t - t.rounded(.down)) * 1000))
        func pad(_ n: Int, _ width: Int) -> String {
            let digits = String(n)
            return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
        }
        return "\(pad(Int(parts.tm_year) + 1900, 4))-\(pad(Int(parts.tm_mon) + 1, 2))-\(pad(Int(parts.tm_mday), 2))T"
            + "\(pad(Int(parts.tm_hour), 2)):\(pad(Int(parts.tm_min), 2)):\(pad(Int(parts.tm_sec), 2)).\(pad(millis, 3))Z"
    }

    /// A JSON string: quotes, backslashes and control characters escaped.
    static func json(_ text: String, into out: inout String) {
        out += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}

extension Application {
    private struct RequestLogSinkKey: StorageKey { typealias Value = @Sendable (String) -> Void }

    /// Where `RequestLogMiddleware` writes its lines: standard output, one whole line per write.
    var requestLogSink: @Sendable (String) -> Void {
        get {
            storage[RequestLogSinkKey.self] ?? RequestLogMiddleware.standardOutput
        }
        set { storage[RequestLogSinkKey.self] = newValue }
    }
}

/// Flushes the C library's buffered output once (`fflush` of every stream costs a lock each).
private enum StdoutFlush {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var done = false

    static func once() {
        lock.lock()
        defer { lock.unlock() }
        guard !done else { return }
        fflush(nil)
        done = true
    }
}
