@testable import BoltStore
import EtcdIO
import XCTest

/// Snapshots, rollback, page reuse and sizes.
final class TransactionTests: XCTestCase {
    func testReaderKeepsItsSnapshotWhileWritersCommit() throws {
        let (_, db) = try openSimulated()
        try db.update { tx in
            let b = try tx.createBucket(named: bytes("k"))
            for i in 0..<1000 { try b.put(key(i), bytes("old")) }
        }
        let reader = try db.beginRead()
        let snapshotID = reader.id
        // Writers replace everything and grow the file well past the reader's map.
        for round in 0..<3 {
            try db.update { tx in
                let b = tx.bucket(named: bytes("k"))!
                for i in 0..<1000 { try b.put(key(i), [UInt8](repeating: UInt8(round), count: 200)) }
                for i in 1000..<2000 { try b.put(key(i), [UInt8](repeating: 1, count: 200)) }
            }
        }
        let b = reader.bucket(named: bytes("k"))!
        XCTAssertEqual(contents(b).count, 1000)
        XCTAssertTrue(contents(b).allSatisfy { $0.1 == bytes("old") })
        XCTAssertEqual(reader.id, snapshotID)
        checkConsistency(reader)
        reader.rollback()
        try db.view { tx in
            XCTAssertEqual(tx.id, snapshotID + 3)
            XCTAssertEqual(contents(tx.bucket(named: bytes("k"))!).count, 2000)
            checkConsistency(tx)
        }
        try db.close()
    }

    func testConcurrentReadersOnOtherThreadsSeeCommittedStatesOnly() throws {
        let (_, db) = try openSimulated()
        try db.update { tx in _ = try tx.createBucket(named: bytes("k")) }
        // Each commit writes the same value under 100 keys: a reader must never see a mix.
        let writer = Thread {
            for round in 1...30 {
                try! db.update { tx in
                    let b = tx.bucket(named: bytes("k"))!
                    for i in 0..<100 { try b.put(key(i), key(round)) }
                }
            }
        }
        writer.start()
        DispatchQueue.concurrentPerform(iterations: 4) { _ in
            for _ in 0..<50 {
                try! db.view { tx in
                    let values = Set(contents(tx.bucket(named: bytes("k"))!).map(\.1))
                    XCTAssertLessThanOrEqual(values.count, 1, "a snapshot mixes commits")
                }
            }
        }
        while writer.isExecuting || !writer.isFinished { usleep(1000) }
        try db.close()
    }

    func testRollbackDiscardsChangesAndFreesNothing() throws {
        let (_, db) = try openSimulated()
        try db.update { tx in try tx.createBucket(named: bytes("k")).put(bytes("a"), bytes("1")) }
        let counts = db.freePageCounts
        let tx = try db.beginWrite()
        try tx.bucket(named: bytes("k"))!.put(bytes("a"), bytes("2"))
        try tx.deleteBucket(named: bytes("k"))
        tx.rollback()
        try db.view { tx in XCTAssertEqual(tx.bucket(named: bytes("k"))?.get(bytes("a")), bytes("1")) }
        XCTAssertEqual(db.freePageCounts.free, counts.free)
        try db.update { tx in checkConsistency(tx) }
        try db.close()
    }

    func testPagesFreedWhileAReaderIsOpenAreNotReusedUntilItEnds() throws {
        let (_, db) = try openSimulated()
        try db.update { tx in
            let b = try tx.createBucket(named: bytes("k"))
            for i in 0..<500 { try b.put(key(i), [UInt8](repeating: 1, count: 100)) }
        }
        let reader = try db.beginRead()
        try db.update { tx in
            let b = tx.bucket(named: bytes("k"))!
            for i in 0..<500 { try b.put(key(i), [UInt8](repeating: 2, count: 100)) }
        }
        try db.update { tx in
            let b = tx.bucket(named: bytes("k"))!
            for i in 0..<500 { try b.put(key(i), [UInt8](repeating: 3, count: 100)) }
        }
        XCTAssertTrue(contents(reader.bucket(named: bytes("k"))!).allSatisfy { $0.1 == [UInt8](repeating: 1, count: 100) })
        let sizeWithReader = db.size
        reader.rollback()
        for round in 4..<10 {
            try db.update { tx in
                let b = tx.bucket(named: bytes("k"))!
                for i in 0..<500 { try b.put(key(i), [UInt8](repeating: UInt8(round), count: 100)) }
            }
        }
        XCTAssertEqual(db.size, sizeWithReader, "freed pages are reused once the reader is gone")
        try db.close()
    }

    func testWriteTransactionIdAndSize() throws {
        let (_, db) = try openSimulated()
        let tx = try db.beginWrite()
        XCTAssertEqual(tx.id, 2, "fresh file: txid 1 committed, next is 2")
        XCTAssertEqual(tx.size, 4 * 4096)
        XCTAssertTrue(tx.isWritable)
        try tx.commit()
        XCTAssertEqual(try db.view { $0.id }, 2)
        XCTAssertEqual(db.size, 5 * 4096, "empty commit: only a new freelist page (the old one is pending)")
        try db.close()
    }
}

/// Ending a transaction twice: bbolt's `defer tx.Rollback()` idiom.
final class TransactionEndingTests: XCTestCase {
    func testRollbackAfterCommitIsHarmlessAndCommitAfterEndThrows() throws {
        let (_, db) = try openSimulated()
        let tx = try db.beginWrite()
        try tx.createBucket(named: bytes("k")).put(bytes("a"), bytes("1"))
        try tx.commit()
        tx.rollback()
        XCTAssertThrowsError(try tx.commit()) { XCTAssertEqual($0 as? BoltError, .transactionClosed) }
        // The writer gate was released exactly once: a new writer can begin.
        let next = try db.beginWrite()
        XCTAssertEqual(next.bucket(named: bytes("k"))?.get(bytes("a")), bytes("1"))
        next.rollback()
        try db.close()
    }
}
