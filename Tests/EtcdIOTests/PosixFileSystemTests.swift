// The real disk, on a fresh directory under /tmp: what BoltStore and the WAL rely on from each call.

import Glibc
import XCTest
@testable import EtcdIO

final class PosixFileSystemTests: XCTestCase {
    private let fs = PosixFileSystem()
    private var root = ""

    override func setUpWithError() throws {
        var template = Array("/tmp/etcdio-test-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        XCTAssertNotNil(made, "mkdtemp: errno \(errno)")
        root = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    override func tearDownWithError() throws {
        removeTree(root)
    }

    /// Depth-first removal of the scratch directory (only files and directories are created).
    private func removeTree(_ path: String) {
        if let names = try? fs.listDirectory(path) {
            for name in names { removeTree(path + "/" + name) }
            rmdir(path)
        } else {
            unlink(path)
        }
    }

    func testWrittenBytesReadBackAtTheirOffsetAndShortReadMeansEndOfFile() throws {
        let file = try fs.open(root + "/db", options: [.readWrite, .create], permissions: 0o600)
        try write(file, [1, 2, 3, 4], at: 0)
        try write(file, [9, 9], at: 6)   // leaves a hole at 4..<6
        try file.dataSync()
        try file.sync()
        XCTAssertEqual(try file.size(), 8)
        XCTAssertEqual(try read(file, count: 8, at: 0), [1, 2, 3, 4, 0, 0, 9, 9])
        XCTAssertEqual(try read(file, count: 10, at: 5), [0, 9, 9])
        XCTAssertEqual(try read(file, count: 4, at: 100), [])
        try file.close()
    }

    func testCreatedFileGetsTheRequestedPermissions() throws {
        let file = try fs.open(root + "/db", options: [.readWrite, .create], permissions: 0o600)
        try file.close()
        var status = stat()
        XCTAssertEqual(stat(root + "/db", &status), 0)
        XCTAssertEqual(status.st_mode & 0o777, 0o600)
    }

    func testOpenFailuresCarryTheCallThePathAndTheErrno() throws {
        XCTAssertThrowsError(try fs.open(root + "/missing", options: .read, permissions: 0)) { error in
            XCTAssertEqual(error as? IOError, IOError(operation: "open", path: root + "/missing", errno: ENOENT))
        }
        let file = try fs.open(root + "/a", options: [.readWrite, .create], permissions: 0o600)
        try file.close()
        XCTAssertThrowsError(try fs.open(root + "/a", options: [.readWrite, .create, .exclusive], permissions: 0o600)) {
            XCTAssertEqual(($0 as? IOError)?.errno, EEXIST)
        }
        let reader = try fs.open(root + "/a", options: .read, permissions: 0)
        XCTAssertThrowsError(try write(reader, [1], at: 0)) {
            XCTAssertEqual($0 as? IOError, IOError(operation: "pwrite", path: root + "/a", errno: EBADF))
        }
        try reader.close()
    }

    func testTruncateOptionEmptiesAnExistingFile() throws {
        let file = try fs.open(root + "/a", options: [.readWrite, .create], permissions: 0o600)
        try write(file, [1, 2, 3], at: 0)
        try file.close()
        let again = try fs.open(root + "/a", options: [.readWrite, .truncate], permissions: 0)
        XCTAssertEqual(try again.size(), 0)
        try again.close()
    }

    func testTruncateShrinksAndZeroExtends() throws {
        let file = try fs.open(root + "/a", options: [.readWrite, .create], permissions: 0o600)
        try write(file, [1, 2, 3, 4], at: 0)
        try file.truncate(to: 2)
        XCTAssertEqual(try read(file, count: 8, at: 0), [1, 2])
        try file.truncate(to: 5)
        XCTAssertEqual(try read(file, count: 8, at: 0), [1, 2, 0, 0, 0])
        try file.close()
    }

    func testPreallocateGrowsAShorterFileWithZerosAndKeepsExistingBytes() throws {
        let file = try fs.open(root + "/wal", options: [.readWrite, .create], permissions: 0o600)
        try write(file, [7, 7, 7], at: 0)
        try file.preallocate(size: 64 * 1024)
        XCTAssertEqual(try file.size(), 64 * 1024)
        XCTAssertEqual(try read(file, count: 5, at: 0), [7, 7, 7, 0, 0])
        var status = stat()
        XCTAssertEqual(fstat((file as! PosixFile).descriptor, &status), 0)
        XCTAssertGreaterThanOrEqual(Int(status.st_blocks) * 512, 64 * 1024, "blocks are reserved")
        try file.preallocate(size: 10)   // never shrinks
        XCTAssertEqual(try file.size(), 64 * 1024)
        try file.close()
    }

    func testSharedMappingSeesLaterWritesThroughAnotherDescriptor() throws {
        let writer = try fs.open(root + "/db", options: [.readWrite, .create], permissions: 0o600)
        try writer.truncate(to: 8192)
        let reader = try fs.open(root + "/db", options: .read, permissions: 0)
        let region = try reader.map(length: 8192)
        XCTAssertEqual(region.bytes.count, 8192)
        XCTAssertEqual(region.bytes[4096], 0)
        try write(writer, [0xAB, 0xCD], at: 4096)
        XCTAssertEqual(Array(region.bytes[4096..<4098]), [0xAB, 0xCD])
        region.unmap()
        region.unmap()   // idempotent
        XCTAssertEqual(try reader.map(length: 0).bytes.count, 0)
        try reader.close()
        try writer.close()
    }

    /// flock locks belong to the open file description, not the process: two separate opens of
    /// one file in the same process conflict, which is what keeps two servers in one test process
    /// (or a restarted server whose old handle leaked) off the same data dir.
    func testExclusiveLockConflictsBetweenTwoOpensOfTheSameFileAndIsReleasedByClose() throws {
        let first = try fs.open(root + "/lock", options: [.readWrite, .create], permissions: 0o600)
        let second = try fs.open(root + "/lock", options: [.readWrite], permissions: 0)
        try first.lockExclusive()
        try first.lockExclusive()   // the holder may ask again
        XCTAssertThrowsError(try second.lockExclusive()) {
            XCTAssertEqual($0 as? IOError, IOError(operation: "flock", path: root + "/lock", errno: EWOULDBLOCK))
        }
        try first.close()
        try second.lockExclusive()
        try second.close()
    }

    func testCreateDirectoryMakesParentsAcceptsExistingAndRefusesAFileInTheWay() throws {
        try fs.createDirectory(root + "/member/snap", permissions: 0o700)
        try fs.createDirectory(root + "/member/snap", permissions: 0o700)
        XCTAssertTrue(fs.exists(root + "/member/snap"))
        var status = stat()
        XCTAssertEqual(stat(root + "/member", &status), 0)
        XCTAssertEqual(status.st_mode & 0o777, 0o700)
        try fs.open(root + "/member/file", options: [.write, .create], permissions: 0o600).close()
        XCTAssertThrowsError(try fs.createDirectory(root + "/member/file/x", permissions: 0o700)) {
            XCTAssertEqual($0 as? IOError, IOError(operation: "mkdir", path: root + "/member/file", errno: ENOTDIR))
        }
    }

    func testListRenameRemoveAndSyncDirectory() throws {
        for name in ["b.wal", "a.wal", "c.tmp", "B"] {
            try fs.open(root + "/" + name, options: [.write, .create], permissions: 0o600).close()
        }
        XCTAssertEqual(try fs.listDirectory(root), ["B", "a.wal", "b.wal", "c.tmp"])
        try fs.rename(root + "/c.tmp", to: root + "/a.wal")   // replaces
        try fs.remove(root + "/B")
        try fs.syncDirectory(root)
        XCTAssertEqual(try fs.listDirectory(root), ["a.wal", "b.wal"])
        XCTAssertFalse(fs.exists(root + "/B"))
        XCTAssertThrowsError(try fs.remove(root + "/B")) {
            XCTAssertEqual($0 as? IOError, IOError(operation: "unlink", path: root + "/B", errno: ENOENT))
        }
        XCTAssertThrowsError(try fs.syncDirectory(root + "/a.wal")) {
            XCTAssertEqual(($0 as? IOError)?.errno, ENOTDIR)
        }
        XCTAssertThrowsError(try fs.listDirectory(root + "/nope")) {
            XCTAssertEqual($0 as? IOError, IOError(operation: "opendir", path: root + "/nope", errno: ENOENT))
        }
    }
}
