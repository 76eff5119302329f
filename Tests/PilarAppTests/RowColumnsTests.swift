import Fluent
import Foundation
import Testing
@testable import PilarApp

@Suite("UUIDs read from text without sscanf")
struct RowColumnsTests {
    @Test func everyUUIDReadsBackAsFoundationReadsIt() {
        for _ in 0..<1_000 {
            let id = UUID()
            #expect(UUID(hexText: id.uuidString) == id)
            #expect(UUID(hexText: id.uuidString.lowercased()) == id)
        }
    }

    @Test func anythingElseIsNoUUID() {
        let good = "E621E1F8-C36C-495A-93FC-0C247A3E6E5F"
        for bad in ["", "E621E1F8C36C495A93FC0C247A3E6E5F", good + "0", String(good.dropLast()), "G621E1F8-C36C-495A-93FC-0C247A3E6E5F",
                    "E621E1F8-C36C-495A-93FC_0C247A3E6E5F", " " + good, "E621E1F8-C36C-495A-93FC-0C247A3E6E5Ä"] {
            #expect(UUID(hexText: bad) == nil, "\(bad)")
            #expect(UUID(uuidString: bad) == nil, "Foundation agrees about \(bad)")
        }
    }
}

/// A cycle's answers read column by column (`RowColumns.all`: SQLiteNIO's values on SQLite, SQLKit's
/// row on PostgreSQL) are the answers Fluent's models hold, every column of every row.
@Suite("Answers read column by column")
struct CycleAnswerColumnsTests {
    @Test func everyAnswerReadsAsFluentReadsIt() async throws {
        try await withPilar { app in
            let cycle = try #require(try await Cycle.query(on: app.db).filter(\.$year == 2022).first())
            // Values of every kind: a plan effort, a note, a not-applicable answer.
            let some = try await Assessment.query(on: app.db).filter(\.$cycle.$id == cycle.requireID()).limit(2).all()
            try #require(some.count == 2)
            some[0].planEffort = 3
            some[0].verifiedNote = "Catatan \"uji\" <b>"
            some[0].officialScore = 2.5
            try await some[0].save(on: app.db)
            some[1].notApplicable = true
            some[1].$leadAgency.id = nil
            try await some[1].save(on: app.db)

            let region = try await cycle.$region.get(on: app.db)
            let data = try await CycleData.load(region: region, cycle: cycle, on: app.db, library: app.instruments)
            let models = try await Assessment.query(on: app.db).filter(\.$cycle.$id == cycle.requireID()).all()
            #expect(data.assessments.count == models.count)
            for model in models {
                let a = try #require(data.assessments[model.indicatorCode])
                #expect(a.id == model.id)
                #expect(a.leadAgencyID == model.$leadAgency.id)
                #expect(a.targetLevel == model.targetLevel && a.selfLevel == model.selfLevel)
                #expect(a.verifiedLevel == model.verifiedLevel && a.officialScore == model.officialScore)
                #expect(a.justification == model.justification && a.verifiedNote == model.verifiedNote)
                #expect(a.notApplicable == model.notApplicable && a.status == model.status)
                #expect(a.revision == model.revision && a.planEffort == model.planEffort)
                #expect(a.updatedAt.map { ($0.timeIntervalSince1970 * 1000).rounded() }
                    == model.updatedAt.map { ($0.timeIntervalSince1970 * 1000).rounded() })
            }
            let contributors = try await AssessmentContributor.query(on: app.db).all()
            let read = data.contributors.values.reduce(0) { $0 + $1.count }
            let inCycle = contributors.filter { c in models.contains { $0.id == c.$assessment.id } }
            #expect(read == inCycle.count)
            for c in inCycle { #expect(data.contributors[c.$assessment.id]?.contains(c.$agency.id) == true) }
        }
    }
}
