import Fluent
import Foundation
import PilarCore
import Vapor

/// One meeting of the signed-in user's region.
struct MeetingRecord {
    let meeting: Meeting
    let region: Region

    /// Loads the meeting of the route's `id` if the user may read meetings; 404 when it is not the region's.
    static func load(_ req: Request) async throws -> MeetingRecord {
        try req.authorize(.readMeetings)
        let region = try await req.currentRegion()
        guard let id = req.parameters.get("id", as: UUID.self), let meeting = try await Meeting.find(id, on: req.db),
              meeting.$region.id == region.id else { throw Abort(.notFound) }
        return MeetingRecord(meeting: meeting, region: region)
    }
}
