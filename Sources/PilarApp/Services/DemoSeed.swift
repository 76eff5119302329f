import Fluent
import Foundation
import PilarCore
import SQLKit
import Vapor

/// The demo city: Kota Kediri's 2022 evaluation, with its real official indices of 2020 and 2021,
/// its target of 3.4 and its quick wins; levels are plausible, invented, and marked as demo.
/// Deterministic: the same records on SQLite and PostgreSQL, run after run.
enum DemoSeed {
    static let regionCode = "kota-kediri"
    static let modelInstrument = "pilar-model-smart-city-2021"

    /// A plausible time of an answer's last change in the 2022 cycle (09:00 WIB on the status's day,
    /// then 15 minutes apart in the demo's order): drafts in mid-September, submissions before the
    /// 23 September deadline, returns and verifications the week after.
    static func lastChange(_ status: Assessment.Status, position: Int) -> Date? {
        let day: TimeInterval
        switch status {
        case .notStarted: return nil
        case .draft: day = 1_662_948_000  // 2022-09-12
        case .submitted: day = 1_663_552_800  // 2022-09-19
        case .returned: day = 1_663_812_000  // 2022-09-22
        case .verified: day = 1_664_244_000  // 2022-09-27
        }
        return Date(timeIntervalSince1970: day + TimeInterval(position * 15 * 60))
    }

    struct Result {
        var region: Region
        var lines: [String]
    }

    /// (code, name, head's title, coordinator?)
    static let agencies: [(String, String, String, Bool)] = [
        ("DISKOMINFO", "Dinas Komunikasi dan Informatika", "Kepala Dinas Komunikasi dan Informatika", true),
        ("BAPPEDA", "Badan Perencanaan Pembangunan Daerah", "Kepala Bappeda", false),
        ("BAPENDA", "Badan Pendapatan Daerah", "Kepala Badan Pendapatan Daerah", false),
        ("DINKES", "Dinas Kesehatan", "Kepala Dinas Kesehatan", false),
        ("DLH", "Dinas Lingkungan Hidup, Kebersihan dan Pertamanan", "Kepala Dinas Lingkungan Hidup", false),
        ("DKUMTK", "Dinas Koperasi, Usaha Mikro dan Tenaga Kerja", "Kepala Dinas Koperasi, Usaha Mikro dan Tenaga Kerja", false),
        ("DISDIK", "Dinas Pendidikan", "Kepala Dinas Pendidikan", false),
        ("DISBUDPARPORA", "Dinas Kebudayaan, Pariwisata, Kepemudaan dan Olahraga", "Kepala Dinas Kebudayaan, Pariwisata, Kepemudaan dan Olahraga", false),
        ("DISHUB", "Dinas Perhubungan", "Kepala Dinas Perhubungan", false),
        ("DINSOS", "Dinas Sosial", "Kepala Dinas Sosial", false),
        ("DISPERDAGIN", "Dinas Perdagangan dan Perindustrian", "Kepala Dinas Perdagangan dan Perindustrian", false),
        ("DPMPTSP", "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", "Kepala DPMPTSP", false),
        ("DISPENDUKCAPIL", "Dinas Kependudukan dan Pencatatan Sipil", "Kepala Dinas Kependudukan dan Pencatatan Sipil", false),
        ("DPUPR", "Dinas Pekerjaan Umum dan Penataan Ruang", "Kepala Dinas Pekerjaan Umum dan Penataan Ruang", false),
        ("SATPOLPP", "Satuan Polisi Pamong Praja", "Kepala Satuan Polisi Pamong Praja", false),
        ("BAGORG", "Bagian Organisasi Sekretariat Daerah", "Kepala Bagian Organisasi", false),
    ]

    /// pillar code → (lead, supporting agencies)
    static let pillarOwners: [String: (String, [String])] = [
        "governance": ("DISKOMINFO", ["BAPENDA", "BAGORG", "DPMPTSP"]),
        "branding": ("DISBUDPARPORA", ["BAPPEDA", "DISPERDAGIN"]),
        "economy": ("DKUMTK", ["DISPERDAGIN", "BAPENDA"]),
        "living": ("DINKES", ["DISHUB", "DINSOS"]),
        "society": ("DISDIK", ["DISPENDUKCAPIL", "SATPOLPP"]),
        "environment": ("DLH", ["DPUPR"]),
    ]

