@testable import BoltStore
import EtcdIO
import XCTest

/// Node split and merge: the shapes bbolt's thresholds give.
final class NodeTests: XCTestCase {
    /// A leaf node of `count` entries with `valueBytes`-byte values, in a write transaction.
    private func leaf(_ tx: Transaction, count: Int, valueBytes: Int) throws -> Node {
        let bucket = try tx.createBucket(named: bytes("n"))
        let node = Node(bucket: bucket, isLeaf: true, parent: nil)
        for i in 0..<count {
            let k = key(i).withUnsafeBytes { tx.arena.copy($0) }
            let v = [UInt8](repeating: 1, count: valueBytes).withUnsafeBytes { tx.arena.copy($0) }
            node.inodes.append(INode(flags: 0, pgid: 0, key: k, value: v))
        }
        return node
    }

    func testSplitFillsPagesToTheFillPercentAndKeepsOrder() throws {
        let (_, db) = try openSimulated()
        let tx = try db.beginWrite()
        let node = try leaf(tx, count: 1000, valueBytes: 40)
        let original = node.inodes.map { Array($0.key) }
        let parts = node.split(pageSize: 4096)
        XCTAssertGreaterThan(parts.count, 1)
        XCTAssertEqual(parts.flatMap { $0.inodes.map { Array($0.key) } }, original, "order and content kept")
        for (i, part) in parts.enumerated() {
            XCTAssertGreaterThanOrEqual(part.inodes.count, 2, "at least minKeysPerPage per page")
            XCTAssertLessThanOrEqual(part.size, 4096, "each part fits a page")
            if i < parts.count - 1 {
                // Filled to half a page (fill percent 0.5): adding one more entry crosses it.
                XCTAssertLessThanOrEqual(part.size, 2048)
                XCTAssertGreaterThan(part.size + 16 + 8 + 40, 2048)
            }
            XCTAssertTrue(part.parent === parts[0].parent, "siblings share the new parent")
        }
        tx.rollback()
        try db.close()
    }

    func testSmallNodesAndFewKeysDoNotSplit() throws {
        let (_, db) = try openSimulated()
        let tx = try db.beginWrite()
        XCTAssertEqual(try leaf(tx, count: 50, valueBytes: 10).split(pageSize: 4096).count, 1, "fits a page")
        let huge = try tx.createBucket(named: bytes("h"))
        let node = Node(bucket: huge, isLeaf: true, parent: nil)
        for i in 0..<4 {
            let k = key(i).withUnsafeBytes { tx.arena.copy($0) }
            let v = [UInt8](repeating: 1, count: 10_000).withUnsafeBytes { tx.arena.copy($0) }
            node.inodes.append(INode(flags: 0, pgid: 0, key: k, value: v))
        }
        XCTAssertEqual(node.split(pageSize: 4096).count, 1, "4 keys or fewer never split (overflow pages instead)")
        tx.rollback()
        try db.close()
    }

    func testLargeValuesUseOverflowPages() throws {
        let (fs, db) = try openSimulated()
        let big = [UInt8]((0..<20_000).map { UInt8($0 & 0xFF) })
        try db.update { tx in try tx.createBucket(named: bytes("b")).put(bytes("big"), big) }
        try db.close()
        let reopened = try Database.open(path: "/db", fileSystem: fs)
        try reopened.view { tx in
            checkConsistency(tx)
            let b = tx.bucket(named: bytes("b"))!
            XCTAssertEqual(b.get(bytes("big")), big)
            XCTAssertEqual(tx.page(b.header.root).overflow, 4, "20 KB value: 5 contiguous pages")
        }
        try reopened.close()
    }

    func testDeletesMergeNodesUntilTheTreeIsOneLeaf() throws {
        let (_, db) = try openSimulated()
        try db.update { tx in
            let b = try tx.createBucket(named: bytes("k"))
            for i in 0..<5000 { try b.put(key(i), [UInt8](repeating: 3, count: 30)) }
        }
        func depthAndPages() throws -> (Int, Int) {
            try db.view { tx in
                let b = tx.bucket(named: bytes("k"))!
                var depth = 1
                var page = tx.page(b.header.root)
                while page.isBranch { depth += 1; page = tx.page(page.branchPageID(0)) }
                var pages = 0
                func count(_ id: PageID) { pages += 1; let p = tx.page(id); if p.isBranch { for i in 0..<p.count { count(p.branchPageID(i)) } } }
                count(b.header.root)
                return (depth, pages)
            }
        }
        let (depth, pages) = try depthAndPages()
        XCTAssertGreaterThanOrEqual(depth, 2)
        XCTAssertGreaterThan(pages, 50)
        try db.update { tx in
            let b = tx.bucket(named: bytes("k"))!
            for i in 0..<5000 where i % 100 != 0 { try b.delete(key(i)) }
        }
        let (depthAfter, pagesAfter) = try depthAndPages()
        XCTAssertEqual(depthAfter, 1, "50 small keys: underfull leaves merged and the root collapsed")
        XCTAssertEqual(pagesAfter, 1)
        try db.view { tx in
            checkConsistency(tx)
            XCTAssertEqual(contents(tx.bucket(named: bytes("k"))!).map(\.0), stride(from: 0, to: 5000, by: 100).map { key($0) })
        }
        try db.close()
    }
}
