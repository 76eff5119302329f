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

    /// The path as printed in links.
    var path: String {
        "/" + components.map { component in
            switch component {
            case let .constant(text): return text
            case .parameter("year"):
                switch self {
                case let .apiCycleScore(year), let .apiCycleIndicators(year): return String(year)
                default: return ":year"
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
