import PilarCore
import Vapor

/// What every page's layout needs: title, language, texts, the CSRF token and who is signed in.
struct PageChrome: Encodable {
    struct UserBadge: Encodable {
        var name: String
        var username: String
        var role: String
    }

    var title: String
    var lang: String
    var otherLang: String
    var otherLangLabel: String
    var t: Catalog.Strings
    var csrf: String
    var user: UserBadge?
    var path: String
    var nav: [NavItem]
    /// Unread inbox entries of the signed-in user.
    var unread: Int
    /// The region a reviewer opened (read-only), shown in a bar with the way back.
    var reviewing: String?
    /// The layout's own links and forms.
    var links = Links()

    struct Links: Encodable {
        var home = SiteURL.home.path
        var language = SiteURL.language.path
        var inbox = SiteURL.inbox.path
        var password = SiteURL.password.path
        var signOut = SiteURL.signOut.path
        var closeRegion = SiteURL.regionClose.path
    }

    struct NavItem: Encodable {
        var href: String
        var label: String
        var current: Bool
    }

    enum CodingKeys: String, CodingKey {
        case title, lang, otherLang, otherLangLabel, t, csrf, user, path, nav, unread, reviewing, links, top, bottom
    }

    /// Everything the templates read, and the layout's markup (`top`, `bottom`) for `layout.leaf`.
    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(title, forKey: .title)
        try c.encode(lang, forKey: .lang)
        try c.encode(otherLang, forKey: .otherLang)
        try c.encode(otherLangLabel, forKey: .otherLangLabel)
        try c.encode(t, forKey: .t)
        try c.encode(csrf, forKey: .csrf)
        try c.encodeIfPresent(user, forKey: .user)
        try c.encode(path, forKey: .path)
        try c.encode(nav, forKey: .nav)
        try c.encode(unread, forKey: .unread)
        try c.encodeIfPresent(reviewing, forKey: .reviewing)
        try c.encode(links, forKey: .links)
        try c.encode(documentTop().html, forKey: .top)
        try c.encode(documentBottom().html, forKey: .bottom)
    }

    init(request: Request, title: String) {
        let t = request.t
        self.title = title
        lang = request.language.rawValue
        otherLang = request.language.other.rawValue
        otherLangLabel = t["lang_switch"]
        self.t = t
        csrf = request.csrfToken
        path = request.url.path
        nav = []
        unread = request.inboxUnread
        if let user = request.auth.get(User.self) {
            let actor = user.actor
            self.user = UserBadge(name: user.displayName, username: user.username,
                                  role: t["role_\(user.role.rawValue)"])
            if user.openedRegionID != nil { reviewing = user.workingRegion?.name }
            var items: [(SiteURL, String)] = [(.home, "nav_home")]
            if AccessPolicy.allows(actor, .manageInstallation) {
                items = [(.operatorRegions, "operator_regions"), (.operatorReviewers, "operator_reviewers")]
            }
            if AccessPolicy.allows(actor, .compareRegions) {
                items = user.openedRegionID == nil ? [(.regions, "nav_regions")] : [(.regions, "nav_regions"), (.home, "nav_home")]
            }
            let inRegion = !actor.regionID.isEmpty
            if inRegion, AccessPolicy.allows(actor, .readIndicator) { items.append((.myIndicators, actor.role == .agency ? "nav_mine" : "nav_indicators")) }
            if inRegion, AccessPolicy.allows(actor, .verify) { items.append((.review, "nav_review")) }
            if inRegion, AccessPolicy.allows(actor, .readDashboard) { items.append((.dashboard, "nav_dashboard")) }
            if inRegion, AccessPolicy.allows(actor, .readProgrammes) { items.append((.programmes, "nav_programmes")) }
            if inRegion, AccessPolicy.allows(actor, .readActions) { items.append((.actions, "nav_actions")) }
            if inRegion, AccessPolicy.allows(actor, .readMeetings) { items.append((.meetings, "nav_meetings")) }
            if inRegion, AccessPolicy.allows(actor, .readRecommendations) { items.append((.recommendationsCurrent, "nav_recommendations")) }
            if inRegion, AccessPolicy.allows(actor, .manageCycles) { items.append((.audit, "nav_audit")) }
            if inRegion, AccessPolicy.allows(actor, .recordOfficial) { items.append((.officialCurrent, "nav_official")) }
            if let setup = Setup.entry(for: actor) { items.append((setup, "nav_setup")) }
            let path = self.path
            nav = items.map { item in
                let current: Bool
                switch item.0 {
                case Setup.entry(for: actor): current = path.hasPrefix("/admin")
                case .officialCurrent: current = path.hasSuffix("/official")
                case .programmes, .actions, .meetings: current = path.hasPrefix(item.0.path)
                case .dashboard: current = path == "/dashboard" || path == "/progress" || path.hasSuffix("/plan")
                    || path.hasSuffix("/whatif")
                case .recommendationsCurrent: current = path.hasSuffix("/recommendations")
                default: current = item.0.path == path
                }
                return NavItem(href: item.0.path, label: t[item.1], current: current)
            }
        }
    }
}

