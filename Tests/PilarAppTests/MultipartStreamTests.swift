import NIOCore
import Testing

@testable import PilarApp

@Suite("The streaming multipart parser")
struct MultipartStreamTests {
    struct Part: Equatable {
        var headers: [String: String]
        var body: [UInt8]
    }

    /// Feeds `body` cut into the given pieces and collects the parts.
    func parse(_ body: [UInt8], boundary: String, cuts: [Int]) throws -> (parts: [Part], finished: Bool) {
        let parser = MultipartStream(boundary: boundary)
        var parts: [Part] = []
        var current = Part(headers: [:], body: [])
        parser.onHeader = { current.headers[$0.lowercased()] = $1 }
        parser.onBody = { current.body += $0.readableBytesView }
        parser.onPartComplete = {
            parts.append(current)
            current = Part(headers: [:], body: [])
        }
        var start = 0
        for cut in cuts + [body.count] where cut > start {
            try parser.execute(ByteBuffer(bytes: body[start..<cut]))
            start = cut
        }
        return (parts, parser.finished)
    }

    static let boundary = "----PilarBoundary7MA4YWxkTrZu0gW"
    /// A file whose bytes look like the start of a delimiter more than once.
    static let file: [UInt8] = Array("%PDF-1.7\r\n--\r\n------PilarBound\r\n\r\n".utf8) + (0..<600).map { UInt8($0 % 256) }
        + Array("\r\n------PilarBoundary7MA4YWxkTrZu0g".utf8) + [0x0D]

    static var body: [UInt8] {
        let b = boundary
        var out = Array("preamble to ignore\r\n--\(b)\r\n".utf8)
        out += Array("Content-Disposition: form-data; name=\"title\"\r\n\r\nSK Walikota\r\n--\(b)\r\n".utf8)
        out += Array("Content-Disposition: form-data; name=\"file\"; filename=\"sk.pdf\"\r\nContent-Type: application/pdf\r\n\r\n".utf8)
        out += file
        out += Array("\r\n--\(b)\r\n\r\nno headers\r\n--\(b)--\r\nepilogue".utf8)
        return out
    }

    static let expected = [
        Part(headers: ["content-disposition": "form-data; name=\"title\""], body: Array("SK Walikota".utf8)),
        Part(headers: ["content-disposition": "form-data; name=\"file\"; filename=\"sk.pdf\"", "content-type": "application/pdf"],
             body: file),
        Part(headers: [:], body: Array("no headers".utf8)),
    ]

    @Test func everyWayOfCuttingTheBodyGivesTheSameParts() throws {
        let body = Self.body
        #expect(try parse(body, boundary: Self.boundary, cuts: []) == (Self.expected, true))
        // one byte at a time, and every single cut point
        let bytewise = try parse(body, boundary: Self.boundary, cuts: Array(1..<body.count))
        #expect(bytewise.parts == Self.expected && bytewise.finished)
        for cut in 1..<body.count {
            let result = try parse(body, boundary: Self.boundary, cuts: [cut])
            #expect(result.parts == Self.expected && result.finished, "cut at \(cut)")
        }
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            let cuts = (0..<Int.random(in: 1...12, using: &generator)).map { _ in Int.random(in: 1..<body.count, using: &generator) }.sorted()
            let result = try parse(body, boundary: Self.boundary, cuts: cuts)
            #expect(result.parts == Self.expected && result.finished, "cuts \(cuts)")
        }
    }

    @Test func aBodyCutOffIsNotFinished() throws {
        let body = Self.body
        let end = body.count - "--\r\nepilogue".count
        for length in stride(from: 0, to: end, by: 7) {
            #expect(try parse(Array(body[..<length]), boundary: Self.boundary, cuts: []).finished == false, "length \(length)")
        }
    }

    @Test func damagedFormsAreRefused() throws {
        let b = Self.boundary
        for text in [
            "--\(b)XX\r\n\r\nbody\r\n--\(b)--",  // neither CRLF nor -- after a delimiter
            "--\(b)\r\nno colon here\r\n\r\nbody\r\n--\(b)--",  // a header line without a colon
            "--\(b)\r\nX-Long: " + String(repeating: "a", count: 20_000) + "\r\n\r\nbody\r\n--\(b)--",
        ] {
            #expect(throws: MultipartStream.Failure.malformed) { try parse(Array(text.utf8), boundary: b, cuts: [3, 50]) }
        }
    }
}
