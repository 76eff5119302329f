import Foundation
import Vapor

/// API answers that are the same for everyone of a region who may read them (the score of a
/// layer, one indicator as a role sees it): encoded once per region generation, with the same
/// encoder and headers as any other JSON answer, and served from memory until a write transaction
/// of the region commits. The permission is checked by the caller before; the key names what the
/// body depends on besides the region.
enum CachedJSON {
    static func response(_ req: Request, region: UUID, key: String, make: () async throws -> some Encodable & Sendable)
        async throws -> Response
    {
        let generation = try await Generation.current(req, region: region)
        let body = try await req.application.pageCache.value(region: region, "json|" + key, generation: generation, on: req.eventLoop) {
            var buffer = ByteBuffer()
            var headers = HTTPHeaders()
            try ContentConfiguration.global.requireEncoder(for: .json).encode(try await make(), to: &buffer, headers: &headers)
            return String(buffer: buffer)
        }
        var headers = HTTPHeaders()
        headers.contentType = .json
        return Response(status: .ok, headers: headers, body: .init(string: body))
    }
}
