import Foundation
import PilarCore
import Vapor

/// `/admin/region`'s page.
enum RegionSetupPage {
    struct Context: Encodable {
        var page: PageChrome
        var tabs: [PageChrome.NavItem]
        var code: String
        var form: RegionAdminController.Form
        var errors: [String: String]
        var kinds: [Setup.Option]
        var timeZones: [Setup.Option]
        var publicOn: Bool
        var saved: Bool
        var action: String
        /// The current logo's address (nil without one), and the upload and removal forms.
        var logo: String?
        var logoAction: String
        var logoRemoveAction: String
    }

    static func build(_ req: Request, form: RegionAdminController.Form? = nil, errors: [String: String] = [:],
                      saved: Bool = false) async throws -> Context {
        try req.authorize(.manageRegion)
        let t = req.t
        let region = try await req.currentRegion()
        let shown = form ?? RegionAdminController.Form(region)
        let logo = try await RegionLogoController.version(req.db, region: region.requireID())
        let choices = Regions.choices(kind: shown.kind, zone: shown.timeZone, t)
        return Context(
            page: PageChrome(request: req, title: t["setup_region"]), tabs: try Setup.tabs(req), code: region.code,
            form: shown, errors: errors,
            kinds: choices.kinds, timeZones: choices.zones,
            publicOn: shown.publicPage == "1", saved: saved, action: SiteURL.adminRegion.path,
            logo: logo.map { SiteURL.regionLogo.path(query: ["v": String($0.prefix(12))]) },
            logoAction: SiteURL.adminRegionLogo.path(query: ["_csrf": req.csrfToken]),
            logoRemoveAction: SiteURL.adminRegionLogoRemove.path)
    }
}
