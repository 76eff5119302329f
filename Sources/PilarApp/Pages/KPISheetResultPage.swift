import Vapor

/// The answer to an uploaded KPI sheet that was refused: each problem by row and column.
enum KPISheetResultPage {
    struct Problem: Encodable {
        var row: Int
        var column: String
        var message: String
    }

    struct Context: Encodable {
        var page: PageChrome
        var listHref: String
        /// Where the page leads back to (the programmes for the KPI sheet, the set-up page for the others).
        var listLabel: String
        var problems: [Problem]
        var message: String?
    }

    static func build(_ req: Request, problems: [Problem], message: String?) -> Context {
        Context(page: PageChrome(request: req, title: req.t["kpi_sheet_refused"]), listHref: SiteURL.programmes.path, listLabel: req.t["programmes_title"],
                problems: problems, message: message)
    }
}
