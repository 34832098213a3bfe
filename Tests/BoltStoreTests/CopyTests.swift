@testable import BoltStore
import EtcdIO
import XCTest

/// Snapshot streaming (etcd's Maintenance.Snapshot) and compaction (defragment).
final class CopyTests: XCTestCase {
    private func fill(_ db: Database) throws {
        try db.update { tx in
            let a = try tx.createBucket(named: bytes("key"))
            for i in 0..<3000 { try a.put(key(i), [UInt8](repeating: UInt8(i & 0xFF), count: 60)) }
            let meta = try tx.createBucket(named: bytes("meta"))
            try meta.put(bytes("consistent_index"), key(42))
            let nested = try meta.createBucket(named: bytes("inner"))
            try nested.put(bytes("x"), bytes("y"))
            try nested.setSequence(7)
        }
    }

    private func assertSameContents(_ a: Database, _ b: Database, line: UInt = #line) throws {
        try a.view { ta in
            try b.view { tb in
                checkConsistency(ta)
                checkConsistency(tb)
                XCTAssertEqual(ta.bucketNames(), tb.bucketNames(), line: line)
                for name in ta.bucketNames() {
                    let x = ta.bucket(named: name)!, y = tb.bucket(named: name)!
                    // Compared as one Bool so a failure does not print thousands of keys.
                    XCTAssertTrue(contents(x).map(\.0) == contents(y).map(\.0), "keys of \(name)", line: line)
                    XCTAssertTrue(contents(x).map(\.1) == contents(y).map(\.1), "values of \(name)", line: line)
                }
                let inner = tb.bucket(named: bytes("meta"))!.nestedBucket(named: bytes("inner"))!
                XCTAssertEqual(inner.get(bytes("x")), bytes("y"), line: line)
                XCTAssertEqual(inner.sequence, 7, line: line)
            }
        }
    }

    func testWriteToStreamsAConsistentSnapshotWhileWritesContinue() throws {
        let (fs, db) = try openSimulated()
        try fill(db)
        let reader = try db.beginRead()
        // A write after the snapshot began must not show up in the copy.
        try db.update { tx in try tx.bucket(named: bytes("key"))!.put(bytes("later"), bytes("!")) }
        var copy: [UInt8] = []
        reader.write(chunkBytes: 10_000) { copy += $0 }
        XCTAssertEqual(Int64(copy.count), reader.copyBytes)
        reader.rollback()
        try writeFileBytes(fs, "/copy", copy)
        let copied = try Database.open(path: "/copy", fileSystem: fs)
        try copied.view { tx in
            XCTAssertNil(tx.bucket(named: bytes("key"))!.get(bytes("later")))
            XCTAssertEqual(contents(tx.bucket(named: bytes("key"))!).count, 3000)
        }
        try copied.update { tx in try tx.bucket(named: bytes("key"))!.put(bytes("after"), bytes("copy")) }
        try copied.view { tx in checkConsistency(tx) }
        try copied.close()
        try db.close()
    }

    func testCompactCopiesEverythingIntoASmallerFile() throws {
        let (fs, db) = try openSimulated()
        try fill(db)
        try db.update { tx in
            let b = tx.bucket(named: bytes("key"))!
            for i in 0..<3000 where i % 10 != 0 { try b.delete(key(i)) }
        }
        let destination = try Database.open(path: "/compacted", fileSystem: fs)
        try db.compact(into: destination, txBytesMax: 4096)
        try assertSameContents(db, destination)
        XCTAssertLessThan(destination.size, db.size / 2, "free pages are not copied")
        XCTAssertLessThan(destination.inUseBytes, db.inUseBytes)
        try destination.close()
        try db.close()
    }
}

/// The pull-style copy the snapshot sender uses must be byte-for-byte the push-style stream.
final class CopySnapshotTests: XCTestCase {
    func testCopySnapshotAtAnyOffsetMatchesWriteTo() throws {
        let (_, db) = try openSimulated()
        try db.update { tx in
            let bucket = try tx.createBucket(named: bytes("key"))
            for i in 0..<500 { try bucket.put(key(i), [UInt8](repeating: UInt8(i & 0xFF), count: 40)) }
        }
        try db.view { tx in
            var streamed: [UInt8] = []
            tx.write(chunkBytes: 4096) { streamed.append(contentsOf: $0) }
            XCTAssertEqual(streamed.count, Int(tx.copyBytes))
            let pageSize = PageLayout.pageSize
            // Pieces that start inside the meta pages, straddle their end, and lie past them.
            for (offset, count) in [(0, streamed.count), (0, 10), (pageSize - 3, 7), (2 * pageSize - 5, 13),
                                    (2 * pageSize, pageSize), (streamed.count - 9, 9)] {
                var piece = [UInt8](repeating: 0xAA, count: count)
                piece.withUnsafeMutableBytes { tx.copySnapshot(at: offset, into: $0) }
                XCTAssertTrue(piece == Array(streamed[offset..<(offset + count)]), "\(count) bytes at \(offset)")
            }
        }
    }
}
