import Fluent
import Foundation
import PilarCore
import SQLKit
import Vapor

/// `/cycles/{year}/indicators/{code}`: the indicator, its rubric, every score layer, the agency's
/// answer form, the coordinator's review form and the indicator's history.
struct IndicatorPage: Encodable {
    struct RubricRow: Encodable {
        var level: Int
        var name: String
        var criteria: String
        var evidence: String
        var isSelf: Bool
        var isVerified: Bool
        var isTarget: Bool
    }

    typealias Option = Setup.Option

    struct HistoryRow: Encodable {
        var at: String
        var who: String
        var action: String
        var field: String
        var before: String
        var after: String
    }

    /// One entry of the indicator's audit trail, as the history shows it.
    struct HistoryEvent: SelectedRow {
        typealias Columns = CodingKeys
        var at: Date
        var actorName: String
        var action: String
        var field: String
        var before: String?
        var after: String?
        enum CodingKeys: String, CodingKey, CaseIterable {
            case at, actorName = "actor_name", action, field, before, after
        }
    }

    /// What the page shows the same to everyone who may read the indicator: its history, its
    /// evidence and the states of the indicators that evidence backs. Read once per region
    /// generation (five statements) and shared until a write transaction of the region commits;
    /// what depends on the reader (the forms, what they may change or attach) is made per request.
    struct Shared: Sendable {
        var history: [HistoryEvent]
        var items: [EvidenceList.Item]
        var attachedStatuses: [UUID: [AssessmentStatus]]
    }

    static func shared(_ req: Request, record: IndicatorRecord) async throws -> Shared {
        let regionID = try record.region.requireID()
        let cycleID = try record.cycle.requireID()
        let generation = try await Generation.current(req, region: regionID)
        return try await req.application.indicatorCache.value(region: regionID, "\(cycleID)|\(record.node.code)",
                                                               generation: generation, on: req.eventLoop) {
            guard let sql = req.db as? any SQLDatabase else { throw Abort(.internalServerError) }
            let history = try await sql.raw("""
                SELECT \(unsafeRaw: HistoryEvent.selectList()) FROM audit_events
                WHERE cycle_id = \(bind: cycleID) AND entity = 'assessment' AND entity_key = \(bind: record.node.code)
                ORDER BY "at" DESC LIMIT 50
                """).all(decoding: HistoryEvent.self)
            let items = try await EvidenceList.items(for: record, on: req.db)
            let statuses = try await EvidenceAttachments.statuses(of: items.map(\.evidence.id), on: req.db)
            return Shared(history: history, items: items, attachedStatuses: statuses)
        }
    }

    /// What the user typed, kept when a save is refused.
    struct FormValues: Encodable {
        var level: String
        var justification: String
        var verifiedLevel: String
        var note: String
    }

    var page: PageChrome
    var year: Int
    var code: String
    var title: String
    var group: String
    var pillar: String?
    var explanation: String?
    var lead: String?
    var contributors: String?
    var status: String
    var statusKey: String
    var deadline: String?
    var values: [HomePage.ScoreRow]
    var justification: String?
    var verifiedNote: String?
    var returned: Bool
    var rubric: [RubricRow]
    var canAnswer: Bool
    var canReview: Bool
    var levelOptions: [Option]
    var verifiedOptions: [Option]
    var form: FormValues
    var errors: [String: String]
    var conflict: Bool
    var revision: Int
    var action: String
    var history: [HistoryRow]
    var saved: String?
    var evidence: [EvidenceRow]
    var evidenceErrors: [String: String]
    var uploadAction: String
    var linkAction: String
    var maxUploadMB: Int
    var uploadTypes: String
    /// Shown when a level is claimed without evidence, or above what the evidence supports; the
    /// form then asks to confirm.
    var evidenceWarning: String?
    var evidenceForm: EvidenceForm
    var attachable: [Option]
    /// What was searched for in the attach form's titles.
    var attachSearch: String
    /// More pieces could be attached than the form offers.
    var attachMore: Bool
    var attachMoreText: String
    var attachAction: String
    var detachAction: String
    var uploadSupports: [Option]
    var linkSupports: [Option]
    var attachSupports: [Option]
    var supportedLevel: String?
    /// The add-evidence forms start open when there is no evidence yet or an upload was refused.
    var evidenceOpen: Bool

