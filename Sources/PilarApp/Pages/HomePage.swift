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
                            layers: [], layerHeaders: [], groups: [], pillars: [], history: history, timeline: nil,
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
            pillars: pillars, history: history,
            timeline: try await Timeline.build(req, cycle: current, zone: region.zone), setup: setup)
    }
}

/// The home page and the dashboard are written in Swift (`Markup`): after every write of a busy
/// region the next request renders them again, and Leaf's interpreter was the largest part of that
/// after the data (two hundred groups and agencies at scale 10).
extension HomePage {
    func body() -> Markup {
        let t = page.t
        var m: Markup = """
            <div class="page-head">
              <h1>\(region.name)\(if: region.isDemo, " <span class=\"badge\">\(t["home_demo"])</span>")</h1>
              <p class="muted">\(region.province)</p>
            </div>

            """
        if let setup { m += setup.card(t) }
        if let cycle {
            m += Self.scoreCard(t, cycle: cycle, layers: layers)
            if let timeline { m += timeline.card(t) }
            m += Self.scoreTables(t, headers: layerHeaders, groups: groups, pillars: pillars)
        } else {
            m += Self.noCycle(t)
        }
        if !history.isEmpty {
            m += """
                <section class="card">
                  <h2>\(t["home_history"])</h2>
                \(Self.historyTable(t, history))</section>

                """
        }
        return m
    }

    static func noCycle(_ t: Catalog.Strings) -> Markup {
        "<section class=\"card\"><p>\(t["home_no_cycle"])</p></section>\n"
    }

    /// The official index per year.
    static func historyTable(_ t: Catalog.Strings, _ history: [HistoryRow]) -> Markup {
        """
          <table class="compact">
            <thead><tr><th>\(t["home_col_year"])</th><th class="num">\(t["home_col_official"])</th></tr></thead>
            <tbody>\(Markup.each(history) { h in "<tr><td>\(h.year)</td><td class=\"num\">\(h.official)</td></tr>" })</tbody>
          </table>

        """
    }

    /// The cycle's facts and one bar per layer against the target.
    static func scoreCard(_ t: Catalog.Strings, cycle: CycleView, layers: [LayerRow]) -> Markup {
        func layer(_ l: LayerRow) -> Markup {
            let predicate: Markup = if let p = l.predicate, !p.isEmpty { "\(p)" } else { "&nbsp;" }
            let mark: Markup = if let x = l.targetMark {
                "\n        <rect x=\"\(x)\" y=\"0\" width=\"0.8\" height=\"10\" class=\"bar-target\"></rect>"
            } else { "" }
            let gap: Markup = if let g = l.gap {
                l.reached ? "<span class=\"ok\">\(t["home_target_reached"])</span>" : "<span class=\"gap\">\(t["home_gap"]) \(g)</span>"
            } else { "" }
            return """
                    <div class="layer layer-\(l.key)">
                      <div class="layer-label">\(l.label)</div>
                      <div class="layer-value num">\(l.display)</div>
                      <div class="layer-predicate">\(predicate)</div>
                      <svg class="bar" viewBox="0 0 100 10" preserveAspectRatio="none" role="img" aria-label="\(l.label): \(l.display)">
                        <rect x="0" y="2" width="100" height="6" class="bar-track"></rect>
                        <rect x="0" y="2" width="\(l.bar)" height="6" class="bar-fill"></rect>\(mark)
                      </svg>
                      <div class="layer-meta small">
                        <span>\(if: l.coverageIsShare, "\(t["home_coverage"]) ")\(l.coverage)</span>
                        \(gap)
                      </div>
                    </div>

                """
        }
        let evaluation: Markup = if let date = cycle.evaluationDate {
            "\n    <div><dt>\(t["home_evaluation_date"])</dt><dd>\(date)</dd></div>"
        } else { "" }
        return """
            <section class="card">
              <div class="cycle-head">
                <h2>\(t["home_cycle"]) \(cycle.year)</h2>
                <span class="chip">\(cycle.status)</span>
              </div>
              <dl class="facts">
                <div><dt>\(t["home_instrument"])</dt><dd>\(cycle.instrument)\(if: cycle.isModel, " <span class=\"badge subtle\">\(t["home_model"])</span>")</dd></div>
                <div><dt>\(t["home_target"])</dt><dd class="tabular">\(cycle.target ?? "–")</dd></div>\(evaluation)
              </dl>
              <div class="layers">
            \(Markup.each(layers, layer))  </div>
            </section>

            """
    }

    /// The `#groups` and `#pillars` tables of the home page and the dashboard.
    static func scoreTables(_ t: Catalog.Strings, headers: [String], groups: [ScoreRow], pillars: [ScoreRow]) -> Markup {
        let heads = Markup.each(headers) { "<th class=\"num\">\($0)</th>" }
        func cells(_ row: ScoreRow) -> Markup { Markup.each(row.cells) { "<td class=\"num\">\($0)</td>" } }
        return """
            <div class="grid2 wide">
            <section class="card" id="groups">
              <h2>\(t["home_groups"])</h2>
              <div class="table-wrap" tabindex="0" role="region" aria-label="\(t["table_region"])">
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
              <div class="table-wrap" tabindex="0" role="region" aria-label="\(t["table_region"])">
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
