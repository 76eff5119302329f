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
    /// Read masterplan programmes, their KPIs, milestones and risks.
    case readProgrammes
    /// Keep a programme up to date: progress, milestones, KPI realisations, risks.
    case editProgramme
    /// Create programmes and set their KPIs and targets.
    case manageProgrammes
    /// Read action items.
    case readActions
    /// Work on an action item: status, comments.
    case editAction
    /// Create and assign action items.
    case manageActions
    /// Read coordination meetings, their minutes and decisions.
    case readMeetings
    /// Record meetings and turn decisions into action items.
    case manageMeetings
    /// Read the ministry's recommendations and their follow-up.
    case readRecommendations
    /// Record the follow-up of a recommendation.
    case followUpRecommendation
    /// Enter the recommendations, strengths and weaknesses from the result letter.
    case manageRecommendations
    /// The dashboard, the gap-to-target plan, the what-if page and the printable report.
    case readDashboard
    /// Export the cycle's assessment, the evidence bundle and the audit trail.
    case exportCycle
    /// The installation: create regions and their first admins, create reviewers and give them regions.
    case manageInstallation
    /// Compare the regions one was given (`/regions`) and open each read-only.
    case compareRegions
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
