/// What a user is in Pilar. Users of the first five roles belong to one region (agency users also to
/// one agency); the operator and reviewers belong to the installation.
public enum Role: String, Sendable, Codable, CaseIterable {
    /// Region set-up and users.
    case admin
    /// The coordinating agency (Diskominfo): everything in the region's cycles.
    case coordinator
    /// A pillar-owning agency (OPD): its own agency's assigned indicators and programmes.
    case agency
    /// Leadership (Wali Kota, Sekda, Dewan Smart City): reads everything in the region, changes nothing.
    case leader
    /// The ministry's assessor: reads what was submitted, records official scores.
    case assessor
    /// The installation's operator: creates regions and their first admins, and gives reviewers their
    /// regions. Reads nothing inside a region.
    case `operator`
    /// A province's Diskominfo or the ministry: compares the regions the operator gave it and opens
    /// each read-only.
    case reviewer

    /// The roles of a region's own users (the ones a region's admin may give).
    public static let regionRoles: [Role] = [.admin, .coordinator, .agency, .leader, .assessor]

    /// Whether users of this role belong to one region.
    public var belongsToRegion: Bool { Role.regionRoles.contains(self) }
}
