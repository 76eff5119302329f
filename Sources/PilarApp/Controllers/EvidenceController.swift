import Fluent
import Foundation
import PilarCore
import Vapor

/// Evidence for an indicator: `POST …/indicators/{code}/evidence` (a file, streamed to disk),
/// `POST …/indicators/{code}/links` (a link), and `GET /evidence/{id}/file` (download, with the
/// same permission as the indicators it backs).
enum EvidenceController {
    struct Details {
        var title: String
        var documentDate: String?
        var expiresOn: String?
        var note: String?
        /// The highest rubric level the document shows for this indicator, if the uploader says.
        var supportsLevel: Double?
    }

    /// The optional "supports level" field: empty, or a whole level of the scale.
    static func supportsLevel(_ raw: String?, levels: [Int], t: Catalog.Strings) -> (Double?, String?) {
        let text = (raw ?? "").trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty else { return (nil, nil) }
        guard let level = Int(text), levels.contains(level) else {
            return (nil, t["evidence_supports_invalid"])
        }
        return (Double(level), nil)
    }

    /// Checks the descriptive fields; problems are catalogue texts keyed by field.
    static func details(_ fields: [String: String], levels: [Int], t: Catalog.Strings, fallbackTitle: String?)
        -> (Details, [String: String])
    {
        var errors: [String: String] = [:]
        func clean(_ key: String) -> String? {
            let v = fields[key]?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            return v.isEmpty ? nil : v
        }
        let title = clean("title") ?? fallbackTitle ?? ""
        if title.isEmpty { errors["title"] = t["evidence_title_required"] }
        if title.count > 300 { errors["title"] = t["evidence_title_long"] }
        let documentDate = clean("document_date"), expires = clean("expires_on")
        for (key, value) in [("document_date", documentDate), ("expires_on", expires)] {
            if let value, !CalendarDate.isValid(value) { errors[key] = t["evidence_date_invalid"] }
        }
        if let d = documentDate, let e = expires, CalendarDate.isValid(d), CalendarDate.isValid(e), e < d {
            errors["expires_on"] = t["evidence_expiry_before_date"]
        }
        let (supports, supportsError) = supportsLevel(fields["supports_level"], levels: levels, t: t)
        if let supportsError { errors["supports_level"] = supportsError }
        return (Details(title: title, documentDate: documentDate, expiresOn: expires, note: clean("note"),
                        supportsLevel: supports), errors)
    }

    @Sendable static func upload(_ req: Request) async throws -> Response {
        let (year, code) = try IndicatorController.params(req)
        let record = try await IndicatorRecord.load(req, year: year, code: code)
        try authorizeChange(req, record)
        let t = req.t
        let config = req.application.config
        let store = req.application.blobStore
        let upload: MultipartUpload, file: MultipartUpload.File
        switch try await EvidenceController.receive(req, store: store, maxBytes: config.maxUploadBytes, t: t) {
        case let .refused(message, status, typed):
            return try await refuse(req, record: record, errors: ["file": message], typed: typed, status: status)
        case let .received(received, receivedFile):
            (upload, file) = (received, receivedFile)
        }
        var errors: [String: String] = [:]
        let contentType: String
        switch FileSniffer.check(filename: file.filename, head: file.head, allowed: config.uploadTypes) {
        case let .success(type): contentType = type
        case let .failure(rejection):
            contentType = ""
            errors["file"] = t.format(rejection.key, rejection.values)
        }
        let fallback = (file.filename as NSString).deletingPathExtension
        let (details, detailErrors) = details(upload.fields, levels: record.levels, t: t, fallbackTitle: fallback)
        errors.merge(detailErrors) { a, _ in a }
        guard errors.isEmpty else {
            store.discard(stagedFile: file.temporaryPath)
            return try await refuse(req, record: record, errors: errors, typed: upload.fields, status: .unprocessableEntity)
        }
        let isNew = try await store.put(stagedFile: file.temporaryPath, sha256: file.sha256)
        do {
            try await save(req, record: record, details: details, kind: "file", url: nil, file: file, contentType: contentType)
        } catch {
            if isNew { try? await store.remove(sha256: file.sha256) }
            throw error
        }
        return req.redirect(to: SiteURL.indicator(year: year, code: code).path(query: ["saved": "evidence"]))
    }

