import Foundation
import Vapor

/// Values by key, each kept with the generation (see `Generation`) it was made at and served only
/// while that generation is current: the page bodies of `PageCache` and the cycles of
/// `CycleData.read`. Only the newest generation is kept, and a slow request finishing after a
/// newer one does not replace the newer entry.
final class GenerationCache<Key: Hashable & Sendable, Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [Key: (Int64, Value)] = [:]

    func get(_ key: Key, generation: Int64) -> Value? {
        lock.lock(); defer { lock.unlock() }
        guard generation >= 0, let (made, value) = entries[key], made == generation else { return nil }
        return value
    }

    func put(_ key: Key, generation: Int64, _ value: Value) {
        lock.lock(); defer { lock.unlock() }
        if let existing = entries[key], existing.0 > generation { return }
        entries = entries.filter { $0.value.0 >= generation }
        entries[key] = (generation, value)
    }
}

extension Application {
    private struct PageBodiesKey: StorageKey { typealias Value = GenerationCache<String, String> }
    private struct CyclesKey: StorageKey { typealias Value = GenerationCache<UUID, CycleData> }

    /// Made in `configure`, before any request: `Application.storage` is not safe to fill from
    /// concurrent requests.
    func makeGenerationCaches() {
        storage[PageBodiesKey.self] = GenerationCache()
        storage[CyclesKey.self] = GenerationCache()
    }

    /// Rendered page bodies by key (`PageCache`).
    var pageCache: GenerationCache<String, String> {
        guard let cache = storage[PageBodiesKey.self] else { fatalError("makeGenerationCaches() was not called in configure") }
        return cache
    }

    /// Loaded cycles by id (`CycleData.read`).
    var cycleDataCache: GenerationCache<UUID, CycleData> {
        guard let cache = storage[CyclesKey.self] else { fatalError("makeGenerationCaches() was not called in configure") }
        return cache
    }
}
