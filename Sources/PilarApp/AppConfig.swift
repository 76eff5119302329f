import Foundation
import PilarCore
import Vapor

/// Configuration, parsed once at start-up from the environment. An invalid value stops the
/// server with a message naming the variable (see `.env.example`).
public struct AppConfig: Sendable {
    public enum Database: Sendable, Equatable {
        /// SQLite file in the data folder.
        case sqliteFile(String)
        /// In-memory SQLite (tests).
        case sqliteMemory
        /// PostgreSQL at the given URL.
        case postgres(String)

        public var kindName: String {
            switch self {
            case .sqliteFile, .sqliteMemory: "sqlite"
            case .postgres: "postgres"
            }
        }
    }

    public var host: String
    public var port: Int
    public var dataDirectory: String
    public var database: Database
    /// Password for the first admin on an empty database; random and printed once when nil.
    public var adminPassword: String?
    /// Load the demo city on first start.
    public var seedDemo: Bool
    public var bcryptCost: Int
    public var secureCookies: Bool
    /// Folder holding Resources/, Public/ and Instruments/.
    public var rootDirectory: String
    /// Failed sign-ins before an account is locked, and for how long.
    public var maxFailedSignIns: Int
    public var lockoutSeconds: Int
    /// Sessions idle longer than this are signed out.
    public var sessionIdleSeconds: Int
    /// Failed sign-ins from one client address, whatever the usernames, before it waits `lockoutSeconds`.
    public var maxFailedSignInsPerAddress: Int = 50
    /// Reverse proxies (their addresses) that append the client to `X-Forwarded-For`: a request
    /// from one of them counts by the address it forwarded.
    public var trustedProxies: Set<String> = []
    /// The address users reach Pilar at (`PILAR_PUBLIC_URL`), if set: https turns secure cookies on.
    public var publicURL: String?
    /// One JSON line per request on standard output (`PILAR_REQUEST_LOG`, on by default; off in tests).
    public var requestLog: Bool = false
    /// How long a stop (SIGTERM, SIGINT) lets running requests finish before the process exits
    /// anyway (`PILAR_STOP_SECONDS`, 5).
    public var stopSeconds: Int = 5
    /// Largest evidence file accepted, in bytes.
    public var maxUploadBytes: Int64 = 50 * 1024 * 1024
    /// Where evidence files are kept (`PILAR_FILES`): the data folder (or a shared mount there) by
    /// default, or the PostgreSQL database itself.
    public enum Files: String, Sendable { case folder, postgres }
    public var files: Files = .folder
    /// File extensions accepted as evidence.
    public var uploadTypes: Set<String> = FileSniffer.defaultAllowed

    public struct Invalid: Error, CustomStringConvertible {
        public var variable: String
        public var problem: String
        public var description: String { "\(variable): \(problem)" }
    }

