import Fluent
import Foundation
import PilarCore
import Vapor

/// `/progress`: for the coordinator and leadership, each agency's indicators by status with the
/// share submitted, verified and backed by evidence; the agencies furthest behind first.
struct ProgressPage: Encodable {
    struct Row: Encodable {
        var agency: String
        var code: String
        var total: Int
        var counts: [Int]
        var submitted: String
        var verified: String
        var evidenced: String
        /// 0…100, for the bar.
        var submittedShare: Int
    }

    var page: PageChrome
    var year: Int?
    var statuses: [String]
    var rows: [Row]
    var empty: String

    /// - Parameter chosen: the cycle to show (the current one when nil).
    static func build(_ req: Request, cycle chosen: Cycle? = nil) async throws -> ProgressPage {
        // Every agency's standing is for those who follow the whole region: the dashboard's readers.
        try req.authorize(.readDashboard)
        let t = req.t
        let title = t["progress_title"]
        let region = try await req.currentRegion()
        let statuses = AssessmentStatus.allCases
        var cycle = chosen
        if cycle == nil { cycle = try await CycleData.current(region: region, on: req.db) }
        guard let cycle else {
            return ProgressPage(page: PageChrome(request: req, title: title), year: nil, statuses: [], rows: [],
                                empty: t["home_no_cycle"])
        }
        let data = try await CycleData.read(req, region: region, cycle: cycle)
        let agencies = try await Agency.query(on: req.db).filter(\.$region.$id == region.requireID()).sort(\.$code).all()
        let evidenced = try await CycleData.evidenced(req.db, cycle: cycle, anyDate: true)
        var rows: [(Row, Double)] = []
        for agency in agencies {
            guard let id = agency.id else { continue }
            let led = data.compiled.indicatorCodes.compactMap { data.assessments[$0] }.filter { $0.leadAgencyID == id }
            guard !led.isEmpty else { continue }
            let counts = statuses.map { s in led.filter { $0.status == s }.count }
            let submitted = led.filter { $0.status.isSubmitted }.count
            let verified = led.filter { $0.status == .verified }.count
            let withEvidence = led.filter { evidenced.contains($0.id) }.count
            let share = Double(submitted) / Double(led.count)
            func pct(_ n: Int) -> String { Format.percent(Double(n) / Double(led.count), req.language) }
            rows.append((Row(agency: agency.name, code: agency.code, total: led.count, counts: counts,
                             submitted: pct(submitted), verified: pct(verified), evidenced: pct(withEvidence),
                             submittedShare: Int((share * 100).rounded())), share))
        }
        rows.sort { $0.1 != $1.1 ? $0.1 < $1.1 : $0.0.code < $1.0.code }
        return ProgressPage(page: PageChrome(request: req, title: title), year: cycle.year,
                            statuses: statuses.map { t["status_\($0.rawValue)"] }, rows: rows.map(\.0),
                            empty: t["progress_empty"])
    }
}
