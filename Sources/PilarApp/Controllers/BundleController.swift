import Fluent
import Foundation
import PilarCore
import SQLKit
import Vapor

/// `GET /cycles/{year}/evidence.zip`: every current evidence file of the cycle, arranged by
/// dimension and indicator code (`BL/BL.1/01-perwali.pdf`), with an index page (`index.html`)
/// and a manifest (`manifest.csv`, with each file's SHA-256): what an assessor wants to receive.
/// The archive is written while it is sent, one chunk of one file at a time.
enum BundleController {
    struct Item {
        var path: String?
        var group: String
        var code: String
        var indicator: String
        var title: String
        var kind: String
        var url: String?
        var originalName: String?
        var contentType: String?
        var size: Int64?
        var sha256: String?
        var documentDate: String?
        var expiresOn: String?
        var expired: Bool
    }

    /// A file name safe in every unzip tool: letters, digits, dot, dash and underscore.
    static func safe(_ name: String) -> String {
        let mapped = name.unicodeScalars.map { s -> String in
            CharacterSet.alphanumerics.contains(s) && s.isASCII || "._-".unicodeScalars.contains(s) ? String(s) : "_"
        }.joined()
        let trimmed = String(mapped.prefix(120)).trimmingCharacters(in: CharacterSet(charactersIn: "._"))
        return trimmed.isEmpty ? "berkas" : trimmed
    }

    /// The bundle's entries in the instrument's order.
    static func items(_ req: Request, data: CycleData) async throws -> [Item] {
        let cycleID = try data.cycle.requireID()
        guard let sql = req.db as? any SQLDatabase else { return [] }
        // Every link of the cycle with its evidence and current version, in one query reading the
        // columns the bundle needs (tens of thousands of links on a large region: no models built).
        let rows = try await CycleData.evidenceLinks(sql, cycle: cycleID)
            .column(SQLColumn("title", table: "evidence"))
            .column(SQLColumn("kind", table: "evidence"))
            .column(SQLColumn("url", table: "evidence"))
            .column(SQLColumn("document_date", table: "evidence"))
            .column(SQLColumn("expires_on", table: "evidence"))
            .column(SQLColumn("created_at", table: "evidence"))
            .column(SQLColumn("original_name", table: "evidence_versions"))
            .column(SQLColumn("content_type", table: "evidence_versions"))
            .column(SQLColumn("size", table: "evidence_versions"))
            .column(SQLColumn("sha256", table: "evidence_versions"))
            .join("evidence_versions", method: SQLJoinMethod.left,
                  on: SQLColumn("current_version_id", table: "evidence"), .equal, SQLColumn("id", table: "evidence_versions"))
            .all()
        struct Row {
            var title: String, kind: String, url: String?, documentDate: String?, expiresOn: String?, createdAt: Date
            var originalName: String?, contentType: String?, size: Int64?, sha256: String?
        }
        func optional<T: Decodable>(_ row: any SQLRow, _ column: String, _ type: T.Type) throws -> T? {
            try row.decodeNil(column: column) ? nil : row.decode(column: column, as: T.self)
        }
        var byAssessment: [UUID: [Row]] = [:]
        for r in rows {
            byAssessment[try r.decode(column: "assessment_id", as: UUID.self), default: []].append(Row(
                title: try r.decode(column: "title", as: String.self), kind: try r.decode(column: "kind", as: String.self),
                url: try optional(r, "url", String.self), documentDate: try optional(r, "document_date", String.self),
                expiresOn: try optional(r, "expires_on", String.self), createdAt: try r.decode(column: "created_at", as: Date.self),
                originalName: try optional(r, "original_name", String.self), contentType: try optional(r, "content_type", String.self),
                size: try optional(r, "size", Int64.self), sha256: try optional(r, "sha256", String.self)))
        }
        let evaluation = data.cycle.evaluationDate
        var items: [Item] = []
        func walk(_ node: InstrumentNode, group: String) {
            guard node.isIndicator else { node.children.forEach { walk($0, group: group) }; return }
            guard let id = data.assessments[node.code]?.id, let list = byAssessment[id] else { return }
            for (n, e) in list.sorted(by: { ($0.title, $0.createdAt) < ($1.title, $1.createdAt) }).enumerated() {
                let expired = e.expiresOn.map { date in evaluation.map { date < $0 } ?? false } ?? false
                // The entry's name: a safe stem and the extension whose bytes were checked on upload.
                let path = e.originalName.map {
                    "\(safe(group))/\(safe(node.code))/\(String(format: "%02d", n + 1))-"
                        + FileSniffer.servedName(original: $0, contentType: e.contentType ?? "application/octet-stream")
                }
                items.append(Item(path: e.sha256 == nil ? nil : path, group: group, code: node.code, indicator: node.title,
                                  title: e.title, kind: e.kind, url: e.url, originalName: e.originalName,
                                  contentType: e.contentType, size: e.size, sha256: e.sha256, documentDate: e.documentDate,
                                  expiresOn: e.expiresOn, expired: expired))
            }
        }
        data.compiled.instrument.groups.forEach { walk($0, group: $0.code) }
        return items
    }

