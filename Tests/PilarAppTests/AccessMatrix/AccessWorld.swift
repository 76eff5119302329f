import Fluent
import Foundation
import NIOCore
import PilarCore
import SQLKit
import Vapor
import VaporTesting
@testable import PilarApp

/// The installation the access matrix is run against: the demo city (region K, `kota-kediri`) and
/// its twin (region L, `kota-kembar`, users `kembar.*`) with the same cycle, programmes, actions,
/// meetings and recommendations. Both get the same extra fixtures, so what an actor may do in its
/// own region is the same in either:
///
/// - indicators in every state of two agencies: DLH's QW.ENV (returned: open), IM.ENV (submitted),
///   OC.ENV (verified); Dinkes's QW.LIV (draft, DLH contributes) and IM.LIV (verified);
/// - evidence files: DLH's "shared" one on QW.ENV and IM.ENV (so it is locked for DLH), DLH's "solo"
///   one on QW.ENV only, Dinkes's one on QW.LIV;
/// - an action item for DLH and one for Dinkes, a recommendation for each, a target user and a
///   second admin.
struct AccessWorld {
    struct Region {
        var id: String
        var code: String
        /// Agency code → id.
        var agencies: [String: String]
        var evidence: [String: UUID] = [:]
        var programmes: [String: UUID] = [:]
        var milestones: [String: UUID] = [:]
        var kpis: [String: UUID] = [:]
        var risks: [String: UUID] = [:]
        var actions: [String: UUID] = [:]
        var recommendations: [String: UUID] = [:]
        var meeting: UUID?
        var decision: UUID?
        var users: [String: UUID] = [:]
    }

    var k: Region
    var l: Region
    /// The installation's reviewer (given region K only).
    var reviewer: UUID

    static let operatorCredentials = ("admin", "sandi-operator-2022")
    static let reviewerCredentials = ("matriks.peninjau", "sandi-peninjau-2022")

    static let evidenceBytes = Array("%PDF-1.4\n% matrix\n%%EOF\n".utf8)

    static func build(_ app: Application) async throws -> AccessWorld {
        _ = try await DemoSeed.load(app, code: "kota-kembar", name: "Kota Kembar", userPrefix: "kembar")
        let k = try await prepare(app, regionCode: "kota-kediri", prefix: "kediri")
        let l = try await prepare(app, regionCode: "kota-kembar", prefix: "kembar")
        // The installation's own accounts: the operator, and a reviewer given K (not L).
        try await Accounts.create(app: app, on: app.db, region: nil, agency: nil, username: operatorCredentials.0,
                                  displayName: "Operator", role: .operator, password: operatorCredentials.1)
        let reviewer = try await Accounts.create(app: app, on: app.db, region: nil, agency: nil, username: reviewerCredentials.0,
                                                 displayName: "Peninjau", role: .reviewer, password: reviewerCredentials.1)
        try await ReviewerRegion(userID: reviewer.requireID(), regionID: UUID(uuidString: k.id)!).create(on: app.db)
        return AccessWorld(k: k, l: l, reviewer: try reviewer.requireID())
    }

