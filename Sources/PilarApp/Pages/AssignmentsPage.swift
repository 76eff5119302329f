import Fluent
import Foundation
import PilarCore
import Vapor

/// `/cycles/{year}/assignments`: every indicator of the cycle with its lead agency, contributors,
/// target and status (filtered by group or pillar), and the bulk form that changes them.
enum AssignmentsPage {
    typealias Form = AssignmentController.Form

    struct Row: Encodable {
        var code: String
        var title: String
        var group: String
        var pillar: String
        var lead: String?
        var contributors: String
        var target: String
        var status: String
        var statusKey: String
        var checked: Bool
        var link: String
    }

    struct Context: Encodable {
        var page: PageChrome
        var year: Int
        var rows: [Row]
        var groups: [Setup.Option]
        var pillars: [Setup.Option]
        var leads: [Setup.Option]
        var contributors: [Setup.Check]
        var targets: [Setup.Option]
        var form: Form
        var errors: [String: String]
        var saved: String?
        var action: String
        var filterGroup: String
        var filterPillar: String
        var unassigned: Int
    }

    /// - Parameters:
    ///   - form: the bulk form as typed (its ticked indicators and contributors stay ticked).
    ///   - filterGroup, filterPillar: only the indicators of this group or pillar are listed ("" for all).
    static func build(
        _ req: Request, data: CycleData, form: Form, errors: [String: String] = [:], saved: String? = nil,
        filterGroup: String = "", filterPillar: String = ""
    ) async throws -> Context {
        let t = req.t, lang = req.language
        let instrument = data.compiled.instrument
        let agencies = try await Setup.agencies(req, region: data.region)
        let code = Setup.codes(agencies)
        let owners = data.owners()
        let checked = Set(form.codes ?? []), contributors = Set(form.contributors ?? [])
        func pillarName(_ p: String?) -> String {
            p.flatMap(SmartCityPillar.named).map { lang == .id ? $0.nameID : $0.nameEN } ?? "–"
        }
        var rows: [Row] = []
        var unassigned = 0
        for (node, ancestors) in instrument.indicatorPaths {
            let pillar = Instrument.pillar(of: node, ancestors: ancestors)
            let a = data.assessments[node.code]
            if a?.leadAgencyID == nil { unassigned += 1 }
            if !filterGroup.isEmpty && ancestors.first?.code != filterGroup { continue }
            if !filterPillar.isEmpty && pillar != filterPillar { continue }
            let lead = a?.leadAgencyID
            let others = (a.flatMap { owners[$0.id] } ?? []).filter { $0 != lead?.uuidString }
                .compactMap { UUID(uuidString: $0).flatMap { code[$0] } }.sorted()
            let status = a?.status ?? .notStarted
            rows.append(Row(code: node.code, title: node.title, group: ancestors.first?.title ?? "", pillar: pillarName(pillar),
                            lead: lead.flatMap { code[$0] }, contributors: others.joined(separator: ", "),
                            target: a?.targetLevel.map { Format.decimal(InstrumentText.level($0), lang) } ?? "–",
                            status: t["status_\(status.rawValue)"], statusKey: status.rawValue,
                            checked: checked.contains(node.code),
                            link: SiteURL.indicator(year: data.cycle.year, code: node.code).path))
        }
        let groups = instrument.groups.map { Setup.Option(value: $0.code, label: "\($0.code) — \($0.title)", selected: $0.code == form.group) }
        let usedPillars = Set(instrument.indicatorPaths.compactMap { Instrument.pillar(of: $0.node, ancestors: $0.ancestors) })
        let pillars = SmartCityPillar.all.filter { usedPillars.contains($0.code) }.map {
            Setup.Option(value: $0.code, label: lang == .id ? $0.nameID : $0.nameEN, selected: $0.code == form.pillar)
        }
        let unchanged = AssignmentController.unchanged, clear = AssignmentController.clear
        var leads = [Setup.Option(value: unchanged, label: t["assign_unchanged"], selected: (form.lead ?? "").isEmpty),
                     Setup.Option(value: clear, label: t["assign_clear"], selected: form.lead == clear)]
        leads += Setup.agencyOptions(agencies, selected: form.lead, empty: nil)
        var targets = [Setup.Option(value: unchanged, label: t["assign_unchanged"], selected: (form.target ?? "").isEmpty),
                       Setup.Option(value: clear, label: t["assign_clear"], selected: form.target == clear)]
        targets += instrument.scale.wholeLevels.map { Setup.Option(value: String($0), label: String($0), selected: form.target == String($0)) }
        return Context(
            page: PageChrome(request: req, title: "\(t["assign_title"]) \(data.cycle.year)"), year: data.cycle.year,
            rows: rows, groups: groups, pillars: pillars, leads: leads,
            contributors: agencies.compactMap { a in
                a.id.map { Setup.Check(value: $0.uuidString, label: a.code, checked: contributors.contains($0.uuidString)) }
            },
            targets: targets, form: form, errors: errors, saved: saved,
            action: SiteURL.assignments(year: data.cycle.year).path, filterGroup: filterGroup, filterPillar: filterPillar,
            unassigned: unassigned)
    }
}
