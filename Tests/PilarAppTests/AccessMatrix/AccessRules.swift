import Foundation
import PilarCore
@testable import PilarApp

/// Who asks in the matrix: nobody, each role of region K (two agencies), and region L's coordinator
/// and agency (another region with its own cycle, programmes, evidence and actions).
struct MatrixActor: Sendable {
    var name: String
    var credentials: (String, String)?
    var regionKey: String?
    var role: Role?
    var agencyCode: String?
    /// The region a reviewer opens after signing in.
    var opens: String? = nil

    static let all: [MatrixActor] = [
        .init(name: "anonymous", credentials: nil, regionKey: nil, role: nil, agencyCode: nil),
        .init(name: "K.admin", credentials: Demo.admin, regionKey: "k", role: .admin, agencyCode: "DISKOMINFO"),
        .init(name: "K.coordinator", credentials: Demo.coordinator, regionKey: "k", role: .coordinator, agencyCode: "DISKOMINFO"),
        .init(name: "K.dlh", credentials: Demo.dlh, regionKey: "k", role: .agency, agencyCode: "DLH"),
        .init(name: "K.dinkes", credentials: Demo.dinkes, regionKey: "k", role: .agency, agencyCode: "DINKES"),
        .init(name: "K.leader", credentials: Demo.leader, regionKey: "k", role: .leader, agencyCode: nil),
        .init(name: "K.assessor", credentials: Demo.assessor, regionKey: "k", role: .assessor, agencyCode: nil),
        .init(name: "L.coordinator", credentials: ("kembar.kominfo", "demo-kominfo-2022"), regionKey: "l", role: .coordinator,
              agencyCode: "DISKOMINFO"),
        .init(name: "L.dlh", credentials: ("kembar.dlh", "demo-dlh-2022"), regionKey: "l", role: .agency, agencyCode: "DLH"),
        .init(name: "operator", credentials: AccessWorld.operatorCredentials, regionKey: nil, role: .operator, agencyCode: nil),
        .init(name: "K.reviewer", credentials: AccessWorld.reviewerCredentials, regionKey: "k", role: .reviewer, agencyCode: nil,
              opens: "kota-kediri"),
    ]

    func policy(_ world: AccessWorld) -> AccessPolicy.Actor? {
        if role == .operator { return AccessPolicy.Actor(role: .operator, regionID: "", agencyID: nil) }
        guard let role, let region = regionKey.map({ world.region($0) }) else { return nil }
        return AccessPolicy.Actor(role: role, regionID: region.id, agencyID: agencyCode.flatMap { region.agencies[$0] })
    }
}

/// What a cell should answer.
enum Expect: String {
    /// Let through: any answer but 401, 403, 404 or a redirect to sign-in (a GET: a 2xx or 3xx).
    case allowed
    /// Refused for who is asking: 401, 403, 404 or a redirect to sign-in; nothing changes.
    case forbidden
    /// Permitted, but the thing is locked in its state (submitted, verified): 409 or 422; nothing changes.
    case locked
}

/// One thing a route's parameters can name, with what the permission table needs to know about it.
struct Target {
    var name: String
    var params: [String: String]
    /// "k" or "l" for things named by id; nil when the URL is resolved in the asker's own region.
    var regionKey: String?
    /// Agencies that own it (lead and contributors; a programme's owner; an action's assignee).
    var owners: [String] = []
    /// An indicator's state.
    var status: AssessmentStatus?
    /// Evidence: its agency, and the indicators (code → owners, state) it backs.
    var evidenceAgency: String?
    var attached: [(code: String, owners: [String], status: AssessmentStatus)] = []
    /// A user named by the URL is an admin.
    var isAdmin = false

    func region(for actor: MatrixActor, in world: AccessWorld) -> AccessWorld.Region? {
        guard let key = regionKey ?? actor.regionKey else { return nil }
        return world.region(key)
    }

    func resource(for actor: MatrixActor, in world: AccessWorld) -> AccessPolicy.Resource {
        guard let region = region(for: actor, in: world) else { return AccessPolicy.Resource(regionID: "none") }
        return AccessPolicy.Resource(regionID: region.id, agencyIDs: Set(owners.compactMap { region.agencies[$0] }),
                                     submitted: status?.isSubmitted ?? false)
    }
}

