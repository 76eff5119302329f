import Testing
@testable import PilarCore

@Suite("Untrusted names, redirects, CSV cells and evidence versions")
struct SecurityRulesTests {
    @Test func servedNamesAreASafeStemAndTheVerifiedExtension() {
        #expect(SafeFileName.served(original: "laporan.html\u{0}.pdf", verifiedExtension: "pdf") == "laporan.html.pdf")
        #expect(SafeFileName.served(original: "surat\u{202E}fdp.exe", verifiedExtension: "pdf") == "suratfdp.pdf")
        #expect(SafeFileName.served(original: "../../etc/passwd", verifiedExtension: "txt") == "passwd.txt")
        #expect(SafeFileName.served(original: "C:\\Users\\budi\\SK Tim.docx", verifiedExtension: "docx") == "SK_Tim.docx")
        #expect(SafeFileName.served(original: "rekap;2022 \"final\".xlsx", verifiedExtension: "xlsx") == "rekap_2022_final.xlsx")
        #expect(SafeFileName.served(original: "\u{7F}\u{1B}", verifiedExtension: "png") == "berkas.png")
        let long = SafeFileName.served(original: String(repeating: "a", count: 300) + ".pdf", verifiedExtension: "pdf")
        #expect(long.count == 120)
        #expect(long.hasSuffix(".pdf"))
    }

    @Test func originalNamesLoseControlAndLayoutCharacters() {
        #expect(SafeFileName.cleanOriginal("a\u{0}b\u{9}c\u{200F}d\u{2066}e.pdf") == "abcde.pdf")
        #expect(SafeFileName.cleanOriginal("/tmp/x/laporan.pdf") == "laporan.pdf")
        #expect(SafeFileName.cleanOriginal(String(repeating: "n", count: 400) + ".pdf").hasSuffix(".pdf"))
        #expect(SafeFileName.cleanOriginal(String(repeating: "n", count: 400) + ".pdf").count == 255)
    }

    @Test func redirectsStayOnTheSite() {
        for bad in ["/\t/other-host/path", "//other", "/\\other", "\\\\other", "https://other", "javascript:alert(1)", "other",
                    "/\n/other", "/ /other", "/%2F/other", "/\u{7F}/x", "", "/\u{200E}/x"] {
            #expect(LocalRedirect.safe(bad) == "/", "\(bad)")
        }
        #expect(LocalRedirect.safe(nil) == "/")
        for good in ["/", "/dashboard", "/cycles/2022/indicators/QW.ENV?saved=1", "/actions?show=all&agency=DLH"] {
            #expect(LocalRedirect.safe(good) == good)
        }
    }

    @Test func csvCellsAreQuotedAndPrefixed() {
        #expect(CSVText.cell("Laporan;=1+1") == "\"Laporan;=1+1\"")
        #expect(CSVText.cell("=1+1") == "'=1+1")
        #expect(CSVText.cell("  @SUM(A1)") == "'  @SUM(A1)")
        #expect(CSVText.cell("\tx") == "\"'\tx\"")
        #expect(CSVText.cell("\r=1") == "\"'\r=1\"")
        #expect(CSVText.cell("-5") == "-5")
        #expect(CSVText.cell("-x") == "'-x")
        #expect(CSVText.cell("a\"b") == "\"a\"\"b\"")
        #expect(CSVText.cell("a,b") == "\"a,b\"")
        #expect(CSVText.cell("biasa") == "biasa")
    }

    @Test func aNewVersionBelongsToTheEvidencesAgencyWhileEveryIndicatorIsOpen() {
        let dlh = AccessPolicy.Actor(role: .agency, regionID: "r", agencyID: "dlh")
        let coordinator = AccessPolicy.Actor(role: .coordinator, regionID: "r", agencyID: "kominfo")
        let other = AccessPolicy.Actor(role: .coordinator, regionID: "r2", agencyID: "kominfo")
        let leader = AccessPolicy.Actor(role: .leader, regionID: "r", agencyID: nil)
        func decide(_ a: AccessPolicy.Actor, _ agency: String, _ s: [AssessmentStatus]) -> EvidenceRules.VersionDecision {
            EvidenceRules.newVersion(by: a, evidenceRegionID: "r", evidenceAgencyID: agency, attachedTo: s)
        }
        #expect(decide(dlh, "dlh", [.draft, .returned]) == .allowed)
        #expect(decide(dlh, "dlh", [.draft, .submitted]) == .locked)
        #expect(decide(dlh, "dinkes", [.draft]) == .notOwner)
        #expect(decide(coordinator, "dinkes", [.verified]) == .allowed)
        #expect(decide(other, "dinkes", [.draft]) == .notOwner)
        #expect(decide(leader, "dlh", [.draft]) == .notOwner)
    }
}
