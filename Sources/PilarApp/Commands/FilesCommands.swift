import Foundation
import Vapor

/// `pilar files check`.
struct FilesCommands: AsyncCommandGroup {
    var help: String { "Checks the stored evidence files." }
    var commands: [String: any AnyAsyncCommand] { ["check": CheckFilesCommand()] }
}

struct CheckFilesCommand: AsyncCommand {
    struct Signature: CommandSignature {}
    var help: String {
        "Reads every stored file the database refers to, compares it with its SHA-256 and size, and lists the missing and damaged ones (exit 1 when there are any)."
    }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        try await Startup.migrate(app)
        let report = try await FileCheck.run(db: app.db, store: app.blobStore)
        for problem in report.problems { context.console.print(problem.line) }
        let size = ByteCountFormatter.string(fromByteCount: report.bytes, countStyle: .file)
        let checked = "Checked \(report.files) files (\(size)) for \(report.versions) evidence versions"
        if report.problems.isEmpty {
            context.console.print("\(checked): every file matches its SHA-256.")
            return
        }
        let missing = report.problems.filter { if case .missing = $0 { true } else { false } }.count
        context.console.error("\(checked): \(missing) missing, \(report.problems.count - missing) damaged.")
        throw ExitCode(1)
    }
}
