import Fluent
import Foundation
import PilarCore

/// The six Smart City pillars with their three elements each (DOMAIN.md §2, `SmartCityPillar`),
/// which every region has from its start: the pillar-owners page, the programmes and the survey
/// are organised by them.
enum RegionPillars {
    /// Gives `region` the pillars and elements it lacks (none, or some, when it had a few); returns
    /// how many pillars were added. What a region already has is left as it is.
    @discardableResult
    static func ensure(region: UUID, on db: any Database) async throws -> Int {
        let existing = try await Pillar.query(on: db).filter(\.$region.$id == region).all()
        var added = 0
        for (position, pillar) in SmartCityPillar.all.enumerated() {
            let record: Pillar
            if let known = existing.first(where: { $0.code == pillar.code }) {
                record = known
            } else {
                record = Pillar(regionID: region, code: pillar.code, name: pillar.nameID, leadAgencyID: nil, position: position)
                try await record.create(on: db)
                added += 1
            }
            let pillarID = try record.requireID()
            let elements = try await PillarElement.query(on: db).filter(\.$pillar.$id == pillarID).all()
            for (i, element) in pillar.elements.enumerated() where !elements.contains(where: { $0.code == element.code }) {
                try await PillarElement(pillarID: pillarID, code: element.code, name: element.nameID, position: i).create(on: db)
            }
        }
        return added
    }
}
