import Foundation
@testable import PilarCore

enum Fixtures {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func instrumentText(_ name: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent("Instruments/\(name).yaml"), encoding: .utf8)
    }

    static func shipped(_ name: String) throws -> Instrument {
        try InstrumentParser.parse(try instrumentText(name))
    }

    /// Two groups: A (60) with a1 (w1) and a2 (w3); B (40) with b1 and b2 (w1 each, b2 may be N/A).
    static let small = Instrument(
        id: "small", title: "Small", authority: "test", edition: "1",
        scale: LevelScale(min: 1, max: 5, levels: (1...5).map { NamedLevel(level: $0, name: "L\($0)") }),
        predicates: [
            PredicateBand(name: "Low", min: 0, max: 3),
            PredicateBand(name: "High", min: 3),
        ],
        rounding: RoundingRule(digits: 2, mode: .halfUp),
        groups: [
            .group("A", "Group A", weight: 60, pillar: "governance", children: [
                .indicator("a1", weight: 1), .indicator("a2", weight: 3),
            ]),
            .group("B", "Group B", weight: 40, children: [
                .indicator("b1", weight: 1, pillar: "economy"), .indicator("b2", weight: 1, pillar: "economy", naAllowed: true),
            ]),
        ])
}
