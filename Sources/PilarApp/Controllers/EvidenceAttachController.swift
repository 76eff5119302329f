import Fluent
import Foundation
import PilarCore
import SQLKit
import Vapor

/// One piece of evidence for several indicators, and new versions of a file.
extension EvidenceController {
    /// Evidence the signed-in user may attach to `record`: their agency's own (the coordinator:
    /// the indicator's agencies' and its own), not attached to it yet, newest first.
    /// `attached`: the evidence already attached, when the caller has loaded it.
    /// A piece of the agency's library offered for attaching: the columns the choice shows.
    struct Attachable: SelectedRow {
        typealias Columns = CodingKeys
        var id: UUID
        var title: String
        var documentDate: String?
        enum CodingKeys: String, CodingKey, CaseIterable { case id, title, documentDate = "document_date" }
    }

    /// How many pieces the attach form offers at once; a search by title finds the others.
    static let attachChoices = 30

    /// `search`: words the title contains (any case); `only`: the one piece a form chose. At most
    /// `attachChoices` rows, newest first.
    static func attachable(_ req: Request, record: IndicatorRecord, search: String? = nil, only: UUID? = nil) async throws -> [Attachable] {
        let actor = try req.actor()
        var agencies = Set<UUID>()
        if let own = actor.agencyID.flatMap(UUID.init(uuidString:)) { agencies.insert(own) }
        if actor.role == .coordinator {
            record.resource.agencyIDs.compactMap(UUID.init(uuidString:)).forEach { agencies.insert($0) }
        }
        guard !agencies.isEmpty else { return [] }
        // The form's first offer (no search, no choice) is the same for everyone of those agencies:
        // kept per region generation, like the rest of the page.
        if (search ?? "").isEmpty, only == nil {
            let regionID = try record.region.requireID()
            let generation = try await Generation.current(req, region: regionID)
            let key = "\(try record.cycle.requireID())|\(record.node.code)|" + agencies.map(\.uuidString).sorted().joined(separator: ",")
            return try await req.application.attachableCache.value(region: regionID, key, generation: generation, on: req.eventLoop) {
                try await attachable(req, record: record, agencies: agencies, search: nil, only: nil)
            }
        }
        return try await attachable(req, record: record, agencies: agencies, search: search, only: only)
    }

    private static func attachable(_ req: Request, record: IndicatorRecord, agencies: Set<UUID>, search: String?, only: UUID?)
        async throws -> [Attachable]
    {
        guard let sql = req.db as? any SQLDatabase else { throw Abort(.internalServerError) }
        let query = sql.select().columns(of: Attachable.self).from(Evidence.schema)
            .where("region_id", .equal, SQLBind(try record.region.requireID()))
            .where("agency_id", .in, SQLBind.group(Array(agencies)))
        if let assessmentID = record.assessment?.id {
            query.where(SQLColumn("id"), .notIn, SQLGroupExpression(
                sql.select().column("evidence_id").from(EvidenceLink.schema)
                    .where("assessment_id", .equal, SQLBind(assessmentID)).query))
        }
        if let only { query.where("id", .equal, SQLBind(only)) }
        for word in (search ?? "").lowercased().split(whereSeparator: \.isWhitespace).prefix(5) {
            let pattern = "%" + word.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
                .replacingOccurrences(of: "_", with: "\\_") + "%"
            query.where(SQLBinaryExpression(left: SQLFunction("LOWER", args: SQLColumn("title")), op: SQLRaw("LIKE"),
                                            right: SQLBinaryExpression(left: SQLBind(pattern), op: SQLRaw("ESCAPE"), right: SQLLiteral.string("\\"))))
        }
        return try await query.orderBy("created_at", .descending).limit(attachChoices).all(decoding: Attachable.self)
    }

    struct AttachForm: Content {
        var evidenceID: String?
        var supportsLevel: String?

        enum CodingKeys: String, CodingKey {
            case evidenceID = "evidence_id", supportsLevel = "supports_level"
        }
    }

