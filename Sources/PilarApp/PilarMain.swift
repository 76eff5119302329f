import Foundation
import Logging
import Vapor

/// The `pilar` program: one binary for serve, migrate, seed-demo, instrument, score and user.
public enum PilarMain {
    public static func run() async -> Never {
        var env: Environment
        do {
            env = try Environment.detect()
        } catch {
            printError("pilar: \(error)")
            exit(2)
        }
        do {
            try LoggingSystem.bootstrap(from: &env)
        } catch {
            printError("pilar: \(error)")
            exit(2)
        }
        let app: Application
        do {
            app = try await Application.make(env)
        } catch {
            printError("pilar: \(error)")
            exit(1)
        }
        let arguments = env.arguments
        let command = arguments.count > 1 ? arguments[1] : "serve"
        var code: Int32 = 0
        do {
            let config = try AppConfig.fromEnvironment()
            try configure(app, config: config)
            if command == "serve" && !arguments.contains("--help") && !arguments.contains("-h") {
                let lines = try await Startup.prepare(app)
                lines.forEach { print($0) }
                let host = hostname(arguments) ?? config.host
                let port = self.port(arguments) ?? config.port
                print("Pilar: open http://\(host):\(port)/ in a browser (data: \(config.dataDirectory), database: \(config.database.kindName)).")
            }
            try await app.execute()
        } catch let exit as ExitCode {
            code = exit.code
        } catch {
            printError("pilar: \(error)")
            code = 1
        }
        try? await app.asyncShutdown()
        exit(code)
    }

    static func printError(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    static func option(_ name: String, _ short: String, _ arguments: [String]) -> String? {
        for (i, arg) in arguments.enumerated() {
            if (arg == name || arg == short), i + 1 < arguments.count { return arguments[i + 1] }
            if arg.hasPrefix(name + "=") { return String(arg.dropFirst(name.count + 1)) }
        }
        return nil
    }

    static func hostname(_ arguments: [String]) -> String? { option("--hostname", "-H", arguments) }
    static func port(_ arguments: [String]) -> Int? { option("--port", "-p", arguments).flatMap(Int.init) }
}
