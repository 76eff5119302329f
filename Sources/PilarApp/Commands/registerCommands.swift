import Vapor

func registerCommands(_ app: Application) {
    app.asyncCommands.use(PilarMigrateCommand(), as: "migrate")
    app.asyncCommands.use(SeedDemoCommand(), as: "seed-demo")
    app.asyncCommands.use(InstrumentCommands(), as: "instrument")
    app.asyncCommands.use(ScoreCommand(), as: "score")
    app.asyncCommands.use(UserCommands(), as: "user")
    app.asyncCommands.use(RegionCommands(), as: "region")
    app.asyncCommands.use(FilesCommands(), as: "files")
    app.asyncCommands.use(BackupCommand(), as: "backup")
    app.asyncCommands.use(RestoreCommand(), as: "restore")
}
