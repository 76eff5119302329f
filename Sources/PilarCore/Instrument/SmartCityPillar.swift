/// The six Smart City pillars (dimensi) with their three elements each, as the national
/// programme defines them. Regions store their own copy (with owners); instruments tag
/// indicators with these codes.
public struct SmartCityPillar: Sendable, Equatable {
    public struct Element: Sendable, Equatable {
        public var code: String
        public var nameID: String
        public var nameEN: String
    }

    public var code: String
    public var nameID: String
    public var nameEN: String
    public var elements: [Element]

    public static let all: [SmartCityPillar] = [
        .init(code: "governance", nameID: "Smart Governance", nameEN: "Smart Governance", elements: [
            .init(code: "public-services", nameID: "Pelayanan publik", nameEN: "Public services"),
            .init(code: "bureaucracy", nameID: "Manajemen birokrasi", nameEN: "Bureaucracy management"),
            .init(code: "public-policy", nameID: "Kebijakan publik", nameEN: "Public policy"),
        ]),
        .init(code: "branding", nameID: "Smart Branding", nameEN: "Smart Branding", elements: [
            .init(code: "tourism", nameID: "Branding pariwisata", nameEN: "Tourism branding"),
            .init(code: "business", nameID: "Branding bisnis", nameEN: "Business branding"),
            .init(code: "city-appearance", nameID: "Wajah kota", nameEN: "City appearance"),
        ]),
        .init(code: "economy", nameID: "Smart Economy", nameEN: "Smart Economy", elements: [
            .init(code: "industry", nameID: "Ekosistem industri", nameEN: "Industry ecosystem"),
            .init(code: "welfare", nameID: "Kesejahteraan rakyat", nameEN: "Community welfare"),
            .init(code: "transactions", nameID: "Ekosistem transaksi keuangan", nameEN: "Financial-transaction ecosystem"),
        ]),
        .init(code: "living", nameID: "Smart Living", nameEN: "Smart Living", elements: [
            .init(code: "harmony", nameID: "Harmonisasi pola hidup", nameEN: "Way of life (harmony)"),
            .init(code: "health", nameID: "Kesehatan", nameEN: "Health"),
            .init(code: "mobility", nameID: "Mobilitas / transportasi", nameEN: "Mobility / transport"),
        ]),
        .init(code: "society", nameID: "Smart Society", nameEN: "Smart Society", elements: [
            .init(code: "interaction", nameID: "Interaksi masyarakat", nameEN: "Community interaction"),
            .init(code: "learning", nameID: "Ekosistem belajar", nameEN: "Learning ecosystem"),
            .init(code: "security", nameID: "Keamanan", nameEN: "Security"),
        ]),
        .init(code: "environment", nameID: "Smart Environment", nameEN: "Smart Environment", elements: [
            .init(code: "protection", nameID: "Proteksi lingkungan", nameEN: "Environmental protection"),
            .init(code: "waste", nameID: "Tata kelola sampah", nameEN: "Waste management"),
            .init(code: "energy", nameID: "Tata kelola energi", nameEN: "Energy management"),
        ]),
    ]

    public static func named(_ code: String) -> SmartCityPillar? { all.first { $0.code == code } }
}
