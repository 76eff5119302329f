import PilarCore
import Vapor

/// `GET /`: the signed-in user's home page.
enum HomeController {
    /// The same for everyone of a region who may (or may not) read the self-assessed layer, per
    /// language and day: kept in the page cache.
    @Sendable static func show(_ req: Request) async throws -> Response {
        // The installation's accounts start on their own pages.
        let actor = try req.actor()
        if AccessPolicy.allows(actor, .manageInstallation) { return req.redirect(to: SiteURL.operatorRegions.path) }
        if AccessPolicy.allows(actor, .compareRegions), actor.regionID.isEmpty { return req.redirect(to: SiteURL.regions.path) }
        try req.authorize(.readCycles)
        let region = try await req.currentRegion()
        let selfLayer = AccessPolicy.allows(try req.actor(), .readSelfLayer)
        // Those who set the region up see its checklist on the same page.
        let setsUp = AccessPolicy.allows(actor, .manageRegion)
        let key = "home|\(req.language.rawValue)|\(selfLayer)|\(setsUp)|\(req.today(in: region.zone))"
        return try await PageCache.render(req, title: req.t["home_title"], region: try region.requireID(), key: key) {
            try await HomePage.build(req).body()
        }
    }
}
