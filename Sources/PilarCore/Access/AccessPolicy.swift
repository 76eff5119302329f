/// The permission table: which role may do what, and how far. Routes ask `AccessPolicy.allows`
/// on the server for every request; nothing else grants access.
public enum AccessPolicy {
    public static let table: [Role: [Permission: Scope]] = [
        .admin: [
            .readCycles: .region,
            .manageRegion: .region,
            .manageUsers: .region,
        ],
        .coordinator: [
            .readCycles: .region,
            .readSelfLayer: .region,
            .readIndicator: .region,
            .editSelfAssessment: .region,
            .verify: .region,
            .recordOfficial: .region,
            .manageCycles: .region,
            .manageRegion: .region,
            // Diskominfo runs the programme and signs up the agencies' staff (not admins).
            .manageUsers: .region,
            .readProgrammes: .region, .editProgramme: .region, .manageProgrammes: .region,
            .readActions: .region, .editAction: .region, .manageActions: .region,
            .readMeetings: .region, .manageMeetings: .region,
            .readRecommendations: .region, .followUpRecommendation: .region, .manageRecommendations: .region,
            .readDashboard: .region, .exportCycle: .region,
        ],
        .agency: [
            .readCycles: .region,
            .readSelfLayer: .region,
            .readIndicator: .ownAgency,
            .editSelfAssessment: .ownAgency,
            // The masterplan is shared; each agency keeps its own programmes and action items.
            .readProgrammes: .region, .editProgramme: .ownAgency,
            .readActions: .ownAgency, .editAction: .ownAgency,
            .readMeetings: .region,
            .readRecommendations: .region, .followUpRecommendation: .ownAgency,
        ],
        .leader: [
            .readCycles: .region,
            .readSelfLayer: .region,
            .readIndicator: .region,
            .readProgrammes: .region, .readActions: .region, .readMeetings: .region, .readRecommendations: .region,
            .readDashboard: .region, .exportCycle: .region,
        ],
        .assessor: [
            .readCycles: .region,
            .readIndicator: .submitted,
            .recordOfficial: .region,
            // Stage I asks about the follow-up of recommendations, Stage II about the quick wins.
            .readProgrammes: .region, .readRecommendations: .region,
        ],
        // Nothing inside a region: the operator sets up, it does not read a city's work.
        .operator: [
            .manageInstallation: .region,
        ],
        // Inside a region it opened (one the operator gave it), what leadership reads.
        .reviewer: [
            .compareRegions: .region,
            .readCycles: .region,
            .readSelfLayer: .region,
            .readIndicator: .region,
            .readProgrammes: .region, .readActions: .region, .readMeetings: .region, .readRecommendations: .region,
            .readDashboard: .region, .exportCycle: .region,
        ],
    ]

    /// Who is asking.
    public struct Actor: Sendable, Equatable {
        public var role: Role
        public var regionID: String
        public var agencyID: String?
        public init(role: Role, regionID: String, agencyID: String?) {
            self.role = role
            self.regionID = regionID
            self.agencyID = agencyID
        }
    }

    /// What is being asked about.
    public struct Resource: Sendable, Equatable {
        public var regionID: String
        /// Agencies that own the resource (lead and contributors); empty for region-wide things.
        public var agencyIDs: Set<String>
        /// Whether it has been submitted to the coordinator (or verified).
        public var submitted: Bool
        public init(regionID: String, agencyIDs: Set<String> = [], submitted: Bool = false) {
            self.regionID = regionID
            self.agencyIDs = agencyIDs
            self.submitted = submitted
        }
    }

    /// The scope `role` holds `permission` with, if any.
    public static func scope(_ role: Role, _ permission: Permission) -> Scope? {
        table[role]?[permission]
    }

    /// Whether `actor` may do `permission` in its region at all (before looking at a resource).
    public static func allows(_ actor: Actor, _ permission: Permission) -> Bool {
        scope(actor.role, permission) != nil
    }

    /// Whether `actor` may do `permission` on `resource`. Another region is always refused (and an
    /// actor without a region has none).
    public static func allows(_ actor: Actor, _ permission: Permission, on resource: Resource) -> Bool {
        guard !actor.regionID.isEmpty, actor.regionID == resource.regionID, let scope = scope(actor.role, permission) else { return false }
        switch scope {
        case .region:
            return true
        case .ownAgency:
            guard let agency = actor.agencyID else { return false }
            return resource.agencyIDs.contains(agency)
        case .submitted:
            return resource.submitted
        }
    }
}
