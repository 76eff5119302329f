import Testing
@testable import PilarCore

@Suite("The permission table")
struct AccessPolicyTests {
    let region = "r1"
    func actor(_ role: Role, agency: String? = nil, region: String = "r1") -> AccessPolicy.Actor {
        .init(role: role, regionID: region, agencyID: agency)
    }

    @Test func everyRoleAndPermissionIsDecided() {
        // The whole table, as a reader would check it against the role descriptions.
        let expected: [Role: Set<Permission>] = [
            .admin: [.readCycles, .manageRegion, .manageUsers],
            .coordinator: [.readCycles, .readSelfLayer, .readIndicator, .editSelfAssessment, .verify, .recordOfficial,
                           .manageCycles, .manageRegion, .manageUsers, .readProgrammes, .editProgramme, .manageProgrammes,
                           .readActions, .editAction, .manageActions, .readMeetings, .manageMeetings,
                           .readRecommendations, .followUpRecommendation, .manageRecommendations,
                           .readDashboard, .exportCycle],
            .agency: [.readCycles, .readSelfLayer, .readIndicator, .editSelfAssessment, .readProgrammes, .editProgramme,
                      .readActions, .editAction, .readMeetings, .readRecommendations, .followUpRecommendation],
            .leader: [.readCycles, .readSelfLayer, .readIndicator, .readProgrammes, .readActions, .readMeetings,
                      .readRecommendations, .readDashboard, .exportCycle],
            .assessor: [.readCycles, .readIndicator, .recordOfficial, .readProgrammes, .readRecommendations],
            .operator: [.manageInstallation],
            .reviewer: [.compareRegions, .readCycles, .readSelfLayer, .readIndicator, .readProgrammes, .readActions,
                        .readMeetings, .readRecommendations, .readDashboard, .exportCycle],
        ]
        for role in Role.allCases {
            for permission in Permission.allCases {
                #expect(AccessPolicy.allows(actor(role), permission) == expected[role]!.contains(permission),
                        "\(role) \(permission)")
            }
        }
    }

    @Test func anActorWithoutARegionReachesNoResource() {
        for role in Role.allCases {
            for permission in Permission.allCases {
                #expect(!AccessPolicy.allows(actor(role, region: ""), permission, on: .init(regionID: "")))
            }
        }
    }

    @Test(arguments: [Role.leader, .reviewer, .operator]) func readersChangeNothing(_ role: Role) {
        let writes: [Permission] = [.editSelfAssessment, .verify, .recordOfficial, .manageCycles, .manageRegion, .manageUsers,
                                    .editProgramme, .manageProgrammes, .editAction, .manageActions, .manageMeetings,
                                    .followUpRecommendation, .manageRecommendations]
        for permission in writes {
            #expect(!AccessPolicy.allows(actor(role), permission, on: .init(regionID: region)))
        }
    }

    @Test func agencyOnlyOwnIndicators() {
        let own = AccessPolicy.Resource(regionID: region, agencyIDs: ["dinkes", "bappeda"])
        let other = AccessPolicy.Resource(regionID: region, agencyIDs: ["dlh"])
        #expect(AccessPolicy.allows(actor(.agency, agency: "dinkes"), .editSelfAssessment, on: own))
        #expect(AccessPolicy.allows(actor(.agency, agency: "dinkes"), .readIndicator, on: own))
        #expect(!AccessPolicy.allows(actor(.agency, agency: "dinkes"), .readIndicator, on: other))
        #expect(!AccessPolicy.allows(actor(.agency, agency: nil), .readIndicator, on: own))
    }

    @Test func assessorReadsOnlySubmitted() {
        #expect(AccessPolicy.allows(actor(.assessor), .readIndicator, on: .init(regionID: region, submitted: true)))
        #expect(!AccessPolicy.allows(actor(.assessor), .readIndicator, on: .init(regionID: region, submitted: false)))
    }

    @Test func anotherRegionIsAlwaysRefused() {
        let elsewhere = AccessPolicy.Resource(regionID: "r2", agencyIDs: ["dinkes"], submitted: true)
        for role in Role.allCases {
            for permission in Permission.allCases {
                #expect(!AccessPolicy.allows(actor(role, agency: "dinkes"), permission, on: elsewhere))
            }
        }
    }
}