    @Sendable static func download(_ req: Request) async throws -> Response {
        try req.authorize(.exportCycle)
        guard let year = req.parameters.get("year", as: Int.self) else { throw Abort(.badRequest, reason: "error_year") }
        let region = try await req.currentRegion()
        guard let data = try await CycleData.read(req, region: region, year: year) else {
            throw Abort(.notFound)
        }
        let items = try await items(req, data: data)
        let store = req.application.blobStore
        let packedAt = req.now
        // A file missing from the data folder is refused before anything is sent.
        for item in items {
            if let sha = item.sha256, !(try await store.exists(sha256: sha)) {
                req.logger.error("evidence bundle \(year): file \(sha) of \(item.code) is missing from the data folder")
                throw Abort(.internalServerError, reason: req.t.format("bundle_file_missing", ["code": item.code, "title": item.title]))
            }
        }
        let index = Data(indexPage(items, region: region, data: data, t: req.t).utf8)
        let manifest = Data(manifestCSV(items).utf8)
        let logger = req.logger
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "application/zip")
        headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"bukti-\(region.code)-\(year).zip\"")
        headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        let body = Response.Body(asyncStream: { writer in
            do {
                var zip = ZipStream(date: packedAt) { chunk in try await writer.write(.buffer(ByteBuffer(data: chunk))) }
                try await zip.add(name: "index.html", data: index)
                try await zip.add(name: "manifest.csv", data: manifest)
                for item in items {
                    guard let path = item.path, let sha = item.sha256, let size = item.size else { continue }
                    let reader = try await store.open(sha256: sha)
                    try await zip.add(name: path, size: UInt64(size)) {
                        guard var chunk = try await reader.next() else { return nil }
                        return chunk.readData(length: chunk.readableBytes)
                    }
                }
                try await zip.finish()
                try await writer.write(.end)
            } catch {
                logger.error("evidence bundle \(year) stopped: \(error)")
                try? await writer.write(.error(error))
            }
        })
        return Response(status: .ok, headers: headers, body: body)
    }

    static func manifestCSV(_ items: [Item]) -> String {
        let table = Spreadsheet.Table(
            name: "manifest",
            headers: ["path", "dimension", "indicator", "title", "kind", "url", "original_name", "content_type", "size",
                      "sha256", "document_date", "expires_on", "expired_before_evaluation"],
            rows: items.map { i in
                [Spreadsheet.text(i.path), .text(i.group), .text(i.code), .text(i.title), .text(i.kind),
                 Spreadsheet.text(i.url), Spreadsheet.text(i.originalName), Spreadsheet.text(i.contentType),
                 i.size.map { .number(Double($0)) } ?? .empty, Spreadsheet.text(i.sha256),
                 Spreadsheet.text(i.documentDate), Spreadsheet.text(i.expiresOn), .text(i.expired ? "yes" : "no")]
            }, widths: [])
        return String(decoding: Spreadsheet.csv(table), as: UTF8.self)
    }

    static func indexPage(_ items: [Item], region: Region, data: CycleData, t: Catalog.Strings) -> String {
        func h(_ s: String?) -> String { Charts.escape(s ?? "") }
        var html = """
            <!doctype html><html lang="id"><head><meta charset="utf-8"><title>\(h(t["bundle_title"])) \(h(region.name)) \(data.cycle.year)</title>
            <style>body{font-family:system-ui,sans-serif;margin:2rem;color:#222}table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #ddd;padding:.3rem .5rem;text-align:left;vertical-align:top}th{background:#f3f5f8}.expired{color:#b3261e;font-weight:700}h2{margin-top:2rem}</style></head><body>
            <h1>\(h(t["bundle_title"]))</h1><p>\(h(region.letterheadGovernment)) · \(h(t["home_cycle"])) \(data.cycle.year) · \(h(data.compiled.instrument.title))</p>
            <p>\(h(t.format("bundle_summary", ["files": String(items.filter { $0.path != nil }.count), "links": String(items.filter { $0.url != nil }.count)])))</p>
            """
        var group = ""
        for item in items {
            if item.group != group {
                if !group.isEmpty { html += "</tbody></table>" }
                group = item.group
                let title = data.compiled.instrument.groups.first { $0.code == group }?.title ?? group
                html += "<h2>\(h(group)) \(h(title))</h2><table><thead><tr><th>\(h(t["export_col_code"]))</th><th>\(h(t["export_col_title"]))</th><th>\(h(t["bundle_col_document"]))</th><th>\(h(t["bundle_col_dates"]))</th><th>SHA-256</th></tr></thead><tbody>"
            }
            let target: String
            if let path = item.path {
                target = "<a href=\"\(h(path))\">\(h(item.originalName))</a>"
            } else if let url = item.url {
                target = "<a href=\"\(h(url))\">\(h(url))</a>"
            } else {
                target = ""
            }
            var dates = h(item.documentDate ?? "–")
            if let expiry = item.expiresOn {
                dates += " · \(h(t["bundle_valid_until"])) <span\(item.expired ? " class=\"expired\"" : "")>\(h(expiry))\(item.expired ? " (\(h(t["bundle_expired"])))" : "")</span>"
            }
            html += "<tr><td>\(h(item.code))</td><td>\(h(item.title))<br><small>\(h(item.indicator))</small></td><td>\(target)</td><td>\(dates)</td><td><small>\(h(item.sha256.map { String($0.prefix(16)) + "…" }))</small></td></tr>"
        }
        if !group.isEmpty { html += "</tbody></table>" }
        return html + "</body></html>\n"
    }
}
