/// What a user is in Pilar. Every user belongs to one region; agency users also to one agency.
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
}
