import Fluent
import PilarCore
import Vapor

/// `/`: the region, the current cycle's index per layer against the target, its groups and pillars.
struct HomePage: Encodable {
    struct RegionView: Encodable {
        var name: String
        var province: String
        var isDemo: Bool
    }

    struct CycleView: Encodable {
        var year: Int
        var status: String
        var instrument: String
        var isModel: Bool
        var target: String?
        var evaluationDate: String?
    }

    struct LayerRow: Encodable {
        var key: String
        var label: String
        var display: String
        var predicate: String?
        var coverage: String
        /// Whether `coverage` is the share scored (else it says where the value comes from).
        var coverageIsShare: Bool
        var gap: String?
        var reached: Bool
        /// Bar length: the index as a share of the scale, in per cent.
        var bar: Int
        var targetMark: Int?
    }

    struct ScoreRow: Encodable {
        var code: String
        var title: String
        var weight: String
        var cells: [String]
    }

    struct HistoryRow: Encodable {
        var year: Int
        var official: String
        var value: Double
    }

    var page: PageChrome
    var region: RegionView
    var cycle: CycleView?
    var layers: [LayerRow]
    var layerHeaders: [String]
    var groups: [ScoreRow]
    var pillars: [ScoreRow]
    /// The groups' and pillars' tables (`score_tables.leaf` prints them), written in Swift: two
    /// hundred groups at scale 10, where Leaf's interpreter cost most of a rebuild after a write.
    var scoreTables: String
    var history: [HistoryRow]
    var timeline: Timeline?
    /// The set-up checklist, for those who set the region up, until it is complete.
    var setup: SetupChecklist?

