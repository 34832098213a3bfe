import XCTest
@testable import EtcdIO

/// `--unsafe-no-fsync`'s disk: everything as the base file system does it, except that nothing
/// is made durable, so a power loss keeps only what the kernel flushed on its own.
final class UnsyncedFileSystemTests: XCTestCase {
    func testSyncedWritesSurviveAPowerLossOnlyWithoutTheWrapper() throws {
        let disk = SimulatedFileSystem()
        try disk.createDirectory("/wal", permissions: 0o700)
        try disk.syncDirectory("/")
        let synced = try disk.open("/wal/synced", options: [.readWrite, .create], permissions: 0o600)
        try write(synced, [1, 2, 3], at: 0)
        try synced.dataSync()
        try disk.syncDirectory("/wal")

        let unsynced = UnsyncedFileSystem(disk)
        let file = try unsynced.open("/wal/unsynced", options: [.readWrite, .create], permissions: 0o600)
        try write(file, [4, 5, 6], at: 0)
        try file.dataSync()
        try file.sync()
        try unsynced.syncDirectory("/wal")
        XCTAssertEqual(try file.readAll(), [4, 5, 6], "reads see the writes at once")
        XCTAssertEqual(disk.contents(of: "/wal/unsynced"), [4, 5, 6])
        XCTAssertEqual(disk.callCount(of: .dataSync), 1, "only the base file's own sync reached the disk")

        disk.crash()
        XCTAssertEqual(disk.contents(of: "/wal/synced"), [1, 2, 3])
        XCTAssertNil(disk.contents(of: "/wal/unsynced"), "neither the data nor the directory entry was made durable")
    }

    func testEverythingButSyncIsTheBaseFileSystemsAnswer() throws {
        let disk = SimulatedFileSystem()
        let fs = UnsyncedFileSystem(disk)
        try fs.createDirectory("/a/b", permissions: 0o700)
        let file = try fs.open("/a/b/f", options: [.readWrite, .create], permissions: 0o600)
        try write(file, [9, 9], at: 4)
        XCTAssertEqual(try file.size(), 6)
        try file.preallocate(size: 16)
        XCTAssertEqual(try file.size(), 16)
        try file.truncate(to: 5)
        XCTAssertEqual(try file.readAll(), [0, 0, 0, 0, 9])
        let region = try file.map(length: 5)
        XCTAssertEqual(region.bytes[4], 9)
        region.unmap()
        try file.lockExclusive()
        let other = try fs.open("/a/b/f", options: .readWrite, permissions: 0)
        XCTAssertThrowsError(try other.lockExclusive(), "the base file system's flock still applies")
        try fs.rename("/a/b/f", to: "/a/b/g")
        XCTAssertEqual(try fs.listDirectory("/a/b"), ["g"])
        XCTAssertTrue(fs.exists("/a/b/g"))
        try fs.remove("/a/b/g")
        XCTAssertFalse(fs.exists("/a/b/g"))
        XCTAssertThrowsError(try fs.open("/missing", options: .read, permissions: 0)) {
            XCTAssertEqual(($0 as? IOError)?.operation, "open")
        }
    }
}
