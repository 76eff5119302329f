import Foundation
import Vapor

/// Every URL of the site, typed: routes are registered and links printed from the same value.
enum SiteURL: Equatable {
    case home
    case signIn
    case signOut
    case language
    case password
    case healthz
    case apiMe
    case apiCycles
    case apiCycleScore(year: Int)
    case apiCycleIndicators(year: Int)
    case apiIndicator(year: Int, code: String)
    case indicator(year: Int, code: String)
    case indicatorEvidence(year: Int, code: String)
    case indicatorLinks(year: Int, code: String)
    case indicatorAttach(year: Int, code: String)
    case indicatorDetach(year: Int, code: String)
    case evidenceNewVersion(year: Int, code: String, id: UUID)
    case evidenceFile(id: UUID)
    case evidenceVersionFile(id: UUID, number: Int)
    case apiEvidenceFile(id: UUID)
    case myIndicators
    case review
    case progress
    case audit
    case assignments(year: Int)
    case official(year: Int)
    /// The current cycle's official scores (a redirect).
    case officialCurrent
    case adminAgencies
    case adminAgency(id: UUID)
    case adminAgencyCoordinator(id: UUID)
    case adminUsers
    case adminUser(id: UUID)
    case adminUserReset(id: UUID)
    case adminPillars
    case adminRegion
    case adminPillar(code: String)
    case adminCycles
    case adminCycle(year: Int)
    case programmes
    case kpiSheet
    case programme(id: UUID)
    case milestone(programme: UUID, milestone: UUID)
    case programmeKPIs(programme: UUID)
    case kpiRealisations(programme: UUID, kpi: UUID)
    case kpiTargets(programme: UUID, kpi: UUID)
    case programmeRisks(programme: UUID)
    case risk(programme: UUID, risk: UUID)
    case programmeDetails(programme: UUID)
    case programmeBudgets(programme: UUID)
    case programmeMilestones(programme: UUID)
    case programmeDocuments(programme: UUID)
    case actions
    case action(id: UUID)
    case actionComments(id: UUID)
    case inbox
    case inboxRead
    case meetings
    case meeting(id: UUID)
    case decisionAction(meeting: UUID, decision: UUID)
    case recommendations(year: Int)
    /// The current cycle's recommendations page (a redirect).
    case recommendationsCurrent
    case apiProgrammes
    case apiActions
    case apiMeetings
    case apiRecommendations(year: Int)
    case apiInbox
    case recommendation(year: Int, id: UUID)
    case recommendationAction(year: Int, id: UUID)
    case dashboard
    case plan(year: Int)
    case planActions(year: Int)
    case planEfforts(year: Int)
    case whatIf(year: Int)
    case apiPlan(year: Int)
    case cycleExport(year: Int, format: ExportFormat)
    case report(year: Int)
    case evidenceBundle(year: Int)
    case listExport(list: ExportList, format: ExportFormat)
    case publicPage(region: String)
    case officialPublish(year: Int)
    case operatorRegions
    case operatorReviewers
    case operatorReviewer(id: UUID)
    case regions
    case regionOpen(region: String)
    case regionClose
    case adminRegionLogo
    case adminRegionLogoRemove
    case regionLogo
    case agencySheet
    case userSheet

    enum ExportFormat: String, CaseIterable { case xlsx, csv }
    enum ExportList: String, CaseIterable { case actions, programmes, audit }

    /// The path as printed in links.
    var path: String {
        let values = parameters
        return "/" + components.map { component in
            switch component {
            case let .constant(text): return text
            case let .parameter(name): return values[name] ?? ":\(name)"
            default: return "*"
            }
        }.joined(separator: "/")
    }

    /// The path with a query string: `SiteURL.programme(id: id).path(query: ["year": "2022", "saved": "kpi"])`.
    /// Names and values are percent-encoded; a nil value leaves its name out.
    func path(query: KeyValuePairs<String, String?>) -> String {
        func encode(_ text: String) -> String {
            text.addingPercentEncoding(withAllowedCharacters: Self.queryAllowed) ?? text
        }
        let items = query.compactMap { name, value in value.map { "\(encode(name))=\(encode($0))" } }
        return items.isEmpty ? path : path + "?" + items.joined(separator: "&")
    }