    static func prepare(_ app: Application, regionCode: String, prefix: String) async throws -> Region {
        let db = app.db
        guard let region = try await PilarApp.Region.query(on: db).filter(\.$code == regionCode).first() else {
            throw Abort(.internalServerError, reason: "no region \(regionCode)")
        }
        let regionID = try region.requireID()
        var agencies: [String: String] = [:]
        for agency in try await Agency.query(on: db).filter(\.$region.$id == regionID).all() {
            agencies[agency.code] = try agency.requireID().uuidString
        }
        var world = Region(id: regionID.uuidString, code: regionCode, agencies: agencies)
        func agencyID(_ code: String) -> UUID { UUID(uuidString: agencies[code]!)! }
        guard let cycle = try await Cycle.query(on: db).filter(\.$region.$id == regionID).filter(\.$year == 2022).first() else {
            throw Abort(.internalServerError, reason: "no 2022 cycle in \(regionCode)")
        }
        let cycleID = try cycle.requireID()
        func assessment(_ code: String) async throws -> Assessment {
            try await Assessment.query(on: db).filter(\.$cycle.$id == cycleID).filter(\.$indicatorCode == code).first()!
        }
        // Dinkes's QW.LIV open again, with DLH contributing.
        let living = try await assessment("QW.LIV")
        living.status = .draft
        try await living.save(on: db)
        try await AssessmentContributor(assessmentID: living.requireID(), agencyID: agencyID("DLH")).create(on: db)

        // Evidence, uploaded as the agencies do (through the route), then linked where needed.
        let dlh = try await Browser.signedIn(app, ("\(prefix).dlh", "demo-dlh-2022"))
        let dinkes = try await Browser.signedIn(app, ("\(prefix).dinkes", "demo-dinkes-2022"))
        world.evidence["dlh-shared"] = try await upload(dlh, code: "QW.ENV", title: "\(prefix) bukti bersama DLH", name: "bersama.pdf")
        world.evidence["dlh-solo"] = try await upload(dlh, code: "QW.ENV", title: "\(prefix) bukti DLH", name: "sendiri.pdf")
        world.evidence["dinkes"] = try await upload(dinkes, code: "QW.LIV", title: "\(prefix) bukti Dinkes", name: "dinkes.pdf")
        try await EvidenceLink(evidenceID: world.evidence["dlh-shared"]!, assessmentID: assessment("IM.ENV").requireID()).create(on: db)

        // Programmes: the quick wins of DLH (Bank Sampah) and Dinkes (Home Care), with their parts.
        for code in ["DLH", "DINKES"] {
            guard let programme = try await Programme.query(on: db).filter(\.$region.$id == regionID)
                .filter(\.$owner.$id == agencyID(code)).first() else { throw Abort(.internalServerError, reason: "no programme of \(code)") }
            let id = try programme.requireID()
            world.programmes[code] = id
            world.milestones[code] = try await Milestone.query(on: db).filter(\.$programme.$id == id).first()?.requireID()
            world.kpis[code] = try await KPI.query(on: db).filter(\.$programme.$id == id).first()?.requireID()
            world.risks[code] = try await Risk.query(on: db).filter(\.$programme.$id == id).first()?.requireID()
        }
        for code in ["DLH", "DINKES"] {
            let item = ActionItem(regionID: regionID, title: "Tindak lanjut \(code)", description: nil, assigneeID: agencyID(code),
                                  dueOn: "2022-10-01", priority: .normal, createdBy: "matrix", at: Date())
            try await item.create(on: db)
            world.actions[code] = try item.requireID()
            let past = try await Cycle.query(on: db).filter(\.$region.$id == regionID).filter(\.$year == 2021).first()!
            let rec = Recommendation(cycleID: try past.requireID(), kind: .recommendation, position: 90, text: "Rekomendasi \(code)",
                                     agencyID: agencyID(code))
            try await rec.create(on: db)
            world.recommendations[code] = try rec.requireID()
        }
        let meeting = try await Meeting.query(on: db).filter(\.$region.$id == regionID).first()!
        world.meeting = try meeting.requireID()
        world.decision = try await MeetingDecision.query(on: db).filter(\.$meeting.$id == meeting.requireID()).first()?.requireID()

        // A letterhead logo, for the route that serves it.
        try await RegionLogo(regionID: regionID, contentType: "image/png", sha256: "matrix-\(prefix)",
                             data: Data(RegionLogoTests.png)).create(on: db)

        // Users to be changed by the set-up routes: an agency user and a second admin.
        for (name, role, agency) in [("target", Role.agency, "DLH" as String?), ("admin2", Role.admin, nil)] {
            let user = try await Accounts.create(app: app, on: db, region: region,
                                                 agency: try await agency.asyncMap { try await Agency.find(agencyID($0), on: db) } ?? nil,
                                                 username: "\(prefix).\(name)", displayName: "Sasaran \(name)", role: role,
                                                 password: "target-password-2022")
            world.users[name] = try user.requireID()
        }
        return world
    }

    /// Uploads a PDF to an indicator as `browser`'s user and returns the new evidence's id.
    static func upload(_ browser: Browser, code: String, title: String, name: String) async throws -> UUID {
        try await browser.get("/cycles/2022/indicators/\(code)")
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "multipart/form-data; boundary=pilarBoundary7MA4YWxk")
        let body = EvidenceFixture.multipart(fields: [("title", title)], filename: name, bytes: evidenceBytes)
        let response = try await browser.send(.POST, "/cycles/2022/indicators/\(code)/evidence?_csrf=\(browser.csrf!)",
                                              headers: headers, body: body)
        guard response.status == .seeOther else { throw Abort(.internalServerError, reason: "upload to \(code): \(response.status)") }
        guard let evidence = try await Evidence.query(on: browser.app.db).filter(\.$title == title)
            .sort(\.$createdAt, .descending).first() else { throw Abort(.internalServerError) }
        return try evidence.requireID()
    }
}

extension Optional {
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
