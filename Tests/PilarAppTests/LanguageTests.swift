import Fluent
import Foundation
import PilarCore
import Testing
import Vapor
import VaporTesting
@testable import PilarApp

@Suite("Every page in both languages")
struct LanguageTests {
    static let pages = ["/", "/my/indicators", "/review", "/progress", "/audit", "/cycles/2022/indicators/QW.ENV",
                        "/cycles/2022/assignments", "/cycles/2022/official", "/admin/agencies", "/admin/users",
                        "/admin/pillars", "/admin/cycles", "/admin/cycles/2022", "/account/password", "/programmes",
                        "/actions", "/meetings", "/inbox", "/cycles/2022/recommendations"]

    @Test func noTextIsMissingOnAnyPageInEitherLanguage() async throws {
        try await withPilar { app in
            // given
            let kominfo = try await Browser.signedIn(app, Demo.coordinator)
            for language in ["id", "en"] {
                #expect(try await kominfo.post("/lang", ["lang": language, "back": "/"]).status == .seeOther)
                for path in Self.pages {
                    // when
                    let html = try await kominfo.get(path).body.string
                    // then
                    #expect(html.contains("<html lang=\"\(language)\">"), "\(path)")
                    #expect(html.firstMatch(of: /\[[a-z0-9]+_[a-z0-9_]+\]/) == nil, "\(language) \(path): a text is missing")
                }
            }
        }
    }

    @Test func theUsersPageSpeaksEnglishWhenAskedTo() async throws {
        try await withPilar { app in
            // given
            let kominfo = try await Browser.signedIn(app, Demo.coordinator)
            #expect(try await kominfo.post("/lang", ["lang": "en", "back": "/"]).status == .seeOther)
            // when / then
            #expect(try await kominfo.get("/admin/users").body.string.contains("Add a user"))
        }
    }

    @Test func noTextIsMissingOnTheDetailPagesInEitherLanguage() async throws {
        try await withPilar { app in
            // given
            let kominfo = try await Browser.signedIn(app, Demo.coordinator)
            let programme = try #require(try await Programme.query(on: app.db).first())
            let meeting = try #require(try await Meeting.query(on: app.db).first())
            let item = try #require(try await ActionItem.query(on: app.db).first())
            for language in ["id", "en"] {
                #expect(try await kominfo.post("/lang", ["lang": language, "back": "/"]).status == .seeOther)
                for path in ["/programmes/\(programme.id!.uuidString)", "/meetings/\(meeting.id!.uuidString)", "/actions/\(item.id!.uuidString)"] {
                    // when
                    let response = try await kominfo.get(path)
                    // then
                    #expect(response.status == .ok, "\(path)")
                    #expect(response.body.string.firstMatch(of: /\[[a-z0-9]+_[a-z0-9_]+\]/) == nil, "\(language) \(path): a text is missing")
                }
            }
        }
    }
}
