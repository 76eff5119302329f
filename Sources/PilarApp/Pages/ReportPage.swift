import Fluent
import Foundation
import PilarCore
import Vapor

/// `/cycles/{year}/report`: the printable report for leadership (A4 through the browser's
/// "Save as PDF"): letterhead, the index per layer against the target with the charts, the
/// dimension and pillar tables, the gap and the plan to close it, each agency's state, and a
/// signature block for the head of the coordinating agency.
struct ReportPage: Encodable {
    struct Step: Encodable {
        var code: String
        var title: String
        var from: String
        var to: Int
        var gain: String
        var agency: String
    }

    var page: PageChrome
    var region: Region.Letterhead
    var year: Int
    var instrument: String
    var date: String
    var target: String?
    var evaluationDate: String?
    var layers: [HomePage.LayerRow]
    var layerHeaders: [String]
    var groups: [HomePage.ScoreRow]
    var pillars: [HomePage.ScoreRow]
    var radar: String
    var bars: String
    var planBefore: String
    var planAfter: String
    var planReaches: Bool
    var planSteps: [Step]
    var progress: ProgressPage
    var signer: String
    /// The region's logo for the letterhead (nil without one).
    var logo: String?
    var place: String
    /// The way back to the dashboard (on screen only).
    var back: String

    static func build(_ req: Request) async throws -> ReportPage {
        try req.authorize(.readDashboard)
        let t = req.t, lang = req.language
        guard let year = req.parameters.get("year", as: Int.self) else { throw Abort(.badRequest, reason: "error_year") }
        let region = try await req.currentRegion()
        guard let data = try await CycleData.read(req, region: region, year: year) else {
            throw Abort(.notFound)
        }
        let home = try await HomePage.build(req, loaded: data)
        let instrument = data.compiled.instrument
        let rule = instrument.rounding
        let format = { (v: Double) in Format.number(v, lang) }
        let charts = CycleCharts(data, t: t, lang: lang, idPrefix: "r-")
        var steps: [Step] = []
        var before = "–", after = "–", reaches = false
        if data.cycle.targetIndex != nil {
            let plan = try await PlanRecord.load(req, layer: nil, target: nil)
            before = Format.decimal(plan.plan.indexBefore.map { rule.display($0) }, lang)
            after = Format.decimal(plan.plan.indexAfter.map { rule.display($0) }, lang)
            reaches = plan.plan.reachesTarget
            steps = plan.plan.steps.map { s in
                Step(code: s.code, title: plan.title(s), from: format(s.from), to: s.to,
                     gain: Format.decimal(String(format: "%.3f", s.gain), lang), agency: plan.agencies[s.code]?.code ?? "–")
            }
        }
        let today = req.today(in: region.zone)
        // The head of the region's coordinating agency signs: by the title the admin gave it, else
        // "Kepala" and its name; without a coordinating agency, the letterhead's agency line.
        let coordinating = try await Setup.coordinatingAgency(req.db, region: region.requireID())
        let signer = coordinating.map { a in a.headTitle.isEmpty ? t.format("report_signer", ["agency": a.name]) : a.headTitle }
            ?? t.format("report_signer", ["agency": region.letterheadAgency])
        return ReportPage(
            page: PageChrome(request: req, title: t.format("report_title", ["year": String(year)])),
            region: region.letterhead, year: year, instrument: instrument.title, date: Format.date(today, t) ?? today,
            target: home.cycle?.target, evaluationDate: Format.date(data.cycle.evaluationDate, t), layers: home.layers,
            layerHeaders: home.layerHeaders, groups: home.groups, pillars: home.pillars, radar: charts.radar, bars: charts.bars,
            planBefore: before, planAfter: after, planReaches: reaches, planSteps: steps,
            progress: try await ProgressPage.build(req, cycle: data.cycle),
            signer: signer,
            logo: try await RegionLogoController.version(req.db, region: region.requireID())
                .map { SiteURL.regionLogo.path(query: ["v": String($0.prefix(12))]) },
            place: region.name.replacingOccurrences(of: "Kota ", with: "").replacingOccurrences(of: "Kabupaten ", with: ""),
            back: SiteURL.dashboard.path)
    }
}

extension Region {
    struct Letterhead: Encodable {
        var government: String
        var agency: String
        var address: String
        var name: String
        /// Telephone, e-mail and website on one line, when set.
        var contact: String?
        var signerName: String?
        var signerNIP: String?
    }

    var letterhead: Letterhead {
        let contact = [letterheadPhone, letterheadEmail, letterheadWebsite].compactMap { $0 }.joined(separator: " · ")
        return Letterhead(government: letterheadGovernment, agency: letterheadAgency, address: letterheadAddress, name: name,
                          contact: contact.isEmpty ? nil : contact, signerName: signerName, signerNIP: signerNIP)
    }
}
