import Vapor

/// The evidence file store, made once in `configure` from the data folder; every upload, download,
/// bundle and seed uses this one.
extension Application {
    private struct BlobStoreKey: StorageKey { typealias Value = BlobStore }

    var blobStore: BlobStore {
        get {
            guard let store = storage[BlobStoreKey.self] else { fatalError("configure(_:config:) was not called") }
            return store
        }
        set { storage[BlobStoreKey.self] = newValue }
    }
}
