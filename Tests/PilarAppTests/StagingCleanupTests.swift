import Foundation
import Testing
@testable import PilarApp

/// At start-up the folder store removes what uploads cut off by a crash left in `files/tmp`, and
/// nothing an upload still arriving in a live process is writing.
@Suite("Unfinished uploads removed at start-up")
struct StagingCleanupTests {
    @Test func onlyTheFilesOfGoneProcessesAndOldOnesAreRemoved() throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("pilar-staging-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: data) }
        let store = FolderBlobStore(dataDirectory: data)
        let mine = try store.stagingPath()
        let folder = (mine as NSString).deletingLastPathComponent
        // A process id that is not running: past the largest one the kernel hands out.
        let gone = "\(StagingFolder.host)~2147483000~\(UUID().uuidString)"
        let parent = "\(StagingFolder.host)~\(getppid())~\(UUID().uuidString)"   // a live process
        let otherHost = "another.host~2147483000~\(UUID().uuidString)"
        let old = "other.host~12~\(UUID().uuidString)"
        for name in [gone, parent, otherHost, old] {
            FileManager.default.createFile(atPath: (folder as NSString).appendingPathComponent(name), contents: Data("x".utf8))
        }
        FileManager.default.createFile(atPath: mine, contents: Data("x".utf8))
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-2 * 86_400)],
                                              ofItemAtPath: (folder as NSString).appendingPathComponent(old))
        #expect(store.removeAbandonedStaging() == 2)
        let left = Set(try FileManager.default.contentsOfDirectory(atPath: folder))
        #expect(left == [parent, otherHost, (mine as NSString).lastPathComponent])
    }
}