    struct LinkForm: Content {
        var url: String?
        var title: String?
        var documentDate: String?
        var expiresOn: String?
        var note: String?
        var supportsLevel: String?

        enum CodingKeys: String, CodingKey {
            case url, title, documentDate = "document_date", expiresOn = "expires_on", note, supportsLevel = "supports_level"
        }
    }

    @Sendable static func addLink(_ req: Request) async throws -> Response {
        let (year, code) = try IndicatorController.params(req)
        let record = try await IndicatorRecord.load(req, year: year, code: code)
        try authorizeChange(req, record)
        let t = req.t
        let form = try req.content.decode(LinkForm.self)
        var fields = ["title": form.title ?? "", "document_date": form.documentDate ?? "", "expires_on": form.expiresOn ?? "",
                      "note": form.note ?? "", "supports_level": form.supportsLevel ?? ""]
        var (details, errors) = details(fields, levels: record.levels, t: t, fallbackTitle: nil)
        let url = (form.url ?? "").trimmingCharacters(in: .whitespaces)
        if let parsed = URL(string: url), ["http", "https"].contains(parsed.scheme?.lowercased() ?? ""), parsed.host != nil,
           url.count <= 2000 {} else {
            errors["url"] = t["evidence_url_invalid"]
        }
        if details.title.isEmpty && errors["url"] == nil { details.title = url; errors["title"] = nil }
        guard errors.isEmpty else {
            fields["url"] = form.url ?? ""
            return try await refuse(req, record: record, errors: errors, typed: fields, link: true, status: .unprocessableEntity)
        }
        try await save(req, record: record, details: details, kind: "link", url: url, file: nil, contentType: nil)
        return req.redirect(to: SiteURL.indicator(year: year, code: code).path(query: ["saved": "evidence"]))
    }

    /// Stores the evidence, its first version and its link to the indicator in one transaction.
    static func save(
        _ req: Request, record: IndicatorRecord, details: Details, kind: String, url: String?,
        file: MultipartUpload.File?, contentType: String?
    ) async throws {
        let user = try req.requireUser()
        let userID = try user.requireID()
        let regionID = try record.region.requireID()
        let cycleID = try record.cycle.requireID()
        let code = record.node.code
        let existing = record.assessment
        try await req.writeTransaction { tx in
            let assessmentID = if let existing { existing.id } else { try await Assessment.ensure(cycleID: cycleID, code: code, at: req.now, on: tx).requireID() }
            let evidence = try await create(on: tx, regionID: regionID, agencyID: user.$agency.id, details: details, kind: kind,
                                            url: url, file: file, contentType: contentType, userID: userID, now: req.now)
            let link = EvidenceLink(evidenceID: try evidence.requireID(), assessmentID: assessmentID)
            link.supportsLevel = details.supportsLevel
            try await link.create(on: tx)
            try await AuditLog.record(at: req.now,
                on: tx, regionID: regionID, cycleID: cycleID, entity: "assessment", key: code, action: "evidence",
                changes: [.init(field: "evidence", before: nil, after: [details.title, file?.filename ?? url].compactMap { $0 }.joined(separator: " — "))],
                actor: user)
        }
    }

    /// A new piece of evidence with its first file version (the caller's transaction).
    static func create(
        on tx: any Database, regionID: UUID, agencyID: UUID?, details: Details, kind: String, url: String?,
        file: MultipartUpload.File?, contentType: String?, userID: UUID, now: Date
    ) async throws -> Evidence {
        let evidence = Evidence()
        evidence.$region.id = regionID
        evidence.$agency.id = agencyID
        evidence.kind = kind
        evidence.title = details.title
        evidence.url = url
        evidence.documentDate = details.documentDate
        evidence.expiresOn = details.expiresOn
        evidence.note = details.note
        evidence.createdBy = userID
        evidence.createdAt = now
        try await evidence.create(on: tx)
        if let file, let contentType {
            let version = EvidenceVersion()
            version.$evidence.id = try evidence.requireID()
            version.number = 1
            version.sha256 = file.sha256
            version.originalName = file.filename
            version.contentType = contentType
            version.size = file.size
            version.uploadedBy = userID
            version.uploadedAt = now
            try await version.create(on: tx)
            evidence.currentVersionID = try version.requireID()
            try await evidence.save(on: tx)
        }
        return evidence
    }

