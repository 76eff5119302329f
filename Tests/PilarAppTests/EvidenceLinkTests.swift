import Fluent
import Foundation
import Vapor
import Testing
import VaporTesting
@testable import PilarApp

@Suite("Evidence: web links to a document")
struct EvidenceLinkTests: EvidenceSteps {
    @Test func aLinkThatIsNotHTTPIsRefused() async throws {
        try await withPilar { app in
            // given
            let dlh = try await Browser.signedIn(app, Demo.dlh)
            try await dlh.get("/cycles/2022/indicators/QW.ENV")
            // when
            let r = try await dlh.post("/cycles/2022/indicators/QW.ENV/links", ["url": "javascript:alert(1)", "title": "x"])
            // then
            #expect(r.status == .unprocessableEntity)
            #expect(r.body.string.contains("diawali http:// atau https://"))
        }
    }

    @Test func aWebLinkIsShownOpeningWithoutReferrerOrFollow() async throws {
        try await withPilar { app in
            // given
            let dlh = try await Browser.signedIn(app, Demo.dlh)
            try await dlh.get("/cycles/2022/indicators/QW.ENV")
            // when
            let r = try await dlh.post("/cycles/2022/indicators/QW.ENV/links", ["url": "https://banksampah.kedirikota.go.id/data", "title": "Dasbor bank sampah"])
            // then
            #expect(r.status == .seeOther)
            let page = try await dlh.get("/cycles/2022/indicators/QW.ENV").body.string
            #expect(page.contains("href=\"https://banksampah.kedirikota.go.id/data\" rel=\"noopener noreferrer nofollow\""))
        }
    }

    @Test func aRefusedLinkKeepsWhatWasTyped() async throws {
        try await withPilar { app in
            // given
            let dlh = try await Browser.signedIn(app, Demo.dlh)
            try await dlh.get("/cycles/2022/indicators/QW.ENV")
            // when
            let link = try await dlh.post("/cycles/2022/indicators/QW.ENV/links", ["url": "ftp://x", "title": "Portal"])
            // then
            #expect(link.status == .unprocessableEntity)
            #expect(link.body.string.contains("value=\"ftp://x\""))
            #expect(try await Evidence.query(on: app.db).count() == 0)
        }
    }
}
