import Fluent
import Foundation
import PilarCore
import Vapor

/// `/meetings`: the region's coordination meetings, newest first, with the coordinator's form for a new one.
enum MeetingsPage {
    struct Row: Encodable {
        var link: String
        var title: String
        var date: String
        var place: String?
        var decisions: Int
    }

    typealias Check = Setup.Check

    struct Context: Encodable {
        var page: PageChrome
        var rows: [Row]
        var canCreate: Bool
        var form: MeetingController.Form
        var errors: [String: String]
        var invited: [Check]
        var present: [Check]
        /// Where the new-meeting form is sent.
        var action: String
    }

    static func build(_ req: Request, form: MeetingController.Form = .init(), errors: [String: String] = [:])
        async throws -> Context
    {
        try req.authorize(.readMeetings)
        let t = req.t
        let region = try await req.currentRegion()
        let meetings = try await Meeting.query(on: req.db).filter(\.$region.$id == region.requireID())
            .sort(\.$heldOn, .descending).all()
        let ids = meetings.compactMap(\.id)
        let decisions = ids.isEmpty ? [] : try await MeetingDecision.query(on: req.db).filter(\.$meeting.$id ~~ ids).all()
        let agencies = try await Setup.agencies(req, region: region)
        let invited = Set(form.invited ?? []), present = Set(form.present ?? [])
        return Context(
            page: PageChrome(request: req, title: t["meetings_title"]),
            rows: meetings.compactMap { m in
                m.id.map { id in
                    Row(link: SiteURL.meeting(id: id).path, title: m.title,
                        date: [Format.date(m.heldOn, t), m.startsAt].compactMap { $0 }.joined(separator: " "),
                        place: m.place, decisions: decisions.filter { $0.$meeting.id == id }.count)
                }
            },
            canCreate: AccessPolicy.allows(try req.actor(), .manageMeetings), form: form, errors: errors,
            invited: checks(agencies, checked: invited), present: checks(agencies, checked: present),
            action: SiteURL.meetings.path)
    }

    /// One box per agency of the region, by code; those in `checked` ticked.
    static func checks(_ agencies: [Setup.AgencyRow], checked: Set<String>) -> [Check] {
        agencies.compactMap { a in
            a.id.map { Check(value: $0.uuidString, label: a.code, checked: checked.contains($0.uuidString)) }
        }
    }
}
