import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import Leaf
import LeafKit
import Vapor

/// Sets up the application: database, migrations, sessions, templates, middleware and routes.
/// Nothing here touches the database; `Startup.prepare` migrates and loads first-start data.
public func configure(_ app: Application, config: AppConfig) throws {
    app.config = config
    app.directory = DirectoryConfiguration(workingDirectory: config.rootDirectory.hasSuffix("/")
        ? config.rootDirectory : config.rootDirectory + "/")
    app.http.server.configuration.hostname = config.host
    app.http.server.configuration.port = config.port
    // Uploads stream to disk in later features; plain forms stay small.
    app.routes.defaultMaxBodySize = "1mb"

    app.catalog = try Catalog.load(directory: config.rootDirectory)
    switch config.files {
    case .folder:
        app.blobStore = FolderBlobStore(dataDirectory: config.dataDirectory)
    case .postgres:
        app.blobStore = DatabaseBlobStore(dataDirectory: config.dataDirectory) { [weak app] in
            guard let app else { throw Abort(.serviceUnavailable, reason: "the application has stopped") }
            return app.db
        }
    }
    _ = app.instruments
    app.makeGenerationCaches()

    switch config.database {
    case let .sqliteFile(path):
        app.databases.use(.sqlite(.file(path), sqlLogLevel: .debug), as: .sqlite)
    case .sqliteMemory:
        app.databases.use(.sqlite(.memory, sqlLogLevel: .debug), as: .sqlite)
    case let .postgres(url):
        let postgres: SQLPostgresConfiguration
        do {
            postgres = try SQLPostgresConfiguration(url: url)
        } catch {
            throw AppConfig.Invalid(variable: "DATABASE_URL", problem: "cannot be used (\(error)): '\(AppConfig.redacted(url))'")
        }
        app.databases.use(.postgres(configuration: postgres, sqlLogLevel: .debug), as: .psql)
    }
    registerMigrations(app)

    app.passwords.use(.bcrypt(cost: config.bcryptCost))
    let idle = Double(config.sessionIdleSeconds)
    app.sessions.use { _ in DatabaseSessions(idleSeconds: idle) }
    let secure = config.secureCookies
    app.sessions.configuration = SessionsConfiguration(cookieName: "pilar-session") { id in
        HTTPCookies.Value(string: id.string, expires: nil, maxAge: nil, domain: nil, path: "/",
                          isSecure: secure, isHTTPOnly: true, sameSite: .lax)
    }

    // Parsed templates are kept (reading and parsing them on every request cost more than the
    // rest of a page); PILAR_RELOAD_TEMPLATES=1 reads them afresh on every request while editing
    // them. Not `.leaf`: its renderer switches the shared template cache off on every request in
    // the development environment, which is what `pilar serve` runs in unless told otherwise.
    app.views.use { app in
        LeafRenderer(configuration: app.leaf.configuration, tags: app.leaf.tags, cache: app.leaf.cache,
                     sources: app.leaf.sources, eventLoop: app.eventLoopGroup.next(), userInfo: ["application": app])
    }
    app.leaf.cache.isEnabled = Environment.get("PILAR_RELOAD_TEMPLATES") != "1"
    app.leaf.configuration.rootDirectory = app.directory.viewsDirectory

    app.middleware = Middlewares()
    if config.requestLog { app.middleware.use(RequestLogMiddleware()) }
    app.middleware.use(AnonymousCSRFCookieMiddleware())
    app.middleware.use(PilarErrorMiddleware(environment: app.environment))
    app.middleware.use(SecurityHeadersMiddleware())
    app.middleware.use(FileMiddleware(publicDirectory: app.directory.publicDirectory, defaultFile: nil))
    app.middleware.use(app.sessions.middleware)
    app.middleware.use(SessionUserMiddleware())
    app.middleware.use(LanguageMiddleware())
    app.middleware.use(CSRFMiddleware())
    app.middleware.use(InboxCountMiddleware())

    // A stop (SIGTERM, SIGINT: Vapor's serve command) closes the listening socket at once and lets
    // running requests finish for at most this long.
    app.http.server.configuration.shutdownTimeout = .seconds(Int64(config.stopSeconds))

    try routes(app)
    registerCommands(app)
}

/// The data folder (database file and uploads): created if missing and checked for writing.
enum DataFolder {
    struct Unwritable: Error, CustomStringConvertible {
        var path: String
        var reason: String
        var description: String { "PILAR_DATA_DIR: the data folder '\(path)' is not writable (\(reason))" }
    }

    static func prepare(_ path: String) throws {
        let fm = FileManager.default
        do {
            try fm.createDirectory(atPath: path, withIntermediateDirectories: true)
            try fm.createDirectory(atPath: (path as NSString).appendingPathComponent("files"), withIntermediateDirectories: true)
            let probe = (path as NSString).appendingPathComponent(".write-test-\(UUID().uuidString)")
            guard fm.createFile(atPath: probe, contents: Data("ok".utf8)) else {
                throw Unwritable(path: path, reason: "cannot create a file there")
            }
            try fm.removeItem(atPath: probe)
        } catch let error as Unwritable {
            throw error
        } catch {
            throw Unwritable(path: path, reason: reason(for: path))
        }
    }

    /// Why `path` cannot be made: the nearest existing ancestor is a file, or not writable.
    static func reason(for path: String) -> String {
        let fm = FileManager.default
        var current = (path as NSString).standardizingPath
        while !current.isEmpty && current != "/" {
            var isDirectory: ObjCBool = false
            if fm.fileExists(atPath: current, isDirectory: &isDirectory) {
                if !isDirectory.boolValue { return "'\(current)' is a file, not a folder" }
                return fm.isWritableFile(atPath: current) ? "cannot create files in '\(current)'" : "no permission to write in '\(current)'"
            }
            current = (current as NSString).deletingLastPathComponent
        }
        return "cannot create it"
    }
}
