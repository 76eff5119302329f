import Fluent
import Foundation
import Vapor

/// A cycle's stages with their dates and what is due at each, and how many days remain until the
/// next thing that starts or ends.
struct Timeline: Encodable {
    struct Stage: Encodable {
        var name: String
        var dates: String
        var due: String
        /// `past`, `now` or `next` (empty for later stages).
        var state: String
    }

    var stages: [Stage]
    /// "12 hari lagi: …" — nil when every stage is over.
    var countdown: String?

    static func build(_ req: Request, cycle: Cycle, zone: TimeZone, today: String? = nil) async throws -> Timeline {
        let t = req.t
        let today = today ?? req.today(in: zone)
        let stages = try await CycleStage.query(on: req.db).filter(\.$cycle.$id == cycle.requireID()).sort(\.$position).all()
        var rows: [Stage] = []
        var next: (days: Int, text: String)?
        for s in stages {
            let start = s.startsOn, end = s.endsOn ?? s.startsOn
            var state = ""
            if let end, end < today { state = "past" }
            else if let start, start <= today { state = "now" }
            // The nearest date still ahead: a start, else an end of a stage under way.
            for (date, key) in [(start, "timeline_starts"), (end, "timeline_ends")] {
                guard let date, date >= today, let days = CalendarDate.days(from: today, to: date) else { continue }
                if next == nil || days < next!.days {
                    next = (days, t.format(key, ["stage": t.lookup("stage_kind_\(s.kind)") ?? s.name]))
                }
                break
            }
            let dates = [Format.date(start, t), s.endsOn != nil && s.endsOn != start ? Format.date(s.endsOn, t) : nil]
                .compactMap { $0 }.joined(separator: " – ")
            rows.append(Stage(name: t.lookup("stage_kind_\(s.kind)") ?? s.name, dates: dates.isEmpty ? "–" : dates,
                              due: t.lookup("stage_due_\(s.kind)") ?? "", state: state))
        }
        if let i = rows.firstIndex(where: { $0.state == "" }) { rows[i].state = "next" }
        let countdown = next.map { n in
            n.days == 0 ? t.format("timeline_today", ["what": n.text]) : t.format("timeline_days", ["days": String(n.days), "what": n.text])
        }
        return Timeline(stages: rows, countdown: countdown)
    }
}

extension Timeline {
    /// The stages as a card (the home page and the dashboard).
    func card(_ t: Catalog.Strings) -> Markup {
        let head: Markup = if let countdown { "<span class=\"countdown\">\(countdown)</span>" } else {
            "<span class=\"muted small\">\(t["timeline_over"])</span>"
        }
        return """
            <section class="card timeline">
              <div class="cycle-head">
                <h2>\(t["timeline_title"])</h2>
                \(head)
              </div>
              <ol class="stages">
            \(Markup.each(stages) { s in
                """
                    <li class="stage-\(s.state)"><div class="stage-name">\(s.name)\(if: s.state == "now", " <span class=\"chip soon\">\(t["timeline_now"])</span>")</div><div class="small stage-dates">\(s.dates)</div><div class="small muted">\(s.due)</div></li>

                """
            })  </ol>
            </section>

            """
    }
}
