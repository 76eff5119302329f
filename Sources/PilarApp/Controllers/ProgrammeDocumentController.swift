import Fluent
import Foundation
import PilarCore
import Vapor

/// `POST /programmes/{id}/documents`: a programme document, streamed and checked like any
/// evidence; it joins the owning agency's library, so it can back the programme's indicators.
enum ProgrammeDocumentController {
    @Sendable static func create(_ req: Request) async throws -> Response {
        let record = try await ProgrammeRecord.load(req)
        try req.authorize(.editProgramme, on: record.resource)
        let t = req.t
        let config = req.application.config
        let store = req.application.blobStore
        func refuse(_ message: String, _ status: HTTPStatus, typed: [String: String] = [:]) async throws -> Response {
            try await ProgrammeController.refuse(req, record, form: typed, errors: ["document": message], status: status)
        }
        let upload: MultipartUpload, file: MultipartUpload.File
        switch try await EvidenceController.receive(req, store: store, maxBytes: config.maxUploadBytes, t: t) {
        case let .refused(message, status, typed):
            return try await refuse(message, status, typed: typed)
        case let .received(received, receivedFile):
            (upload, file) = (received, receivedFile)
        }
        var problem: String?
        var contentType = ""
        switch FileSniffer.check(filename: file.filename, head: file.head, allowed: config.uploadTypes) {
        case let .success(type): contentType = type
        case let .failure(rejection): problem = t.format(rejection.key, rejection.values)
        }
        let (details, errors) = EvidenceController.details(upload.fields, levels: [], t: t,
                                                           fallbackTitle: (file.filename as NSString).deletingPathExtension)
        if problem == nil { problem = errors.values.sorted().first }
        if let problem {
            store.discard(stagedFile: file.temporaryPath)
            return try await refuse(problem, .unprocessableEntity, typed: upload.fields)
        }
        let isNew = try await store.put(stagedFile: file.temporaryPath, sha256: file.sha256)
        let user = try req.requireUser()
        let pid = record.id
        let storedType = contentType
        do {
            try await req.writeTransaction { tx in
                let evidence = try await EvidenceController.create(
                    on: tx, regionID: record.region.requireID(), agencyID: record.programme.$owner.id, details: details, kind: "file",
                    url: nil, file: file, contentType: storedType, userID: user.requireID(), now: req.now)
                try await ProgrammeDocument(programmeID: pid, evidenceID: evidence.requireID()).create(on: tx)
                try await record.audit(req, on: tx, action: "evidence",
                                       changes: [.init(field: "evidence", before: nil, after: "\(details.title) — \(file.filename)")],
                                       user: user)
            }
        } catch {
            if isNew { try? await store.remove(sha256: file.sha256) }
            throw error
        }
        return req.redirect(to: SiteURL.programme(id: pid).path(query: ["saved": "document"]))
    }
}
