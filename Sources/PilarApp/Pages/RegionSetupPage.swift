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
    }

    static func build(_ req: Request, form: RegionAdminController.Form? = nil, errors: [String: String] = [:],
                      saved: Bool = false) async throws -> Context {
        try req.authorize(.manageRegion)
        let t = req.t
        let region = try await req.currentRegion()
        let shown = form ?? RegionAdminController.Form(region)
        return Context(
            page: PageChrome(request: req, title: t["setup_region"]), tabs: try Setup.tabs(req), code: region.code,
            form: shown, errors: errors,
            kinds: RegionAdminController.kinds.map { Setup.Option(value: $0, label: t["region_kind_\($0)"], selected: $0 == shown.kind) },
            timeZones: RegionAdminController.timeZones.map {
                Setup.Option(value: $0, label: t["region_zone_\($0.replacingOccurrences(of: "Asia/", with: "").lowercased())"],
                             selected: $0 == shown.timeZone)
            },
            publicOn: shown.publicPage == "1", saved: saved, action: SiteURL.adminRegion.path)
    }
}