    struct Answer {
        var code: String
        var lead: String
        var contributors: [String] = []
        var target: Double
        var selfLevel: Double?
        var verified: Double?
        var status: Assessment.Status
        var justification: String? = nil
        var note: String? = nil
    }

    static let answers: [Answer] = [
        .init(code: "BL.1", lead: "DISKOMINFO", target: 4, selfLevel: 3, verified: 3, status: .verified,
              justification: "Capaian seluruh pilar dibandingkan dengan hasil evaluasi 2021 (indeks 3,06)."),
        .init(code: "BL.2", lead: "DISKOMINFO", contributors: ["BAPPEDA"], target: 4, selfLevel: 4, verified: 3, status: .verified,
              justification: "Rekomendasi 2021 ditugaskan ke perangkat daerah dan dipantau dalam rapat koordinasi.",
              note: "Dua rekomendasi belum selesai; bukti tindak lanjut baru sebagian."),
        .init(code: "BL.3", lead: "BAPPEDA", target: 3, selfLevel: 3, verified: nil, status: .submitted,
              justification: "Data dasar enam pilar dimutakhirkan dari Satu Data Kota Kediri."),
        .init(code: "OP.1", lead: "BAPPEDA", target: 4, selfLevel: 4, verified: 4, status: .verified,
              justification: "Masterplan smart city ditetapkan dengan Perwali dan programnya masuk RKPD 2022."),
        .init(code: "OP.2", lead: "DISKOMINFO", target: 3, selfLevel: 3, verified: 3, status: .verified,
              justification: "SK Dewan Smart City; sidang Dewan dua kali setahun."),
        .init(code: "OP.3", lead: "DISKOMINFO", target: 4, selfLevel: 4, verified: 3, status: .verified,
              justification: "Tim Pelaksana aktif dengan rencana kerja tahunan.",
              note: "Tindak lanjut keputusan tim belum terdokumentasi di semua perangkat daerah."),
        .init(code: "OP.4", lead: "DISKOMINFO", target: 3, selfLevel: 3, verified: 2, status: .verified,
              justification: "Forum Smart City dibentuk dan bertemu pada 2022.",
              note: "Hanya satu pertemuan forum tercatat; belum sesuai rencana kerja."),
        .init(code: "OP.5", lead: "BAPPEDA", contributors: ["BAPENDA"], target: 3, selfLevel: 3, verified: nil, status: .submitted,
              justification: "Seluruh quick win dianggarkan dalam APBD 2022."),
        .init(code: "OC.GOV", lead: "DISKOMINFO", contributors: ["BAPENDA", "BAGORG"], target: 4, selfLevel: 4, verified: 3, status: .verified,
              justification: "Sebagian besar program pilar governance berjalan sesuai rencana."),
        .init(code: "OC.BRD", lead: "DISBUDPARPORA", target: 3, selfLevel: 3, verified: 3, status: .verified),
        .init(code: "OC.ECO", lead: "DKUMTK", target: 4, selfLevel: 4, verified: 3, status: .verified),
        .init(code: "OC.LIV", lead: "DINKES", target: 4, selfLevel: 4, verified: 4, status: .verified),
        .init(code: "OC.SOC", lead: "DISDIK", target: 3, selfLevel: 3, verified: 3, status: .verified),
        .init(code: "OC.ENV", lead: "DLH", target: 3, selfLevel: 4, verified: 3, status: .verified,
              note: "Capaian indikator program belum diukur untuk semua program."),
        .init(code: "IM.GOV", lead: "DISKOMINFO", target: 3, selfLevel: nil, verified: nil, status: .notStarted),
        .init(code: "IM.BRD", lead: "DISBUDPARPORA", target: 3, selfLevel: 3, verified: nil, status: .draft),
        .init(code: "IM.ECO", lead: "DKUMTK", target: 4, selfLevel: 3, verified: 3, status: .verified),
        .init(code: "IM.LIV", lead: "DINKES", target: 4, selfLevel: 4, verified: 4, status: .verified,
              justification: "Survei dampak Home Care: 78% responden merasakan manfaat."),
        .init(code: "IM.SOC", lead: "DISDIK", target: 3, selfLevel: nil, verified: nil, status: .notStarted),
        .init(code: "IM.ENV", lead: "DLH", target: 3, selfLevel: 3, verified: nil, status: .submitted),
        .init(code: "QW.GOV", lead: "BAPENDA", contributors: ["DISKOMINFO"], target: 4, selfLevel: 4, verified: 4, status: .verified,
              justification: "e-SPTPD: wajib pajak restoran, hotel dan parkir melapor pajak daerah secara daring."),
        .init(code: "QW.BRD", lead: "BAPPEDA", target: 3, selfLevel: 4, verified: 3, status: .verified,
              justification: "Prodamas Plus: hibah tahunan per RT, direncanakan dan dilaksanakan warga."),
        .init(code: "QW.ECO", lead: "DKUMTK", target: 4, selfLevel: 4, verified: 3, status: .verified,
              justification: "KURNIA: kredit usaha mikro berbunga 2% per tahun."),
        .init(code: "QW.LIV", lead: "DINKES", target: 4, selfLevel: 5, verified: 4, status: .verified,
              justification: "Home Care: layanan kesehatan di rumah bagi warga miskin dan ambulans gratis."),
        .init(code: "QW.SOC", lead: "DISDIK", target: 3, selfLevel: 4, verified: 3, status: .verified,
              justification: "English Massive (EMAS): kursus bahasa Inggris gratis di setiap kelurahan."),
        .init(code: "QW.ENV", lead: "DLH", target: 4, selfLevel: 3, verified: nil, status: .returned,
              justification: "Bank Sampah: jumlah bank sampah, bank sampah aktif, nasabah dan tonase.",
              note: "Lengkapi data tonase per bulan dan daftar bank sampah aktif."),
    ]

