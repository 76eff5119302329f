import Foundation
import Vapor

/// The answer to an accepted user sheet: one printable slip per new user with its one-time
/// password (shown this once, never stored in clear), and how many users were updated.
enum UserSlipsPage {
    struct Context: Encodable {
        var page: PageChrome
        var regionName: String
        var slips: [SetupSheetController.Slip]
        var updated: Int
        var signInURL: String
        var back: String
    }

    static func build(_ req: Request, region: Region, slips: [SetupSheetController.Slip], updated: Int) -> Context {
        let base = req.application.config.publicURL ?? (req.headers.first(name: .host).map { "http://\($0)" } ?? "")
        return Context(page: PageChrome(request: req, title: req.t["slips_title"]), regionName: region.name, slips: slips,
                       updated: updated, signInURL: base + SiteURL.signIn.path, back: SiteURL.adminUsers.path)
    }
}
