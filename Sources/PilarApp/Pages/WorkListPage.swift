import Fluent
import Foundation
import PilarCore
import Vapor

/// `/my/indicators` (an agency's work list) and `/review` (the coordinator's queue): the current
/// cycle's indicators the user may act on, with their status and what is still missing.
struct WorkListPage: Encodable {
    struct Row: Encodable {
        var code: String
        var title: String
        var group: String
        var agency: String
        var status: String
        var statusKey: String
        var level: String
        var missing: [String]
        var note: String?
        var link: String
        var updated: String?
    }

    struct Count: Encodable {
        var label: String
        var key: String
        var count: Int
        /// The list with only this status (or, when it is the one shown, without the filter); empty
        /// on the review queue, which holds one status.
        var link: String
        var selected: Bool
    }

    var page: PageChrome
    var heading: String
    var intro: String
    var year: Int?
    var deadline: String?
    var rows: [Row]
    var counts: [Count]
    /// The status the list is narrowed to, as its label.
    var statusShown: String?
    var allLink: String
    var pager: Pager?
    var empty: String
    /// Heading of the last column: what is missing (work list) or the agency's justification (review).
    var lastColumn: String

    enum Kind { case mine, review }

    /// What the list's address asks for: one status (work list only) and a page.
    struct Query: Content {
        var status: String?
        var page: String?
    }

    static func build(_ req: Request, kind: Kind) async throws -> WorkListPage {
        let query = (try? req.query.decode(Query.self)) ?? Query()
        let onlyStatus = kind == .mine ? query.status.flatMap(AssessmentStatus.init(rawValue:)) : nil
        let t = req.t, lang = req.language
        let actor = try req.actor()
        switch kind {
        case .mine: try req.authorize(.readIndicator)
        case .review: try req.authorize(.verify)
        }
        let title = kind == .mine ? t["mine_title"] : t["review_title"]
        let region = try await req.currentRegion()
        let cycles = try await CycleData.cycles(req, region: region)
        guard let cycle = cycles.current else {
            return WorkListPage(page: PageChrome(request: req, title: title), heading: title, intro: "", year: nil,
                                deadline: nil, rows: [], counts: [], statusShown: nil, allLink: "", pager: nil,
                                empty: t["home_no_cycle"], lastColumn: "")
        }
        let data = try await CycleData.read(req, region: region, cycle: cycle)
        // Who owns what matters only for "my indicators" (the review queue is the coordinator's).
        let owners = kind == .mine ? data.owners() : [:]
        let deadline = cycles.deadline(cycle)
        let zone = region.zone
        // Chosen, counted and sorted first; only the rows of the page shown are formatted.
        var chosen: [(code: String, slot: Int, answer: CycleData.Answer?, status: AssessmentStatus)] = []
        var tally: [AssessmentStatus: Int] = [:]
        for code in data.compiled.indicatorCodes {
            let a = data.assessments[code]
            let status = a?.status ?? .notStarted
            let resource = AccessPolicy.Resource(
                regionID: region.id?.uuidString ?? "", agencyIDs: a.flatMap { owners[$0.id] } ?? [],
                submitted: status.isSubmitted)
            switch kind {
            case .mine:
                guard AccessPolicy.allows(actor, .readIndicator, on: resource) else { continue }
            case .review:
                guard status == .submitted else { tally[status, default: 0] += 1; continue }
            }
            tally[status, default: 0] += 1
            if let onlyStatus, status != onlyStatus { continue }
            guard let slot = data.compiled.slot(of: code) else { continue }
            chosen.append((code, slot, a, status))
        }
        if kind == .review {
            // longest waiting first
            chosen.sort { ($0.answer?.updatedAt ?? .distantPast) < ($1.answer?.updatedAt ?? .distantPast) }
        } else {
            // Returned first, then not started, drafts, submitted, verified; the instrument's order
            // within a status (a bucket per status: a thousand rows are not compared).
            let order: [AssessmentStatus] = [.returned, .notStarted, .draft, .submitted, .verified]
            var buckets = [[Int]](repeating: [], count: order.count)
            for (i, entry) in chosen.enumerated() { buckets[order.firstIndex(of: entry.status) ?? 0].append(i) }
            chosen = buckets.flatMap { $0.map { chosen[$0] } }
        }
        let path = kind == .mine ? SiteURL.myIndicators.path : SiteURL.review.path
        // A region's coordinator has hundreds of indicators: the list is paged.
        let pager = Pager(total: chosen.count, requested: query.page, path: path,
                          query: [("status", onlyStatus?.rawValue ?? "")], t: t)
        let indicatorBase = SiteURL.indicator(year: cycle.year, code: "").path
        let page = chosen[min(pager.offset, chosen.count)..<min(pager.offset + pager.perPage, chosen.count)]
        let agencyCode = try await Setup.agencyCodes(req.db, ids: page.compactMap { $0.answer?.leadAgencyID })
        let shown = page.map { entry in
            let (code, slot, a, status) = entry
            let top = data.compiled.topGroup(ofSlot: slot)
            var missing: [String] = []
            if status.isOpenForAgency {
                if a?.selfLevel == nil && !(a?.notApplicable ?? false) { missing.append(t["missing_level"]) }
                if (a?.justification ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                    missing.append(t["missing_justification"])
                }
            }
            let level = (a?.notApplicable ?? false) ? t["indicator_na"]
                : a?.selfLevel.map { Format.decimal(InstrumentText.level($0), lang) } ?? "–"
            return Row(
                code: code, title: data.compiled.title(ofSlot: slot), group: top == data.compiled.indicatorNodes[slot] ? "" : data.compiled.titles[top],
                agency: a?.leadAgencyID.flatMap { agencyCode[$0] } ?? "–",
                status: t["status_\(status.rawValue)"], statusKey: status.rawValue, level: level, missing: missing,
                note: kind == .review ? a?.justification.map { Self.excerpt($0) } : (status == .returned ? a?.verifiedNote : nil),
                link: indicatorBase + code,
                updated: a?.updatedAt.map { Format.dateTime($0, zone: zone, t) })
        }
        let counts = AssessmentStatus.allCases.map { s in
            Count(label: t["status_\(s.rawValue)"], key: s.rawValue, count: tally[s] ?? 0,
                  link: kind == .review ? "" : onlyStatus == s ? path : Pager.link(path, query: [("status", s.rawValue)]),
                  selected: onlyStatus == s)
        }
        return WorkListPage(
            page: PageChrome(request: req, title: title), heading: title,
            intro: kind == .mine ? t["mine_intro"] : t["review_intro"], year: cycle.year,
            deadline: Format.date(deadline, t), rows: shown, counts: counts,
            statusShown: onlyStatus.map { t["status_\($0.rawValue)"] }, allLink: path, pager: pager,
            empty: kind == .mine ? t["mine_empty"] : t["review_empty"],
            lastColumn: kind == .mine ? t["list_todo"] : t["indicator_justification"])
    }

