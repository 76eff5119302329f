import Fluent
import Foundation

/// The demo city's programmes and the year around them: the six 2022 quick wins with KPIs and
/// monthly figures, the coordination meeting of 29 September 2022 with its decisions as action
/// items, and the ministry's 2021 recommendations with their follow-up. Deterministic.
enum DemoPlans {
    struct QuickWin: Sendable {
        var pillar: String
        var title: String
        var description: String
        var owner: String
        var supports: [String]
        var apbd: Int64
        var kpis: [KPISeries]
        var milestones: [(String, String, Bool)]
        var risk: (String, String, Int, Int, String)
        var progress: Int
    }

    /// A KPI with a January–December 2022 target line and realisations for January–September.
    struct KPISeries: Sendable {
        var name: String
        var unit: String
        var baseline: Double
        /// Target and realisation of month `m` (1…12).
        var target: @Sendable (Int) -> Double
        var actual: @Sendable (Int) -> Double
    }

    static let months = Array(1...12)
    /// Figures are in up to the month before the evaluation (5 October 2022).
    static let reported = Array(1...9)

    static let quickWins: [QuickWin] = [
        QuickWin(
            pillar: "governance", title: "e-SPTPD: pelaporan pajak daerah secara daring",
            description: "Wajib pajak hotel, restoran, hiburan dan parkir melaporkan SPTPD secara daring, tanpa datang ke kantor.",
            owner: "BAPENDA", supports: ["DISKOMINFO"], apbd: 450_000_000,
            kpis: [
                KPISeries(name: "SPTPD yang dilaporkan daring", unit: "%", baseline: 35,
                          target: { 38 + Double($0) * 3 }, actual: { 36 + Double($0) * 3 + Double($0 % 3) - 1 }),
                KPISeries(name: "Wajib pajak terdaftar e-SPTPD", unit: "WP", baseline: 420,
                          target: { 440 + Double($0) * 25 }, actual: { 436 + Double($0) * 27 }),
            ],
            milestones: [("Integrasi dengan aplikasi kasir restoran", "2022-06-30", true),
                         ("Sosialisasi kepada wajib pajak parkir", "2022-10-31", false)],
            risk: ("Wajib pajak kecil belum terbiasa melapor daring", "Literasi digital rendah", 2, 2,
                   "Pendampingan di kantor Bapenda dan video panduan"), progress: 70),
        QuickWin(
            pillar: "branding", title: "Prodamas Plus: pemberdayaan masyarakat per RT",
            description: "Dana per RT setiap tahun yang direncanakan dan dikerjakan sendiri oleh warga: infrastruktur, ekonomi, sosial budaya.",
            owner: "BAPPEDA", supports: ["DISBUDPARPORA"], apbd: 71_600_000_000,
            kpis: [
                KPISeries(name: "RT yang telah menerima dana", unit: "RT", baseline: 0,
                          target: { Double(min(1432, $0 * 130)) }, actual: { Double(min(1432, $0 * 124)) }),
            ],
            milestones: [("Musyawarah RT selesai", "2022-03-31", true), ("Pencairan tahap II", "2022-08-31", true),
                         ("Laporan pertanggungjawaban", "2022-12-20", false)],
            risk: ("Laporan pertanggungjawaban RT terlambat", "Pengurus RT berganti", 2, 3,
                   "Pendamping kelurahan dan format laporan sederhana"), progress: 75),
        QuickWin(
            pillar: "economy", title: "KURNIA: kredit usaha rakyat bunga ringan",
            description: "Kredit bunga 2 % per tahun untuk usaha mikro dan kecil, disalurkan bersama bank daerah.",
            owner: "DKUMTK", supports: ["DISPERDAGIN"], apbd: 5_000_000_000,
            kpis: [
                KPISeries(name: "Kredit tersalurkan (kumulatif)", unit: "juta Rp", baseline: 0,
                          target: { Double($0) * 400 }, actual: { Double($0) * 385 + Double($0 % 2) * 40 }),
                KPISeries(name: "Debitur UMKM (kumulatif)", unit: "UMKM", baseline: 0,
                          target: { Double($0) * 40 }, actual: { Double($0) * 38 }),
            ],
            milestones: [("Perjanjian kerja sama dengan bank daerah", "2022-02-28", true),
                         ("Evaluasi kredit macet semester I", "2022-07-31", true)],
            risk: ("Kredit macet", "Usaha debitur terdampak pandemi", 2, 2, "Pendampingan usaha dan restrukturisasi"),
            progress: 70),
        QuickWin(
            pillar: "living", title: "Home Care: layanan kesehatan di rumah",
            description: "Dokter dan perawat datang ke rumah warga miskin dan lansia; ambulans gratis 24 jam.",
            owner: "DINKES", supports: ["DINSOS"], apbd: 2_300_000_000,
            kpis: [
                KPISeries(name: "Kunjungan rumah per bulan", unit: "kunjungan", baseline: 180,
                          target: { _ in 250 }, actual: { 220 + Double(($0 * 17) % 60) }),
                KPISeries(name: "Layanan ambulans per bulan", unit: "layanan", baseline: 90,
                          target: { _ in 110 }, actual: { 95 + Double(($0 * 11) % 30) }),
            ],
            milestones: [("Penambahan dua armada ambulans", "2022-05-31", true)],
            risk: ("Petugas kurang saat kunjungan memuncak", "Jumlah tenaga kesehatan terbatas", 3, 2,
                   "Jadwal bergilir puskesmas"), progress: 80),
        QuickWin(
            pillar: "society", title: "English Massive (EMAS): kursus bahasa Inggris gratis",
            description: "Kursus bahasa Inggris gratis di setiap kelurahan untuk anak dan dewasa.",
            owner: "DISDIK", supports: [], apbd: 1_800_000_000,
            kpis: [
                KPISeries(name: "Peserta aktif", unit: "orang", baseline: 4_000,
                          target: { 4_200 + Double($0) * 50 }, actual: { 4_150 + Double($0) * 55 }),
            ],
            milestones: [("Rekrutmen tutor", "2022-01-31", true), ("Lomba pidato antarkelurahan", "2022-11-30", false)],
            risk: ("Peserta berhenti di tengah jalan", "Jadwal bentrok dengan sekolah", 2, 1, "Kelas sore dan akhir pekan"),
            progress: 75),
        QuickWin(
            pillar: "environment", title: "Bank Sampah: tabungan sampah warga",
            description: "Bank sampah di lingkungan warga: sampah terpilah ditabung dan ditukar uang atau sembako.",
            owner: "DLH", supports: ["DPUPR"], apbd: 650_000_000,
            kpis: [
                KPISeries(name: "Bank sampah", unit: "unit", baseline: 180,
                          target: { 185 + Double($0) * 3 }, actual: { 184 + Double($0) * 3 }),
                KPISeries(name: "Bank sampah aktif", unit: "unit", baseline: 120,
                          target: { 130 + Double($0) * 3 }, actual: { 126 + Double($0) * 3 }),
                KPISeries(name: "Nasabah", unit: "orang", baseline: 8_500,
                          target: { 8_800 + Double($0) * 150 }, actual: { 8_750 + Double($0) * 160 }),
                KPISeries(name: "Sampah terkumpul per bulan", unit: "ton", baseline: 38,
                          target: { _ in 45 }, actual: { 40 + Double(($0 * 7) % 9) }),
            ],
            milestones: [("Pelatihan pengurus bank sampah", "2022-04-30", true), ("Aplikasi pencatatan tabungan", "2022-12-15", false)],
            risk: ("Harga sampah daur ulang turun", "Pasar pengepul", 2, 2, "Kerja sama dengan industri daur ulang"),
            progress: 65),
    ]