/// The layout every page shares, written once in Swift: `layout.leaf` prints it around a
/// template's content, and pages written in Swift (`Request.html`) around theirs.
extension PageChrome {
    func documentTop() -> Markup {
        var m: Markup = """
            <!doctype html>
            <html lang="\(lang)">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(title) · Pilar</title>
            <link rel="stylesheet" href="/css/pilar.css">
            </head>
            <body>
            <header class="topbar">
              <div class="topbar-inner">
                <a class="brand" href="\(links.home)">Pilar</a>

            """
        if user != nil {
            m += """
                    <nav class="mainnav" aria-label="\(t["nav_label"])">
                      \(Markup.each(nav) { "<a href=\"\($0.href)\"\(if: $0.current, " aria-current=\"page\"")>\($0.label)</a>" })
                    </nav>

                """
        }
        m += """
                <div class="topbar-right">
                  <form method="post" action="\(links.language)" class="inline">
                    <input type="hidden" name="_csrf" value="\(csrf)">
                    <input type="hidden" name="lang" value="\(otherLang)">
                    <input type="hidden" name="back" value="\(path)">
                    <button type="submit" class="linkish" lang="\(otherLang)">\(otherLangLabel)</button>
                  </form>

            """
        if let user {
            let count: Markup = unread > 0
                ? " <span class=\"count\" aria-label=\"\(unread) \(t["inbox_unread"])\">\(unread)</span>" : ""
            m += """
                      <a href="\(links.inbox)" class="inbox-link">\(t["nav_inbox"])\(count)</a>
                      <span class="who"><strong>\(user.name)</strong> <span class="muted">· \(user.role)</span></span>
                      <a href="\(links.password)">\(t["nav_password"])</a>
                      <form method="post" action="\(links.signOut)" class="inline">
                        <input type="hidden" name="_csrf" value="\(csrf)">
                        <button type="submit" class="linkish">\(t["nav_signout"])</button>
                      </form>

                """
        }
        m += """
                </div>
              </div>
            </header>

            """
        if let reviewing {
            m += """
                <div class="reviewing-bar" role="status">
                  <span>\(t["regions_reviewing"]) <strong>\(reviewing)</strong> · \(t["regions_read_only"])</span>
                  <form method="post" action="\(links.closeRegion)" class="inline">
                    <input type="hidden" name="_csrf" value="\(csrf)">
                    <button type="submit" class="linkish">\(t["regions_back"])</button>
                  </form>
                </div>

                """
        }
        return m
    }

    func documentBottom() -> Markup {
        "<footer class=\"footer\">Pilar · \(t["footer_tagline"])</footer>\n</body>\n</html>\n"
    }
}
