import Foundation
import PilarCore
import Vapor

/// `GET /cycles/{year}/whatif?base=…&l_CODE=…`: change any indicator's level (or mark it N/A) on top
/// of a layer and see the index, the dimensions and the pillars move. A GET form (the changes live
/// in the URL, so a scenario can be bookmarked or sent); a small script submits it on every change.
enum WhatIfController {
    struct Query: Content {
        var base: String?
        /// Every `l_CODE`: the level typed for indicator `CODE` (`3`, `na`, `-`; empty keeps the layer's).
        var levels: [String: String]

        init(from decoder: any Decoder) throws {
            let all = try [String: String](from: decoder)
            base = all["base"]
            levels = Dictionary(all.compactMap { key, value in key.hasPrefix("l_") ? (String(key.dropFirst(2)), value) : nil },
                                uniquingKeysWith: { a, _ in a })
        }

        func encode(to encoder: any Encoder) throws {
            var all = Dictionary(levels.map { ("l_" + $0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
            all["base"] = base
            try all.encode(to: encoder)
        }
    }

    @Sendable static func show(_ req: Request) async throws -> View {
        try req.authorize(.readDashboard)
        guard let year = req.parameters.get("year", as: Int.self) else { throw Abort(.badRequest, reason: "error_year") }
        let region = try await req.currentRegion()
        guard let data = try await CycleData.read(req, region: region, year: year) else {
            throw Abort(.notFound)
        }
        let query = try? req.query.decode(Query.self)
        guard let base = ScoreLayer(rawValue: query?.base.flatMap { $0.isEmpty ? nil : $0 } ?? "verified") else {
            throw Abort(.badRequest, reason: "error_layer")
        }
        return try await req.view.render("whatif", try WhatIfPage.build(req, data: data, base: base, changes: query?.levels ?? [:]))
    }
}
