import Foundation
import Vapor

/// Values by region and key, each region's kept with the region's generation (see `Generation`)
/// they were made at and served only while that generation is current: the page bodies of
/// `PageCache` and the cycles of `CycleData.read`. Only a region's newest generation is kept (a
/// write in a region drops that region's entries, no other's), and a slow request finishing after
/// a newer one does not replace the newer entries. `value(…)` computes a missing entry once: the
/// requests that ask for it meanwhile wait for that computation instead of repeating it (after a
/// write, every open page of a busy region would otherwise recompute the same dashboard at once).
final class GenerationCache<Key: Hashable & Sendable, Value: Sendable>: @unchecked Sendable {
    private struct Region {
        var generation: Int64
        var values: [Key: Value]
    }

    private enum Step { case hit(Value), wait(EventLoopFuture<Value>), lead(EventLoopPromise<Value>) }

    private struct Flight: Hashable {
        var region: UUID
        var key: Key
        var generation: Int64
    }

    private let lock = NSLock()
    private var regions: [UUID: Region] = [:]
    private var inFlight: [Flight: EventLoopPromise<Value>] = [:]

    /// The entry for `key` at `generation`, made by `make` when there is none — once, however many
    /// requests ask at the same time (they share its result, or its error).
    func value(region: UUID, _ key: Key, generation: Int64, on loop: any EventLoop,
               make: () async throws -> Value) async throws -> Value
    {
        guard generation >= 0 else { return try await make() }
        let flight = Flight(region: region, key: key, generation: generation)
        let step: Step = lock.withLock {
            if let entry = regions[region], entry.generation == generation, let value = entry.values[key] { return .hit(value) }
            if let running = inFlight[flight] { return .wait(running.futureResult) }
            let promise = loop.makePromise(of: Value.self)
            inFlight[flight] = promise
            return .lead(promise)
        }
        switch step {
        case let .hit(value):
            return value
        case let .wait(future):
            return try await future.get()
        case let .lead(promise):
            do {
                let value = try await make()
                put(region: region, key, generation: generation, value)
                lock.withLock { inFlight[flight] = nil }
                promise.succeed(value)
                return value
            } catch {
                lock.withLock { inFlight[flight] = nil }
                promise.fail(error)
                throw error
            }
        }
    }

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
    private struct SummariesKey: StorageKey { typealias Value = GenerationCache<UUID, RegionComparison.Summary> }
    private struct RegionCyclesKey: StorageKey { typealias Value = GenerationCache<UUID, CycleData.RegionCycles> }
    private struct IndicatorsKey: StorageKey { typealias Value = GenerationCache<String, IndicatorPage.Shared> }
    private struct AttachableKey: StorageKey { typealias Value = GenerationCache<String, [EvidenceController.Attachable]> }
    private struct AnswersKey: StorageKey { typealias Value = GenerationCache<String, IndicatorRecord.Answered> }

    /// Made in `configure`, before any request: `Application.storage` is not safe to fill from
    /// concurrent requests.
    func makeGenerationCaches() {
        storage[PageBodiesKey.self] = GenerationCache()
        storage[CyclesKey.self] = GenerationCache()
        storage[RegionsKey.self] = GenerationCache()
        storage[SummariesKey.self] = GenerationCache()
        storage[RegionCyclesKey.self] = GenerationCache()
        storage[IndicatorsKey.self] = GenerationCache()
        storage[AttachableKey.self] = GenerationCache()
        storage[AnswersKey.self] = GenerationCache()
    }

    /// One indicator's answer and agencies, by cycle and code (`IndicatorRecord.load`).
    var answerCache: GenerationCache<String, IndicatorRecord.Answered> {
        guard let cache = storage[AnswersKey.self] else { fatalError("makeGenerationCaches() was not called in configure") }
        return cache
    }

    /// The attach form's first offer, by cycle, indicator and the agencies whose library it shows
    /// (`EvidenceController.attachable`).
    var attachableCache: GenerationCache<String, [EvidenceController.Attachable]> {
        guard let cache = storage[AttachableKey.self] else { fatalError("makeGenerationCaches() was not called in configure") }
        return cache
    }

    /// What an indicator's page shows everyone alike, by cycle and code (`IndicatorPage.shared`).
    var indicatorCache: GenerationCache<String, IndicatorPage.Shared> {
        guard let cache = storage[IndicatorsKey.self] else { fatalError("makeGenerationCaches() was not called in configure") }
        return cache
    }

    /// Each region's cycles and their deadlines (`CycleData.cycles`).
    var regionCyclesCache: GenerationCache<UUID, CycleData.RegionCycles> {
        guard let cache = storage[RegionCyclesKey.self] else { fatalError("makeGenerationCaches() was not called in configure") }
        return cache
    }

    /// Each region's cycle summarised for the reviewers' comparison, by region and cycle id.
    var summaryCache: GenerationCache<UUID, RegionComparison.Summary> {
        guard let cache = storage[SummariesKey.self] else { fatalError("makeGenerationCaches() was not called in configure") }
        return cache
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
