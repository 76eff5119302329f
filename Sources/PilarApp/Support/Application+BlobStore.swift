import Vapor

/// The evidence file store, made once in `configure` from the configuration; every upload,
/// download, bundle and seed uses this one.
extension Application {
    private struct BlobStoreKey: StorageKey { typealias Value = any BlobStore }

    var blobStore: any BlobStore {
        get {
            guard let store = storage[BlobStoreKey.self] else { fatalError("configure(_:config:) was not called") }
            return store
        }
        set { storage[BlobStoreKey.self] = newValue }
    }
}
