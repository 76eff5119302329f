import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import PilarApp

/// One JSON line per request (`RequestLogMiddleware`), collected here instead of standard output.
@Suite("Request log")
struct RequestLogTests {
    final class Lines: @unchecked Sendable {
        private let lock = NSLock()
        private var lines: [String] = []
        func append(_ line: String) { lock.withLock { lines.append(line) } }
        var records: [[String: Any]] {
            lock.withLock { lines }.compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        }
        var count: Int { lock.withLock { lines.count } }
    }

    @Test func everyRequestIsOneLineWithItsIdStatusAndTime() async throws {
        try await withPilar(config: { $0.requestLog = true }) { app in
            let lines = Lines()
            app.requestLogSink = { lines.append($0) }
            let b = try await Browser.signedIn(app, Demo.coordinator)
            let before = lines.count
            let page = try await b.get("/dashboard?cari=rahasia")
            #expect(page.status == .ok)
            #expect(try await b.get("/no-such-page").status == .notFound)
            #expect(try await Browser(app).get("/actions").status != .ok, "not signed in")
            let records = Array(lines.records.dropFirst(before))
            #expect(records.count == 3)
            let coordinator = try #require(try await User.query(on: app.db).filter(\.$username == Demo.coordinator.0).first())
            let dashboard = try #require(records.first)
            #expect(dashboard["method"] as? String == "GET")
            #expect(dashboard["path"] as? String == "/dashboard", "the query is not logged")
            #expect(dashboard["status"] as? Int == 200)
            #expect((dashboard["ms"] as? Double ?? -1) >= 0)
            #expect(dashboard["user"] as? String == coordinator.id?.uuidString)
            #expect(((dashboard["id"] as? String) ?? "").isEmpty == false)
            #expect((dashboard["time"] as? String ?? "").hasSuffix("Z"))
            #expect(records[1]["status"] as? Int == 404)
            #expect(records[2]["user"] == nil, "no user when nobody is signed in")
        }
    }

    @Test func aHostilePathStaysOneValidLine() {
        let line = RequestLogMiddleware.line(at: Date(timeIntervalSince1970: 1_669_852_800.25), id: "abc", method: "GET",
                                             path: "/a\"b\\c\n{}\u{1}", status: 400, milliseconds: 1.26, user: nil)
        #expect(!line.contains("\n"))
        let record = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
        #expect(record?["path"] as? String == "/a\"b\\c\n{}\u{1}")
        #expect(record?["time"] as? String == "2022-12-01T00:00:00.250Z")
        #expect(record?["ms"] as? Double == 1.3)
    }

    @Test func settingsAreReadFromTheEnvironment() throws {
        let on = try AppConfig.fromEnvironment([:], workingDirectory: "/tmp")
        #expect(on.requestLog && on.stopSeconds == 5)
        let off = try AppConfig.fromEnvironment(["PILAR_REQUEST_LOG": "off", "PILAR_STOP_SECONDS": "30"], workingDirectory: "/tmp")
        #expect(!off.requestLog && off.stopSeconds == 30)
        #expect(throws: AppConfig.Invalid.self) { try AppConfig.fromEnvironment(["PILAR_STOP_SECONDS": "0"], workingDirectory: "/tmp") }
        #expect(throws: AppConfig.Invalid.self) { try AppConfig.fromEnvironment(["PILAR_REQUEST_LOG": "maybe"], workingDirectory: "/tmp") }
    }
}