    /// `POST …/indicators/{code}/attach`: evidence already uploaded now backs this indicator too.
    @Sendable static func attach(_ req: Request) async throws -> Response {
        let (year, code) = try IndicatorController.params(req)
        let record = try await IndicatorRecord.load(req, year: year, code: code)
        try authorizeChange(req, record)
        let t = req.t
        let form = try req.content.decode(AttachForm.self)
        let (supports, supportsError) = supportsLevel(form.supportsLevel, levels: record.levels, t: t)
        let chosen = try await form.evidenceID.flatMap(UUID.init(uuidString:)).asyncMap { try await attachable(req, record: record, only: $0) }
        guard let evidence = chosen?.first else {
            return try await refuse(req, record: record, errors: ["attach": t["evidence_attach_unknown"]], status: .unprocessableEntity)
        }
        if let supportsError {
            return try await refuse(req, record: record, errors: ["attach": supportsError], status: .unprocessableEntity)
        }
        let user = try req.requireUser()
        let cycleID = try record.cycle.requireID()
        try await req.writeTransaction { tx in
            let existing = record.assessment
            let assessmentID = if let existing { existing.id } else {
                try await Assessment.ensure(cycleID: cycleID, code: record.node.code, at: req.now, on: tx).requireID()
            }
            let link = EvidenceLink(evidenceID: evidence.id, assessmentID: assessmentID)
            link.supportsLevel = supports
            try await link.create(on: tx)
            try await AuditLog.record(at: req.now, on: tx, regionID: record.region.requireID(), cycleID: cycleID, entity: "assessment",
                                      key: record.node.code, action: "evidence",
                                      changes: [.init(field: "evidence", before: nil, after: evidence.title)], actor: user)
        }
        return req.redirect(to: SiteURL.indicator(year: year, code: code).path(query: ["saved": "evidence"]))
    }

    /// `POST …/indicators/{code}/detach`: the evidence no longer backs this indicator (it is kept,
    /// with its files, for the others and for the agency's library).
    @Sendable static func detach(_ req: Request) async throws -> Response {
        let (year, code) = try IndicatorController.params(req)
        let record = try await IndicatorRecord.load(req, year: year, code: code)
        try authorizeChange(req, record)
        let form = try req.content.decode(AttachForm.self)
        guard let assessmentID = record.assessment?.id, let id = form.evidenceID.flatMap(UUID.init(uuidString:)),
              let link = try await EvidenceLink.query(on: req.db).filter(\.$assessment.$id == assessmentID)
                .filter(\.$evidence.$id == id).with(\.$evidence).first()
        else { throw Abort(.notFound) }
        let user = try req.requireUser()
        try await req.writeTransaction { tx in
            try await link.delete(on: tx)
            try await AuditLog.record(at: req.now, on: tx, regionID: record.region.requireID(), cycleID: record.cycle.requireID(),
                                      entity: "assessment", key: record.node.code, action: "evidence",
                                      changes: [.init(field: "evidence", before: link.evidence.title, after: nil)], actor: user)
        }
        return req.redirect(to: SiteURL.indicator(year: year, code: code).path(query: ["saved": "evidence"]))
    }

    /// `POST …/indicators/{code}/evidence/{id}/versions`: a new version of a file, streamed like a
    /// first upload; the earlier versions stay downloadable. The version replaces the file on every
    /// indicator the evidence backs, so it is the evidence's agency's (or the coordinator's) to make,
    /// only while all of those indicators are open for change (`EvidenceRules.newVersion`), and it
    /// is recorded in the audit trail of each of them.
    @Sendable static func newVersion(_ req: Request) async throws -> Response {
        let (year, code) = try IndicatorController.params(req)
        let record = try await IndicatorRecord.load(req, year: year, code: code)
        try authorizeChange(req, record)
        guard let id = req.parameters.get("id", as: UUID.self), let assessmentID = record.assessment?.id,
              let link = try await EvidenceLink.query(on: req.db).filter(\.$assessment.$id == assessmentID)
                .filter(\.$evidence.$id == id).with(\.$evidence).first(),
              link.evidence.kind == "file"
        else { throw Abort(.notFound) }
        let evidence = link.evidence
        let actor = try req.actor()
        // Checked before the body is read, and again inside the write (an indicator may be submitted meanwhile).
        _ = try await mayAddVersion(actor, to: evidence, on: req.db)
        let t = req.t
        let config = req.application.config
        let store = req.application.blobStore
        let upload: MultipartUpload, file: MultipartUpload.File
        switch try await EvidenceController.receive(req, store: store, maxBytes: config.maxUploadBytes, t: t) {
        case let .refused(message, status, typed):
            return try await refuse(req, record: record, errors: ["version": message], typed: typed, status: status)
        case let .received(received, receivedFile):
            (upload, file) = (received, receivedFile)
        }
        var errors: [String: String] = [:]
        var contentType = ""
        switch FileSniffer.check(filename: file.filename, head: file.head, allowed: config.uploadTypes) {
        case let .success(type): contentType = type
        case let .failure(rejection): errors["version"] = t.format(rejection.key, rejection.values)
        }
        var fields = upload.fields
        fields["title"] = evidence.title
        let (details, detailErrors) = details(fields, levels: record.levels, t: t, fallbackTitle: evidence.title)
        if let first = detailErrors.values.sorted().first, errors["version"] == nil { errors["version"] = first }
        guard errors.isEmpty else {
            store.discard(stagedFile: file.temporaryPath)
            return try await refuse(req, record: record, errors: errors, status: .unprocessableEntity)
        }
        let isNew = try await store.put(stagedFile: file.temporaryPath, sha256: file.sha256)
        let user = try req.requireUser()
        let storedType = contentType
        let regionID = try record.region.requireID()
        do {
            try await req.writeTransaction { tx in
                let current = try await mayAddVersion(actor, to: evidence, on: tx)
                let last = try await EvidenceVersion.query(on: tx).filter(\.$evidence.$id == id).sort(\.$number, .descending).first()
                let version = EvidenceVersion()
                version.$evidence.id = id
                version.number = (last?.number ?? 0) + 1
                version.sha256 = file.sha256
                version.originalName = file.filename
                version.contentType = storedType
                version.size = file.size
                version.uploadedBy = try user.requireID()
                version.uploadedAt = req.now
                try await version.create(on: tx)
                var changes: [AuditLog.Change] = [
                    .init(field: "evidence_version", before: last.map { "\($0.number): \($0.originalName)" },
                          after: "\(version.number): \(version.originalName)"),
                ]
                evidence.currentVersionID = try version.requireID()
                // A new edition of a document usually has a new date and expiry; empty keeps the old ones.
                if let date = details.documentDate {
                    changes.append(.init(field: "document_date", before: evidence.documentDate, after: date))
                    evidence.documentDate = date
                }
                if let expiry = details.expiresOn {
                    changes.append(.init(field: "expires_on", before: evidence.expiresOn, after: expiry))
                    evidence.expiresOn = expiry
                }
                try await evidence.save(on: tx)
                // The file changed on every indicator it backs: each one's trail says so.
                for attachment in current {
                    try await AuditLog.record(at: req.now, on: tx, regionID: regionID, cycleID: attachment.cycleID, entity: "assessment",
                                              key: attachment.code, action: "evidence", changes: changes, actor: user)
                }
            }
        } catch {
            if isNew { try? await store.remove(sha256: file.sha256) }
            throw error
        }
        return req.redirect(to: SiteURL.indicator(year: year, code: code).path(query: ["saved": "evidence"]))
    }

