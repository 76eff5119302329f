import Fluent
import Vapor

/// Every migration, in order. Migrations are never edited once they land; add a new one.
func registerMigrations(_ app: Application) {
    app.migrations.add(M0001_CreateRegions())
    app.migrations.add(M0002_CreateAgencies())
    app.migrations.add(M0003_CreatePillars())
    app.migrations.add(M0004_CreateInstruments())
    app.migrations.add(M0005_CreateCycles())
    app.migrations.add(M0006_CreateAssessments())
    app.migrations.add(M0007_CreateUsers())
    // Fluent's own session table, unused since M0008 (DatabaseSessions); kept so databases migrate cleanly.
    app.migrations.add(SessionRecord.migration)
    app.migrations.add(M0008_CreateSessions())
    app.migrations.add(M0009_CreateAuditEvents())
    app.migrations.add(M0010_CreateEvidence())
    app.migrations.add(M0011_EvidenceSupportsLevel())
    app.migrations.add(M0012_CreateWriteLock())
    app.migrations.add(M0013_CreateProgrammes())
    app.migrations.add(M0014_CreateActionsMeetings())
    app.migrations.add(M0015_CreateProgrammeDocuments())
    app.migrations.add(M0016_PlanEffortPublication())
    app.migrations.add(M0017_CreateGeneration())
    app.migrations.add(M0018_CreateSignInThrottle())
    app.migrations.add(M0019_RegionUsernamePrefix())
    app.migrations.add(M0020_RegionGenerations())
    app.migrations.add(M0021_SessionUser())
    app.migrations.add(M0022_ListIndexes())
    app.migrations.add(M0023_OneCoordinatingAgency())
    app.migrations.add(M0024_RegionPillars())
    app.migrations.add(M0025_RegionSettings())
    app.migrations.add(M0026_InstallationAccounts())
    app.migrations.add(M0027_UserEmail())
    app.migrations.add(M0028_CoveringIndexes())
    app.migrations.add(M0029_CreateStoredFiles())
}
