import Fluent
import Foundation
import PilarCore
import Vapor

/// What the set-up pages share: their tabs, and reading a form's text fields.
enum Setup {
    /// The set-up tabs the signed-in user may open.
    static func tabs(_ req: Request) throws -> [PageChrome.NavItem] {
        let actor = try req.actor()
        let t = req.t
        var items: [(SiteURL, String)] = []
        if AccessPolicy.allows(actor, .manageRegion) { items.append((.adminAgencies, "setup_agencies")) }
        if AccessPolicy.allows(actor, .manageUsers) { items.append((.adminUsers, "setup_users")) }
        if AccessPolicy.allows(actor, .manageRegion) { items.append((.adminPillars, "setup_pillars")) }
        if AccessPolicy.allows(actor, .manageCycles) { items.append((.adminCycles, "setup_cycles")) }
        let path = req.url.path
        return items.map { PageChrome.NavItem(href: $0.0.path, label: t[$0.1], current: path.hasPrefix($0.0.path)) }
    }

    /// The first set-up page the user may open, for the main navigation.
    static func entry(for actor: AccessPolicy.Actor) -> SiteURL? {
        if AccessPolicy.allows(actor, .manageRegion) { return .adminAgencies }
        if AccessPolicy.allows(actor, .manageUsers) { return .adminUsers }
        if AccessPolicy.allows(actor, .manageCycles) { return .adminCycles }
        return nil
    }

    /// A posted form as trimmed text fields (the first value of each); `_csrf` left out.
    static func fields(_ req: Request) throws -> [String: String] {
        let raw = try req.content.decode([String: FormValue].self)
        var out: [String: String] = [:]
        for (key, value) in raw where key != "_csrf" {
            out[key] = value.first.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return out
    }

    /// Every value posted under `name[]` (checkbox lists).
    static func list(_ req: Request, _ name: String) -> [String] {
        (try? req.content.get([String].self, at: name)) ?? []
    }

    /// A number as people type it (`3,4` or `3.4`; `10.400` and `1.250,5` with Indonesian thousands
    /// dots); nil when empty, `.failure` when not a number.
    static func number(_ text: String?) -> Result<Double?, Bad> {
        FieldErrors.parseNumber(text).map { .success($0) } ?? .failure(Bad())
    }

    struct Bad: Error {}

    /// The agencies of the region by code, for selects.
    static func agencies(_ req: Request, region: Region) async throws -> [Agency] {
        try await Agency.query(on: req.db).filter(\.$region.$id == region.requireID()).sort(\.$code).all()
    }

    /// One choice of a select.
    struct Option: Encodable {
        var value: String
        var label: String
        var selected: Bool
    }

    /// One box of a checkbox list.
    struct Check: Encodable {
        var value: String
        var label: String
        var checked: Bool
    }

    /// Agency codes by id, for tables that show an agency by its code.
    static func codes(_ agencies: [Agency]) -> [UUID: String] {
        Dictionary(agencies.compactMap { a in a.id.map { ($0, a.code) } }, uniquingKeysWith: { a, _ in a })
    }

    static func agencyOptions(_ agencies: [Agency], selected: String?, empty: String?) -> [Option] {
        var list: [Option] = []
        if let empty { list.append(Option(value: "", label: empty, selected: (selected ?? "").isEmpty)) }
        for a in agencies {
            let id = a.id?.uuidString ?? ""
            list.append(Option(value: id, label: "\(a.code) — \(a.name)", selected: id == selected))
        }
        return list
    }
}

/// A form value that may arrive once or several times (`name[]`); set-up forms read the first.
enum FormValue: Decodable {
    case one(String)
    case many([String])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            self = .one(text)
        } else {
            self = .many((try? container.decode([String].self)) ?? [])
        }
    }

    var first: String {
        switch self {
        case let .one(text): text
        case let .many(list): list.first ?? ""
        }
    }
}
