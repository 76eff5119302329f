import Fluent
import Foundation
import PilarCore
import Testing
import Vapor
import VaporTesting
@testable import PilarApp

/// The access rules, locked in: every registered route (GET, and each POST with a valid CSRF
/// token) × every role × {own agency, another agency, another region} × {open, submitted, verified
/// indicator; evidence backing several agencies' indicators}. Each cell's expected answer comes
/// from the permission table in PilarCore (`Rules`); a refused cell must leave every table as it
/// was. A route without a row in `AccessTable` fails the test.
@Suite("Access matrix: every route × role × agency × region")
struct AccessMatrixTests {
    static func key(_ route: Route) -> String {
        "\(route.method.rawValue) /\(route.path.map(\.description).joined(separator: "/"))"
    }

    @Test func everyRouteHasARowAndEveryRowARoute() async throws {
        try await withPilar(demo: false) { app in
            let registered = Set(app.routes.all.map(Self.key))
            let rows = AccessTable.rows.map(\.key)
            #expect(Set(rows).count == rows.count, "a route has two rows")
            let missing = registered.subtracting(rows).sorted()
            let stale = Set(rows).subtracting(registered).sorted()
            #expect(missing.isEmpty, "routes without a row in AccessTable: \(missing)")
            #expect(stale.isEmpty, "rows for routes that are not registered: \(stale)")
        }
    }

    @Test func everyCellAnswersAsThePermissionTableSays() async throws {
        try await withPilar { app in
            // given both regions with their fixtures, and every actor signed in
            let world = try await AccessWorld.build(app)
            var browsers: [String: Browser] = [:]
            for actor in MatrixActor.all {
                let browser = Browser(app)
                if let credentials = actor.credentials { try await browser.signIn(credentials.0, credentials.1) } else { try await browser.get("/signin") }
                if let region = actor.opens {
                    try await browser.get("/regions")
                    #expect(try await browser.post("/regions/\(region)/open", [:]).status == .seeOther)
                }
                browsers[actor.name] = browser
            }
            var problems: [String] = []
            var cells = 0
            let t = app.catalog.strings(.id)
            // What a lock says (the answer's and the evidence's), and what a CSRF refusal says.
            let lockTexts = ["evidence_locked", "workflow_locked", "evidence_version_locked"].map { String(t[$0].prefix(30)) }
            let csrfText = String(t["error_csrf"].prefix(30))
            func check(_ row: RouteRule, _ actor: MatrixActor, _ target: Target, _ expected: Expect) async throws {
                let browser = browsers[actor.name]!
                let path = Self.path(row.path, target.params)
                let response = row.method == .GET ? try await browser.get(path) : try await browser.post(path, row.form)
                cells += 1
                let status = response.status.code
                let body = response.body.string
                let toSignIn = status == 303 && (response.headers.first(name: .location) ?? "").hasPrefix("/signin")
                let refused = [401, 403, 404].contains(status) || toSignIn
                let ok: Bool
                switch expected {
                case .forbidden:
                    let counted = toSignIn || status == 401 || (row.refusedAnswers ?? [403, 404]).contains(status)
                    ok = counted && !body.contains(csrfText)
                case .locked:
                    ok = (status == 409 || status == 422) && lockTexts.contains { body.contains($0) }
                case .allowed:
                    ok = (!refused || row.allowedAnswers.contains(status)) && status < (row.method == .GET ? 400 : 500)
                }
                if !ok { problems.append("\(row.method) \(path) [\(target.name)] as \(actor.name): expected \(expected), got \(status)") }
            }
            let gets = AccessTable.rows.filter { $0.method == .GET }
            let posts = AccessTable.rows.filter { $0.method != .GET }

            // when every GET is asked by everyone, then each answers as the table says and nothing changes
            let beforeGets = try await DatabaseSnapshot.take(app.db)
            for row in gets {
                for target in row.kind.targets(world) {
                    for actor in MatrixActor.all { try await check(row, actor, target, row.rule(actor, target, world)) }
                }
            }
            let changedByGets = try await DatabaseSnapshot.take(app.db).changes(since: beforeGets)
            #expect(changedByGets.isEmpty, "GET requests changed \(changedByGets)")

            // when every refused write is tried, then it is refused and changes nothing
            for row in posts {
                let before = try await DatabaseSnapshot.take(app.db)
                for target in row.kind.targets(world) {
                    for actor in MatrixActor.all {
                        let expected = row.rule(actor, target, world)
                        if expected != .allowed { try await check(row, actor, target, expected) }
                    }
                }
                let changed = try await DatabaseSnapshot.take(app.db).changes(since: before)
                if !changed.isEmpty { problems.append("refused \(row.key) changed \(changed)") }
            }

            // when the permitted writes are sent (an empty form), then none is refused; signing out comes last
            let order = ["anonymous", "K.dlh", "K.dinkes", "K.leader", "K.assessor", "L.dlh", "L.coordinator", "K.coordinator", "K.admin"]
            let actors = order.compactMap { name in MatrixActor.all.first { $0.name == name } }
            for row in posts.sorted(by: { ($0.path == "signout" ? 1 : 0) < ($1.path == "signout" ? 1 : 0) }) {
                for target in row.kind.targets(world) {
                    for actor in actors where row.rule(actor, target, world) == .allowed {
                        try await check(row, actor, target, .allowed)
                    }
                }
            }
            let report = "\(problems.count) of \(cells) cells:\n" + problems.joined(separator: "\n")
            #expect(problems.isEmpty, "\(report)")
            #expect(cells > 1000)
        }
    }

    /// A route pattern with its parameters filled in.
    static func path(_ pattern: String, _ params: [String: String]) -> String {
        "/" + pattern.split(separator: "/").map { part in
            part.hasPrefix(":") ? (params[String(part.dropFirst())] ?? "missing-\(part.dropFirst())") : String(part)
        }.joined(separator: "/")
    }
}
