import Foundation
import Vapor

/// Values by region and key, each region's kept with the region's generation (see `Generation`)
/// they were made at and served only while that generation is current: the page bodies of
/// `PageCache` and the cycles of `CycleData.read`. Only a region's newest generation is kept (a
/// write in a region drops that region's entries, no other's), and a slow request finishing after
/// a newer one does not replace the newer entries.
final class GenerationCache<Key: Hashable & Sendable, Value>: @unchecked Sendable {
    private struct Region {
        var generation: Int64
        var values: [Key: Value]
    }

    private let lock = NSLock()
    private var regions: [UUID: Region] = [:]

    func get(region: UUID, _ key: Key, generation: Int64) -> Value? {
        lock.lock(); defer { lock.unlock() }
        guard generation >= 0, let entry = regions[region], entry.generation == generation else { return nil }
        return entry.values[key]
    }

    func put(region: UUID, _ key: Key, generation: Int64, _ value: Value) {
        guard generation >= 0 else { return }
        lock.lock(); defer { lock.unlock() }
        if var entry = regions[region] {
            if entry.generation > generation { return }
            if entry.generation == generation {
                entry.values[key] = value
                regions[region] = entry
                return
            }
        }
        regions[region] = Region(generation: generation, values: [key: value])
    }
}

extension Application {
    private struct PageBodiesKey: StorageKey { typealias Value = GenerationCache<String, String> }
    private struct CyclesKey: StorageKey { typealias Value = GenerationCache<UUID, CycleData> }
    private struct RegionsKey: StorageKey { typealias Value = GenerationCache<UUID, Region> }

    /// Made in `configure`, before any request: `Application.storage` is not safe to fill from
    /// concurrent requests.
    func makeGenerationCaches() {
        storage[PageBodiesKey.self] = GenerationCache()
        storage[CyclesKey.self] = GenerationCache()
        storage[RegionsKey.self] = GenerationCache()
    }

    /// Rendered page bodies by region and key (`PageCache`).
    var pageCache: GenerationCache<String, String> {
        guard let cache = storage[PageBodiesKey.self] else { fatalError("makeGenerationCaches() was not called in configure") }
        return cache
    }

    /// The signed-in users' regions (`SessionUserMiddleware`).
    var regionCache: GenerationCache<UUID, Region> {
        guard let cache = storage[RegionsKey.self] else { fatalError("makeGenerationCaches() was not called in configure") }
        return cache
    }

    /// Loaded cycles by region and cycle id (`CycleData.read`).
    var cycleDataCache: GenerationCache<UUID, CycleData> {
        guard let cache = storage[CyclesKey.self] else { fatalError("makeGenerationCaches() was not called in configure") }
        return cache
    }
}
