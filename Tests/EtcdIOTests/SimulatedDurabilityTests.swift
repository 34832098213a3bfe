// The simulated disk's durability model: what a crash keeps, file by file and entry by entry.

import Glibc
import XCTest
@testable import EtcdIO

final class SimulatedDurabilityTests: XCTestCase {
    /// A file whose entry is already durable, so only its bytes are in question.
    private func durableFile(_ fs: SimulatedFileSystem, _ path: String = "/db") throws -> any File {
        let file = try fs.open(path, options: [.readWrite, .create], permissions: 0o600)
        try fs.syncDirectory("/")
        return file
    }

    func testUnsyncedWritesAreLostOnCrashAndSyncedOnesKept() throws {
        let fs = SimulatedFileSystem()
        let file = try durableFile(fs)
        try write(file, [1, 2, 3, 4], at: 0)
        try file.dataSync()
        try write(file, [9, 9], at: 2)       // overwrite: not synced
        try write(file, [7, 7, 7], at: 10)   // growth: not synced
        XCTAssertEqual(fs.contents(of: "/db"), [1, 2, 9, 9, 0, 0, 0, 0, 0, 0, 7, 7, 7])
        XCTAssertEqual(fs.durableContents(of: "/db"), [1, 2, 3, 4])
        fs.crash()
        let reopened = try fs.open("/db", options: .readWrite, permissions: 0)
        XCTAssertEqual(try reopened.size(), 4)
        XCTAssertEqual(try read(reopened, count: 16, at: 0), [1, 2, 3, 4])
    }

    func testSyncAndUnsyncedResizes() throws {
        let fs = SimulatedFileSystem()
        let file = try durableFile(fs)
        try write(file, [1, 2, 3, 4], at: 0)
        try file.sync()
        try file.truncate(to: 1)
        try file.preallocate(size: 8)
        XCTAssertEqual(fs.contents(of: "/db"), [1, 0, 0, 0, 0, 0, 0, 0])
        fs.crash()
        XCTAssertEqual(fs.contents(of: "/db"), [1, 2, 3, 4])
    }

    func testKeepUnsyncedOutcomeKeepsEveryChange() throws {
        let fs = SimulatedFileSystem()
        let file = try fs.open("/db", options: [.readWrite, .create], permissions: 0o600)
        try write(file, [5, 6], at: 0)
        try fs.createDirectory("/member/wal", permissions: 0o700)
        fs.crash(.keepUnsynced)
        XCTAssertEqual(fs.contents(of: "/db"), [5, 6])
        XCTAssertEqual(try fs.listDirectory("/member"), ["wal"])
    }

    func testCreatedFileVanishesUnlessItsParentIsSyncedEvenWhenItsDataIs() throws {
        let fs = SimulatedFileSystem()
        try fs.createDirectory("/member", permissions: 0o700)
        try fs.syncDirectory("/")
        let file = try fs.open("/member/db", options: [.readWrite, .create], permissions: 0o600)
        try write(file, [1], at: 0)
        try file.sync()
        fs.crash()
        XCTAssertFalse(fs.exists("/member/db"))
        XCTAssertTrue(fs.exists("/member"))

        let again = try fs.open("/member/db", options: [.readWrite, .create], permissions: 0o600)
        try write(again, [2], at: 0)
        try again.dataSync()
        try fs.syncDirectory("/member")
        fs.crash()
        XCTAssertEqual(fs.contents(of: "/member/db"), [2])
    }

    func testCreatedDirectoryNeedsItsParentSynced() throws {
        let fs = SimulatedFileSystem()
        try fs.createDirectory("/data/member", permissions: 0o700)
        try fs.syncDirectory("/data")   // /data itself is not yet durable in /
        fs.crash()
        XCTAssertFalse(fs.exists("/data"))
    }

    /// etcd's snapshot and WAL patterns: write a temporary, sync it, rename over the final name,
    /// then sync the directory. Before that last step a crash may keep the old name.
    func testRenameIsDurableOnlyAfterTheParentIsSynced() throws {
        let fs = SimulatedFileSystem()
        let temporary = try fs.open("/snap.tmp", options: [.readWrite, .create], permissions: 0o600)
        try write(temporary, [42], at: 0)
        try temporary.sync()
        try fs.syncDirectory("/")
        try fs.rename("/snap.tmp", to: "/snap")
        XCTAssertEqual(try fs.listDirectory("/"), ["snap"])
        fs.crash()
        XCTAssertEqual(try fs.listDirectory("/"), ["snap.tmp"])

        try fs.rename("/snap.tmp", to: "/snap")
        try fs.syncDirectory("/")
        fs.crash()
        XCTAssertEqual(try fs.listDirectory("/"), ["snap"])
        XCTAssertEqual(fs.contents(of: "/snap"), [42])
    }

    func testRemoveIsDurableOnlyAfterTheParentIsSyncedAndOpenHandlesKeepTheBytes() throws {
        let fs = SimulatedFileSystem()
        let file = try durableFile(fs, "/old.wal")
        try write(file, [3, 3], at: 0)
        try fs.remove("/old.wal")
        XCTAssertFalse(fs.exists("/old.wal"))
        XCTAssertEqual(try read(file, count: 4, at: 0), [3, 3])
        fs.crash()
        XCTAssertEqual(fs.contents(of: "/old.wal"), [])   // entry came back; its bytes were never synced

        try fs.remove("/old.wal")
        try fs.syncDirectory("/")
        fs.crash()
        XCTAssertFalse(fs.exists("/old.wal"))
    }

    /// etcd creates `member/wal.tmp`, fills it, renames it to `member/wal` and syncs `member`:
    /// the durable rename carries the directory's durable contents with it.
    func testRenamingADirectoryMovesItsSubtree() throws {
        let fs = SimulatedFileSystem()
        try fs.createDirectory("/member/wal.tmp", permissions: 0o700)
        try fs.syncDirectory("/")
        try fs.syncDirectory("/member")
        let segment = try fs.open("/member/wal.tmp/0.wal", options: [.readWrite, .create], permissions: 0o600)
        try write(segment, [8], at: 0)
        try segment.dataSync()
        try fs.syncDirectory("/member/wal.tmp")
        try fs.rename("/member/wal.tmp", to: "/member/wal")
        try fs.syncDirectory("/member")
        fs.crash()
        XCTAssertEqual(try fs.listDirectory("/member"), ["wal"])
        XCTAssertEqual(fs.contents(of: "/member/wal/0.wal"), [8])
    }

    func testHandlesFromBeforeACrashAreStale() throws {
        let fs = SimulatedFileSystem()
        let file = try durableFile(fs)
        try file.lockExclusive()
        fs.crash()
        XCTAssertThrowsError(try write(file, [1], at: 0)) {
            XCTAssertEqual($0 as? IOError, IOError(operation: "pwrite", path: "/db", errno: EBADF))
        }
        XCTAssertThrowsError(try file.size()) { XCTAssertEqual(($0 as? IOError)?.errno, EBADF) }
        try file.close()   // the dead process's handle closes quietly
        let reopened = try fs.open("/db", options: .readWrite, permissions: 0)
        try reopened.lockExclusive()   // the crash released the old lock
    }
}
