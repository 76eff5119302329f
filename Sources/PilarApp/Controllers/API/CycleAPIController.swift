import Fluent
import PilarCore
import Vapor

/// `GET /api/v1/cycles`, `/api/v1/cycles/{year}/score` and `/api/v1/cycles/{year}/indicators`.
enum CycleAPIController {
    struct CycleDTO: Content {
        var year: Int
        var instrument: String
        var instrumentTitle: String
        var target: Double?
        var status: String
        var evaluationDate: String?
        var officialIndex: Double?

        enum CodingKeys: String, CodingKey {
            case year, instrument, instrumentTitle = "instrument_title", target, status,
                evaluationDate = "evaluation_date", officialIndex = "official_index"
        }
    }

    @Sendable static func list(_ req: Request) async throws -> [CycleDTO] {
        try req.authorize(.readCycles)
        let region = try await req.currentRegion()
        let cycles = try await Cycle.query(on: req.db).filter(\.$region.$id == region.requireID())
            .sort(\.$year).all()
        let ids = try cycles.map { try $0.requireID() }
        let letters = try await OfficialResult.query(on: req.db).filter(\.$cycle.$id ~~ ids)
            .filter(\.$scope == .index).all()
        var instruments: [UUID: Instrument] = [:]
        for cycle in cycles where instruments[cycle.$instrumentVersion.id] == nil {
            instruments[cycle.$instrumentVersion.id] = try await req.application.instruments.compiled(cycle.$instrumentVersion.id, on: req.db).instrument
        }
        return cycles.map { cycle in
            let instrument = instruments[cycle.$instrumentVersion.id]
            return CycleDTO(year: cycle.year, instrument: instrument?.id ?? "", instrumentTitle: instrument?.title ?? "",
                     target: cycle.targetIndex, status: cycle.status.rawValue, evaluationDate: cycle.evaluationDate,
                     officialIndex: letters.first { $0.$cycle.id == cycle.id }?.score)
        }
    }

    /// The score report plus the cycle's year and the results entered from the ministry's letter.
    struct ScoreDTO: Content {
        struct Letter: Content {
            var scope: String
            var code: String
            var score: Double
        }

        var year: Int
        var report: ScoreReport
        var officialResults: [Letter]

        enum CodingKeys: String, CodingKey {
            case year, officialResults = "official_results"
        }

        init(year: Int, report: ScoreReport, officialResults: [Letter]) {
            self.year = year
            self.report = report
            self.officialResults = officialResults
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            year = try container.decode(Int.self, forKey: .year)
            officialResults = try container.decode([Letter].self, forKey: .officialResults)
            report = try ScoreReport(from: decoder)
        }

        func encode(to encoder: any Encoder) throws {
            try report.encode(to: encoder)
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(year, forKey: .year)
            try container.encode(officialResults, forKey: .officialResults)
        }
    }

    struct ScoreQuery: Content {
        var layer: String?
    }

    static func cycleData(_ req: Request) async throws -> CycleData {
        try req.authorize(.readCycles)
        guard let year = req.parameters.get("year", as: Int.self) else {
            throw Abort(.badRequest, reason: "error_year")
        }
        let region = try await req.currentRegion()
        guard let data = try await CycleData.read(req, region: region, year: year) else { throw Abort(.notFound) }
        return data
    }

    /// The same for everyone who may read the layer: encoded once per region generation.
    @Sendable static func score(_ req: Request) async throws -> Response {
        let raw = try req.query.decode(ScoreQuery.self).layer ?? ScoreLayer.verified.rawValue
        guard let layer = ScoreLayer(rawValue: raw) else { throw Abort(.badRequest, reason: "error_layer") }
        let data = try await cycleData(req)
        if layer == .self { try req.authorize(.readSelfLayer) }
        return try await CachedJSON.response(req, region: try data.region.requireID(),
                                             key: "score|\(try data.cycle.requireID())|\(layer.rawValue)") {
            ScoreDTO(year: data.cycle.year, report: data.report(layer), officialResults: data.officialResults.map {
                .init(scope: $0.scope.rawValue, code: $0.scopeCode, score: $0.score)
            })
        }
    }

    struct IndicatorDTO: Content {
        var code: String
        var title: String
        var group: String
        var pillar: String?
        var leadAgency: String?
        var target: Double?
        var selfLevel: Double?
        var verified: Double?
        var official: Double?
        var notApplicable: Bool
        var status: String

        enum CodingKeys: String, CodingKey {
            case code, title, group, pillar, leadAgency = "lead_agency", target, selfLevel = "self", verified, official,
                notApplicable = "not_applicable", status
        }
    }

    @Sendable static func indicators(_ req: Request) async throws -> [IndicatorDTO] {
        try req.authorize(.readIndicator)
        let data = try await cycleData(req)
        let regionID = try data.region.requireID().uuidString
        let agencyCode = try await Setup.agencyCodes(req.db, region: data.region.requireID())
        let owners = data.owners()
        let actor = try req.actor()
        return data.compiled.instrument.indicatorPaths.compactMap { node, ancestors in
            let a = data.assessments[node.code]
            let agencyIDs = a.map { owners[$0.id] ?? [] } ?? []
            let resource = AccessPolicy.Resource(regionID: regionID, agencyIDs: agencyIDs,
                                                 submitted: a?.status.isSubmitted ?? false)
            guard AccessPolicy.allows(actor, .readIndicator, on: resource) else { return nil }
            return IndicatorDTO(
                code: node.code, title: node.title, group: ancestors.first?.code ?? node.code,
                pillar: Instrument.pillar(of: node, ancestors: ancestors),
                leadAgency: a?.leadAgencyID.flatMap { agencyCode[$0] }, target: a?.targetLevel, selfLevel: a?.selfLevel,
                verified: a?.verifiedLevel, official: a?.officialScore, notApplicable: a?.notApplicable ?? false,
                status: (a?.status ?? .notStarted).rawValue)
        }
    }
}
