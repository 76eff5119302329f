import Crypto
import Fluent
import Foundation
import PilarCore
import Vapor

/// The region's letterhead logo: uploaded on `/admin/region` (PNG or SVG, judged by its bytes by
/// `LogoCheck`), removed there, and served to those who read the region's report.
enum RegionLogoController {
    /// `POST /admin/region/logo` (multipart, streamed; the CSRF token in the URL).
    @Sendable static func upload(_ req: Request) async throws -> Response {
        try req.authorize(.manageRegion)
        let t = req.t
        let region = try await req.currentRegion()
        let store = req.application.blobStore
        func refuse(_ message: String, _ status: HTTPStatus = .unprocessableEntity) async throws -> Response {
            try await req.view.render("setup_region", try await RegionSetupPage.build(req, errors: ["logo": message]))
                .encodeResponse(status: status, for: req)
        }
        let upload: MultipartUpload
        do {
            upload = try await MultipartUpload.read(req, store: store, maxFileBytes: Int64(LogoCheck.maxBytes))
        } catch MultipartUpload.Failure.tooLarge {
            return try await refuse(t["logo_too_large"], .payloadTooLarge)
        } catch let failure as MultipartUpload.Failure {
            let (text, status) = EvidenceController.message(failure, t)
            return try await refuse(text, status)
        }
        guard let file = upload.file else { return try await refuse(t["logo_missing"], .badRequest) }
        defer { store.discard(stagedFile: file.temporaryPath) }
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: file.temporaryPath)))
        let kind: LogoCheck.Kind
        switch LogoCheck.check(bytes) {
        case let .success(found): kind = found
        case .failure(.empty): return try await refuse(t["logo_missing"], .badRequest)
        case .failure(.tooLarge): return try await refuse(t["logo_too_large"], .payloadTooLarge)
        case .failure(.notAnImage), .failure(.badPNG): return try await refuse(t["logo_not_image"])
        case let .failure(.svgScript(what)): return try await refuse(t.format("logo_svg_script", ["what": what]))
        case let .failure(.svgExternal(what)): return try await refuse(t.format("logo_svg_external", ["what": what]))
        }
        let sha = SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
        let regionID = try region.requireID()
        let user = try req.requireUser()
        let now = req.now
        try await req.writeTransaction { tx in
            let existing = try await RegionLogo.query(on: tx).filter(\.$region.$id == regionID).first()
            let before = existing?.sha256
            if let existing {
                existing.contentType = kind.rawValue
                existing.sha256 = sha
                existing.data = Data(bytes)
                try await existing.save(on: tx)
            } else {
                try await RegionLogo(regionID: regionID, contentType: kind.rawValue, sha256: sha, data: Data(bytes)).create(on: tx)
            }
            try await AuditLog.record(at: now, on: tx, regionID: regionID, cycleID: nil, entity: "region", key: region.code,
                                      action: "update", changes: [.init(field: "logo", before: before, after: sha)], actor: user)
        }
        return req.redirect(to: SiteURL.adminRegion.path(query: ["saved": "1"]))
    }

    /// `POST /admin/region/logo/remove`.
    @Sendable static func remove(_ req: Request) async throws -> Response {
        try req.authorize(.manageRegion)
        let region = try await req.currentRegion()
        let regionID = try region.requireID()
        let user = try req.requireUser()
        let now = req.now
        try await req.writeTransaction { tx in
            guard let existing = try await RegionLogo.query(on: tx).filter(\.$region.$id == regionID).first() else { return }
            try await existing.delete(on: tx)
            try await AuditLog.record(at: now, on: tx, regionID: regionID, cycleID: nil, entity: "region", key: region.code,
                                      action: "update", changes: [.init(field: "logo", before: existing.sha256, after: nil)], actor: user)
        }
        return req.redirect(to: SiteURL.adminRegion.path(query: ["saved": "1"]))
    }

    /// The logo's fingerprint, for links that change when it does (nil without a logo).
    static func version(_ db: any Database, region: UUID) async throws -> String? {
        try await RegionLogo.query(on: db).filter(\.$region.$id == region).field(\.$id).field(\.$sha256).first()?.sha256
    }

    /// `GET /region/logo`: for everyone who reads the region's cycles (the report prints it). An SVG
    /// is served so that, opened on its own, it can run nothing and load nothing.
    @Sendable static func show(_ req: Request) async throws -> Response {
        try req.authorize(.readCycles)
        let region = try await req.currentRegion()
        guard let logo = try await RegionLogo.query(on: req.db).filter(\.$region.$id == region.requireID()).first() else {
            throw Abort(.notFound)
        }
        let etag = "\"\(logo.sha256)\""
        if req.headers.first(name: .ifNoneMatch) == etag { return Response(status: .notModified) }
        var headers = HTTPHeaders()
        headers.contentType = HTTPMediaType(type: "image", subType: logo.contentType == LogoCheck.Kind.svg.rawValue ? "svg+xml" : "png")
        headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
        headers.replaceOrAdd(name: "Content-Security-Policy", value: "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox")
        headers.replaceOrAdd(name: .cacheControl, value: "private, max-age=3600")
        headers.replaceOrAdd(name: .eTag, value: etag)
        return Response(status: .ok, headers: headers, body: .init(data: logo.data))
    }
}
