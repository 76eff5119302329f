import Foundation
import PilarCore
import SQLKit
import Vapor

/// The set-up checklist on the home page of a region's admin and coordinator, until every step is
/// done: each step's state comes from the data, and each links to its page (when the user may open it).
struct SetupChecklist: Encodable {
    struct Step: Encodable {
        var label: String
        var detail: String?
        var done: Bool
        var href: String?
    }

    var steps: [Step]
    var done: Int
    var complete: Bool

    /// Counts read in one statement.
    struct Counts: Decodable {
        var agencies: Int
        var coordinators: Int
        var coordinatorUsers: Int
        var agencyUsers: Int
        var pillars: Int
        var pillarsLed: Int
        var cycles: Int
        enum CodingKeys: String, CodingKey {
            case agencies, coordinators, coordinatorUsers = "coordinator_users", agencyUsers = "agency_users", pillars
            case pillarsLed = "pillars_led", cycles
        }
    }

    static func build(_ req: Request, region: Region, current: Cycle?) async throws -> SetupChecklist {
        guard let sql = req.db as? any SQLDatabase else { throw Abort(.internalServerError) }
        let t = req.t
        let actor = try req.actor()
        let id = try region.requireID()
        guard let counts = try await sql.raw("""
            SELECT
              (SELECT COUNT(*) FROM agencies WHERE region_id = \(bind: id)) AS agencies,
              (SELECT COUNT(*) FROM agencies WHERE region_id = \(bind: id) AND is_coordinator = \(bind: true)) AS coordinators,
              (SELECT COUNT(*) FROM users WHERE region_id = \(bind: id) AND role = \(bind: Role.coordinator.rawValue) AND active = \(bind: true)) AS coordinator_users,
              (SELECT COUNT(*) FROM users WHERE region_id = \(bind: id) AND role = \(bind: Role.agency.rawValue) AND active = \(bind: true)) AS agency_users,
              (SELECT COUNT(*) FROM pillars WHERE region_id = \(bind: id)) AS pillars,
              (SELECT COUNT(*) FROM pillars WHERE region_id = \(bind: id) AND lead_agency_id IS NOT NULL) AS pillars_led,
              (SELECT COUNT(*) FROM cycles WHERE region_id = \(bind: id)) AS cycles
            """).first(decoding: Counts.self) else { throw Abort(.internalServerError) }
        var assigned = 0, indicators = 0
        if let current {
            struct Assigned: Decodable { var total: Int; var assigned: Int }
            let row = try await sql.raw("""
                SELECT COUNT(*) AS total, COUNT(lead_agency_id) AS assigned FROM assessments WHERE cycle_id = \(bind: current.requireID())
                """).first(decoding: Assigned.self)
            indicators = row?.total ?? 0
            assigned = row?.assigned ?? 0
        }
        func link(_ url: SiteURL, _ permission: Permission) -> String? { AccessPolicy.allows(actor, permission) ? url.path : nil }
        let detailsDone = !region.letterheadAddress.trimmingCharacters(in: .whitespaces).isEmpty
            && !["", "-"].contains(region.province.trimmingCharacters(in: .whitespaces))
        let steps = [
            Step(label: t["checklist_region"], detail: nil, done: detailsDone, href: link(.adminRegion, .manageRegion)),
            Step(label: t["checklist_agencies"],
                 detail: t.format("checklist_agencies_detail", ["n": String(counts.agencies)]),
                 done: counts.agencies > 0 && counts.coordinators == 1, href: link(.adminAgencies, .manageRegion)),
            Step(label: t["checklist_users"],
                 detail: t.format("checklist_users_detail", ["coordinators": String(counts.coordinatorUsers), "agencies": String(counts.agencyUsers)]),
                 done: counts.coordinatorUsers > 0 && counts.agencyUsers > 0, href: link(.adminUsers, .manageUsers)),
            Step(label: t["checklist_pillars"],
                 detail: t.format("checklist_of", ["done": String(counts.pillarsLed), "all": String(counts.pillars)]),
                 done: counts.pillars > 0 && counts.pillarsLed == counts.pillars, href: link(.adminPillars, .manageRegion)),
            Step(label: t["checklist_cycle"], detail: current.map { t.format("checklist_cycle_detail", ["year": String($0.year)]) },
                 done: counts.cycles > 0, href: link(.adminCycles, .manageCycles)),
            Step(label: t["checklist_assignments"],
                 detail: current == nil ? nil : t.format("checklist_of", ["done": String(assigned), "all": String(indicators)]),
                 done: indicators > 0 && assigned == indicators,
                 href: current.flatMap { link(.assignments(year: $0.year), .manageCycles) }),
        ]
        let done = steps.filter(\.done).count
        return SetupChecklist(steps: steps, done: done, complete: done == steps.count)
    }
}

extension SetupChecklist {
    /// The checklist as the home page shows it to those who set the region up.
    func card(_ t: Catalog.Strings) -> Markup {
        func step(_ s: Step) -> Markup {
            let label: Markup = if let href = s.href { "<a href=\"\(href)\">\(s.label)</a>" } else { "\(s.label)" }
            let detail: Markup = if let d = s.detail { "<span class=\"small muted\">· \(d)</span>" } else { "" }
            return """
                    <li class="\(s.done ? "done" : "todo")"><span class="mark" aria-hidden="true">\(s.done ? "✓" : "○")</span>
                      \(label)
                      <span class="sr-only">\(s.done ? t["checklist_done"] : t["checklist_todo"])</span>
                      \(detail)
                    </li>

                """
        }
        return """
            <section class="card setup-checklist" aria-labelledby="checklist-title">
              <h2 id="checklist-title">\(t["checklist_title"]) <span class="small muted">\(done)/\(steps.count)</span></h2>
              <p class="muted">\(t["checklist_intro"])</p>
              <ol class="steps">
            \(Markup.each(steps, step))  </ol>
            </section>

            """
    }
}
