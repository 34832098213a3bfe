@testable import BoltStore
import EtcdIO
import XCTest

/// The real disk and a real mmap: create, grow past several remaps, reopen.
final class PosixTests: XCTestCase {
    func testDataSurvivesCloseAndReopenOnTheRealDisk() throws {
        let directory = "/tmp/boltstore-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fs = PosixFileSystem()
        try fs.createDirectory(directory, permissions: 0o700)
        defer {
            try? fs.remove(directory + "/db")
            rmdir(directory)
        }
        let db = try Database.open(path: directory + "/db", fileSystem: fs)
        let reader = try db.beginRead()
        for round in 0..<4 {
            try db.update { tx in
                let b = try tx.createBucketIfNotExists(named: bytes("key"))
                for i in 0..<2000 { try b.put(key(round * 2000 + i), [UInt8](repeating: UInt8(round), count: 100)) }
            }
        }
        XCTAssertNil(reader.bucket(named: bytes("key")), "the old snapshot, on the old map")
        reader.rollback()
        XCTAssertGreaterThan(db.fileSize, 512 * 1024)
        try db.close()
        let reopened = try Database.open(path: directory + "/db", fileSystem: fs)
        try reopened.view { tx in
            checkConsistency(tx)
            let all = contents(tx.bucket(named: bytes("key"))!)
            XCTAssertEqual(all.count, 8000)
            XCTAssertEqual(all[6000].1, [UInt8](repeating: 3, count: 100))
        }
        try reopened.close()
    }
}
