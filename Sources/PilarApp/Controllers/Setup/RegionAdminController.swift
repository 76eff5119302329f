import Fluent
import Foundation
import PilarCore
import Vapor

/// `/admin/region`: the region's own details — its name, kind, province and time zone, the
/// ministry's name, the letterhead the report prints, who signs the report, and whether the public
/// page is on. Every change is in the audit trail.
enum RegionAdminController {
    struct Form: Content {
        var name: String?
        var kind: String?
        var province: String?
        var timeZone: String?
        var ministryName: String?
        var government: String?
        var agency: String?
        var address: String?
        var phone: String?
        var email: String?
        var website: String?
        var signerName: String?
        var signerNIP: String?
        var publicPage: String?

        enum CodingKeys: String, CodingKey {
            case name, kind, province, timeZone = "time_zone", ministryName = "ministry_name", government, agency, address
            case phone, email, website, signerName = "signer_name", signerNIP = "signer_nip", publicPage = "public_page"
        }

        init(_ r: Region) {
            name = r.name; kind = r.kind; province = r.province; timeZone = r.timeZone; ministryName = r.ministryName
            government = r.letterheadGovernment; agency = r.letterheadAgency; address = r.letterheadAddress
            phone = r.letterheadPhone; email = r.letterheadEmail; website = r.letterheadWebsite
            signerName = r.signerName; signerNIP = r.signerNIP; publicPage = r.publicPage ? "1" : nil
        }
    }


    /// The form's values checked and trimmed (empty optional ones as nil), or the problems by field.
    static func check(_ form: Form, _ t: Catalog.Strings) -> (Form, [String: String]) {
        var checks = FieldErrors()
        var clean = form
        clean.name = checks.text("name", form.name, max: 120, required: true)
        clean.province = checks.text("province", form.province, max: 120, required: true)
        clean.ministryName = checks.text("ministry_name", form.ministryName, max: 200, required: true)
        clean.government = checks.text("government", form.government, max: 200, required: true)
        clean.agency = checks.text("agency", form.agency, max: 200, required: true)
        clean.address = checks.text("address", form.address, max: 300, required: true)
        func optional(_ field: String, _ value: String?, max: Int) -> String? {
            let text = checks.text(field, value, max: max)
            return text.isEmpty ? nil : text
        }
        clean.phone = optional("phone", form.phone, max: 60)
        clean.email = optional("email", form.email, max: 200)
        clean.website = optional("website", form.website, max: 300)
        clean.signerName = optional("signer_name", form.signerName, max: 200)
        clean.signerNIP = optional("signer_nip", form.signerNIP?.replacingOccurrences(of: " ", with: ""), max: 18)
        var errors = checks.messages(t)
        if !Regions.kinds.contains(form.kind ?? "") { errors["kind"] = t["region_kind_invalid"] }
        if !Regions.timeZones.contains(form.timeZone ?? "") { errors["time_zone"] = t["region_time_zone_invalid"] }
        if let email = clean.email, email.range(of: #"^[^@\s]+@[^@\s]+\.[^@\s]+$"#, options: .regularExpression) == nil {
            errors["email"] = t["region_email_invalid"]
        }
        if let site = clean.website, site.range(of: #"^https?://[^\s/]+\.[^\s]+$"#, options: .regularExpression) == nil {
            errors["website"] = t["region_website_invalid"]
        }
        if let nip = clean.signerNIP, nip.range(of: #"^[0-9]{18}$"#, options: .regularExpression) == nil {
            errors["signer_nip"] = t["region_nip_invalid"]
        }
        return (clean, errors)
    }

    @Sendable static func show(_ req: Request) async throws -> View {
        let saved = (try? req.query.get(String.self, at: "saved")) == "1"
        return try await req.view.render("setup_region", try await RegionSetupPage.build(req, saved: saved))
    }

    @Sendable static func update(_ req: Request) async throws -> Response {
        try req.authorize(.manageRegion)
        let current = try await req.currentRegion()
        guard let region = try await Region.find(current.requireID(), on: req.db) else { throw Abort(.notFound) }
        let (form, errors) = check(try req.content.decode(Form.self), req.t)
        guard errors.isEmpty else {
            return try await req.view.render("setup_region", try await RegionSetupPage.build(req, form: form, errors: errors))
                .encodeResponse(status: .unprocessableEntity, for: req)
        }
        let before = Form(region)
        region.name = form.name ?? region.name
        region.kind = form.kind ?? region.kind
        region.province = form.province ?? region.province
        region.timeZone = form.timeZone ?? region.timeZone
        region.ministryName = form.ministryName ?? region.ministryName
        region.letterheadGovernment = form.government ?? region.letterheadGovernment
        region.letterheadAgency = form.agency ?? region.letterheadAgency
        region.letterheadAddress = form.address ?? region.letterheadAddress
        region.letterheadPhone = form.phone
        region.letterheadEmail = form.email
        region.letterheadWebsite = form.website
        region.signerName = form.signerName
        region.signerNIP = form.signerNIP
        region.publicPage = form.publicPage == "1"
        let after = Form(region)
        let user = try req.requireUser()
        let fields: [(String, String?, String?)] = [
            ("name", before.name, after.name), ("kind", before.kind, after.kind), ("province", before.province, after.province),
            ("time_zone", before.timeZone, after.timeZone), ("ministry_name", before.ministryName, after.ministryName),
            ("letterhead_government", before.government, after.government), ("letterhead_agency", before.agency, after.agency),
            ("letterhead_address", before.address, after.address), ("letterhead_phone", before.phone, after.phone),
            ("letterhead_email", before.email, after.email), ("letterhead_website", before.website, after.website),
            ("signer_name", before.signerName, after.signerName), ("signer_nip", before.signerNIP, after.signerNIP),
            ("public_page", before.publicPage == "1" ? "1" : "0", after.publicPage == "1" ? "1" : "0"),
        ]
        try await req.writeTransaction { tx in
            try await region.save(on: tx)
            try await AuditLog.record(at: req.now, on: tx, regionID: region.requireID(), cycleID: nil, entity: "region",
                                      key: region.code, action: "update",
                                      changes: fields.map { .init(field: $0.0, before: $0.1, after: $0.2) }, actor: user)
        }
        return req.redirect(to: SiteURL.adminRegion.path(query: ["saved": "1"]))
    }
}