    /// Every indicator `evidence` backs, when `actor` may replace its file (`EvidenceRules.newVersion`);
    /// otherwise 403 (not its agency) or 409 (one of them is submitted or verified).
    static func mayAddVersion(_ actor: AccessPolicy.Actor, to evidence: Evidence, on db: any Database) async throws
        -> [EvidenceAttachments.Attachment]
    {
        let attachments = try await EvidenceAttachments.of(try evidence.requireID(), on: db)
        switch EvidenceRules.newVersion(by: actor, evidenceRegionID: evidence.$region.id.uuidString,
                                        evidenceAgencyID: evidence.$agency.id?.uuidString, attachedTo: attachments.map(\.statusValue)) {
        case .allowed: return attachments
        case .notOwner: throw Abort(.forbidden, reason: "evidence_version_not_owner")
        case .locked: throw Abort(.conflict, reason: "evidence_version_locked")
        }
    }

    enum Received {
        case received(MultipartUpload, MultipartUpload.File)
        /// The message, the status, and the text fields that were typed (to show them again).
        case refused(String, HTTPStatus, [String: String])
    }

    /// Reads a streamed upload with one file: refused when it is not multipart, too large, cut off,
    /// or empty — and then no temporary file is left behind.
    static func receive(_ req: Request, store: any BlobStore, maxBytes: Int64, t: Catalog.Strings) async throws -> Received {
        let upload: MultipartUpload
        do {
            upload = try await MultipartUpload.read(req, store: store, maxFileBytes: maxBytes)
        } catch let failure as MultipartUpload.Failure {
            let (text, status) = message(failure, t)
            return .refused(text, status, [:])
        }
        guard let file = upload.file, file.size > 0 else {
            if let file = upload.file { store.discard(stagedFile: file.temporaryPath) }
            return .refused(t["evidence_empty"], .badRequest, upload.fields)
        }
        return .received(upload, file)
    }

    /// What to tell the user about a refused upload, and with which status.
    static func message(_ failure: MultipartUpload.Failure, _ t: Catalog.Strings) -> (String, HTTPStatus) {
        switch failure {
        case .notMultipart: (t["evidence_not_multipart"], .badRequest)
        case let .tooLarge(limit): (t.format("evidence_too_large", ["mb": String(limit / 1024 / 1024)]), .payloadTooLarge)
        case .interrupted: (t["evidence_interrupted"], .badRequest)
        case .malformed: (t["evidence_malformed"], .badRequest)
        case .fieldTooLong: (t["evidence_field_too_long"], .badRequest)
        case .multipleFiles: (t["evidence_one_file"], .badRequest)
        case .storageFull: (t["evidence_storage_full"], .insufficientStorage)
        }
    }
}