    /// Unreserved characters and `/` (allowed in a query, and kept so `next=/account/password` reads as a path).
    private static let queryAllowed = CharacterSet(charactersIn:
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~/")

    /// The values of the route's parameters, encoded for a path.
    private var parameters: [String: String] {
        func encode(_ text: String) -> String {
            text.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/"])) ?? text
        }
        switch self {
        case let .apiCycleScore(year), let .apiCycleIndicators(year), let .assignments(year), let .official(year),
            let .adminCycle(year):
            return ["year": String(year)]
        case let .apiIndicator(year, code), let .indicator(year, code), let .indicatorEvidence(year, code),
            let .indicatorLinks(year, code), let .indicatorAttach(year, code), let .indicatorDetach(year, code):
            return ["year": String(year), "code": encode(code)]
        case let .evidenceNewVersion(year, code, id):
            return ["year": String(year), "code": encode(code), "id": id.uuidString]
        case let .operatorReviewer(id):
            return ["id": id.uuidString]
        case let .regionOpen(region):
            return ["region": encode(region)]
        case let .evidenceFile(id), let .apiEvidenceFile(id), let .adminAgency(id), let .adminAgencyCoordinator(id), let .adminUser(id),
            let .adminUserReset(id):
            return ["id": id.uuidString]
        case let .evidenceVersionFile(id, number):
            return ["id": id.uuidString, "number": String(number)]
        case let .adminPillar(code):
            return ["pillar": encode(code)]
        case let .programme(id), let .programmeKPIs(id), let .programmeRisks(id), let .programmeDetails(id),
            let .programmeBudgets(id), let .programmeMilestones(id), let .programmeDocuments(id), let .action(id), let .actionComments(id),
            let .meeting(id):
            return ["id": id.uuidString]
        case let .milestone(programme, milestone):
            return ["id": programme.uuidString, "milestone": milestone.uuidString]
        case let .risk(programme, risk):
            return ["id": programme.uuidString, "risk": risk.uuidString]
        case let .kpiRealisations(programme, kpi), let .kpiTargets(programme, kpi):
            return ["id": programme.uuidString, "kpi": kpi.uuidString]
        case let .decisionAction(meeting, decision):
            return ["id": meeting.uuidString, "decision": decision.uuidString]
        case let .recommendations(year), let .apiRecommendations(year), let .plan(year), let .planActions(year),
            let .planEfforts(year), let .whatIf(year), let .apiPlan(year), let .cycleExport(year, _), let .report(year),
            let .evidenceBundle(year), let .officialPublish(year):
            return ["year": String(year)]
        case let .recommendation(year, id), let .recommendationAction(year, id):
            return ["year": String(year), "id": id.uuidString]
        case let .publicPage(region):
            return ["region": encode(region)]
        case .home, .signIn, .signOut, .language, .password, .healthz, .apiMe, .apiCycles, .myIndicators, .review,
            .progress, .audit, .officialCurrent, .adminAgencies, .adminUsers, .adminPillars, .adminRegion, .adminCycles, .programmes,
            .kpiSheet, .actions, .inbox, .inboxRead, .meetings, .recommendationsCurrent, .apiProgrammes, .apiActions,
            .apiMeetings, .apiInbox, .dashboard, .listExport, .operatorRegions, .operatorReviewers, .regions, .regionClose,
            .adminRegionLogo, .adminRegionLogoRemove, .regionLogo, .agencySheet, .userSheet:
            return [:]
        }
    }

    /// The route pattern.
    var components: [PathComponent] {
        switch self {
        case .home: []
        case .signIn: ["signin"]
        case .signOut: ["signout"]
        case .language: ["lang"]
        case .password: ["account", "password"]
        case .healthz: ["healthz"]
        case .apiMe: ["api", "v1", "me"]
        case .apiCycles: ["api", "v1", "cycles"]
        case .apiCycleScore: ["api", "v1", "cycles", ":year", "score"]
        case .apiCycleIndicators: ["api", "v1", "cycles", ":year", "indicators"]
        case .apiIndicator: ["api", "v1", "cycles", ":year", "indicators", ":code"]
        case .indicator: ["cycles", ":year", "indicators", ":code"]
        case .indicatorEvidence: ["cycles", ":year", "indicators", ":code", "evidence"]
        case .indicatorLinks: ["cycles", ":year", "indicators", ":code", "links"]
        case .indicatorAttach: ["cycles", ":year", "indicators", ":code", "attach"]
        case .indicatorDetach: ["cycles", ":year", "indicators", ":code", "detach"]
        case .evidenceNewVersion: ["cycles", ":year", "indicators", ":code", "evidence", ":id", "versions"]
        case .evidenceFile: ["evidence", ":id", "file"]
        case .evidenceVersionFile: ["evidence", ":id", "versions", ":number", "file"]
        case .apiEvidenceFile: ["api", "v1", "evidence", ":id", "file"]
        case .myIndicators: ["my", "indicators"]
        case .review: ["review"]
        case .progress: ["progress"]
        case .audit: ["audit"]
        case .assignments: ["cycles", ":year", "assignments"]
        case .official: ["cycles", ":year", "official"]
        case .officialCurrent: ["official"]
        case .adminAgencies: ["admin", "agencies"]
        case .adminAgency: ["admin", "agencies", ":id"]
        case .adminAgencyCoordinator: ["admin", "agencies", ":id", "coordinator"]
        case .adminUsers: ["admin", "users"]
        case .adminUser: ["admin", "users", ":id"]
        case .adminUserReset: ["admin", "users", ":id", "reset"]
        case .adminPillars: ["admin", "pillars"]
        case .adminRegion: ["admin", "region"]
        case .adminPillar: ["admin", "pillars", ":pillar"]
        case .adminCycles: ["admin", "cycles"]
        case .adminCycle: ["admin", "cycles", ":year"]
        case .programmes: ["programmes"]
        case .kpiSheet: ["programmes", "kpis.xlsx"]
        case .programme: ["programmes", ":id"]
        case .milestone: ["programmes", ":id", "milestones", ":milestone"]
        case .programmeKPIs: ["programmes", ":id", "kpis"]
        case .kpiRealisations: ["programmes", ":id", "kpis", ":kpi"]
        case .kpiTargets: ["programmes", ":id", "kpis", ":kpi", "targets"]
        case .programmeRisks: ["programmes", ":id", "risks"]
        case .risk: ["programmes", ":id", "risks", ":risk"]
        case .programmeDetails: ["programmes", ":id", "details"]
        case .programmeBudgets: ["programmes", ":id", "budgets"]
        case .programmeMilestones: ["programmes", ":id", "milestones"]
        case .programmeDocuments: ["programmes", ":id", "documents"]
        case .actions: ["actions"]
        case .action: ["actions", ":id"]
        case .actionComments: ["actions", ":id", "comments"]
        case .inbox: ["inbox"]
        case .inboxRead: ["inbox", "read"]
        case .meetings: ["meetings"]
        case .meeting: ["meetings", ":id"]
        case .decisionAction: ["meetings", ":id", "decisions", ":decision", "action"]
        case .recommendations: ["cycles", ":year", "recommendations"]
        case .recommendationsCurrent: ["recommendations"]
        case .apiProgrammes: ["api", "v1", "programmes"]
        case .apiActions: ["api", "v1", "actions"]
        case .apiMeetings: ["api", "v1", "meetings"]
        case .apiRecommendations: ["api", "v1", "cycles", ":year", "recommendations"]
        case .apiInbox: ["api", "v1", "inbox"]
        case .recommendation: ["cycles", ":year", "recommendations", ":id"]
        case .recommendationAction: ["cycles", ":year", "recommendations", ":id", "action"]
        case .dashboard: ["dashboard"]
        case .plan: ["cycles", ":year", "plan"]
        case .planActions: ["cycles", ":year", "plan", "actions"]
        case .planEfforts: ["cycles", ":year", "plan", "efforts"]
        case .whatIf: ["cycles", ":year", "whatif"]
        case .apiPlan: ["api", "v1", "cycles", ":year", "plan"]
        case let .cycleExport(_, format): ["cycles", ":year", .constant("export.\(format.rawValue)")]
        case .report: ["cycles", ":year", "report"]
        case .evidenceBundle: ["cycles", ":year", "evidence.zip"]
        case let .listExport(list, format): [.constant(list.rawValue), .constant("export.\(format.rawValue)")]
        case .publicPage: ["public", ":region"]
        case .officialPublish: ["cycles", ":year", "official", "publish"]
        case .operatorRegions: ["operator", "regions"]
        case .operatorReviewers: ["operator", "reviewers"]
        case .operatorReviewer: ["operator", "reviewers", ":id"]
        case .regions: ["regions"]
        case .regionOpen: ["regions", ":region", "open"]
        case .regionClose: ["regions", "close"]
        case .adminRegionLogo: ["admin", "region", "logo"]
        case .adminRegionLogoRemove: ["admin", "region", "logo", "remove"]
        case .regionLogo: ["region", "logo"]
        case .agencySheet: ["admin", "agencies", "sheet.xlsx"]
        case .userSheet: ["admin", "users", "sheet.xlsx"]
        }
    }
}

extension UUID {
    /// The id written into a `SiteURL` when only its route pattern is wanted (registering routes):
    /// the pattern does not depend on the value.
    static let routePattern = UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))
}

extension RoutesBuilder {
    @discardableResult
    func get<Response: AsyncResponseEncodable>(
        _ url: SiteURL, use closure: @Sendable @escaping (Request) async throws -> Response
    ) -> Route {
        on(.GET, url.components, use: closure)
    }

    @discardableResult
    func post<Response: AsyncResponseEncodable>(
        _ url: SiteURL, use closure: @Sendable @escaping (Request) async throws -> Response
    ) -> Route {
        on(.POST, url.components, use: closure)
    }
}