    /// (username, display name, role, agency code, password)
    static let users: [(String, String, Role, String?, String)] = [
        ("kediri.admin", "Admin Pilar Kota Kediri", .admin, "DISKOMINFO", "demo-admin-2022"),
        ("kediri.kominfo", "Koordinator Smart City (Diskominfo)", .coordinator, "DISKOMINFO", "demo-kominfo-2022"),
        ("kediri.dinkes", "Operator Dinas Kesehatan", .agency, "DINKES", "demo-dinkes-2022"),
        ("kediri.dlh", "Operator Dinas Lingkungan Hidup", .agency, "DLH", "demo-dlh-2022"),
        ("kediri.pimpinan", "Sekretaris Daerah (pimpinan)", .leader, nil, "demo-pimpinan-2022"),
        ("kediri.asesor", "Asesor Kementerian", .assessor, nil, "demo-asesor-2022"),
    ]

    /// Loads the demo city unless it is there already. `code`, `name` and `userPrefix` load the
    /// same city again under another region (the access tests' second region, `kembar.kominfo` …).
    static func load(_ app: Application, code regionCode: String = DemoSeed.regionCode, name cityName: String = "Kota Kediri",
                     userPrefix: String = "kediri") async throws -> Result {
        let db = app.db
        let users = Self.users.map { user in
            (user.0.replacingOccurrences(of: "kediri.", with: userPrefix + "."), user.1, user.2, user.3, user.4)
        }
        if let existing = try await Region.query(on: db).filter(\.$code == regionCode).first() {
            return Result(region: existing, lines: ["The demo region '\(regionCode)' is already loaded."])
        }
        guard let model = try await InstrumentVersion.query(on: db).filter(\.$key == modelInstrument).first() else {
            throw Accounts.Invalid(description: "the model instrument '\(modelInstrument)' is not imported; run from Pilar's folder so Instruments/ is found")
        }
        let modelID = try model.requireID()
        // Hash first (slow, off the event loop), then write everything in one transaction.
        var hashed: [String] = []
        for user in users {
            hashed.append(try await app.password.async(on: app.threadPool, hopTo: db.eventLoop).hash(user.4).get())
        }
        let hashes = hashed
        let region = Region(
            code: regionCode, name: cityName, kind: "kota", province: "Jawa Timur",
            ministryName: "Kementerian Komunikasi dan Informatika",
            letterheadGovernment: "PEMERINTAH KOTA KEDIRI",
            letterheadAgency: "DINAS KOMUNIKASI DAN INFORMATIKA",
            letterheadAddress: "Jl. Basuki Rahmad No. 15, Kediri, Jawa Timur (alamat demo)", isDemo: true)
        region.usernamePrefix = userPrefix
        try await db.transaction { tx in
            try await region.create(on: tx)
            let regionID = try region.requireID()
            var agencyIDs: [String: UUID] = [:]
            for (code, name, head, coordinator) in agencies {
                let agency = Agency(regionID: regionID, code: code, name: name, headTitle: head, isCoordinator: coordinator)
                try await agency.create(on: tx)
                agencyIDs[code] = try agency.requireID()
            }
            for (position, pillar) in SmartCityPillar.all.enumerated() {
                let owners = pillarOwners[pillar.code]
                let record = Pillar(regionID: regionID, code: pillar.code, name: pillar.nameID,
                                    leadAgencyID: owners.flatMap { agencyIDs[$0.0] }, position: position)
                try await record.create(on: tx)
                let pillarID = try record.requireID()
                for (i, element) in pillar.elements.enumerated() {
                    try await PillarElement(pillarID: pillarID, code: element.code, name: element.nameID, position: i).create(on: tx)
                }
                for code in owners?.1 ?? [] {
                    if let agencyID = agencyIDs[code] {
                        try await PillarSupport(pillarID: pillarID, agencyID: agencyID).create(on: tx)
                    }
                }
            }
            var pastIDs: [Int: UUID] = [:]
            for (year, index) in [(2020, 2.87), (2021, 3.06)] {
                let past = Cycle(regionID: regionID, year: year, instrumentVersionID: modelID, targetIndex: nil,
                                 status: .closed, evaluationDate: nil, isDemo: true)
                past.officialPublic = true
                try await past.create(on: tx)
                pastIDs[year] = try past.requireID()
                try await OfficialResult(cycleID: past.requireID(), scope: .index, score: index).create(on: tx)
            }
            let cycle = Cycle(regionID: regionID, year: 2022, instrumentVersionID: modelID, targetIndex: 3.4,
                              status: .selfAssessment, evaluationDate: "2022-10-05", isDemo: true)
            try await cycle.create(on: tx)
            let cycleID = try cycle.requireID()
            let stages: [(String, String, String?, String?)] = [
                ("self_assessment", "Penilaian mandiri dan unggah bukti dukung", "2022-07-01", "2022-09-23"),
                ("stage1", "Tahap I: paparan hasil dan tindak lanjut rekomendasi", "2022-10-05", "2022-10-05"),
                ("impact_survey", "Survei dampak kepada masyarakat", "2022-09-15", "2022-11-11"),
                ("stage2", "Tahap II: paparan quick win dan wawancara", "2022-11-15", "2022-11-16"),
                ("result_letter", "Surat hasil evaluasi", "2022-12-05", nil),
            ]
            for (i, stage) in stages.enumerated() {
                try await CycleStage(cycleID: cycleID, position: i, kind: stage.0, name: stage.1,
                                     startsOn: stage.2, endsOn: stage.3).create(on: tx)
            }
            for (position, answer) in answers.enumerated() {
                let a = Assessment(cycleID: cycleID, indicatorCode: answer.code, leadAgencyID: agencyIDs[answer.lead])
                a.targetLevel = answer.target
                a.selfLevel = answer.selfLevel
                a.verifiedLevel = answer.verified
                a.justification = answer.justification
                a.verifiedNote = answer.note
                a.status = answer.status
                a.revision = 1
                try await a.create(on: tx)
                // When the answer last moved, as in September 2022 (Fluent stamps the load time).
                if let sql = tx as? any SQLDatabase, let at = Self.lastChange(answer.status, position: position) {
                    try await sql.update(Assessment.schema).set("updated_at", to: at).where("id", .equal, a.requireID()).run()
                }
                for code in answer.contributors {
                    try await AssessmentContributor(assessmentID: a.requireID(), agencyID: agencyIDs[code]!).create(on: tx)
                }
            }
            try await DemoPlans.load(on: tx, regionID: regionID, agencyIDs: agencyIDs, lastYear: pastIDs[2021]!)
            for (user, hash) in zip(users, hashes) {
                let record = User(regionID: regionID, agencyID: user.3.flatMap { agencyIDs[$0] }, username: user.0,
                                  displayName: user.1, role: user.2, passwordHash: hash, isDemo: true)
                try await record.create(on: tx)
            }
        }
        var lines = ["Loaded the demo city \(cityName) (region '\(regionCode)', cycle 2022, target 3.4). Demo sign-ins:"]
        for user in users {
            lines.append("  \(user.2.rawValue.padding(toLength: 12, withPad: " ", startingAt: 0)) \(user.0) / \(user.4)")
        }
        return Result(region: region, lines: lines)
    }

