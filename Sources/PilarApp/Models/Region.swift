import Fluent
import Foundation

/// A city or regency using Pilar. Every other record belongs to one.
final class Region: Model, @unchecked Sendable {
    static let schema = "regions"

    @ID(key: .id) var id: UUID?
    /// URL-safe code, e.g. `kota-kediri`.
    @Field(key: "code") var code: String
    @Field(key: "name") var name: String
    /// `kota` or `kabupaten`.
    @Field(key: "kind") var kind: String
    @Field(key: "province") var province: String
    /// IANA time zone, `Asia/Jakarta` (WIB) by default.
    @Field(key: "time_zone") var timeZone: String
    /// The evaluating ministry's name as the region's letters use it (kept as data: it changes).
    @Field(key: "ministry_name") var ministryName: String
    @Field(key: "letterhead_government") var letterheadGovernment: String
    @Field(key: "letterhead_agency") var letterheadAgency: String
    @Field(key: "letterhead_address") var letterheadAddress: String
    @OptionalField(key: "letterhead_phone") var letterheadPhone: String?
    @OptionalField(key: "letterhead_email") var letterheadEmail: String?
    @OptionalField(key: "letterhead_website") var letterheadWebsite: String?
    /// The head of the coordinating agency, who signs the report, and their NIP.
    @OptionalField(key: "signer_name") var signerName: String?
    @OptionalField(key: "signer_nip") var signerNIP: String?
    /// Whether `/public/{code}` is shown.
    @Field(key: "public_page") var publicPage: Bool
    /// Demo data loaded by `pilar seed-demo`.
    @Field(key: "is_demo") var isDemo: Bool
    /// What the region's sign-in names start with (`kediri` for `kediri.dinkes`), unique; the code by default.
    @OptionalField(key: "username_prefix") var usernamePrefix: String?

    var effectiveUsernamePrefix: String { usernamePrefix ?? code }

    init() {}

    init(
        code: String, name: String, kind: String, province: String, timeZone: String = "Asia/Jakarta",
        ministryName: String, letterheadGovernment: String, letterheadAgency: String, letterheadAddress: String,
        isDemo: Bool = false, usernamePrefix: String? = nil
    ) {
        self.code = code
        self.usernamePrefix = usernamePrefix ?? code
        self.name = name
        self.kind = kind
        self.province = province
        self.timeZone = timeZone
        self.ministryName = ministryName
        self.letterheadGovernment = letterheadGovernment
        self.letterheadAgency = letterheadAgency
        self.letterheadAddress = letterheadAddress
        self.isDemo = isDemo
        self.publicPage = true
    }
}

extension Region {
    /// The region's time zone, WIB when the stored name is unknown.
    var zone: TimeZone { TimeZone(identifier: timeZone) ?? TimeZone(identifier: "Asia/Jakarta")! }
}
