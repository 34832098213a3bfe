// The simulated disk answers like the real one: same bytes, same sizes, same errors (C call name,
// path, errno), same shared-mapping and flock behaviour.

import Glibc
import XCTest
@testable import EtcdIO

final class SimulatedFileBehaviourTests: XCTestCase {
    func testMappingFollowsWritesAndResizesAndReadsZeroPastTheEnd() throws {
        let fs = SimulatedFileSystem()
        let file = try fs.open("/db", options: [.readWrite, .create], permissions: 0o600)
        try write(file, [UInt8](repeating: 7, count: 100), at: 0)
        let region = try file.map(length: 8192)
        XCTAssertEqual(region.bytes.count, 8192)
        XCTAssertEqual(region.bytes[99], 7)
        XCTAssertEqual(region.bytes[100], 0)
        try write(file, [0xAB, 0xCD], at: 4096)
        try write(file, [1, 2, 3], at: 8190)   // straddles the mapping's end
        XCTAssertEqual(Array(region.bytes[4096..<4098]), [0xAB, 0xCD])
        XCTAssertEqual(Array(region.bytes[8190..<8192]), [1, 2])
        try file.truncate(to: 50)
        XCTAssertEqual(region.bytes[49], 7)
        XCTAssertTrue(region.bytes[50...].allSatisfy { $0 == 0 })
        let other = try fs.open("/db", options: .readWrite, permissions: 0)
        try write(other, [9], at: 60)   // through another handle, as a shared mmap sees
        XCTAssertEqual(region.bytes[60], 9)
        region.unmap()
        region.unmap()
        XCTAssertEqual(try file.map(length: 0).bytes.count, 0)
    }

    func testLockConflictsBetweenHandlesAndIsReleasedByClose() throws {
        let fs = SimulatedFileSystem()
        let first = try fs.open("/lock", options: [.readWrite, .create], permissions: 0o600)
        let second = try fs.open("/lock", options: .readWrite, permissions: 0)
        try first.lockExclusive()
        try first.lockExclusive()
        XCTAssertThrowsError(try second.lockExclusive()) {
            XCTAssertEqual($0 as? IOError, IOError(operation: "flock", path: "/lock", errno: EWOULDBLOCK))
        }
        try first.close()
        try second.lockExclusive()
    }

    func testNamespaceErrorsMatchPosix() throws {
        let fs = SimulatedFileSystem()
        XCTAssertThrowsError(try fs.open("/missing", options: .read, permissions: 0)) {
            XCTAssertEqual($0 as? IOError, IOError(operation: "open", path: "/missing", errno: ENOENT))
        }
        XCTAssertThrowsError(try fs.open("/no/such/file", options: [.write, .create], permissions: 0o600)) {
            XCTAssertEqual(($0 as? IOError)?.errno, ENOENT)
        }
        try fs.open("/a", options: [.write, .create], permissions: 0o600).close()
        XCTAssertThrowsError(try fs.open("/a", options: [.write, .create, .exclusive], permissions: 0o600)) {
            XCTAssertEqual(($0 as? IOError)?.errno, EEXIST)
        }
        XCTAssertThrowsError(try fs.createDirectory("/a/b", permissions: 0o700)) {
            XCTAssertEqual($0 as? IOError, IOError(operation: "mkdir", path: "/a", errno: ENOTDIR))
        }
        try fs.createDirectory("/d/e", permissions: 0o700)
        try fs.createDirectory("/d/e", permissions: 0o700)
        XCTAssertThrowsError(try fs.remove("/d")) { XCTAssertEqual(($0 as? IOError)?.errno, EISDIR) }
        XCTAssertThrowsError(try fs.remove("/nope")) {
            XCTAssertEqual($0 as? IOError, IOError(operation: "unlink", path: "/nope", errno: ENOENT))
        }
        XCTAssertThrowsError(try fs.rename("/d", to: "/d/e/f")) { XCTAssertEqual(($0 as? IOError)?.errno, EINVAL) }
        XCTAssertThrowsError(try fs.rename("/a", to: "/d")) { XCTAssertEqual(($0 as? IOError)?.errno, EISDIR) }
        XCTAssertThrowsError(try fs.syncDirectory("/a")) { XCTAssertEqual(($0 as? IOError)?.errno, ENOTDIR) }
        XCTAssertThrowsError(try fs.listDirectory("/nope")) {
            XCTAssertEqual($0 as? IOError, IOError(operation: "opendir", path: "/nope", errno: ENOENT))
        }
        let reader = try fs.open("/a", options: .read, permissions: 0)
        XCTAssertThrowsError(try write(reader, [1], at: 0)) {
            XCTAssertEqual($0 as? IOError, IOError(operation: "pwrite", path: "/a", errno: EBADF))
        }
    }

    func testListingIsSortedByBytesAndRenameReplaces() throws {
        let fs = SimulatedFileSystem()
        for name in ["b.wal", "a.wal", "c.tmp", "B"] {
            try fs.open("/" + name, options: [.write, .create], permissions: 0o600).close()
        }
        XCTAssertEqual(try fs.listDirectory("/"), ["B", "a.wal", "b.wal", "c.tmp"])
        let replacement = try fs.open("/c.tmp", options: .write, permissions: 0)
        try write(replacement, [5], at: 0)
        try fs.rename("/c.tmp", to: "/a.wal")
        XCTAssertEqual(try fs.listDirectory("/"), ["B", "a.wal", "b.wal"])
        XCTAssertEqual(fs.contents(of: "/a.wal"), [5])
        XCTAssertTrue(fs.exists("a.wal"), "paths are from the root")
    }

    func testTruncateOptionAndReadsPastTheEnd() throws {
        let fs = SimulatedFileSystem()
        let file = try fs.open("/db", options: [.readWrite, .create], permissions: 0o600)
        try write(file, [1, 2, 3], at: 0)
        XCTAssertEqual(try read(file, count: 10, at: 1), [2, 3])
        XCTAssertEqual(try read(file, count: 10, at: 3), [])
        let truncated = try fs.open("/db", options: [.readWrite, .truncate], permissions: 0)
        XCTAssertEqual(try truncated.size(), 0)
        try file.preallocate(size: 16)
        XCTAssertEqual(try file.size(), 16)
        try file.preallocate(size: 4)
        XCTAssertEqual(try file.size(), 16)
    }
}
