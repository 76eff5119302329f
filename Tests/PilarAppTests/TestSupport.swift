import FluentPostgresDriver
import Fluent
import Foundation
import Logging
import NIOCore
import Testing
import Vapor
import VaporTesting
@testable import PilarApp

/// Runs `body` against a fresh application with its own database: in-memory SQLite by default,
/// or a new PostgreSQL database per test when `PILAR_TEST_DATABASE_URL` names a server
/// (`postgres://user:pw@127.0.0.1:5432/postgres`); the database is dropped afterwards.
/// `today` (`YYYY-MM-DD`) pins the application's clock to 09:00 WIB that day.
func withPilar(
    demo: Bool = true, today: String? = nil, config adjust: @escaping @Sendable (inout AppConfig) -> Void = { _ in },
    _ body: (Application) async throws -> Void
) async throws {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    let dataDir = FileManager.default.temporaryDirectory.appendingPathComponent("pilar-test-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: dataDir) }
    var scratch: PostgresScratch?
    var database = AppConfig.Database.sqliteMemory
    let postgresURL = ProcessInfo.processInfo.environment["PILAR_TEST_DATABASE_URL"] ?? ""
    // Tests run in parallel; a few at a time keep PostgreSQL within its connection slots.
    if !postgresURL.isEmpty { await PostgresTurns.shared.wait() }
    defer { if !postgresURL.isEmpty { PostgresTurns.shared.release() } }
    if !postgresURL.isEmpty {
        let url = postgresURL
        let created = try await PostgresScratch.create(adminURL: url)
        scratch = created
        database = .postgres(created.url)
    }
    do {
        try await withApp(configure: { app in
            app.logger.logLevel = .warning
            var config = AppConfig.testing(root: root, dataDirectory: dataDir, database: database)
            adjust(&config)
            try configure(app, config: config)
            if let today, let fixed = pinnedMorning(today) { app.clock = { fixed } }
            try await Startup.migrate(app)
            if demo { _ = try await DemoSeed.load(app) }
        }, body)
    } catch {
        try? await scratch?.drop()
        throw error
    }
    try await scratch?.drop()
}

/// Two Pilar processes on one database, as two `pilar serve` behind a proxy: a SQLite file (or the
/// same fresh PostgreSQL database under `PILAR_TEST_DATABASE_URL`) and one data folder; the first
/// is migrated and seeded with the demo, the second only configured, and neither shares memory
/// (caches, sessions) with the other.
func withTwoPilars(_ body: (Application, Application) async throws -> Void) async throws {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    let dataDir = FileManager.default.temporaryDirectory.appendingPathComponent("pilar-test-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: dataDir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dataDir) }
    var scratch: PostgresScratch?
    var database = AppConfig.Database.sqliteFile((dataDir as NSString).appendingPathComponent("pilar.sqlite"))
    let postgresURL = ProcessInfo.processInfo.environment["PILAR_TEST_DATABASE_URL"] ?? ""
    if !postgresURL.isEmpty { await PostgresTurns.shared.wait() }
    defer { if !postgresURL.isEmpty { PostgresTurns.shared.release() } }
    if !postgresURL.isEmpty {
        let created = try await PostgresScratch.create(adminURL: postgresURL)
        scratch = created
        database = .postgres(created.url)
    }
    let config = AppConfig.testing(root: root, dataDirectory: dataDir, database: database)
    do {
        try await withApp(configure: { app in
            app.logger.logLevel = .warning
            try configure(app, config: config)
            try await Startup.migrate(app)
            _ = try await DemoSeed.load(app)
        }) { first in
            let second = try await Application.make(.testing)
            second.logger.logLevel = .warning
            do {
                try configure(second, config: config)
                try await body(first, second)
            } catch {
                try? await second.asyncShutdown()
                throw error
            }
            try await second.asyncShutdown()
        }
    } catch {
        try? await scratch?.drop()
        throw error
    }
    try await scratch?.drop()
}

/// 09:00 in Jakarta (UTC+7) on `day` (`YYYY-MM-DD`).
func pinnedMorning(_ day: String) -> Date? {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "Asia/Jakarta")!
    let parts = day.split(separator: "-").compactMap { Int($0) }
    guard parts.count == 3 else { return nil }
    return calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2], hour: 9))
}

