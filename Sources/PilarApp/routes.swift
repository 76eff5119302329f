import Vapor

func routes(_ app: Application) throws {
    app.get(.healthz, use: HealthController.check)

    app.get(.signIn, use: SignInController.show)
    app.post(.signIn, use: SignInController.submit)
    app.post(.language, use: LanguageController.choose)

    let signedIn = app.grouped(RequireUserMiddleware())
    signedIn.get(.home, use: HomeController.show)
    signedIn.post(.signOut, use: SignInController.signOut)
    signedIn.get(.password, use: AccountController.showPassword)
    signedIn.post(.password, use: AccountController.changePassword)

    signedIn.get(.myIndicators, use: WorkListController.mine)
    signedIn.get(.review, use: WorkListController.review)
    signedIn.get(.audit) { req in try await req.view.render("audit", try await AuditPage.build(req)) }
    signedIn.get(.progress) { req in try await req.view.render("progress", try await ProgressPage.build(req)) }
    signedIn.get(.indicator(year: 0, code: ""), use: IndicatorController.show)
    signedIn.post(.indicator(year: 0, code: ""), use: IndicatorController.update)
    // Uploads stream to disk: no body collection, the size limit is enforced while writing.
    signedIn.on(.POST, SiteURL.indicatorEvidence(year: 0, code: "").components, body: .stream, use: EvidenceController.upload)
    signedIn.post(.indicatorLinks(year: 0, code: ""), use: EvidenceController.addLink)
    signedIn.get(.evidenceFile(id: UUID()), use: EvidenceController.download)
    signedIn.get(.apiEvidenceFile(id: UUID()), use: EvidenceController.download)

    signedIn.post(.indicatorAttach(year: 0, code: ""), use: EvidenceController.attach)
    signedIn.post(.indicatorDetach(year: 0, code: ""), use: EvidenceController.detach)
    signedIn.on(.POST, SiteURL.evidenceNewVersion(year: 0, code: "", id: UUID()).components, body: .stream,
                use: EvidenceController.newVersion)
    signedIn.get(.evidenceVersionFile(id: UUID(), number: 0), use: EvidenceController.downloadVersion)

    signedIn.get(.assignments(year: 0), use: AssignmentController.show)
    signedIn.post(.assignments(year: 0), use: AssignmentController.update)
    signedIn.get(.officialCurrent, use: OfficialController.current)
    signedIn.get(.official(year: 0), use: OfficialController.show)
    signedIn.post(.official(year: 0), use: OfficialController.update)

    signedIn.get(.adminAgencies, use: AgencyAdminController.list)
    signedIn.post(.adminAgencies, use: AgencyAdminController.create)
    signedIn.post(.adminAgency(id: UUID()), use: AgencyAdminController.update)
    signedIn.get(.adminUsers, use: UserAdminController.list)
    signedIn.post(.adminUsers, use: UserAdminController.create)
    signedIn.post(.adminUser(id: UUID()), use: UserAdminController.update)
    signedIn.post(.adminUserReset(id: UUID()), use: UserAdminController.reset)
    signedIn.get(.adminPillars, use: PillarAdminController.list)
    signedIn.post(.adminPillar(code: ""), use: PillarAdminController.update)
    signedIn.get(.adminCycles, use: CycleAdminController.list)
    signedIn.post(.adminCycles, use: CycleAdminController.create)
    signedIn.get(.adminCycle(year: 0), use: CycleAdminController.show)
    signedIn.post(.adminCycle(year: 0), use: CycleAdminController.update)

    signedIn.get(.apiMe, use: MeAPIController.me)
    signedIn.get(.apiCycles, use: CycleAPIController.list)
    signedIn.get(.apiCycleScore(year: 0), use: CycleAPIController.score)
    signedIn.get(.apiCycleIndicators(year: 0), use: CycleAPIController.indicators)
    signedIn.get(.apiIndicator(year: 0, code: ""), use: IndicatorAPIController.show)
}

/// Refuses requests without a signed-in user: a redirect to sign-in for pages, 401 JSON for the API.
struct RequireUserMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        _ = try request.requireUser()
        return try await next.respond(to: request)
    }
}