    /// The first 160 characters of a text, cut at a word.
    static func excerpt(_ text: String) -> String {
        guard text.count > 160 else { return text }
        let cut = text.prefix(160)
        return (cut.range(of: " ", options: .backwards).map { String(cut[..<$0.lowerBound]) } ?? String(cut)) + " …"
    }
}

/// The work list's markup, written in Swift (it was `worklist_content.leaf`): fifty rows a page,
/// where Leaf's interpreter cost more than everything else the list does.
extension WorkListPage {
    func body() -> Markup {
        let t = page.t
        var m: Markup = """
            <div class="page-head">
              <h1>\(heading)\(if: year != nil, " <span class=\"muted\">\(year ?? 0)</span>")</h1>
              <p class="muted">\(intro)\(if: deadline != nil, " \(t["indicator_deadline"]): <strong>\(deadline)</strong>")</p>
            </div>

            """
        if !counts.isEmpty {
            m += "<ul class=\"counts\">"
            for c in counts {
                if c.link.isEmpty {
                    m += "<li><span class=\"chip status-\(c.key)\">\(c.label): <strong>\(c.count)</strong></span></li>"
                } else {
                    m += """
                        <li><a class="chip status-\(c.key)\(if: c.selected, " selected")" href="\(c.link)"\(if: c.selected, " aria-current=\"true\"")>\(c.label): <strong>\(c.count)</strong></a></li>
                        """
                }
            }
            m += "</ul>\n"
        }
        if let statusShown {
            m += "<p class=\"small\">\(t["list_only_status"]) <strong>\(statusShown)</strong> · <a href=\"\(allLink)\">\(t["list_show_all"])</a></p>\n"
        }
        m += "<section class=\"card\">\n"
        if rows.isEmpty {
            m += "  <p class=\"muted\">\(empty)</p>\n"
        } else {
            m += """
                  <div class="table-wrap" tabindex="0" role="region" aria-label="\(t["table_region"])">
                  <table class="worklist">
                    <thead><tr><th>\(t["list_indicator"])</th><th>\(t["list_agency"])</th><th>\(t["list_status"])</th><th class="num">\(t["list_level"])</th><th>\(lastColumn)</th></tr></thead>
                    <tbody>

                """
            for r in rows {
                let note: Markup = r.note.map { "<div class=\"\(r.statusKey == "returned" ? "returned-note" : "small")\">\($0)</div>" } ?? ""
                m += """
                          <tr>
                            <td><a href="\(r.link)"><span class="code">\(r.code)</span>\(r.title)</a><div class="small muted">\(r.group)</div></td>
                            <td>\(r.agency)</td>
                            <td><span class="chip status-\(r.statusKey)">\(r.status)</span>\(if: r.updated != nil, "<div class=\"small muted\">\(r.updated)</div>")</td>
                            <td class="num">\(r.level)</td>
                            <td>\(note)\(Markup.each(r.missing) { "<div class=\"small\">• \($0)</div>" })</td>
                          </tr>

                    """
            }
            m += "    </tbody>\n  </table>\n  </div>\n"
            if let pager { m += pager.markup(t) }
        }
        m += "</section>\n"
        return m
    }
}
