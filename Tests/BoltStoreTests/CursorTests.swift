@testable import BoltStore
import EtcdIO
import XCTest

/// Cursor order and seek semantics over trees of several levels.
final class CursorTests: XCTestCase {
    /// Keys 0, 2, 4, … (even numbers) so seeks can land between keys.
    private func makeDatabase(count: Int) throws -> Database {
        let (_, db) = try openSimulated()
        try db.update { tx in
            let b = try tx.createBucket(named: bytes("k"))
            for i in stride(from: 0, to: count * 2, by: 2) { try b.put(key(i), bytes("v\(i)")) }
        }
        return db
    }

    func testForwardAndBackwardIterationVisitEveryKeyInOrder() throws {
        let count = 5000
        let db = try makeDatabase(count: count)
        try db.view { tx in
            checkConsistency(tx)
            let b = tx.bucket(named: bytes("k"))!
            var c = b.cursor()
            var seen: [[UInt8]] = []
            var entry = c.first()
            while let (k, v) = entry {
                XCTAssertEqual(v, bytes("v\(k.withUnsafeBytes { Int(UInt64(bigEndian: $0.loadUnaligned(as: UInt64.self))) })"))
                seen.append(k)
                entry = c.next()
            }
            XCTAssertTrue(seen == (0..<count).map { key($0 * 2) }, "every key once, in order")
            var backwards: [[UInt8]] = []
            entry = c.last()
            while let (k, _) = entry {
                backwards.append(k)
                entry = c.prev()
            }
            XCTAssertTrue(backwards == seen.reversed(), "last/prev visits the same keys backwards")
        }
        try db.close()
    }

    func testSeekFindsTheFirstKeyAtOrAfterTheTarget() throws {
        let db = try makeDatabase(count: 3000)
        try db.view { tx in
            let b = tx.bucket(named: bytes("k"))!
            var c = b.cursor()
            XCTAssertEqual(c.seek(key(100))?.key, key(100), "exact match")
            XCTAssertEqual(c.seek(key(101))?.key, key(102), "between keys: the next one")
            XCTAssertEqual(c.next()?.key, key(104), "iteration continues from the seek")
            XCTAssertEqual(c.seek([])?.key, key(0), "empty target: the first key")
            XCTAssertNil(c.seek(key(5999)), "past the last key: nothing")
            XCTAssertEqual(c.seek(key(5998))?.key, key(5998))
            XCTAssertNil(c.next())
            // Every odd target lands on its successor, across page boundaries.
            for i in stride(from: 1, to: 5998, by: 2) {
                XCTAssertEqual(c.seek(key(i))?.key, key(i + 1))
            }
        }
        try db.close()
    }

    func testEmptyBucketHasNoFirstLastOrSeek() throws {
        let (_, db) = try openSimulated()
        try db.update { tx in _ = try tx.createBucket(named: bytes("e")) }
        try db.view { tx in
            var c = tx.bucket(named: bytes("e"))!.cursor()
            XCTAssertNil(c.first())
            XCTAssertNil(c.last())
            XCTAssertNil(c.seek(bytes("a")))
            XCTAssertNil(c.next())
        }
        try db.close()
    }

    func testCursorInWriteTransactionSeesUncommittedChangesInOrder() throws {
        let db = try makeDatabase(count: 1000)
        try db.update { tx in
            let b = tx.bucket(named: bytes("k"))!
            try b.put(key(1), bytes("new"))
            try b.delete(key(2))
            var c = b.cursor()
            XCTAssertEqual(c.first()?.key, key(0))
            XCTAssertEqual(c.next()?.key, key(1))
            XCTAssertEqual(c.next()?.key, key(4))
            XCTAssertEqual(b.get(key(1)), bytes("new"))
            XCTAssertNil(b.get(key(2)))
        }
        try db.close()
    }

    func testBorrowedValuesPointIntoTheMapWithoutCopying() throws {
        let db = try makeDatabase(count: 10)
        let tx = try db.beginRead()
        let b = tx.bucket(named: bytes("k"))!
        let value = key(4).withUnsafeBytes { b.getBorrowed($0) }!
        XCTAssertEqual(Array(value), bytes("v4"))
        let map = tx.mappedBytes
        XCTAssertTrue(value.baseAddress! >= map.baseAddress! && value.baseAddress! < map.baseAddress! + map.count)
        tx.rollback()
        try db.close()
    }
}