    static func period(_ month: Int) -> String { String(format: "2022-%02d", month) }

    static func load(on db: any Database, regionID: UUID, agencyIDs: [String: UUID], lastYear: UUID) async throws {
        var programmeIDs: [String: UUID] = [:]
        for win in quickWins {
            let p = Programme(regionID: regionID, pillarCode: win.pillar, title: win.title, horizon: .quickWin,
                              ownerID: agencyIDs[win.owner], startYear: 2022, endYear: 2024, status: .running,
                              progress: win.progress, quickWinYear: 2022)
            p.description = win.description
            // Published on the public page, except the tax-office quick win (still internal in the demo).
            p.isPublic = win.pillar != "governance"
            try await p.create(on: db)
            let id = try p.requireID()
            programmeIDs[win.pillar] = id
            for code in win.supports { if let a = agencyIDs[code] { try await ProgrammeSupport(programmeID: id, agencyID: a).create(on: db) } }
            try await ProgrammeBudget(programmeID: id, year: 2022, apbd: win.apbd, other: 0).create(on: db)
            try await ProgrammeBudget(programmeID: id, year: 2023, apbd: win.apbd + win.apbd / 10, other: 0).create(on: db)
            let suffix = ["governance": "GOV", "branding": "BRD", "economy": "ECO", "living": "LIV", "society": "SOC",
                          "environment": "ENV"][win.pillar] ?? ""
            for code in ["QW.\(suffix)", "OC.\(suffix)"] { try await ProgrammeIndicator(programmeID: id, indicatorCode: code).create(on: db) }
            for (i, m) in win.milestones.enumerated() {
                try await Milestone(programmeID: id, position: i, title: m.0, dueOn: m.1, done: m.2, doneOn: m.2 ? m.1 : nil).create(on: db)
            }
            let risk = Risk()
            risk.$programme.id = id
            risk.risk = win.risk.0
            risk.cause = win.risk.1
            risk.likelihood = win.risk.2
            risk.impact = win.risk.3
            risk.mitigation = win.risk.4
            risk.$owner.id = agencyIDs[win.owner]
            try await risk.create(on: db)
            for (i, series) in win.kpis.enumerated() {
                let kpi = KPI(programmeID: id, position: i, name: series.name, unit: series.unit, baseline: series.baseline,
                              frequency: .monthly)
                try await kpi.create(on: db)
                let kpiID = try kpi.requireID()
                for m in months { try await KPITarget(kpiID: kpiID, period: period(m), target: series.target(m)).create(on: db) }
                for m in reported {
                    try await KPIRealisation(kpiID: kpiID, period: period(m), value: series.actual(m), note: nil,
                                             enteredBy: "Operator \(win.owner) (demo)",
                                             at: DateComponents(calendar: .init(identifier: .gregorian), timeZone: .init(identifier: "Asia/Jakarta"),
                                                                year: 2022, month: m + 1, day: 5, hour: 9).date!).create(on: db)
                }
            }
        }
        // The coordination meeting before the evaluation, and what it decided.
        let meeting = Meeting()
        meeting.$region.id = regionID
        meeting.title = "Rapat koordinasi persiapan evaluasi Smart City 2022"
        meeting.heldOn = "2022-09-29"
        meeting.startsAt = "09:00"
        meeting.place = "Ruang rapat Dinas Kesehatan Kota Kediri"
        meeting.chair = "Kepala Dinas Komunikasi dan Informatika"
        meeting.agenda = "1. Kesiapan penilaian mandiri dan bukti dukung per pilar\n2. Paparan quick win untuk Tahap II\n3. Tindak lanjut rekomendasi evaluasi 2021"
        meeting.minutes = "Koordinator memaparkan capaian penilaian mandiri: sebagian besar indikator sudah diverifikasi; bukti dukung pilar lingkungan dan data Home Care perlu dilengkapi. Setiap pemilik pilar menyampaikan kesiapan paparan quick win."
        meeting.createdAt = Date(timeIntervalSince1970: 1_664_416_800) // 29 Sep 2022 09:00 WIB
        try await meeting.create(on: db)
        let meetingID = try meeting.requireID()
        let invited = ["DISKOMINFO", "BAPENDA", "BAPPEDA", "DKUMTK", "DINKES", "DISDIK", "DLH", "DISBUDPARPORA"]
        for code in invited {
            if let a = agencyIDs[code] {
                try await MeetingAgency(meetingID: meetingID, agencyID: a, invited: true, present: code != "DISBUDPARPORA").create(on: db)
            }
        }
        let decisions: [(String, String, String, String, ActionItem.Status, ActionItem.Priority)] = [
            ("DLH melengkapi data tonase bank sampah per bulan dan daftar bank sampah aktif sebagai bukti dukung QW.ENV.",
             "DLH", "2022-10-03", "Lengkapi bukti dukung Bank Sampah (QW.ENV)", .inProgress, .high),
            ("Dinas Kesehatan memperbarui data kunjungan Home Care sampai September 2022.",
             "DINKES", "2022-09-30", "Perbarui data kunjungan Home Care", .done, .normal),
            ("Bapenda menyiapkan bahan paparan quick win e-SPTPD untuk Tahap II.",
             "BAPENDA", "2022-11-10", "Bahan paparan e-SPTPD untuk Tahap II", .open, .normal),
            ("Diskominfo menyusun jadwal gladi paparan Tahap I bersama pemilik pilar.",
             "DISKOMINFO", "2022-10-03", "Jadwal gladi paparan Tahap I", .done, .high),
        ]
        for (i, d) in decisions.enumerated() {
            let decision = MeetingDecision(meetingID: meetingID, position: i, text: d.0)
            try await decision.create(on: db)
            guard let agency = agencyIDs[d.1] else { continue }
            let item = ActionItem(regionID: regionID, title: d.3, description: d.0, assigneeID: agency, dueOn: d.2,
                                  priority: d.5, createdBy: "Koordinator Smart City (Diskominfo) (kediri.kominfo)",
                                  at: meeting.createdAt)
            item.$decision.id = try decision.requireID()
            item.status = d.4
            if d.1 == "DLH" { item.indicatorCode = "QW.ENV" }
            if d.1 == "BAPENDA" { item.$programme.id = programmeIDs["governance"] }
            if d.4 == .done {
                item.closedBy = "Operator \(d.1) (demo)"
                item.closedAt = Date(timeIntervalSince1970: 1_664_506_800)
            }
            try await item.create(on: db)
        }
        // The 2021 result letter: what the ministry recommended, and how 2022 followed it up.
        let letter: [(Recommendation.Kind, String, String?, Recommendation.FollowUp, String?)] = [
            (.recommendation, "Tetapkan pemutakhiran masterplan smart city dengan peraturan wali kota.", "BAPPEDA", .done,
             "Perwali pemutakhiran masterplan ditetapkan Juni 2022."),
            (.recommendation, "Aktifkan Forum Smart City dengan pertemuan berkala dan notulen.", "DISKOMINFO", .inProgress,
             "Dua pertemuan forum terlaksana; notulen diunggah."),
            (.recommendation, "Ukur dampak bank sampah terhadap volume sampah yang dibuang ke TPA.", "DLH", .open, nil),
            (.strength, "Quick win Prodamas Plus melibatkan warga di setiap RT.", nil, .open, nil),
            (.weakness, "Data capaian program belum terpusat dan sulit ditelusuri.", nil, .open, nil),
        ]
        for (i, r) in letter.enumerated() {
            let rec = Recommendation(cycleID: lastYear, kind: r.0, position: i, text: r.1, agencyID: r.2.flatMap { agencyIDs[$0] })
            rec.followUpStatus = r.3
            rec.followUpNote = r.4
            try await rec.create(on: db)
        }
    }
}
