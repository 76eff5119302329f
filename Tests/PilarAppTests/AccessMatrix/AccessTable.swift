import Foundation
import PilarCore
import Vapor
@testable import PilarApp

/// What a route's parameters are tried with.
enum TargetKind {
    case none, cycle, pastCycle, indicator, evidenceVersion, evidence, pillar, agency, user, programme, milestone, kpi, risk
    case action, meeting, decision, recommendation, region, reviewer

    func targets(_ w: AccessWorld) -> [Target] {
        let regions = [("k", w.k), ("l", w.l)]
        func id(_ value: UUID?) -> String { value?.uuidString ?? UUID().uuidString }
        switch self {
        case .none: return [Target(name: "-", params: [:])]
        case .cycle: return [Target(name: "2022", params: ["year": "2022"])]
        case .pastCycle: return [Target(name: "2021", params: ["year": "2021"])]
        case .pillar: return [Target(name: "environment", params: ["pillar": "environment"])]
        case .indicator: return Self.indicators.map { Target(name: $0.code, params: ["year": "2022", "code": $0.code], owners: $0.owners, status: $0.status) }
        case .evidence, .evidenceVersion:
            var out: [Target] = []
            for (key, region) in regions {
                for (name, agency, on) in Self.evidenceFixtures where key == "k" || name == "dlh-solo" {
                    let attached = on.compactMap { code in Self.indicators.first { $0.code == code } }
                        .map { (code: $0.code, owners: $0.owners, status: $0.status) }
                    let via = attached[0]
                    var params = ["id": id(region.evidence[name]), "number": "1"]
                    if self == .evidenceVersion { params = ["year": "2022", "code": via.code, "id": id(region.evidence[name])] }
                    out.append(Target(name: "\(key).\(name)", params: params, regionKey: key, owners: via.owners, status: via.status,
                                      evidenceAgency: agency, attached: attached))
                }
            }
            return out
        case .agency: return regions.map { Target(name: "\($0.0).DLH", params: ["id": $0.1.agencies["DLH"]!], regionKey: $0.0) }
        case .user:
            return regions.flatMap { key, region in
                [Target(name: "\(key).target", params: ["id": id(region.users["target"])], regionKey: key)]
                    + (key == "k" ? [Target(name: "k.admin2", params: ["id": id(region.users["admin2"])], regionKey: key, isAdmin: true)] : [])
            }
        case .programme, .milestone, .kpi, .risk, .action, .recommendation:
            return regions.flatMap { key, region in
                ["DLH", "DINKES"].filter { key == "k" || $0 == "DLH" }.map { agency -> Target in
                    var params: [String: String]
                    switch self {
                    case .action: params = ["id": id(region.actions[agency])]
                    case .recommendation: params = ["year": "2021", "id": id(region.recommendations[agency])]
                    default: params = ["id": id(region.programmes[agency])]
                    }
                    if self == .milestone { params["milestone"] = id(region.milestones[agency]) }
                    if self == .kpi { params["kpi"] = id(region.kpis[agency]) }
                    if self == .risk { params["risk"] = id(region.risks[agency]) }
                    return Target(name: "\(key).\(agency)", params: params, regionKey: key, owners: [agency])
                }
            }
        case .meeting, .decision:
            return regions.map { key, region in
                var params = ["id": id(region.meeting)]
                if self == .decision { params["decision"] = id(region.decision) }
                return Target(name: key, params: params, regionKey: key)
            }
        case .region:
            return regions.map { Target(name: $0.1.code, params: ["region": $0.1.code], regionKey: $0.0) }
        case .reviewer:
            return [Target(name: "reviewer", params: ["id": w.reviewer.uuidString])]
        }
    }

    /// Indicators in every state, the same in both regions (see `AccessWorld`).
    static let indicators: [(code: String, owners: [String], status: AssessmentStatus)] = [
        ("QW.ENV", ["DLH"], .returned), ("IM.ENV", ["DLH"], .submitted), ("OC.ENV", ["DLH"], .verified),
        ("QW.LIV", ["DINKES", "DLH"], .draft), ("IM.LIV", ["DINKES"], .verified),
    ]
    /// (name, agency, indicators it backs — the first is the one its version is sent through)
    static let evidenceFixtures: [(String, String, [String])] = [
        ("dlh-shared", "DLH", ["QW.ENV", "IM.ENV"]), ("dlh-solo", "DLH", ["QW.ENV"]), ("dinkes", "DINKES", ["QW.LIV"]),
    ]
}