    /// - Parameter loaded: the current cycle's data when the caller has loaded it already.
    static func build(_ req: Request, loaded: CycleData? = nil) async throws -> HomePage {
        try req.authorize(.readCycles)
        let region = try await req.currentRegion()
        let t = req.t, lang = req.language
        let regionView = RegionView(name: region.name, province: region.province, isDemo: region.isDemo)
        let cycles = try await Cycle.query(on: req.db).filter(\.$region.$id == region.requireID())
            .sort(\.$year, .descending).all()
        // One query for every cycle's official index (not one per cycle).
        let letters = try await OfficialResult.query(on: req.db).filter(\.$cycle.$id ~~ cycles.compactMap(\.id))
            .filter(\.$scope == .index).all()
        var history: [HistoryRow] = []
        for cycle in cycles.reversed() {
            if let official = letters.first(where: { $0.$cycle.id == cycle.id }) {
                let rule = try await req.application.instruments.compiled(cycle.$instrumentVersion.id, on: req.db).instrument.rounding
                history.append(HistoryRow(year: cycle.year, official: Format.decimal(rule.display(official.score), lang),
                                          value: official.score))
            }
        }
        var current = loaded?.cycle
        if loaded == nil { current = try await CycleData.cycles(req, region: region).current }
        var setup: SetupChecklist?
        if AccessPolicy.allows(try req.actor(), .manageRegion) {
            let checklist = try await SetupChecklist.build(req, region: region, current: current)
            setup = checklist.complete ? nil : checklist
        }
        guard let current else {
            return HomePage(page: PageChrome(request: req, title: t["home_title"]), region: regionView, cycle: nil,
                            layers: [], layerHeaders: [], groups: [], pillars: [], scoreTables: "", history: history, timeline: nil,
                            setup: setup)
        }
        let data: CycleData
        if let loaded { data = loaded } else {
            data = try await CycleData.read(req, region: region, cycle: current)
        }
        let instrument = data.compiled.instrument
        let rule = instrument.rounding
        let mayReadSelf = AccessPolicy.allows(try req.actor(), .readSelfLayer)
        let layers = ScoreLayer.allCases.filter { $0 != .self || mayReadSelf }
        let reports = layers.map { data.report($0) }
        let span = instrument.scale.max - instrument.scale.min
        func bar(_ v: Double) -> Int { Int((max(0, min(1, (v - instrument.scale.min) / span)) * 100).rounded()) }
        var layerRows: [LayerRow] = []
        for (layer, report) in zip(layers, reports) {
            var display = report.display
            var predicate = report.predicate
            var coverage = Format.percent(report.coverage, lang)
            var coverageIsShare = true
            var index = report.index
            if layer == .official, report.index == nil, let letter = data.letterIndex {
                display = rule.display(letter)
                predicate = instrument.predicate(for: letter)?.name
                coverage = t["home_from_letter"]
                coverageIsShare = false
                index = letter
            } else if layer == .official, report.index == nil {
                coverage = t["home_awaiting_letter"]
                coverageIsShare = false
            }
            let gap = index.flatMap { i in current.targetIndex.map { $0 - i } }
            layerRows.append(LayerRow(
                key: layer.rawValue, label: t["layer_\(layer.rawValue)"], display: Format.decimal(display, lang),
                predicate: predicate, coverage: coverage, coverageIsShare: coverageIsShare,
                gap: gap.map { Format.decimal(rule.display($0), lang) },
                reached: gap.map { Rounding.snap($0) <= 0 } ?? false,
                bar: index.map(bar) ?? 0, targetMark: current.targetIndex.map(bar)))
        }
        func cells(_ pick: (ScoreReport) -> String?) -> [String] { reports.map { Format.decimal(pick($0), lang) } }
        let groups = instrument.groups.enumerated().map { i, group in
            ScoreRow(code: group.code, title: group.title, weight: Format.decimal(InstrumentValidator.fmt(group.weight), lang),
                     cells: cells { $0.groups[i].display })
        }
        let pillars = data.compiled.pillarCodes.enumerated().map { k, code in
            ScoreRow(code: code, title: SmartCityPillar.named(code).map { lang == .id ? $0.nameID : $0.nameEN } ?? code,
                     weight: Format.percent(reports.first?.pillars[k].weight ?? 0, lang),
                     cells: cells { $0.pillars[k].display })
        }
        let cycleView = CycleView(
            year: current.year, status: t["cycle_status_\(current.status.rawValue)"], instrument: instrument.title,
            isModel: instrument.isModel, target: current.targetIndex.map { Format.decimal(rule.display($0), lang) },
            evaluationDate: Format.date(current.evaluationDate, t))
        return HomePage(
            page: PageChrome(request: req, title: t["home_title"]), region: regionView, cycle: cycleView,
            layers: layerRows, layerHeaders: layers.map { t["layer_\($0.rawValue)"] }, groups: groups,
            pillars: pillars,
            scoreTables: scoreTables(t, headers: layers.map { t["layer_\($0.rawValue)"] }, groups: groups, pillars: pillars).html,
            history: history,
            timeline: try await Timeline.build(req, cycle: current, zone: region.zone), setup: setup)
    }
}

extension HomePage {
    /// The `#groups` and `#pillars` tables of the home page and the dashboard.
    static func scoreTables(_ t: Catalog.Strings, headers: [String], groups: [ScoreRow], pillars: [ScoreRow]) -> Markup {
        let heads = Markup.each(headers) { "<th class=\"num\">\($0)</th>" }
        func cells(_ row: ScoreRow) -> Markup { Markup.each(row.cells) { "<td class=\"num\">\($0)</td>" } }
        return """
            <div class="grid2 wide">
            <section class="card" id="groups">
              <h2>\(t["home_groups"])</h2>
              <div class="table-wrap">
              <table>
                <thead><tr><th>\(t["home_col_group"])</th><th class="num">\(t["home_col_weight"])</th>\(heads)</tr></thead>
                <tbody>
            \(Markup.each(groups) { row in
                "      <tr><td><span class=\"code\">\(row.code)</span> \(row.title)</td><td class=\"num\">\(row.weight)</td>\(cells(row))</tr>\n"
            })    </tbody>
              </table>
              </div>
            </section>
            <section class="card" id="pillars">
              <h2>\(t["home_pillars"])</h2>
              <div class="table-wrap">
              <table>
                <thead><tr><th>\(t["home_col_pillar"])</th><th class="num">\(t["home_col_share"])</th>\(heads)</tr></thead>
                <tbody>
            \(Markup.each(pillars) { row in
                "      <tr><td>\(row.title)</td><td class=\"num\">\(row.weight)</td>\(cells(row))</tr>\n"
            })    </tbody>
              </table>
              </div>
            </section>
            </div>

            """
    }
}
