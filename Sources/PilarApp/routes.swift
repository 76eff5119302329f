import Vapor

func routes(_ app: Application) throws {
    app.get(.healthz, use: HealthController.check)

    app.get(.signIn, use: SignInController.show)
    app.post(.signIn, use: SignInController.submit)
    app.post(.language, use: LanguageController.choose)
    app.get(.publicPage(region: ""), use: PublicController.show)

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
    signedIn.get(.evidenceFile(id: .routePattern), use: EvidenceController.download)
    signedIn.get(.apiEvidenceFile(id: .routePattern), use: EvidenceController.download)

    signedIn.post(.indicatorAttach(year: 0, code: ""), use: EvidenceController.attach)
    signedIn.post(.indicatorDetach(year: 0, code: ""), use: EvidenceController.detach)
    signedIn.on(.POST, SiteURL.evidenceNewVersion(year: 0, code: "", id: .routePattern).components, body: .stream,
                use: EvidenceController.newVersion)
    signedIn.get(.evidenceVersionFile(id: .routePattern, number: 0), use: EvidenceController.downloadVersion)

    signedIn.get(.assignments(year: 0), use: AssignmentController.show)
    signedIn.post(.assignments(year: 0), use: AssignmentController.update)
    signedIn.get(.officialCurrent, use: OfficialController.current)
    signedIn.get(.official(year: 0), use: OfficialController.show)
    signedIn.post(.official(year: 0), use: OfficialController.update)
    signedIn.post(.officialPublish(year: 0), use: OfficialPublishController.update)

    signedIn.get(.operatorRegions, use: OperatorRegionsController.list)
    signedIn.post(.operatorRegions, use: OperatorRegionsController.create)
    signedIn.get(.operatorReviewers, use: OperatorReviewersController.list)
    signedIn.post(.operatorReviewers, use: OperatorReviewersController.create)
    signedIn.post(.operatorReviewer(id: .routePattern), use: OperatorReviewersController.update)
    signedIn.get(.regions, use: RegionsController.show)
    signedIn.post(.regionOpen(region: ""), use: RegionsController.open)
    signedIn.post(.regionClose, use: RegionsController.close)

    signedIn.get(.adminRegion, use: RegionAdminController.show)
    signedIn.post(.adminRegion, use: RegionAdminController.update)
    signedIn.on(.POST, SiteURL.adminRegionLogo.components, body: .stream, use: RegionLogoController.upload)
    signedIn.post(.adminRegionLogoRemove, use: RegionLogoController.remove)
    signedIn.get(.regionLogo, use: RegionLogoController.show)
    signedIn.get(.adminAgencies, use: AgencyAdminController.list)
    signedIn.post(.adminAgencies, use: AgencyAdminController.create)
    signedIn.post(.adminAgency(id: .routePattern), use: AgencyAdminController.update)
    signedIn.post(.adminAgencyCoordinator(id: .routePattern), use: AgencyAdminController.markCoordinator)
    signedIn.get(.agencySheet, use: SetupSheetController.agencyTemplate)
    signedIn.on(.POST, SiteURL.agencySheet.components, body: .stream, use: SetupSheetController.agencyUpload)
    signedIn.get(.userSheet, use: SetupSheetController.userTemplate)
    signedIn.on(.POST, SiteURL.userSheet.components, body: .stream, use: SetupSheetController.userUpload)
    signedIn.get(.adminUsers, use: UserAdminController.list)
    signedIn.post(.adminUsers, use: UserAdminController.create)
    signedIn.post(.adminUser(id: .routePattern), use: UserAdminController.update)
    signedIn.post(.adminUserReset(id: .routePattern), use: UserAdminController.reset)
    signedIn.get(.adminPillars, use: PillarAdminController.list)
    signedIn.post(.adminPillar(code: ""), use: PillarAdminController.update)
    signedIn.get(.adminCycles, use: CycleAdminController.list)
    signedIn.post(.adminCycles, use: CycleAdminController.create)
    signedIn.get(.adminCycle(year: 0), use: CycleSettingsController.show)
    signedIn.post(.adminCycle(year: 0), use: CycleSettingsController.update)

    signedIn.get(.programmes, use: ProgrammeController.list)
    signedIn.post(.programmes, use: ProgrammeController.create)
    signedIn.get(.kpiSheet, use: KPISheetController.download)
    signedIn.on(.POST, SiteURL.kpiSheet.components, body: .stream, use: KPISheetController.upload)
    signedIn.get(.programme(id: .routePattern), use: ProgrammeController.show)
    signedIn.post(.programme(id: .routePattern), use: ProgrammeController.update)
    signedIn.post(.milestone(programme: .routePattern, milestone: .routePattern), use: MilestoneController.update)
    signedIn.post(.programmeKPIs(programme: .routePattern), use: KPIController.create)
    signedIn.post(.kpiRealisations(programme: .routePattern, kpi: .routePattern), use: KPIController.realisation)
    signedIn.post(.kpiTargets(programme: .routePattern, kpi: .routePattern), use: KPIController.targets)
    signedIn.post(.programmeRisks(programme: .routePattern), use: RiskController.create)
    signedIn.post(.risk(programme: .routePattern, risk: .routePattern), use: RiskController.update)
    signedIn.post(.programmeDetails(programme: .routePattern), use: ProgrammeDetailsController.update)
    signedIn.post(.programmeBudgets(programme: .routePattern), use: ProgrammeBudgetController.update)
    signedIn.post(.programmeMilestones(programme: .routePattern), use: MilestoneController.create)
    signedIn.on(.POST, SiteURL.programmeDocuments(programme: .routePattern).components, body: .stream, use: ProgrammeDocumentController.create)

    signedIn.get(.actions, use: ActionController.list)
    signedIn.post(.actions, use: ActionController.create)
    signedIn.get(.action(id: .routePattern), use: ActionController.show)
    signedIn.post(.action(id: .routePattern), use: ActionController.update)
    signedIn.post(.actionComments(id: .routePattern), use: ActionCommentController.create)
    signedIn.get(.inbox, use: InboxController.show)
    signedIn.post(.inboxRead, use: InboxController.read)

    signedIn.get(.meetings, use: MeetingController.list)
    signedIn.post(.meetings, use: MeetingController.create)
    signedIn.get(.meeting(id: .routePattern), use: MeetingController.show)
    signedIn.post(.meeting(id: .routePattern), use: MeetingController.update)
    signedIn.post(.decisionAction(meeting: .routePattern, decision: .routePattern), use: MeetingDecisionController.create)
    signedIn.get(.recommendationsCurrent, use: RecommendationController.current)
    signedIn.get(.recommendations(year: 0), use: RecommendationController.show)
    signedIn.post(.recommendations(year: 0), use: RecommendationController.create)
    signedIn.post(.recommendation(year: 0, id: .routePattern), use: RecommendationController.followUp)
    signedIn.post(.recommendationAction(year: 0, id: .routePattern), use: RecommendationActionController.create)

    signedIn.get(.dashboard) { req in try await DashboardPage.cached(req).response(req) }

    signedIn.get(.plan(year: 0), use: PlanController.show)
    signedIn.post(.planActions(year: 0), use: PlanActionsController.create)
    signedIn.post(.planEfforts(year: 0), use: PlanEffortsController.update)
    signedIn.get(.apiPlan(year: 0), use: PlanAPIController.show)
    signedIn.get(.whatIf(year: 0), use: WhatIfController.show)
    signedIn.get(.report(year: 0)) { req in try await req.view.render("report", try await ReportPage.build(req)) }
    signedIn.get(.evidenceBundle(year: 0), use: BundleController.download)
    for format in SiteURL.ExportFormat.allCases {
        signedIn.get(.cycleExport(year: 0, format: format)) { try await CycleExportController.download($0, format: format) }
        for list in SiteURL.ExportList.allCases {
            signedIn.get(.listExport(list: list, format: format)) { try await ListExportController.download($0, list: list, format: format) }
        }
    }

    signedIn.get(.apiMe, use: MeAPIController.me)
    signedIn.get(.apiProgrammes, use: PlansAPIController.programmes)
    signedIn.get(.apiActions, use: PlansAPIController.actions)
    signedIn.get(.apiMeetings, use: PlansAPIController.meetings)
    signedIn.get(.apiRecommendations(year: 0), use: PlansAPIController.recommendations)
    signedIn.get(.apiInbox, use: PlansAPIController.inbox)
    signedIn.get(.apiCycles, use: CycleAPIController.list)
    signedIn.get(.apiCycleScore(year: 0), use: CycleAPIController.score)
    signedIn.get(.apiCycleIndicators(year: 0), use: CycleAPIController.indicators)
    signedIn.get(.apiIndicator(year: 0, code: ""), use: IndicatorAPIController.show)
}

/// Refuses requests without a signed-in user: a redirect to sign-in for pages, 401 JSON for the API.
struct RequireUserMiddleware: Middleware {
    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        guard request.auth.has(User.self) else { return request.eventLoop.makeFailedFuture(Abort(.unauthorized)) }
        return next.respond(to: request)
    }
}
