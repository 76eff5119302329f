/// Everything a route can ask permission for.
public enum Permission: String, Sendable, CaseIterable {
    /// The region's home page, its cycles and their aggregate scores (index, groups, pillars).
    case readCycles
    /// The self-assessed layer (agency drafts included) of the aggregate score.
    case readSelfLayer
    /// Indicator detail (levels, justifications, notes, evidence).
    case readIndicator
    /// Answer an indicator: self-assessed level, justification, evidence.
    case editSelfAssessment
    /// Verify or return an agency's answer, set verified levels.
    case verify
    /// Record official scores from the ministry's result letter.
    case recordOfficial
    /// Create and change cycles, targets, stages, assignments.
    case manageCycles
    /// Region details, agencies, pillar owners.
    case manageRegion
    /// Create, deactivate and reset users.
    case manageUsers
}

/// How far a granted permission reaches.
public enum Scope: String, Sendable {
    /// Anything in the user's own region.
    case region
    /// Only what the user's own agency leads or contributes to, in the user's region.
    case ownAgency
    /// Only what has been submitted to the coordinator (or verified), in the user's region.
    case submitted
}