/// A counting semaphore: at most `limit` tests hold a PostgreSQL database at once.
actor PostgresTurns {
    static let shared = PostgresTurns(limit: 6)
    private var free: Int
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(limit: Int) { free = limit }

    func wait() async {
        if free > 0 {
            free -= 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    func signal() {
        if waiting.isEmpty {
            free += 1
        } else {
            waiting.removeFirst().resume()
        }
    }

    /// `signal()` from synchronous code (a `defer`).
    nonisolated func release() {
        Task { await signal() }
    }
}

/// A throw-away PostgreSQL database for one test.
struct PostgresScratch {
    let adminURL: String
    let name: String
    let url: String

    static func create(adminURL: String) async throws -> PostgresScratch {
        let name = "pilar_t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
        try await run("CREATE DATABASE \(name)", adminURL: adminURL)
        var components = URLComponents(string: adminURL)!
        components.path = "/\(name)"
        return PostgresScratch(adminURL: adminURL, name: String(name), url: components.string!)
    }

    /// Drops the database; the test's own connections may still be closing, so it tries a few times.
    func drop() async throws {
        for attempt in 1...5 {
            do {
                try await Self.run("DROP DATABASE IF EXISTS \(name) WITH (FORCE)", adminURL: adminURL)
                return
            } catch where attempt < 5 {
                try await Task.sleep(for: .milliseconds(200 * attempt))
            }
        }
    }

    static func run(_ sql: String, adminURL: String) async throws {
        let config = try SQLPostgresConfiguration(url: adminURL)
        let logger = Logger(label: "pilar.test.postgres")
        let connection = try await PostgresConnection.connect(
            on: MultiThreadedEventLoopGroup.singleton.any(), configuration: config.coreConfiguration, id: 1,
            logger: logger
        ).get()
        defer { Task { try? await connection.close() } }
        _ = try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger)
    }
}

/// A tiny browser for request-level tests: keeps cookies and the page's CSRF token.
final class Browser: @unchecked Sendable {
    let app: Application
    var cookies: [String: String] = [:]
    var csrf: String?

    init(_ app: Application) { self.app = app }

    var cookieHeader: String { cookies.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: "; ") }

    @discardableResult
    func get(_ path: String, headers: HTTPHeaders = [:]) async throws -> TestingHTTPResponse {
        try await send(.GET, path, headers: headers, body: nil)
    }

    /// Posts a form; the CSRF token of the last page is added unless `csrf` is given.
    @discardableResult
    func post(_ path: String, _ form: [String: String], csrf token: String? = nil, withToken: Bool = true) async throws -> TestingHTTPResponse {
        var fields = form
        if withToken {
            if csrf == nil && token == nil { try await get("/signin") }
            fields["_csrf"] = token ?? csrf
        }
        let body = fields.map { "\(Self.encode($0.key))=\(Self.encode($0.value))" }.joined(separator: "&")
        var headers = HTTPHeaders()
        headers.contentType = .urlEncodedForm
        return try await send(.POST, path, headers: headers, body: ByteBuffer(string: body))
    }

    /// Posts a form whose fields may repeat (`codes[]=a&codes[]=b`); the CSRF token is added.
    @discardableResult
    func post(_ path: String, pairs: [(String, String)]) async throws -> TestingHTTPResponse {
        if csrf == nil { try await get("/signin") }
        let body = (pairs + [("_csrf", csrf ?? "")]).map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&")
        var headers = HTTPHeaders()
        headers.contentType = .urlEncodedForm
        return try await send(.POST, path, headers: headers, body: ByteBuffer(string: body))
    }

    func send(_ method: HTTPMethod, _ path: String, headers: HTTPHeaders, body: ByteBuffer?) async throws -> TestingHTTPResponse {
        var headers = headers
        if !cookies.isEmpty { headers.replaceOrAdd(name: .cookie, value: cookieHeader) }
        let response = try await app.testing().sendRequest(method, path, headers: headers, body: body)
        for raw in response.headers[.setCookie] {
            let pair = raw.split(separator: ";", maxSplits: 1)[0]
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { continue }
            if raw.lowercased().contains("expires=thu, 01 jan 1970") || parts[1].isEmpty {
                cookies[parts[0]] = nil
            } else {
                cookies[parts[0]] = parts[1]
            }
        }
        if let token = Self.csrfToken(in: response.body.string) { csrf = token }
        return response
    }

    /// Signs in and checks it worked.
    func signIn(_ username: String, _ password: String, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        try await get("/signin")
        let response = try await post("/signin", ["username": username, "password": password])
        #expect(response.status == .seeOther, "sign-in of \(username) failed", sourceLocation: sourceLocation)
        // like a browser, follow the redirect (the new session has a new CSRF token)
        if let location = response.headers.first(name: .location) { try await get(location) }
    }

    func json<T: Decodable>(_ type: T.Type, _ path: String) async throws -> T {
        let response = try await get(path)
        #expect(response.status == .ok, "\(path): \(response.status)")
        return try JSONDecoder().decode(T.self, from: Data(buffer: response.body))
    }

    static func csrfToken(in html: String) -> String? {
        guard let range = html.range(of: #"name="_csrf" value="([^"]+)""#, options: .regularExpression) else { return nil }
        let match = html[range]
        return match.split(separator: "\"").dropFirst(3).first.map(String.init)
    }

    static func encode(_ s: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return s.addingPercentEncoding(withAllowedCharacters: allowed) ?? s
    }
}

/// The demo users (see DemoSeed).
enum Demo {
    static let admin = ("kediri.admin", "demo-admin-2022")
    static let coordinator = ("kediri.kominfo", "demo-kominfo-2022")
    static let dinkes = ("kediri.dinkes", "demo-dinkes-2022")
    static let dlh = ("kediri.dlh", "demo-dlh-2022")
    static let leader = ("kediri.pimpinan", "demo-pimpinan-2022")
    static let assessor = ("kediri.asesor", "demo-asesor-2022")
    static let all = [admin, coordinator, dinkes, dlh, leader, assessor]
}

/// A second region with its own coordinator, to prove nothing crosses regions.
enum OtherRegion {
    static let coordinator = ("lain.kominfo", "password-lain")

    @discardableResult
    static func create(_ app: Application) async throws -> (Region, Agency) {
        let region = Region(code: "kota-lain", name: "Kota Lain", kind: "kota", province: "Jawa Tengah",
                            ministryName: "Komdigi", letterheadGovernment: "PEMERINTAH KOTA LAIN",
                            letterheadAgency: "DISKOMINFO", letterheadAddress: "-")
        try await region.create(on: app.db)
        let agency = Agency(regionID: try region.requireID(), code: "DINKES", name: "Dinas Kesehatan Kota Lain", headTitle: "")
        try await agency.create(on: app.db)
        try await Accounts.create(app: app, on: app.db, region: region, agency: nil, username: coordinator.0,
                                  displayName: "Koordinator Kota Lain", role: .coordinator, password: coordinator.1)
        return (region, agency)
    }
}

extension Browser {
    static func signedIn(_ app: Application, _ user: (String, String)) async throws -> Browser {
        let browser = Browser(app)
        try await browser.signIn(user.0, user.1)
        return browser
    }
}
