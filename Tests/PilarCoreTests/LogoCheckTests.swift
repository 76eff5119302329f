import Foundation
import Testing
@testable import PilarCore

@Suite("A letterhead logo is judged by its bytes")
struct LogoCheckTests {
    static let png = [UInt8](Data(base64Encoded: "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==")!)
    static let svg = ##"<?xml version="1.0"?><!-- logo --><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><defs><linearGradient id="g"/></defs><rect width="10" height="10" fill="url(#g)"/><use href="#g"/></svg>"##

    @Test func aPNGAndAnInertSVGPass() {
        #expect(LogoCheck.check(Self.png) == .success(.png))
        #expect(LogoCheck.check(Array(Self.svg.utf8)) == .success(.svg))
    }

    @Test(arguments: [
        (#"<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>"#, "script"),
        (#"<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>"#, "script"),
        (#"<svg xmlns="http://www.w3.org/2000/svg"><a href="javascript:alert(1)"><rect/></a></svg>"#, "script"),
        (#"<svg xmlns="http://www.w3.org/2000/svg"><foreignObject><p>x</p></foreignObject></svg>"#, "script"),
        (#"<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]><svg>&x;</svg>"#, "script"),
        (#"<svg xmlns="http://www.w3.org/2000/svg"><image href="https://evil.example/x.png"/></svg>"#, "external"),
        (##"<svg xmlns="http://www.w3.org/2000/svg"><use xlink:href="other.svg#a"/></svg>"##, "external"),
        (#"<svg xmlns="http://www.w3.org/2000/svg"><rect style="fill:url(https://evil.example/p)"/></svg>"#, "external"),
        (#"<svg xmlns="http://www.w3.org/2000/svg"><style>@import "https://evil.example/a.css";</style></svg>"#, "external"),
    ])
    func aDangerousSVGIsRefused(_ svg: String, _ why: String) {
        switch LogoCheck.check(Array(svg.utf8)) {
        case .failure(.svgScript): #expect(why == "script", "\(svg)")
        case .failure(.svgExternal): #expect(why == "external", "\(svg)")
        case let other: Issue.record("\(svg) gave \(other)")
        }
    }

    @Test func otherFilesAreRefusedWhateverTheirName() {
        #expect(LogoCheck.check([]) == .failure(.empty))
        #expect(LogoCheck.check(Array("%PDF-1.4\n".utf8)) == .failure(.notAnImage))
        #expect(LogoCheck.check(Array("<html><svg></svg></html>".utf8)) == .failure(.notAnImage))
        #expect(LogoCheck.check(Array(Self.png.prefix(20))) == .failure(.badPNG))
        #expect(LogoCheck.check([UInt8](repeating: 0x20, count: LogoCheck.maxBytes + 1)) == .failure(.tooLarge))
    }
}
