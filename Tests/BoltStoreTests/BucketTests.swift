@testable import BoltStore
import EtcdIO
import XCTest

/// Buckets: values, nested and inline buckets, sequences, and the errors bbolt gives.
final class BucketTests: XCTestCase {
    func testPutGetDeleteAndReopen() throws {
        let (fs, db) = try openSimulated()
        try db.update { tx in
            let b = try tx.createBucket(named: bytes("key"))
            try b.put(bytes("a"), bytes("1"))
            try b.put(bytes("b"), bytes("2"))
            try b.put(bytes("a"), bytes("3"))
            try b.delete(bytes("b"))
            try b.delete(bytes("missing"))
        }
        try db.close()
        let reopened = try Database.open(path: "/db", fileSystem: fs)
        try reopened.view { tx in
            let b = tx.bucket(named: bytes("key"))!
            XCTAssertEqual(b.get(bytes("a")), bytes("3"))
            XCTAssertNil(b.get(bytes("b")))
            XCTAssertNil(tx.bucket(named: bytes("nope")))
        }
        try reopened.close()
    }

    func testNestedBucketsInlineWhileSmallAndSpillWhenLarge() throws {
        let (fs, db) = try openSimulated()
        try db.update { tx in
            let parent = try tx.createBucket(named: bytes("parent"))
            let small = try parent.createBucket(named: bytes("small"))
            try small.put(bytes("x"), bytes("y"))
            let large = try parent.createBucket(named: bytes("large"))
            for i in 0..<500 { try large.put(key(i), [UInt8](repeating: UInt8(i & 0xFF), count: 100)) }
        }
        try db.view { tx in
            checkConsistency(tx)
            let parent = tx.bucket(named: bytes("parent"))!
            XCTAssertNotEqual(parent.header.root, 0, "holds nested buckets: never inline")
            let small = parent.nestedBucket(named: bytes("small"))!
            XCTAssertEqual(small.header.root, 0, "a quarter page or less: stored inline")
            XCTAssertEqual(small.get(bytes("x")), bytes("y"))
            let large = parent.nestedBucket(named: bytes("large"))!
            XCTAssertNotEqual(large.header.root, 0)
            XCTAssertEqual(contents(large).count, 500)
            XCTAssertNil(parent.get(bytes("small")), "a bucket is not a value")
        }
        try db.close()
        let reopened = try Database.open(path: "/db", fileSystem: fs)
        try reopened.update { tx in
            let parent = tx.bucket(named: bytes("parent"))!
            let large = parent.nestedBucket(named: bytes("large"))!
            for i in 0..<498 { try large.delete(key(i)) }
        }
        try reopened.view { tx in
            checkConsistency(tx)
            let large = tx.bucket(named: bytes("parent"))!.nestedBucket(named: bytes("large"))!
            XCTAssertEqual(large.header.root, 0, "shrunk below a quarter page: inline again")
            XCTAssertEqual(contents(large).map(\.0), [key(498), key(499)])
        }
        try reopened.close()
    }

    func testBucketErrorsMatchBbolt() throws {
        let (_, db) = try openSimulated()
        let tx = try db.beginWrite()
        let b = try tx.createBucket(named: bytes("b"))
        try b.put(bytes("v"), bytes("1"))
        XCTAssertThrowsError(try tx.createBucket(named: bytes("b"))) { XCTAssertEqual($0 as? BoltError, .bucketExists) }
        XCTAssertThrowsError(try tx.createBucket(named: [])) { XCTAssertEqual($0 as? BoltError, .bucketNameRequired) }
        XCTAssertThrowsError(try b.createBucket(named: bytes("v"))) { XCTAssertEqual($0 as? BoltError, .incompatibleValue) }
        _ = try b.createBucket(named: bytes("n"))
        XCTAssertThrowsError(try b.put(bytes("n"), bytes("x"))) { XCTAssertEqual($0 as? BoltError, .incompatibleValue) }
        XCTAssertThrowsError(try b.delete(bytes("n"))) { XCTAssertEqual($0 as? BoltError, .incompatibleValue) }
        XCTAssertThrowsError(try b.put([], bytes("x"))) { XCTAssertEqual($0 as? BoltError, .keyRequired) }
        XCTAssertThrowsError(try b.put([UInt8](repeating: 1, count: 32769), [])) { XCTAssertEqual($0 as? BoltError, .keyTooLarge) }
        XCTAssertThrowsError(try tx.deleteBucket(named: bytes("zz"))) { XCTAssertEqual($0 as? BoltError, .bucketNotFound) }
        XCTAssertThrowsError(try b.deleteBucket(named: bytes("v"))) { XCTAssertEqual($0 as? BoltError, .incompatibleValue) }
        XCTAssertEqual(try tx.createBucketIfNotExists(named: bytes("b")).get(bytes("v")), bytes("1"))
        tx.rollback()
        let reader = try db.beginRead()
        XCTAssertThrowsError(try reader.createBucket(named: bytes("x"))) { XCTAssertEqual($0 as? BoltError, .transactionNotWritable) }
        reader.rollback()
        try db.close()
    }

    func testDeleteBucketFreesItsPagesAndNestedBuckets() throws {
        let (_, db) = try openSimulated()
        try db.update { tx in
            let b = try tx.createBucket(named: bytes("big"))
            for i in 0..<2000 { try b.put(key(i), [UInt8](repeating: 7, count: 64)) }
            let inner = try b.createBucket(named: bytes("inner"))
            for i in 0..<2000 { try inner.put(key(i), [UInt8](repeating: 8, count: 64)) }
        }
        let sizeBefore = db.size
        try db.update { tx in try tx.deleteBucket(named: bytes("big")) }
        try db.update { tx in _ = try tx.createBucket(named: bytes("again")) }
        try db.view { tx in
            checkConsistency(tx)
            XCTAssertNil(tx.bucket(named: bytes("big")))
            XCTAssertEqual(tx.bucketNames(), [bytes("again")])
        }
        XCTAssertEqual(db.size, sizeBefore, "the file does not grow")
        XCTAssertLessThan(db.inUseBytes, sizeBefore / 4, "the deleted pages are free")
        try db.close()
    }

    func testSequencePersists() throws {
        let (fs, db) = try openSimulated()
        try db.update { tx in
            let b = try tx.createBucket(named: bytes("s"))
            XCTAssertEqual(try b.nextSequence(), 1)
            XCTAssertEqual(try b.nextSequence(), 2)
            let n = try b.createBucket(named: bytes("n"))
            try n.setSequence(41)
        }
        try db.close()
        let reopened = try Database.open(path: "/db", fileSystem: fs)
        try reopened.update { tx in
            let b = tx.bucket(named: bytes("s"))!
            XCTAssertEqual(b.sequence, 2)
            XCTAssertEqual(try b.nestedBucket(named: bytes("n"))!.nextSequence(), 42)
        }
        try reopened.view { tx in
            XCTAssertEqual(tx.bucket(named: bytes("s"))!.nestedBucket(named: bytes("n"))!.sequence, 42)
        }
        try reopened.close()
    }
}
