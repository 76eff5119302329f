import Fluent
import Foundation
import PilarCore
import SQLKit
import Vapor

/// What a reviewer compares: each granted region's current cycle, summarised once per region
/// generation (the region's writes make it stale, nothing else does).
enum RegionComparison {
    /// One region's current cycle, as the comparison shows it.
    struct Summary: Sendable {
        var selfIndex: Double?
        var verifiedIndex: Double?
        var officialIndex: Double?
        /// The verified layer's score per top-level group (evaluation dimension) and per pillar, by code.
        var groups: [String: Double]
        var pillars: [String: Double]
        /// Share of indicators with a verified level.
        var coverage: Double
        var target: Double?
        var indicators: Int
        var submitted: Int
        var verified: Int
        /// The dimensions and pillars in the instrument's order, with their titles.
        var groupTitles: [(code: String, title: String)]
        var pillarTitles: [(code: String, title: String)]
        /// The instrument's rounding rule: figures are shown as the official method rounds them.
        var rounding: RoundingRule

        /// target − the best layer known (official, else verified, else self); positive: still to go.
        var gap: Double? {
            guard let target, let index = officialIndex ?? verifiedIndex ?? selfIndex else { return nil }
            return target - index
        }

        init(_ data: CycleData) {
            let own = data.report(.self), checked = data.report(.verified), official = data.report(.official)
            selfIndex = own.index
            verifiedIndex = checked.index
            officialIndex = data.letterIndex ?? official.index
            groups = Dictionary(checked.groups.compactMap { g in g.score.map { (g.code, $0) } }, uniquingKeysWith: { a, _ in a })
            pillars = Dictionary(checked.pillars.compactMap { p in p.score.map { (p.code, $0) } }, uniquingKeysWith: { a, _ in a })
            coverage = checked.coverage
            target = data.cycle.targetIndex
            let answers = data.assessments.values
            indicators = data.compiled.indicatorCodes.count
            submitted = answers.filter { $0.status.isSubmitted }.count
            verified = answers.filter { $0.status == .verified }.count
            groupTitles = checked.groups.map { ($0.code, $0.title) }
            pillarTitles = checked.pillars.map { ($0.code, $0.name) }
            rounding = data.compiled.instrument.rounding
        }
    }

    /// A granted region with its current cycle.
    struct Entry {
        var regionID: UUID
        var code: String
        var name: String
        var cycleID: UUID?
        var year: Int?
        var instrumentVersionID: UUID?
    }

    struct RegionRow: SelectedRow {
        typealias Columns = CodingKeys
        var id: UUID
        var code: String
        var name: String
        enum CodingKeys: String, CodingKey, CaseIterable { case id, code, name }
    }

    struct CycleRow: SelectedRow {
        typealias Columns = CodingKeys
        var id: UUID
        var regionID: UUID
        var year: Int
        var instrumentVersionID: UUID
        var status: String
        enum CodingKeys: String, CodingKey, CaseIterable {
            case id, regionID = "region_id", year, instrumentVersionID = "instrument_version_id", status
        }
    }

    /// The regions the operator gave `reviewer`, by name, each with its current cycle (the newest
    /// not closed, else the newest) — three statements whatever the number of regions.
    static func entries(_ sql: any SQLDatabase, reviewer: UUID) async throws -> [Entry] {
        let regions = try await sql.select().columns(of: RegionRow.self, table: Region.schema).from(Region.schema)
            .join(ReviewerRegion.schema, on: SQLColumn("region_id", table: ReviewerRegion.schema), .equal, SQLColumn("id", table: Region.schema))
            .where(SQLColumn("user_id", table: ReviewerRegion.schema), .equal, SQLBind(reviewer))
            .orderBy(SQLColumn("name", table: Region.schema)).all(decoding: RegionRow.self)
        guard !regions.isEmpty else { return [] }
        let cycles = try await sql.select().columns(of: CycleRow.self).from(Cycle.schema)
            .where("region_id", .in, SQLBind.group(regions.map(\.id))).orderBy("year", .descending).all(decoding: CycleRow.self)
        var byRegion: [UUID: [CycleRow]] = [:]
        for c in cycles { byRegion[c.regionID, default: []].append(c) }
        return regions.map { r in
            let mine = byRegion[r.id] ?? []
            let current = mine.first { $0.status != Cycle.Status.closed.rawValue } ?? mine.first
            return Entry(regionID: r.id, code: r.code, name: r.name, cycleID: current?.id, year: current?.year,
                         instrumentVersionID: current?.instrumentVersionID)
        }
    }

    /// Every region's generation in one statement (0 for a region never written).
    static func generations(_ sql: any SQLDatabase, regions: [UUID]) async throws -> [UUID: Int64] {
        guard !regions.isEmpty else { return [:] }
        struct Row: Decodable { var region_id: UUID; var n: Int64 }
        let rows = try await sql.select().column("region_id").column("n").from("region_generations")
            .where("region_id", .in, SQLBind.group(regions)).all(decoding: Row.self)
        return Dictionary(rows.map { ($0.region_id, $0.n) }, uniquingKeysWith: { a, _ in a })
    }

    /// The summary of `entry`'s current cycle, from memory while the region is unchanged.
    static func summary(_ req: Request, _ entry: Entry, generation: Int64) async throws -> Summary? {
        guard let cycleID = entry.cycleID else { return nil }
        return try await req.application.summaryCache.value(region: entry.regionID, cycleID, generation: generation, on: req.eventLoop) {
            guard let region = try await Region.find(entry.regionID, on: req.db),
                  let cycle = try await Cycle.find(cycleID, on: req.db) else { throw Abort(.notFound) }
            return Summary(try await CycleData.load(region: region, cycle: cycle, on: req.db, library: req.application.instruments))
        }
    }
}
