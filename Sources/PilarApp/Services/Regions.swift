import Fluent
import FluentKit
import Foundation
import PilarCore
import Vapor

/// Creating a region: the operator's page and `pilar region add` share these checks and defaults.
enum Regions {
    struct Invalid: Error, CustomStringConvertible {
        /// The form field (or command option) at fault, and what is wrong with it.
        var field: String
        var description: String
    }

    /// What a new region needs; the rest (letterhead, signer, logo) its admin fills in on `/admin/region`.
    struct New {
        var code: String
        var name: String
        var kind: String
        var province: String
        var timeZone: String
    }

    static let kinds = ["kota", "kabupaten", "provinsi"]
    /// WIB, WITA, WIT.
    static let timeZones = ["Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"]

    /// A time zone as the pages name it: `WIB (Asia/Jakarta)`.
    static func zoneLabel(_ zone: String, _ t: Catalog.Strings) -> String {
        t["region_zone_\(zone.replacingOccurrences(of: "Asia/", with: "").lowercased())"]
    }

    /// The kinds and the time zones as a form's choices, with `kind` and `zone` selected.
    static func choices(kind: String?, zone: String?, _ t: Catalog.Strings) -> (kinds: [Setup.Option], zones: [Setup.Option]) {
        (kinds.map { Setup.Option(value: $0, label: t["region_kind_\($0)"], selected: $0 == kind) },
         timeZones.map { Setup.Option(value: $0, label: zoneLabel($0, t), selected: $0 == zone) })
    }

    /// A URL-safe slug: lowercase letters and digits in words joined by single hyphens, 2–40 characters.
    static func isSlug(_ code: String) -> Bool {
        code.count >= 2 && code.count <= 40 && code.range(of: #"^[a-z0-9]+(-[a-z0-9]+)*$"#, options: .regularExpression) != nil
    }

    /// Every problem of `new`, by field (`code`, `name`, `kind`, `province`, `time_zone`), in English
    /// for the command line; the page shows its own catalogue texts for the same fields.
    static func problems(_ new: New) -> [Invalid] {
        var found: [Invalid] = []
        if !isSlug(new.code) {
            found.append(.init(field: "code", description: "the code '\(new.code)' must be 2–40 lowercase letters or digits, words joined by '-' (e.g. kota-madiun)"))
        }
        if new.name.isEmpty || new.name.count > 120 { found.append(.init(field: "name", description: "the name must have 1–120 characters")) }
        if !kinds.contains(new.kind) { found.append(.init(field: "kind", description: "the kind must be kota, kabupaten or provinsi, found '\(new.kind)'")) }
        if new.province.isEmpty || new.province.count > 120 { found.append(.init(field: "province", description: "the province must have 1–120 characters")) }
        if !timeZones.contains(new.timeZone) {
            found.append(.init(field: "time_zone", description: "the time zone must be Asia/Jakarta, Asia/Makassar or Asia/Jayapura, found '\(new.timeZone)'"))
        }
        return found
    }

    /// Whether a region already has `code`, or its sign-in prefix, or a user name claims it.
    static func codeTaken(_ code: String, on db: any Database) async throws -> Bool {
        if try await Region.query(on: db).group(.or, { $0.filter(\.$code == code).filter(\.$usernamePrefix == code) }).count() > 0 { return true }
        return try await User.query(on: db).filter(\.$username =~ (code + ".")).count() > 0
    }

    /// Creates the region (checked by the caller) with the six pillars, the letterhead's usual lines
    /// and its creation in its audit trail, inside the caller's transaction.
    static func create(_ new: New, on db: any Database, at: Date, actor: User?) async throws -> Region {
        let region = Region(
            code: new.code, name: new.name, kind: new.kind, province: new.province, timeZone: new.timeZone,
            ministryName: "Kementerian Komunikasi dan Digital",
            letterheadGovernment: "PEMERINTAH \(new.name.uppercased())",
            letterheadAgency: "DINAS KOMUNIKASI DAN INFORMATIKA", letterheadAddress: "")
        try await region.create(on: db)
        let id = try region.requireID()
        try await RegionPillars.ensure(region: id, on: db)
        try await AuditLog.record(at: at, on: db, regionID: id, cycleID: nil, entity: "region", key: new.code, action: "create",
                                  changes: [.init(field: "name", before: nil, after: new.name),
                                            .init(field: "kind", before: nil, after: new.kind),
                                            .init(field: "province", before: nil, after: new.province),
                                            .init(field: "time_zone", before: nil, after: new.timeZone)],
                                  actor: actor)
        return region
    }
}