    /// A province's worth of cities for the reviewers' comparison: `regions` copies of the demo city
    /// (`kota-contoh-01` …, users `contoh01.kominfo` …), each with a different share of its answers
    /// verified, and the reviewer `provinsi.peninjau` given all of them and the demo city.
    static func loadProvince(_ app: Application, regions: Int) async throws -> [String] {
        let db = app.db
        var ids: [UUID] = []
        for i in 1...regions {
            let n = String(format: "%02d", i)
            let result = try await load(app, code: "kota-contoh-\(n)", name: "Kota Contoh \(n)", userPrefix: "contoh\(n)")
            let regionID = try result.region.requireID()
            ids.append(regionID)
            // Each city a little different: some of its verified levels not set yet, one more level here and there.
            guard let sql = db as? any SQLDatabase,
                  let cycle = try await Cycle.query(on: db).filter(\.$region.$id == regionID).filter(\.$year == 2022).first() else { continue }
            let answers = try await Assessment.query(on: db).filter(\.$cycle.$id == cycle.requireID()).sort(\.$indicatorCode).all()
            for (k, answer) in answers.enumerated() where answer.verifiedLevel != nil {
                if k % 7 < i % 5 {
                    try await sql.update(Assessment.schema).set("verified_level", to: SQLLiteral.null)
                        .where("id", .equal, answer.requireID()).run()
                } else if (k + i) % 4 == 0, let level = answer.verifiedLevel, level < 5 {
                    try await sql.update(Assessment.schema).set("verified_level", to: level + 1)
                        .where("id", .equal, answer.requireID()).run()
                }
            }
        }
        if let kediri = try await Region.query(on: db).filter(\.$code == regionCode).first() { ids.append(try kediri.requireID()) }
        let username = "provinsi.peninjau", password = "demo-peninjau-2022"
        let reviewer: User
        if let existing = try await User.query(on: db).filter(\.$username == username).first() {
            reviewer = existing
        } else {
            reviewer = try await Accounts.create(app: app, on: db, region: nil, agency: nil, username: username,
                                                 displayName: "Diskominfo Provinsi (demo)", role: .reviewer, password: password, isDemo: true)
        }
        let granted = Set(try await ReviewerRegion.query(on: db).filter(\.$user.$id == reviewer.requireID()).all().map(\.$region.id))
        for id in ids where !granted.contains(id) { try await ReviewerRegion(userID: reviewer.requireID(), regionID: id).create(on: db) }
        return ["Loaded \(regions) copies of the demo city (kota-contoh-01 …). Reviewer: \(username) / \(password) (/regions)."]
    }
}