/// The expected answer of a cell: a function of the asker and the target, built from `AccessPolicy`
/// (the permission table), `AssessmentStatus` and `EvidenceRules` in PilarCore.
typealias Rule = @Sendable (MatrixActor, Target, AccessWorld) -> Expect

enum Rules {
    static let anyone: Rule = { _, _, _ in .allowed }
    static let signedIn: Rule = { actor, _, _ in actor.role == nil ? .forbidden : .allowed }

    /// The role holds the permission at all.
    static func role(_ permission: Permission) -> Rule {
        { actor, _, world in
            guard let policy = actor.policy(world) else { return .forbidden }
            return AccessPolicy.allows(policy, permission) ? .allowed : .forbidden
        }
    }

    /// The permission on the target (its region, its owning agencies, its state).
    static func on(_ permission: Permission) -> Rule {
        { actor, target, world in
            guard let policy = actor.policy(world) else { return .forbidden }
            return AccessPolicy.allows(policy, permission, on: target.resource(for: actor, in: world)) ? .allowed : .forbidden
        }
    }

    /// Changing an indicator's answer or its evidence: the permission, then the state lock for agencies.
    static func changeIndicator(lock: Bool = true) -> Rule {
        { actor, target, world in
            guard on(.editSelfAssessment)(actor, target, world) == .allowed else { return .forbidden }
            if lock, actor.role != .coordinator, let status = target.status, !status.isOpenForAgency { return .locked }
            return .allowed
        }
    }

    /// Opening a region read-only: a reviewer, for a region the operator gave it (K only).
    static let openRegion: Rule = { actor, target, _ in
        actor.role == .reviewer && target.regionKey == "k" ? .allowed : .forbidden
    }

    /// A user named by the URL: the permission in its region, and only an admin touches an admin.
    static let changeUser: Rule = { actor, target, world in
        guard on(.manageUsers)(actor, target, world) == .allowed else { return .forbidden }
        return target.isAdmin && actor.role != .admin ? .forbidden : .allowed
    }

    /// `EvidenceAccess.canRead`: the evidence's own agency, those who read every indicator, or a
    /// reader of one of the indicators it backs — in its own region only.
    static let readEvidence: Rule = { actor, target, world in
        guard let policy = actor.policy(world), let region = target.region(for: actor, in: world),
              region.id == policy.regionID else { return .forbidden }
        if let agency = target.evidenceAgency, region.agencies[agency] == policy.agencyID,
           AccessPolicy.allows(policy, .editSelfAssessment) { return .allowed }
        if AccessPolicy.scope(policy.role, .readIndicator) == .region { return .allowed }
        for link in target.attached {
            let resource = AccessPolicy.Resource(regionID: region.id, agencyIDs: Set(link.owners.compactMap { region.agencies[$0] }),
                                                 submitted: link.status.isSubmitted)
            if AccessPolicy.allows(policy, .readIndicator, on: resource) { return .allowed }
        }
        return .forbidden
    }

    /// A new version of a file through an indicator: changing that indicator, the evidence backing it
    /// in the asker's region, then — written out here rather than asked of `EvidenceRules` — the
    /// coordinator may; an agency only for its own evidence, and only while every indicator it backs is open.
    static let newVersion: Rule = { actor, target, world in
        let indicator = Target(name: target.name, params: [:], regionKey: nil,
                               owners: target.owners, status: target.status)
        let change = changeIndicator()(actor, indicator, world)
        guard change == .allowed else { return change }
        guard let policy = actor.policy(world), let region = target.region(for: actor, in: world), region.id == policy.regionID,
              target.attached.contains(where: { $0.code == target.params["code"] }) else { return .forbidden }
        if actor.role == .coordinator { return .allowed }
        guard actor.role == .agency, actor.agencyCode == target.evidenceAgency else { return .forbidden }
        return target.attached.allSatisfy { [.notStarted, .draft, .returned].contains($0.status) } ? .allowed : .locked
    }
}

extension AccessWorld {
    func region(_ key: String) -> Region { key == "l" ? l : k }
}