    /// What was typed in the add-evidence forms, kept when an upload or link is refused.
    struct EvidenceForm: Encodable {
        var upload: [String: String] = [:]
        var link: [String: String] = [:]
    }

    struct VersionRow: Encodable {
        var number: Int
        var name: String
        var size: String
        var uploaded: String
        var href: String
    }

    struct EvidenceRow: Encodable {
        var id: String
        var title: String
        var isFile: Bool
        var href: String
        var detail: String
        var documentDate: String?
        var expires: String?
        var expiresBeforeEvaluation: Bool
        /// Its validity ended before today.
        var expired: Bool
        var note: String?
        var added: String
        /// The level the uploader says it supports for this indicator.
        var supports: String?
        var version: Int?
        var earlier: [VersionRow]
        var canChange: Bool
        var versionAction: String?
        /// Why there is no new-version form for this file, when there is none.
        var versionNote: String?
    }

    static func build(
        _ req: Request, record: IndicatorRecord, form: FormValues? = nil, errors: [String: String] = [:],
        conflict: Bool = false, saved: String? = nil, evidenceErrors: [String: String] = [:],
        evidenceForm: EvidenceForm = .init(), evidenceWarning: String? = nil
    ) async throws -> IndicatorPage {
        let t = req.t, lang = req.language
        let actor = try req.actor()
        try req.authorize(.readIndicator, on: record.resource)
        let instrument = record.compiled.instrument
        let a = record.assessment
        let labels = instrument.levelLabels(forIndicator: record.node.code)
        func name(_ level: Int) -> String { labels.first { $0.level == level }?.name ?? "" }
        func text(_ v: Double?) -> String { v.map { Format.decimal(InstrumentText.level($0), lang) } ?? "–" }
        let na = a?.notApplicable ?? false
        let rubric = record.node.rubric.sorted { $0.level < $1.level }.map { r in
            RubricRow(level: r.level, name: name(r.level), criteria: r.criteria, evidence: r.evidence,
                      isSelf: a?.selfLevel == Double(r.level), isVerified: a?.verifiedLevel == Double(r.level),
                      isTarget: a?.targetLevel == Double(r.level))
        }
        let current = FormValues(
            level: na ? "NA" : a?.selfLevel.map(InstrumentText.level) ?? "",
            justification: a?.justification ?? "",
            verifiedLevel: na ? "NA" : a?.verifiedLevel.map(InstrumentText.level) ?? (a?.selfLevel.map(InstrumentText.level) ?? ""),
            note: a?.verifiedNote ?? "")
        let shown = form ?? current
        func options(selected: String) -> [Option] {
            var list = [Option(value: "", label: t["indicator_choose_level"], selected: selected.isEmpty)]
            list += instrument.scale.wholeLevels.map { level in
                Option(value: String(level), label: "\(level) – \(name(level))", selected: selected == String(level))
            }
            if record.node.naAllowed {
                list.append(Option(value: "NA", label: t["indicator_na"], selected: selected == "NA"))
            }
            return list
        }
        let canAnswer = AccessPolicy.allows(actor, .editSelfAssessment, on: record.resource)
            && (actor.role == .coordinator || record.status.isOpenForAgency)
        let canReview = AccessPolicy.allows(actor, .verify, on: record.resource)
        let deadline = record.deadline
        let showSelf = record.showsSelf(to: actor)
        var history: [HistoryRow] = []
        let zone = record.region.zone
        // Assessors read what was submitted, not the drafts before it.
        let shared = try await shared(req, record: record)
        if actor.role != .assessor {
            history = shared.history.map { e in
                HistoryRow(at: Format.dateTime(e.at, zone: zone, t), who: e.actorName, action: t["action_\(e.action)"],
                           field: AuditLog.label(field: e.field, t), before: e.before ?? "–", after: e.after ?? "–")
            }
        }
        let items = shared.items
        let evidence = EvidenceList.rows(for: record, items: items, attachedStatuses: shared.attachedStatuses, t: t, zone: zone,
                                         today: req.today(in: zone), canChange: canAnswer, actor: try? req.actor())
        let attachSearch = ((try? req.query.get(String.self, at: "attach_q")) ?? "").trimmingCharacters(in: .whitespaces)
        let attachable = canAnswer ? try await EvidenceController.attachable(req, record: record, search: attachSearch) : []
        func supportOptions(_ typed: String?) -> [Option] {
            [Option(value: "", label: t["evidence_supports_unsaid"], selected: (typed ?? "").isEmpty)]
                + instrument.scale.wholeLevels.map { Option(value: String($0), label: "\($0) – \(name($0))", selected: typed == String($0)) }
        }
        let config = req.application.config
        let year = record.cycle.year
        return IndicatorPage(
            page: PageChrome(request: req, title: "\(record.node.code) \(record.node.title)"),
            year: record.cycle.year, code: record.node.code, title: record.node.title,
            group: record.ancestors.map(\.title).joined(separator: " › "),
            pillar: instrument.pillar(of: record.node.code).flatMap(SmartCityPillar.named).map { lang == .id ? $0.nameID : $0.nameEN },
            explanation: record.node.explanation,
            lead: record.lead.map { "\($0.name) (\($0.code))" },
            contributors: record.contributors.isEmpty ? nil : record.contributors.map(\.code).joined(separator: ", "),
            status: t["status_\(record.status.rawValue)"], statusKey: record.status.rawValue,
            deadline: Format.date(deadline, t),
            values: [HomePage.ScoreRow(code: "", title: "", weight: "", cells: [
                text(a?.targetLevel), na ? t["indicator_na"] : (showSelf ? text(a?.selfLevel) : "–"),
                na ? t["indicator_na"] : text(a?.verifiedLevel), text(a?.officialScore),
            ])],
            justification: showSelf ? a?.justification : nil, verifiedNote: a?.verifiedNote,
            returned: record.status == .returned, rubric: rubric, canAnswer: canAnswer, canReview: canReview,
            levelOptions: options(selected: shown.level), verifiedOptions: options(selected: shown.verifiedLevel),
            form: shown, errors: errors, conflict: conflict, revision: a?.revision ?? 0,
            action: SiteURL.indicator(year: record.cycle.year, code: record.node.code).path,
            history: history, saved: saved, evidence: evidence, evidenceErrors: evidenceErrors,
            uploadAction: SiteURL.indicatorEvidence(year: year, code: record.node.code).path(query: ["_csrf": req.csrfToken]),
            linkAction: SiteURL.indicatorLinks(year: year, code: record.node.code).path,
            maxUploadMB: Int(config.maxUploadBytes / 1024 / 1024),
            uploadTypes: config.uploadTypes.sorted().joined(separator: ", "), evidenceWarning: evidenceWarning,
            evidenceForm: evidenceForm,
            attachable: attachable.map { e in
                Option(value: e.id.uuidString, label: [e.title, Format.date(e.documentDate, t)].compactMap { $0 }.joined(separator: " · "),
                       selected: false)
            },
            attachSearch: attachSearch, attachMore: attachable.count == EvidenceController.attachChoices,
            attachMoreText: t.format("evidence_attach_more", ["count": String(EvidenceController.attachChoices)]),
            attachAction: SiteURL.indicatorAttach(year: year, code: record.node.code).path,
            detachAction: SiteURL.indicatorDetach(year: year, code: record.node.code).path,
            uploadSupports: supportOptions(evidenceForm.upload["supports_level"]),
            linkSupports: supportOptions(evidenceForm.link["supports_level"]), attachSupports: supportOptions(nil),
            supportedLevel: EvidenceList.supportedLevel(items).map { Format.decimal(InstrumentText.level($0), lang) },
            evidenceOpen: evidence.isEmpty || !evidenceErrors.isEmpty || evidenceWarning != nil || !attachSearch.isEmpty)
    }
}