/// One row of the matrix: a registered route, what its parameters name, and who may use it.
struct RouteRule {
    var method: HTTPMethod
    var path: String
    var kind: TargetKind
    var rule: Rule
    /// The statuses a permitted empty form gets when they are ones that would otherwise read as a refusal.
    var allowedAnswers: Set<UInt> = []
    /// When the route answers a missing form field with 404, a refusal must be 403 (or 409) to count.
    var refusedAnswers: Set<UInt>? = nil
    /// A form that writes when it is let through (so a refused one must not), instead of an empty one.
    var form: [String: String] = ["action": "save"]
    var key: String { "\(method.rawValue) /\(path)" }
}

enum AccessTable {
    static func r(_ method: HTTPMethod, _ path: String, _ kind: TargetKind, _ rule: @escaping Rule,
                  allowed: Set<UInt> = [], refused: Set<UInt>? = nil, form: [String: String]? = nil) -> RouteRule {
        RouteRule(method: method, path: path, kind: kind, rule: rule, allowedAnswers: allowed, refusedAnswers: refused,
                  form: form ?? ["action": "save"])
    }

    /// Every route Pilar registers. A route missing here fails the matrix test.
    static let rows: [RouteRule] = [
        r(.GET, "healthz", .none, Rules.anyone),
        r(.GET, "signin", .none, Rules.anyone),
        r(.POST, "signin", .none, Rules.anyone),
        r(.POST, "lang", .none, Rules.anyone),
        r(.GET, "public/:region", .region, Rules.anyone),
        // Everyone signed in has a home: a region's page, or the operator's and the reviewer's own.
        r(.GET, "", .none, Rules.signedIn),
        r(.GET, "operator/regions", .none, Rules.role(.manageInstallation)),
        r(.POST, "operator/regions", .none, Rules.role(.manageInstallation), form: [
            "name": "Kota Matriks", "code": "kota-matriks", "kind": "kota", "province": "Jawa Timur", "time_zone": "Asia/Jakarta",
            "admin_username": "admin", "admin_name": "Admin Matriks",
        ]),
        r(.GET, "operator/reviewers", .none, Rules.role(.manageInstallation)),
        r(.POST, "operator/reviewers", .none, Rules.role(.manageInstallation), form: ["username": "matriks.baru", "display_name": "Baru"]),
        r(.POST, "operator/reviewers/:id", .reviewer, Rules.role(.manageInstallation), form: ["active": "1"]),
        r(.GET, "regions", .none, Rules.role(.compareRegions)),
        r(.POST, "regions/:region/open", .region, Rules.openRegion),
        r(.POST, "regions/close", .none, Rules.role(.compareRegions)),
        r(.POST, "signout", .none, Rules.signedIn, allowed: [303]),
        r(.GET, "account/password", .none, Rules.signedIn),
        r(.POST, "account/password", .none, Rules.signedIn),
        r(.GET, "my/indicators", .none, Rules.role(.readIndicator)),
        r(.GET, "review", .none, Rules.role(.verify)),
        r(.GET, "audit", .none, Rules.role(.manageCycles)),
        r(.GET, "progress", .none, Rules.role(.readDashboard)),
        r(.GET, "cycles/:year/indicators/:code", .indicator, Rules.on(.readIndicator)),
        r(.POST, "cycles/:year/indicators/:code", .indicator, Rules.changeIndicator()),
        r(.POST, "cycles/:year/indicators/:code/evidence", .indicator, Rules.changeIndicator()),
        r(.POST, "cycles/:year/indicators/:code/links", .indicator, Rules.changeIndicator(),
          form: ["url": "https://data.example.org/matriks", "title": "Tautan matriks"]),
        r(.GET, "evidence/:id/file", .evidence, Rules.readEvidence),
        r(.GET, "api/v1/evidence/:id/file", .evidence, Rules.readEvidence),
        r(.POST, "cycles/:year/indicators/:code/attach", .indicator, Rules.changeIndicator()),
        r(.POST, "cycles/:year/indicators/:code/detach", .indicator, Rules.changeIndicator(), allowed: [404], refused: [403, 409]),
        r(.POST, "cycles/:year/indicators/:code/evidence/:id/versions", .evidenceVersion, Rules.newVersion),
        r(.GET, "evidence/:id/versions/:number/file", .evidence, Rules.readEvidence),
        r(.GET, "cycles/:year/assignments", .cycle, Rules.role(.manageCycles)),
        r(.POST, "cycles/:year/assignments", .cycle, Rules.role(.manageCycles)),
        r(.GET, "official", .none, Rules.role(.recordOfficial)),
        r(.GET, "cycles/:year/official", .cycle, Rules.role(.recordOfficial)),
        r(.POST, "cycles/:year/official", .cycle, Rules.role(.recordOfficial)),
        r(.POST, "cycles/:year/official/publish", .cycle, Rules.role(.manageCycles)),
        r(.GET, "admin/region", .none, Rules.role(.manageRegion)),
        r(.POST, "admin/region", .none, Rules.role(.manageRegion), form: [
            "name": "Kota Matriks", "kind": "kota", "province": "Jawa Timur", "time_zone": "Asia/Jakarta",
            "ministry_name": "Kementerian", "government": "PEMERINTAH", "agency": "DINAS", "address": "Jalan 1", "public_page": "1",
        ]),
        r(.POST, "admin/region/logo", .none, Rules.role(.manageRegion)),
        r(.POST, "admin/region/logo/remove", .none, Rules.role(.manageRegion)),
        r(.GET, "region/logo", .none, Rules.role(.readCycles)),
        r(.GET, "admin/agencies/sheet.xlsx", .none, Rules.role(.manageRegion)),
        r(.POST, "admin/agencies/sheet.xlsx", .none, Rules.role(.manageRegion)),
        r(.GET, "admin/users/sheet.xlsx", .none, Rules.role(.manageUsers)),
        r(.POST, "admin/users/sheet.xlsx", .none, Rules.role(.manageUsers)),
        r(.GET, "admin/agencies", .none, Rules.role(.manageRegion)),
        r(.POST, "admin/agencies", .none, Rules.role(.manageRegion), form: ["code": "MATRIKS", "name": "Dinas Matriks"]),
        r(.POST, "admin/agencies/:id", .agency, Rules.on(.manageRegion)),
        r(.POST, "admin/agencies/:id/coordinator", .agency, Rules.on(.manageRegion)),
        r(.GET, "admin/users", .none, Rules.role(.manageUsers)),
        r(.POST, "admin/users", .none, Rules.role(.manageUsers)),
        r(.POST, "admin/users/:id", .user, Rules.changeUser),
        r(.POST, "admin/users/:id/reset", .user, Rules.changeUser),
        r(.GET, "admin/pillars", .none, Rules.role(.manageRegion)),
        r(.POST, "admin/pillars/:pillar", .pillar, Rules.role(.manageRegion)),
        r(.GET, "admin/cycles", .none, Rules.role(.manageCycles)),
        r(.POST, "admin/cycles", .none, Rules.role(.manageCycles)),
        r(.GET, "admin/cycles/:year", .cycle, Rules.role(.manageCycles)),
        r(.POST, "admin/cycles/:year", .cycle, Rules.role(.manageCycles)),
        r(.GET, "programmes", .none, Rules.role(.readProgrammes)),
        r(.POST, "programmes", .none, Rules.role(.manageProgrammes)),
        r(.GET, "programmes/kpis.xlsx", .none, Rules.role(.editProgramme)),
        r(.POST, "programmes/kpis.xlsx", .none, Rules.role(.editProgramme)),
        r(.GET, "programmes/:id", .programme, Rules.on(.readProgrammes)),
        r(.POST, "programmes/:id", .programme, Rules.on(.editProgramme)),
        r(.POST, "programmes/:id/milestones/:milestone", .milestone, Rules.on(.editProgramme)),
        r(.POST, "programmes/:id/kpis", .programme, Rules.on(.manageProgrammes)),
        r(.POST, "programmes/:id/kpis/:kpi", .kpi, Rules.on(.editProgramme)),
        r(.POST, "programmes/:id/kpis/:kpi/targets", .kpi, Rules.on(.manageProgrammes)),
        r(.POST, "programmes/:id/risks", .programme, Rules.on(.editProgramme)),
        r(.POST, "programmes/:id/risks/:risk", .risk, Rules.on(.editProgramme)),
        r(.POST, "programmes/:id/details", .programme, Rules.on(.manageProgrammes)),
        r(.POST, "programmes/:id/budgets", .programme, Rules.on(.editProgramme)),
        r(.POST, "programmes/:id/milestones", .programme, Rules.on(.editProgramme),
          form: ["milestone_title": "Tonggak matriks", "milestone_due": "2022-12-01"]),
        r(.POST, "programmes/:id/documents", .programme, Rules.on(.editProgramme)),
        r(.GET, "actions", .none, Rules.role(.readActions)),
        r(.POST, "actions", .none, Rules.role(.manageActions)),
        r(.GET, "actions/:id", .action, Rules.on(.readActions)),
        r(.POST, "actions/:id", .action, Rules.on(.editAction)),
        r(.POST, "actions/:id/comments", .action, Rules.on(.editAction), form: ["body": "Catatan matriks"]),
        r(.GET, "inbox", .none, Rules.signedIn),
        r(.POST, "inbox/read", .none, Rules.signedIn),
        r(.GET, "meetings", .none, Rules.role(.readMeetings)),
        r(.POST, "meetings", .none, Rules.role(.manageMeetings), form: ["title": "Rapat matriks", "held_on": "2022-10-03"]),
        r(.GET, "meetings/:id", .meeting, Rules.on(.readMeetings)),
        r(.POST, "meetings/:id", .meeting, Rules.on(.manageMeetings)),
        r(.POST, "meetings/:id/decisions/:decision/action", .decision, Rules.on(.manageActions)),
        r(.GET, "recommendations", .none, Rules.role(.readRecommendations)),
        r(.GET, "cycles/:year/recommendations", .cycle, Rules.role(.readRecommendations)),
        r(.POST, "cycles/:year/recommendations", .cycle, Rules.role(.manageRecommendations),
          form: ["kind": "recommendation", "text": "Rekomendasi matriks"]),
        r(.POST, "cycles/:year/recommendations/:id", .recommendation, Rules.on(.followUpRecommendation),
          form: ["status": "in_progress", "note": "Tindak lanjut matriks"]),
        r(.POST, "cycles/:year/recommendations/:id/action", .recommendation, Rules.on(.manageActions)),
        r(.GET, "dashboard", .none, Rules.role(.readDashboard)),
        r(.GET, "cycles/:year/plan", .cycle, Rules.role(.readDashboard)),
        r(.POST, "cycles/:year/plan/actions", .cycle, Rules.role(.manageActions)),
        r(.POST, "cycles/:year/plan/efforts", .cycle, Rules.role(.manageCycles)),
        r(.GET, "api/v1/cycles/:year/plan", .cycle, Rules.role(.readDashboard)),
        r(.GET, "cycles/:year/whatif", .cycle, Rules.role(.readDashboard)),
        r(.GET, "cycles/:year/report", .cycle, Rules.role(.readDashboard)),
        r(.GET, "cycles/:year/evidence.zip", .cycle, Rules.role(.exportCycle)),
        r(.GET, "cycles/:year/export.xlsx", .cycle, Rules.role(.exportCycle)),
        r(.GET, "cycles/:year/export.csv", .cycle, Rules.role(.exportCycle)),
        r(.GET, "actions/export.xlsx", .none, Rules.role(.readActions)),
        r(.GET, "actions/export.csv", .none, Rules.role(.readActions)),
        r(.GET, "programmes/export.xlsx", .none, Rules.role(.readProgrammes)),
        r(.GET, "programmes/export.csv", .none, Rules.role(.readProgrammes)),
        r(.GET, "audit/export.xlsx", .none, Rules.role(.manageCycles)),
        r(.GET, "audit/export.csv", .none, Rules.role(.manageCycles)),
        r(.GET, "api/v1/me", .none, Rules.signedIn),
        r(.GET, "api/v1/programmes", .none, Rules.role(.readProgrammes)),
        r(.GET, "api/v1/actions", .none, Rules.role(.readActions)),
        r(.GET, "api/v1/meetings", .none, Rules.role(.readMeetings)),
        r(.GET, "api/v1/cycles/:year/recommendations", .cycle, Rules.role(.readRecommendations)),
        r(.GET, "api/v1/inbox", .none, Rules.signedIn),
        r(.GET, "api/v1/cycles", .none, Rules.role(.readCycles)),
        r(.GET, "api/v1/cycles/:year/score", .cycle, Rules.role(.readCycles)),
        r(.GET, "api/v1/cycles/:year/indicators", .cycle, Rules.role(.readIndicator)),
        r(.GET, "api/v1/cycles/:year/indicators/:code", .indicator, Rules.on(.readIndicator)),
    ]
}