    public static func fromEnvironment(
        _ env: [String: String] = ProcessInfo.processInfo.environment,
        workingDirectory: String = FileManager.default.currentDirectoryPath
    ) throws -> AppConfig {
        func int(_ name: String, _ fallback: Int, _ range: ClosedRange<Int>) throws -> Int {
            guard let raw = env[name], !raw.isEmpty else { return fallback }
            guard let value = Int(raw), range.contains(value) else {
                throw Invalid(variable: name, problem: "must be a whole number from \(range.lowerBound) to \(range.upperBound), found '\(raw)'")
            }
            return value
        }
        func bool(_ name: String, _ fallback: Bool) throws -> Bool {
            guard let raw = env[name]?.lowercased(), !raw.isEmpty else { return fallback }
            switch raw {
            case "1", "true", "yes", "on": return true
            case "0", "false", "no", "off": return false
            default: throw Invalid(variable: name, problem: "must be true or false, found '\(raw)'")
            }
        }
        let root = env["PILAR_ROOT"].flatMap { $0.isEmpty ? nil : $0 } ?? workingDirectory
        let dataDir = env["PILAR_DATA_DIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "./data"
        let database: Database
        if let url = env["DATABASE_URL"], !url.isEmpty {
            guard let parsed = URL(string: url), let scheme = parsed.scheme,
                ["postgres", "postgresql"].contains(scheme.lowercased()), parsed.host != nil
            else {
                throw Invalid(variable: "DATABASE_URL", problem: "must look like postgres://user:password@host:5432/database, found '\(Self.redacted(url))'")
            }
            database = .postgres(url)
        } else {
            database = .sqliteFile((dataDir as NSString).appendingPathComponent("pilar.sqlite"))
        }
        var uploadTypes = FileSniffer.defaultAllowed
        if let raw = env["PILAR_UPLOAD_TYPES"], !raw.isEmpty {
            uploadTypes = Set(raw.lowercased().split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
            if let unknown = uploadTypes.first(where: { FileSniffer.known[$0] == nil }) {
                throw Invalid(variable: "PILAR_UPLOAD_TYPES", problem: "'\(unknown)' is not a type Pilar can check; known: \(FileSniffer.known.keys.sorted().joined(separator: ", "))")
            }
        }
        let publicURL = env["PILAR_PUBLIC_URL"].flatMap { $0.isEmpty ? nil : $0 }
        if let publicURL {
            guard let parsed = URL(string: publicURL), ["http", "https"].contains(parsed.scheme?.lowercased() ?? ""),
                  parsed.host?.isEmpty == false
            else {
                throw Invalid(variable: "PILAR_PUBLIC_URL", problem: "must be an http or https address such as https://pilar.kedirikota.go.id, found '\(publicURL)'")
            }
        }
        let httpsPublic = publicURL.map { $0.lowercased().hasPrefix("https://") } ?? false
        let admin = env["PILAR_ADMIN_PASSWORD"].flatMap { $0.isEmpty ? nil : $0 }
        if let admin, admin.count < 8 {
            throw Invalid(variable: "PILAR_ADMIN_PASSWORD", problem: "must have at least 8 characters")
        }
        var config = AppConfig(
            host: env["PILAR_HOST"].flatMap { $0.isEmpty ? nil : $0 } ?? "127.0.0.1",
            port: try int("PILAR_PORT", 8080, 1...65535),
            dataDirectory: dataDir,
            database: database,
            adminPassword: admin,
            seedDemo: try bool("PILAR_SEED_DEMO", true),
            bcryptCost: try int("PILAR_BCRYPT_COST", 12, 4...31),
            secureCookies: try bool("PILAR_SECURE_COOKIES", httpsPublic),
            rootDirectory: root,
            maxFailedSignIns: try int("PILAR_MAX_FAILED_SIGNINS", 5, 1...100),
            lockoutSeconds: try int("PILAR_LOCKOUT_SECONDS", 900, 1...86_400),
            sessionIdleSeconds: try int("PILAR_SESSION_IDLE_SECONDS", 8 * 3600, 60...30 * 86_400))
        config.maxUploadBytes = Int64(try int("PILAR_MAX_UPLOAD_MB", 50, 1...4096)) * 1024 * 1024
        config.uploadTypes = uploadTypes
        config.maxFailedSignInsPerAddress = try int("PILAR_MAX_FAILED_SIGNINS_PER_ADDRESS", 50, 1...10_000)
        config.requestLog = try bool("PILAR_REQUEST_LOG", true)
        config.stopSeconds = try int("PILAR_STOP_SECONDS", 5, 1...300)
        config.trustedProxies = Set((env["PILAR_TRUSTED_PROXIES"] ?? "").split(separator: ",")
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
        if let bad = config.trustedProxies.first(where: { !Self.isIPAddress($0) }) {
            throw Invalid(variable: "PILAR_TRUSTED_PROXIES", problem: "must be IP addresses separated by commas, found '\(bad)'")
        }
        config.publicURL = publicURL
        if let raw = env["PILAR_FILES"], !raw.isEmpty {
            guard let files = Files(rawValue: raw.lowercased()) else {
                throw Invalid(variable: "PILAR_FILES", problem: "must be folder or postgres, found '\(raw)'")
            }
            if files == .postgres, config.database.kindName != "postgres" {
                throw Invalid(variable: "PILAR_FILES", problem: "postgres keeps the files in the database: set DATABASE_URL to a PostgreSQL address too")
            }
            config.files = files
        }
        return config
    }

    /// A configuration for tests: in-memory SQLite (or `PILAR_TEST_DATABASE_URL`), cheap hashing.
    public static func testing(root: String, dataDirectory: String, database: Database = .sqliteMemory) -> AppConfig {
        AppConfig(
            host: "127.0.0.1", port: 0, dataDirectory: dataDirectory, database: database, adminPassword: nil,
            seedDemo: false, bcryptCost: 4, secureCookies: false, rootDirectory: root, maxFailedSignIns: 5,
            lockoutSeconds: 900, sessionIdleSeconds: 3600)
    }

    /// Whether `text` is an IPv4 or IPv6 address.
    static func isIPAddress(_ text: String) -> Bool {
        var v4 = in_addr(), v6 = in6_addr()
        return inet_pton(AF_INET, text, &v4) == 1 || inet_pton(AF_INET6, text, &v6) == 1
    }

    /// The URL with its password hidden, for messages.
    public static func redacted(_ url: String) -> String {
        guard var components = URLComponents(string: url), components.password != nil else { return url }
        components.password = "***"
        return components.string ?? url
    }
}

extension Application {
    private struct ConfigKey: StorageKey { typealias Value = AppConfig }

    public var config: AppConfig {
        get {
            guard let config = storage[ConfigKey.self] else { fatalError("configure(_:config:) was not called") }
            return config
        }
        set { storage[ConfigKey.self] = newValue }
    }
}
