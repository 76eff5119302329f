import Fluent
import Foundation
import PilarCore
import Vapor

/// `/cycles/{year}/recommendations`: what the ministry's result letter of a cycle recommended (with
/// strengths and weaknesses), and the previous cycle's recommendations with who follows each up and
/// how far, which Baseline and Stage I ask about.
enum RecommendationsPage {
    struct Row: Encodable {
        var id: String
        var text: String
        var agency: String?
        var status: String
        var statusKey: String
        var note: String?
        var canFollowUp: Bool
        var action: String
        var statuses: [Setup.Option]
        var actionItems: [ActionRow]
        var errors: [String: String]
        var actionFormAction: String
        var canMakeAction: Bool
        var evidence: EvidenceRef?
        var documents: [Setup.Option]
    }

    struct Section: Encodable {
        var year: Int
        var recommendations: [Row]
        var strengths: [String]
        var weaknesses: [String]
    }

    struct Context: Encodable {
        var page: PageChrome
        var year: Int
        var current: Section
        var previous: Section?
        var canManage: Bool
        var form: RecommendationController.Form
        var errors: [String: String]
        var kinds: [Setup.Option]
        var agencies: [Setup.Option]
        var action: String
        var saved: Bool
    }

    /// `editing`: the recommendation whose follow-up or action-item form was refused (its errors
    /// show there); otherwise `errors` belong to the new-entry form.
    static func build(_ req: Request, region: Region, cycle: Cycle, form: RecommendationController.Form = .init(),
                      errors: [String: String] = [:], editing: UUID? = nil, saved: Bool = false) async throws -> Context {
        let t = req.t
        let previousCycle = try await Cycle.query(on: req.db).filter(\.$region.$id == region.requireID())
            .filter(\.$year < cycle.year).sort(\.$year, .descending).first()
        let agencies = try await Setup.agencies(req, region: region)
        return Context(
            page: PageChrome(request: req, title: "\(t["recommendations_title"]) \(cycle.year)"), year: cycle.year,
            current: try await section(req, region: region, cycle: cycle, agencies: agencies, editing: editing, errors: errors),
            previous: try await previousCycle.asyncMap {
                try await section(req, region: region, cycle: $0, agencies: agencies, editing: editing, errors: errors)
            },
            canManage: AccessPolicy.allows(try req.actor(), .manageRecommendations), form: form, errors: editing == nil ? errors : [:],
            kinds: Recommendation.Kind.allCases.map {
                Setup.Option(value: $0.rawValue, label: t["recommendation_kind_\($0.rawValue)"],
                             selected: $0.rawValue == (form.kind ?? "recommendation"))
            },
            agencies: Setup.agencyOptions(agencies, selected: form.agency, empty: t["setup_no_agency"]),
            action: SiteURL.recommendations(year: cycle.year).path, saved: saved)
    }

    /// One cycle's entries: its recommendations with their follow-up and action items, strengths, weaknesses.
    static func section(_ req: Request, region: Region, cycle: Cycle, agencies: [Setup.AgencyRow], editing: UUID?,
                        errors: [String: String]) async throws -> Section {
        let t = req.t
        let actor = try req.actor()
        let all = try await Recommendation.query(on: req.db).filter(\.$cycle.$id == cycle.requireID()).sort(\.$position).all()
        let code = Setup.codes(agencies)
        let ids = all.compactMap(\.id)
        let items = ids.isEmpty || !AccessPolicy.allows(actor, .readActions) ? []
            : try await ActionList.ordered(ActionList.query(req, region: region).filter(\.$recommendation.$id ~~ ids)).all()
        let usedIDs = all.compactMap(\.evidenceID)
        let used = usedIDs.isEmpty ? [] : try await Evidence.query(on: req.db).filter(\.$id ~~ usedIDs).all()
        let regionID = try region.requireID().uuidString
        var rows: [Row] = []
        for r in all where r.kind == .recommendation {
            guard let id = r.id else { continue }
            let resource = AccessPolicy.Resource(regionID: regionID, agencyIDs: Set([r.$agency.id?.uuidString].compactMap { $0 }))
            let canFollowUp = AccessPolicy.allows(actor, .followUpRecommendation, on: resource)
            let library = canFollowUp ? try await EvidenceLibrary.of(req, region: region, agency: r.$agency.id) : []
            rows.append(Row(
                id: id.uuidString, text: r.text, agency: r.$agency.id.flatMap { code[$0] },
                status: t["follow_up_\(r.followUpStatus.rawValue)"], statusKey: r.followUpStatus.rawValue, note: r.followUpNote,
                canFollowUp: canFollowUp,
                action: SiteURL.recommendation(year: cycle.year, id: id).path,
                statuses: Recommendation.FollowUp.allCases.map {
                    Setup.Option(value: $0.rawValue, label: t["follow_up_\($0.rawValue)"], selected: $0 == r.followUpStatus)
                },
                actionItems: try await ActionList.rows(req, region: region, items: items.filter { $0.$recommendation.id == id }.map(\.listItem)),
                errors: editing == id ? errors : [:],
                actionFormAction: SiteURL.recommendationAction(year: cycle.year, id: id).path,
                canMakeAction: AccessPolicy.allows(actor, .manageActions) && r.$agency.id != nil,
                evidence: r.evidenceID.flatMap { id in used.first { $0.id == id } }.flatMap { EvidenceRef($0) },
                documents: [Setup.Option(value: "", label: t["kpi_no_document"], selected: r.evidenceID == nil)]
                    + library.compactMap { e in
                        e.id.map { Setup.Option(value: $0.uuidString, label: e.title, selected: $0 == r.evidenceID) }
                    }))
        }
        return Section(year: cycle.year, recommendations: rows,
                       strengths: all.filter { $0.kind == .strength }.map(\.text),
                       weaknesses: all.filter { $0.kind == .weakness }.map(\.text))
    }
}
