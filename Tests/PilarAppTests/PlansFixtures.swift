import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import PilarApp

/// The demo's records that the plans tests (programmes, KPIs, risks, action items, meetings,
/// recommendations) start from, and the few steps several of them take as their "given".
enum PlansFixture {
    /// The demo's first programme of a pillar (`environment` is DLH's Bank Sampah).
    static func programme(_ app: Application, pillar: String) async throws -> Programme {
        try #require(try await Programme.query(on: app.db).filter(\.$pillarCode == pillar).first())
    }

    /// DLH's Bank Sampah, the quick win of 2022.
    static func bankSampah(_ app: Application) async throws -> Programme {
        try await programme(app, pillar: "environment")
    }

    /// One of the demo city's agencies by its code (`DLH`, `DINKES`, …).
    static func agency(_ app: Application, _ code: String) async throws -> Agency {
        try #require(try await Agency.query(on: app.db).filter(\.$code == code).first())
    }

    /// One of a programme's KPIs by its name.
    static func kpi(_ app: Application, of programme: Programme, named name: String) async throws -> KPI {
        try #require(try await KPI.query(on: app.db).filter(\.$programme.$id == programme.requireID()).filter(\.$name == name).first())
    }

    /// A link in an agency's evidence library, written straight to the database.
    @discardableResult
    static func link(_ app: Application, region: UUID, agency: UUID?, title: String, url: String,
                     createdBy: UUID = UUID()) async throws -> Evidence {
        let e = Evidence()
        e.$region.id = region
        e.$agency.id = agency
        e.kind = "link"; e.title = title; e.url = url
        e.createdBy = createdBy; e.createdAt = app.now
        try await e.create(on: app.db)
        return e
    }

    /// Posts one file as `multipart/form-data` to `path`, with the browser's CSRF token in the query
    /// unless `csrf` is false.
    static func upload(_ b: Browser, _ path: String, fields: [(String, String)] = [], filename: String,
                       bytes: [UInt8], csrf: Bool = true) async throws -> TestingHTTPResponse {
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "multipart/form-data; boundary=pilarBoundary7MA4YWxk")
        return try await b.send(.POST, path + (csrf ? "?_csrf=\(b.csrf!)" : ""), headers: headers,
                                body: EvidenceFixture.multipart(fields: fields, filename: filename, bytes: bytes))
    }
}