    /// The indicator page again with the problems next to the fields and what was typed kept.
    static func refuse(
        _ req: Request, record: IndicatorRecord, errors: [String: String], typed: [String: String] = [:], link: Bool = false,
        status: HTTPStatus
    ) async throws -> Response {
        let page = try await IndicatorPage.build(
            req, record: record, evidenceErrors: errors,
            evidenceForm: .init(upload: link ? [:] : typed, link: link ? typed : [:]))
        return page.response(req, status: status)
    }

    /// Evidence of an indicator changes with its answer: by whoever may answer it, while the
    /// agency may still change the answer (the coordinator at any time).
    static func authorizeChange(_ req: Request, _ record: IndicatorRecord) throws {
        let actor = try req.actor()
        try req.authorize(.editSelfAssessment, on: record.resource)
        guard actor.role == .coordinator || record.status.isOpenForAgency else {
            throw Abort(.conflict, reason: "evidence_locked")
        }
    }

    @Sendable static func download(_ req: Request) async throws -> Response {
        guard let id = req.parameters.get("id", as: UUID.self),
              let evidence = try await Evidence.find(id, on: req.db),
              evidence.$region.id.uuidString == (try req.actor()).regionID else { throw Abort(.notFound) }
        guard try await EvidenceAccess.canRead(req, evidence) else { throw Abort(.forbidden) }
        guard evidence.kind == "file", let versionID = evidence.currentVersionID,
              let version = try await EvidenceVersion.find(versionID, on: req.db) else { throw Abort(.notFound) }
        return try await stream(req, version)
    }

    /// `GET /evidence/{id}/versions/{number}/file`: an earlier (or the current) version.
    @Sendable static func downloadVersion(_ req: Request) async throws -> Response {
        guard let id = req.parameters.get("id", as: UUID.self), let number = req.parameters.get("number", as: Int.self),
              let evidence = try await Evidence.find(id, on: req.db),
              // Another region's evidence is not found, as if it did not exist.
              evidence.$region.id.uuidString == (try req.actor()).regionID else { throw Abort(.notFound) }
        guard try await EvidenceAccess.canRead(req, evidence) else { throw Abort(.forbidden) }
        guard let version = try await EvidenceVersion.query(on: req.db).filter(\.$evidence.$id == id)
            .filter(\.$number == number).first() else { throw Abort(.notFound) }
        return try await stream(req, version)
    }

    static func stream(_ req: Request, _ version: EvidenceVersion) async throws -> Response {
        let id = version.$evidence.id, versionID = version.id
        let store = req.application.blobStore
        guard try await store.exists(sha256: version.sha256) else {
            req.logger.error("evidence \(id) version \(versionID?.uuidString ?? "?"): file \(version.sha256) is missing from the file store")
            throw Abort(.notFound)
        }
        let response: Response
        if let path = store.localPath(sha256: version.sha256) {
            response = try await req.fileio.asyncStreamFile(at: path)
        } else {
            let reader = try await store.open(sha256: version.sha256)
            response = Response(status: .ok, body: .init(asyncStream: { writer in
                do {
                    while let chunk = try await reader.next() { try await writer.write(.buffer(chunk)) }
                    try await writer.write(.end)
                } catch {
                    try? await writer.write(.error(error))
                }
            }, count: Int(reader.size)))
        }
        response.headers.contentType = HTTPMediaType.parse(version.contentType) ?? .binary
        // Served under a safe stem and the extension whose bytes were checked, never the uploaded name.
        let name = FileSniffer.servedName(original: version.originalName, contentType: version.contentType)
        response.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(name)\"")
        response.headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
        return response
    }
}

extension HTTPMediaType {
    /// `type/subtype` into a media type.
    static func parse(_ text: String) -> HTTPMediaType? {
        let parts = text.split(separator: "/", maxSplits: 1).map(String.init)
        return parts.count == 2 ? HTTPMediaType(type: parts[0], subType: parts[1]) : nil
    }
}
