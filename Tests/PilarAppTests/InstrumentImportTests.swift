import Fluent
import Foundation
import Vapor
import PilarCore
import Testing
@testable import PilarApp

@Suite("Importing instruments into the database")
struct InstrumentImportTests {
    func counts(_ app: Application) async throws -> (Int, Int) {
        (try await InstrumentVersion.query(on: app.db).count(), try await InstrumentNodeRecord.query(on: app.db).count())
    }

    @Test func shippedInstrumentsAreImportedOnStart() async throws {
        try await withPilar(demo: false) { app in
            let keys = try await InstrumentVersion.query(on: app.db).sort(\.$key).all().map(\.key)
            #expect(keys == ["pilar-model-smart-city-2021", "spbe-2020"])
            let spbe = try await InstrumentVersion.query(on: app.db).filter(\.$key == "spbe-2020").first()!
            let indicators = try await InstrumentNodeRecord.query(on: app.db).filter(\.$version.$id == spbe.requireID())
                .filter(\.$kind == "indicator").count()
            #expect(indicators == 47)
        }
    }

    @Test func brokenFileChangesNothing() async throws {
        try await withPilar(demo: false) { app in
            let before = try await counts(app)
            let text = try String(contentsOfFile: app.config.rootDirectory + "/Instruments/spbe-2020.yaml", encoding: .utf8)
                .replacingOccurrences(of: "id: spbe-2020", with: "id: spbe-2020-broken")
                .replacingOccurrences(of: "code: \"I02\"", with: "code: \"I01\"")
            await #expect(throws: InstrumentFileError.self) {
                _ = try await InstrumentLibrary.importInstrument(text, on: app.db, now: app.now)
            }
            #expect(try await counts(app) == before)
        }
    }

    @Test func sameIdDifferentContentIsRefused() async throws {
        try await withPilar(demo: false) { app in
            let original = try String(contentsOfFile: app.config.rootDirectory + "/Instruments/spbe-2020.yaml", encoding: .utf8)
            #expect(try await InstrumentLibrary.importInstrument(original, on: app.db, now: app.now) == .unchanged(key: "spbe-2020"))
            let before = try await counts(app)
            let edited = original.replacingOccurrences(of: "title: \"Evaluasi Sistem", with: "title: \"Evaluasi Baru Sistem")
            await #expect(throws: InstrumentLibrary.Conflict.self) {
                _ = try await InstrumentLibrary.importInstrument(edited, on: app.db, now: app.now)
            }
            #expect(try await counts(app) == before)
            // a new id is a new version
            let renamed = edited.replacingOccurrences(of: "id: spbe-2020", with: "id: spbe-2020-rev1")
            #expect(try await InstrumentLibrary.importInstrument(renamed, on: app.db, now: app.now) == .imported(key: "spbe-2020-rev1", indicators: 47))
        }
    }
}
