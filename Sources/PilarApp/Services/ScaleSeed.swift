import Fluent
import Foundation
import PilarCore
import Vapor

/// `pilar seed-demo --scale N`: a large invented region for measuring speed, beside the demo city.
/// Region `skala-N` ("Kota Skala N") with a synthetic instrument of N×100 indicators, N×20
/// agencies, N×2,000 evidence records (one file of 32 KiB per indicator, the rest links),
/// N×500 action items, cycles 2019–2022 with official indices, and one user per role.
/// Deterministic (a fixed pseudo-random sequence), written in batches inside one transaction.
enum ScaleSeed {
    struct LCG {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(bound))
        }
    }

    static func regionCode(_ scale: Int) -> String { "skala-\(scale)" }
    static func password(_ role: Role) -> String { "skala-\(role.rawValue)-2022" }
    static func username(_ scale: Int, _ role: Role) -> String { "skala\(scale).\(role.rawValue)" }

    /// The synthetic instrument: five dimensions weighted 10/20/30/20/20, each with 4·N groups of
    /// five indicators tagged with the six pillars in turn.
    static func instrumentYAML(scale: Int) -> String {
        let dimensions = [("BL", "Baseline", 10), ("OP", "Output", 20), ("OC", "Outcome", 30), ("IM", "Impact", 20), ("QW", "Quick Win", 20)]
        var y = """
            id: pilar-scale-\(scale)
            title: "Instrumen skala \(scale) (sintetis, untuk pengukuran kecepatan)"
            authority: "Pilar (sintetis)"
            edition: "2022 (skala \(scale))"
            year: 2022
            model: true
            scale:
              min: 1
              max: 5
              levels:
            \((1...5).map { "    - level: \($0)\n      name: \"Tingkat \($0)\"" }.joined(separator: "\n"))
            predicates:
              - name: "Kurang"
                min: 0
                max: 1.8
              - name: "Cukup"
                min: 1.8
                max: 2.6
              - name: "Baik"
                min: 2.6
                max: 3.5
              - name: "Sangat Baik"
                min: 3.5
                max: 4.2
              - name: "Memuaskan"
                min: 4.2
            rounding:
              digits: 2
              mode: half-up
            groups:

            """
        var n = 0
        for (code, title, weight) in dimensions {
            y += "  - code: \"\(code)\"\n    title: \"\(title)\"\n    weight: \(weight)\n    children:\n"
            for g in 1...(4 * scale) {
                y += "      - code: \"\(code).\(g)\"\n        title: \"Aspek \(code).\(g)\"\n        weight: 1\n        children:\n"
                for i in 1...5 {
                    let pillar = SmartCityPillar.all[n % 6].code
                    n += 1
                    y += "          - code: \"\(code).\(g).\(i)\"\n            title: \"Indikator \(code).\(g).\(i)\"\n"
                    y += "            weight: \(1 + (n % 3))\n            pillar: \(pillar)\n            rubric:\n"
                    for level in 1...5 {
                        y += "              - level: \(level)\n                criteria: \"Kriteria tingkat \(level).\"\n                evidence: \"Bukti tingkat \(level).\"\n"
                    }
                }
            }
        }
        return y
    }

    static func load(_ app: Application, scale: Int) async throws -> [String] {
        let db = app.db
        let code = regionCode(scale)
        if try await Region.query(on: db).filter(\.$code == code).first() != nil {
            return ["Region '\(code)' is loaded already; nothing changed."]
        }
        let outcome = try await InstrumentLibrary.importInstrument(instrumentYAML(scale: scale), on: db, now: app.now)
        guard case .imported = outcome else { throw Abort(.internalServerError, reason: "instrument pilar-scale-\(scale) exists already") }
        guard let version = try await InstrumentVersion.query(on: db).filter(\.$key == "pilar-scale-\(scale)").first() else {
            throw Abort(.internalServerError, reason: "instrument pilar-scale-\(scale) was not stored")
        }
        let compiled = try app.instruments.compiled(version)
        let roles: [Role] = [.coordinator, .leader, .agency, .assessor]
        var hashes: [String] = []
        for role in roles {
            hashes.append(try await app.password.async(on: app.threadPool, hopTo: db.eventLoop).hash(password(role)).get())
        }
        let hashesDone = hashes
        // Evidence files first, outside the transaction: content-addressed, so a rerun reuses them.
        let store = app.blobStore
        var rng = LCG(state: UInt64(2022 + scale))
        var files: [(sha: String, size: Int)] = []
        for i in 0..<compiled.indicatorCodes.count {
            var bytes = Array("%PDF-1.4\n% Pilar skala \(scale) bukti \(i)\n".utf8)
            while bytes.count < 32 * 1024 { bytes.append(UInt8(truncatingIfNeeded: rng.next(256))) }
            bytes += Array("\n%%EOF\n".utf8)
            let data = Data(bytes)
            let sha = SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
            try await store.put(data, sha256: sha)
            files.append((sha, data.count))
        }
        let fileList = files
        let seed = rng
        let region = Region(code: code, name: "Kota Skala \(scale)", kind: "kota", province: "Jawa Timur",
                            ministryName: "Kementerian Komunikasi dan Informatika",
                            letterheadGovernment: "PEMERINTAH KOTA SKALA \(scale)", letterheadAgency: "DINAS KOMUNIKASI DAN INFORMATIKA",
                            letterheadAddress: "Alamat sintetis", isDemo: true, usernamePrefix: "skala\(scale)")
        let versionID = try version.requireID()
        region.id = UUID()
        try await db.writeTransaction(region: region.requireID()) { tx in
            var rng = seed
            try await region.create(on: tx)
            let regionID = try region.requireID()
            var agencies: [Agency] = []
            for i in 0..<(20 * scale) {
                agencies.append(Agency(regionID: regionID, code: i == 0 ? "DISKOMINFO" : String(format: "OPD%03d", i),
                                       name: i == 0 ? "Dinas Komunikasi dan Informatika" : "Perangkat Daerah \(i)",
                                       headTitle: "Kepala", isCoordinator: i == 0))
            }
            try await batches(agencies, on: tx)
            let agencyIDs = try agencies.map { try $0.requireID() }
            for (i, role) in roles.enumerated() {
                try await User(regionID: regionID, agencyID: role == .agency || role == .coordinator ? agencyIDs[role == .agency ? 1 : 0] : nil,
                               username: username(scale, role), displayName: "\(role.rawValue.capitalized) skala \(scale)", role: role,
                               passwordHash: hashesDone[i], isDemo: true).create(on: tx)
            }
            for (year, index) in [(2019, 2.61), (2020, 2.87), (2021, 3.06)] {
                let past = Cycle(regionID: regionID, year: year, instrumentVersionID: versionID, targetIndex: nil, status: .closed,
                                 evaluationDate: nil, isDemo: true)
                past.officialPublic = true
                try await past.create(on: tx)
                try await OfficialResult(cycleID: past.requireID(), scope: .index, score: index).create(on: tx)
            }
            let cycle = Cycle(regionID: regionID, year: 2022, instrumentVersionID: versionID, targetIndex: 3.4,
                              status: .verification, evaluationDate: "2022-10-05", isDemo: true)
            try await cycle.create(on: tx)
            let cycleID = try cycle.requireID()
            for (i, stage) in [("self_assessment", "2022-07-01", "2022-09-23"), ("stage1", "2022-10-05", "2022-10-05"),
                               ("stage2", "2022-11-15", "2022-11-16")].enumerated() {
                try await CycleStage(cycleID: cycleID, position: i, kind: stage.0, name: stage.0, startsOn: stage.1, endsOn: stage.2).create(on: tx)
            }
            // Every indicator answered, most verified.
            let statuses: [Assessment.Status] = [.verified, .verified, .verified, .submitted, .draft, .returned, .notStarted]
            var assessments: [Assessment] = []
            for (i, code) in compiled.indicatorCodes.enumerated() {
                let a = Assessment(cycleID: cycleID, indicatorCode: code, leadAgencyID: agencyIDs[i % agencyIDs.count])
                let status = statuses[rng.next(statuses.count)]
                a.targetLevel = Double(3 + rng.next(3))
                if status != .notStarted { a.selfLevel = Double(2 + rng.next(4)); a.justification = "Jawaban sintetis \(code)." }
                if status == .verified { a.verifiedLevel = max(1, (a.selfLevel ?? 3) - Double(rng.next(2))) }
                a.status = status
                a.revision = 1
                assessments.append(a)
            }
            try await batches(assessments, on: tx)
            // N×2,000 evidence records: one file per indicator, the rest links; each linked once.
            let creator = UUID()
            let now = app.now
            var evidence: [Evidence] = []
            var links: [(Int, Int)] = []
            for i in 0..<(2000 * scale) {
                let e = Evidence()
                e.$region.id = regionID
                let target = i < assessments.count ? i : rng.next(assessments.count)
                e.$agency.id = assessments[target].$leadAgency.id
                e.kind = i < fileList.count ? "file" : "link"
                e.title = "Bukti \(i + 1)"
                e.url = i < fileList.count ? nil : "https://data.example.org/bukti/\(i + 1)"
                e.documentDate = "2022-0\(1 + rng.next(8))-1\(rng.next(9))"
                e.expiresOn = rng.next(10) == 0 ? "2022-09-30" : nil
                e.createdBy = creator
                e.createdAt = now
                evidence.append(e)
                links.append((i, target))
            }
            try await batches(evidence, on: tx)
            var versions: [EvidenceVersion] = []
            for (i, file) in fileList.enumerated() {
                let v = EvidenceVersion()
                v.$evidence.id = try evidence[i].requireID()
                v.number = 1
                v.sha256 = file.sha
                v.originalName = "bukti-\(i + 1).pdf"
                v.contentType = "application/pdf"
                v.size = Int64(file.size)
                v.uploadedBy = creator
                v.uploadedAt = now
                versions.append(v)
            }
            try await batches(versions, on: tx)
            for (i, v) in versions.enumerated() {
                evidence[i].currentVersionID = try v.requireID()
                try await evidence[i].save(on: tx)
            }
            try await batches(try links.map { EvidenceLink(evidenceID: try evidence[$0.0].requireID(), assessmentID: try assessments[$0.1].requireID()) }, on: tx)
            // N×500 action items around the evaluation date, some overdue.
            var items: [ActionItem] = []
            let itemStatuses: [ActionItem.Status] = [.open, .open, .inProgress, .done, .cancelled]
            for i in 0..<(500 * scale) {
                let item = ActionItem(regionID: regionID, title: "Rencana aksi \(i + 1)", description: nil,
                                      assigneeID: agencyIDs[rng.next(agencyIDs.count)],
                                      dueOn: CalendarDate.adding(days: rng.next(120), to: "2022-08-01"), priority: .normal,
                                      createdBy: "seed-demo --scale \(scale)", at: now)
                item.status = itemStatuses[rng.next(itemStatuses.count)]
                item.$cycle.id = cycleID
                item.indicatorCode = compiled.indicatorCodes[rng.next(compiled.indicatorCodes.count)]
                items.append(item)
            }
            try await batches(items, on: tx)
        }
        var lines = ["Loaded region '\(code)' (Kota Skala \(scale)): \(compiled.indicatorCodes.count) indicators, \(20 * scale) agencies, "
            + "\(2000 * scale) evidence records (\(fileList.count) files), \(500 * scale) action items. Sign-ins:"]
        for role in roles { lines.append("  \(role.rawValue.padding(toLength: 12, withPad: " ", startingAt: 0)) \(username(scale, role)) / \(password(role))") }
        return lines
    }

    /// Inserts in batches of 200 rows (well inside both databases' limits on bound values).
    static func batches<M: Model>(_ models: [M], on db: any Database) async throws {
        var start = 0
        while start < models.count {
            let end = min(start + 200, models.count)
            try await Array(models[start..<end]).create(on: db)
            start = end
        }
    }
}
