import Foundation
import Vapor

/// Pages that many people open and that cost much to compute (the dashboard, the review queue,
/// the home page on a large region): the body — everything but the signed-in user's chrome — is
/// computed and rendered once per key and region generation (see `Generation`), and served from
/// memory until a write transaction of the region commits. The generation is read before anything
/// else, so a body is never older than the generation it is stored under. Keys name what the body
/// depends on besides the region (language, day, what the role may see); a body never holds a
/// user's own data.
enum PageCache {
    /// The user's chrome around a rendered body.
    struct Rendered {
        var page: PageChrome
        var body: String

        func response(_ req: Request) -> Response { req.html(page, Markup(trusted: body)) }
    }

    static func page<Page: Encodable>(_ req: Request, title: String, region: UUID, key: String, template: String,
                                      build: () async throws -> Page) async throws -> Rendered {
        let generation = try await Generation.current(req, region: region)
        let chrome = PageChrome(request: req, title: title)
        let body = try await req.application.pageCache.value(region: region, key, generation: generation, on: req.eventLoop) {
            String(buffer: try await req.view.render(template, try await build()).data)
        }
        return Rendered(page: chrome, body: body)
    }

    /// The same for a body written in Swift.
    static func page(_ req: Request, title: String, region: UUID, key: String,
                     markup build: () async throws -> Markup) async throws -> Rendered {
        let generation = try await Generation.current(req, region: region)
        let chrome = PageChrome(request: req, title: title)
        let body = try await req.application.pageCache.value(region: region, key, generation: generation, on: req.eventLoop) {
            try await build().html
        }
        return Rendered(page: chrome, body: body)
    }

    static func render(_ req: Request, title: String, region: UUID, key: String,
                       markup build: () async throws -> Markup) async throws -> Response {
        try await page(req, title: title, region: region, key: key, markup: build).response(req)
    }

    static func render<Page: Encodable>(_ req: Request, title: String, region: UUID, key: String, template: String,
                                        build: () async throws -> Page) async throws -> Response {
        try await page(req, title: title, region: region, key: key, template: template, build: build).response(req)
    }
}
