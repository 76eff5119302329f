import Fluent
import Foundation
import Vapor
import Testing
import VaporTesting
@testable import PilarApp

@Suite("Evidence: refused uploads say why and leave nothing behind")
struct EvidenceRefusalTests: EvidenceSteps {
    /// DLH, signed in, with uploads capped at 1 KiB.
    func dlhWithSmallCap(_ app: Application) async throws -> Browser {
        app.config.maxUploadBytes = 1024
        return try await Browser.signedIn(app, Demo.dlh)
    }

    /// No rows and no files: the temporary folder is empty too.
    func expectNothingLeftBehind(_ app: Application, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        #expect(try await Evidence.query(on: app.db).count() == 0, sourceLocation: sourceLocation)
        #expect(try await EvidenceVersion.query(on: app.db).count() == 0, sourceLocation: sourceLocation)
        #expect(blobFiles(app).isEmpty, sourceLocation: sourceLocation)
    }

    @Test func aFileLargerThanTheCapIsRefused() async throws {
        try await withPilar { app in
            // given
            let dlh = try await dlhWithSmallCap(app)
            // when
            let r = try await upload(dlh, bytes: Self.pdf + Array(repeating: 0x20, count: 2048))
            // then
            #expect(r.status == .payloadTooLarge)
            #expect(r.body.string.contains("lebih besar dari batas 0 MB") || r.body.string.contains("lebih besar dari batas"))
            try await expectNothingLeftBehind(app)
        }
    }

    @Test func aPNGCallingItselfAPDFIsRefused() async throws {
        try await withPilar { app in
            // given
            let dlh = try await dlhWithSmallCap(app)
            // when
            let r = try await upload(dlh, filename: "laporan.pdf", bytes: Self.png)
            // then
            #expect(r.status == .unprocessableEntity)
            #expect(r.body.string.contains("Isi berkas tidak sesuai dengan jenisnya (.pdf)"))
            try await expectNothingLeftBehind(app)
        }
    }

    @Test func aTypeThatIsNotAcceptedIsRefused() async throws {
        try await withPilar { app in
            // given
            let dlh = try await dlhWithSmallCap(app)
            // when
            let r = try await upload(dlh, filename: "skrip.exe", contentType: "application/octet-stream", bytes: [0x4D, 0x5A, 0x90, 0])
            // then
            #expect(r.status == .unprocessableEntity)
            #expect(r.body.string.contains("Jenis berkas ini tidak diterima"))
            try await expectNothingLeftBehind(app)
        }
    }

    @Test func anUploadCutOffInTheMiddleOfTheFileIsRefused() async throws {
        try await withPilar { app in
            // given
            let dlh = try await dlhWithSmallCap(app)
            // when
            let r = try await upload(dlh, bytes: Array(Self.pdf.prefix(20)), close: false)
            // then
            #expect(r.status == .badRequest)
            #expect(r.body.string.contains("Unggahan terputus"))
            try await expectNothingLeftBehind(app)
        }
    }

    @Test func anEmptyFileIsRefused() async throws {
        try await withPilar { app in
            // given
            let dlh = try await dlhWithSmallCap(app)
            // when
            let r = try await upload(dlh, bytes: [])
            // then
            #expect(r.status == .badRequest)
            #expect(r.body.string.contains("Pilih berkas yang tidak kosong."))
            try await expectNothingLeftBehind(app)
        }
    }

    @Test func aDateThatDoesNotExistIsRefused() async throws {
        try await withPilar { app in
            // given
            let dlh = try await dlhWithSmallCap(app)
            // when
            let r = try await upload(dlh, fields: [("title", "x"), ("document_date", "2022-02-30")])
            // then
            #expect(r.status == .unprocessableEntity)
            #expect(r.body.string.contains("Tanggal harus berbentuk"))
            try await expectNothingLeftBehind(app)
        }
    }

    @Test func aFormOfVeryManyFieldsIsRefused() async throws {
        try await withPilar { app in
            // given
            let dlh = try await dlhWithSmallCap(app)
            // when
            let r = try await upload(dlh, fields: (0..<300).map { ("f\($0)", "x") })
            // then
            #expect(r.status == .badRequest)
            #expect(r.body.string.contains("Salah satu isian terlalu panjang."))
            try await expectNothingLeftBehind(app)
        }
    }

    @Test func aDamagedFormWithNoLineBreakAfterADelimiterIsRefused() async throws {
        try await withPilar { app in
            // given
            let dlh = try await dlhWithSmallCap(app)
            // when
            let r = try await upload(dlh, fields: [("title\"\r\n\r\nx\r\n--pilarBoundary7MA4YWxkZZ", "x")])
            // then
            #expect(r.status == .badRequest)
            #expect(r.body.string.contains("isi formulir multipart rusak"))
            try await expectNothingLeftBehind(app)
        }
    }

    @Test func aRefusedUploadKeepsWhatWasTyped() async throws {
        try await withPilar { app in
            // given
            let dlh = try await Browser.signedIn(app, Demo.dlh)
            // when: a month that does not exist
            let refused = try await upload(dlh, fields: [("title", "Laporan <triwulan> III"), ("document_date", "2022-13-01"),
                                                         ("note", "catatan saya"), ("supports_level", "3")])
            // then: the form comes back with the values, escaped, and nothing is stored
            #expect(refused.status == .unprocessableEntity)
            let html = refused.body.string
            #expect(html.contains("value=\"Laporan &lt;triwulan&gt; III\""))
            #expect(html.contains("value=\"2022-13-01\""))
            #expect(html.contains("value=\"catatan saya\""))
            #expect(html.contains("<option value=\"3\" selected>"))
            #expect(try await Evidence.query(on: app.db).count() == 0)
        }
    }
}
