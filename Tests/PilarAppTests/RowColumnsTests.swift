import Foundation
import Testing
@testable import PilarApp

@Suite("UUIDs read from text without sscanf")
struct RowColumnsTests {
    @Test func everyUUIDReadsBackAsFoundationReadsIt() {
        for _ in 0..<1_000 {
            let id = UUID()
            #expect(UUID(hexText: id.uuidString) == id)
            #expect(UUID(hexText: id.uuidString.lowercased()) == id)
        }
    }

    @Test func anythingElseIsNoUUID() {
        let good = "E621E1F8-C36C-495A-93FC-0C247A3E6E5F"
        for bad in ["", "E621E1F8C36C495A93FC0C247A3E6E5F", good + "0", String(good.dropLast()), "G621E1F8-C36C-495A-93FC-0C247A3E6E5F",
                    "E621E1F8-C36C-495A-93FC_0C247A3E6E5F", " " + good, "E621E1F8-C36C-495A-93FC-0C247A3E6E5Ä"] {
            #expect(UUID(hexText: bad) == nil, "\(bad)")
            #expect(UUID(uuidString: bad) == nil, "Foundation agrees about \(bad)")
        }
    }
}
