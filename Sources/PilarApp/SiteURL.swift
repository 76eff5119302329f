import Foundation
import Vapor

/// Every URL of the site, typed: routes are registered and links printed from the same value.
enum SiteURL: Equatable {
    case home
    case signIn
    case signOut
    case language
    case password
    case healthz
    case apiMe
    case apiCycles
    case apiCycleScore(year: Int)
    case apiCycleIndicators(year: Int)
    case apiIndicator(year: Int, code: String)
    case indicator(year: Int, code: String)
    case indicatorEvidence(year: Int, code: String)
    case indicatorLinks(year: Int, code: String)
    case evidenceFile(id: UUID)
    case apiEvidenceFile(id: UUID)
    case myIndicators
    case review
    case progress
    case audit

    /// The path as printed in links.
    var path: String {
        "/" + components.map { component in
            switch component {
            case let .constant(text): return text
            case .parameter("year"):
                switch self {
                case let .apiCycleScore(year), let .apiCycleIndicators(year), let .apiIndicator(year, _),
                    let .indicator(year, _), let .indicatorEvidence(year, _), let .indicatorLinks(year, _):
                    return String(year)
                default: return ":year"
                }
            case .parameter("code"):
                switch self {
                case let .apiIndicator(_, code), let .indicator(_, code), let .indicatorEvidence(_, code),
                    let .indicatorLinks(_, code):
                    return code.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/"])) ?? code
                default: return ":code"
                }
            case .parameter("id"):
                switch self {
                case let .evidenceFile(id), let .apiEvidenceFile(id): return id.uuidString
                default: return ":id"
                }
            case let .parameter(name): return ":\(name)"
            default: return "*"
            }
        }.joined(separator: "/")
    }

    /// The route pattern.
    var components: [PathComponent] {
        switch self {
        case .home: []
        case .signIn: ["signin"]
        case .signOut: ["signout"]
        case .language: ["lang"]
        case .password: ["account", "password"]
        case .healthz: ["healthz"]
        case .apiMe: ["api", "v1", "me"]
        case .apiCycles: ["api", "v1", "cycles"]
        case .apiCycleScore: ["api", "v1", "cycles", ":year", "score"]
        case .apiCycleIndicators: ["api", "v1", "cycles", ":year", "indicators"]
        case .apiIndicator: ["api", "v1", "cycles", ":year", "indicators", ":code"]
        case .indicator: ["cycles", ":year", "indicators", ":code"]
        case .indicatorEvidence: ["cycles", ":year", "indicators", ":code", "evidence"]
        case .indicatorLinks: ["cycles", ":year", "indicators", ":code", "links"]
        case .evidenceFile: ["evidence", ":id", "file"]
        case .apiEvidenceFile: ["api", "v1", "evidence", ":id", "file"]
        case .myIndicators: ["my", "indicators"]
        case .review: ["review"]
        case .progress: ["progress"]
        case .audit: ["audit"]
        }
    }
}

extension RoutesBuilder {
    @discardableResult
    func get<Response: AsyncResponseEncodable>(
        _ url: SiteURL, use closure: @Sendable @escaping (Request) async throws -> Response
    ) -> Route {
        on(.GET, url.components, use: closure)
    }

    @discardableResult
    func post<Response: AsyncResponseEncodable>(
        _ url: SiteURL, use closure: @Sendable @escaping (Request) async throws -> Response
    ) -> Route {
        on(.POST, url.components, use: closure)
    }
}
