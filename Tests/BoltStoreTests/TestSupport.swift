@testable import BoltStore
import EtcdIO
import XCTest

/// A fresh simulated disk with a database at "/db".
func openSimulated(_ fs: SimulatedFileSystem = SimulatedFileSystem(), options: Database.Options = .init(),
                   file: StaticString = #filePath, line: UInt = #line) throws -> (SimulatedFileSystem, Database) {
    let db = try Database.open(path: "/db", fileSystem: fs, options: options)
    return (fs, db)
}

func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }

/// Big-endian 8-byte key, so numeric order is byte order.
func key(_ n: Int) -> [UInt8] { withUnsafeBytes(of: UInt64(n).bigEndian) { Array($0) } }

/// Every key/value of a bucket in cursor order.
func contents(_ bucket: Bucket) -> [([UInt8], [UInt8])] {
    var result: [([UInt8], [UInt8])] = []
    var c = bucket.cursor()
    var entry = c.first()
    while let (k, v) = entry {
        result.append((k, v))
        entry = c.next()
    }
    return result
}

/// bbolt's `Tx.Check`, in Swift: every page below the high-water mark is either reachable
/// exactly once (metas, freelist, bucket trees) or free/pending, never both; trees have sorted
/// keys, leaves at one depth, and branch keys equal to their child's first key.
func checkConsistency(_ tx: Transaction, file: StaticString = #filePath, line: UInt = #line) {
    var reachable: [PageID: String] = [0: "meta", 1: "meta"]
    let freelistPage = tx.page(tx.meta.freelist)
    for i in 0...PageID(freelistPage.overflow) { reachable[tx.meta.freelist + i] = "freelist" }
    let free = Freelist.decodeIDs(freelistPage)
    let freeSet = Set(free)
    XCTAssertEqual(free.count, freeSet.count, "freelist holds duplicates", file: file, line: line)
    func walk(_ id: PageID, depth: Int, leafDepths: inout Set<Int>) -> UnsafeRawBufferPointer? {
        let page = tx.page(id)
        XCTAssertEqual(page.id, id, "page header id", file: file, line: line)
        for i in 0...PageID(page.overflow) {
            XCTAssertNil(reachable[id + i], "page \(id + i) referenced twice", file: file, line: line)
            XCTAssertFalse(freeSet.contains(id + i), "page \(id + i) reachable and free", file: file, line: line)
            reachable[id + i] = "tree"
        }
        XCTAssertTrue(page.isLeaf || page.isBranch, "page \(id) has type \(page.flags)", file: file, line: line)
        var previous: UnsafeRawBufferPointer?
        for i in 0..<page.count {
            let k = page.isLeaf ? page.leafKey(i) : page.branchKey(i)
            if let previous { XCTAssertLessThan(compareBytes(previous, k), 0, "keys out of order in page \(id)", file: file, line: line) }
            previous = k
            if page.isBranch {
                let childFirst = walk(page.branchPageID(i), depth: depth + 1, leafDepths: &leafDepths)
                if let childFirst { XCTAssertTrue(bytesEqual(childFirst, k), "branch key differs from child's first key", file: file, line: line) }
            } else if page.leafFlags(i) & bucketLeafFlag != 0 {
                checkNested(page.leafValue(i))
            }
        }
        if page.isLeaf { leafDepths.insert(depth) }
        return page.count > 0 ? (page.isLeaf ? page.leafKey(0) : page.branchKey(0)) : nil
    }
    func checkNested(_ value: UnsafeRawBufferPointer) {
        let header = BucketHeader.read(from: value.baseAddress!)
        if header.root == 0 {
            let inline = Page(base: value.baseAddress! + BucketHeader.size)
            XCTAssertTrue(inline.isLeaf, "inline bucket page is not a leaf", file: file, line: line)
            for i in 0..<inline.count where inline.leafFlags(i) & bucketLeafFlag != 0 {
                XCTFail("inline bucket holds a nested bucket", file: file, line: line)
            }
        } else {
            var depths = Set<Int>()
            _ = walk(header.root, depth: 0, leafDepths: &depths)
            XCTAssertEqual(depths.count, 1, "leaves at several depths", file: file, line: line)
        }
    }
    var depths = Set<Int>()
    _ = walk(tx.meta.root.root, depth: 0, leafDepths: &depths)
    XCTAssertEqual(depths.count, 1, "leaves at several depths", file: file, line: line)
    for id in 0..<tx.meta.pgid where reachable[id] == nil && !freeSet.contains(id) {
        XCTFail("page \(id): unreachable unfreed", file: file, line: line)
    }
}

/// The raw bytes of the file at `path`.
func fileBytes(_ fs: any FileSystem, _ path: String) throws -> [UInt8] {
    let file = try fs.open(path, options: [.read], permissions: 0o600)
    defer { try? file.close() }
    var result = [UInt8](repeating: 0, count: Int(try file.size()))
    let count = try result.withUnsafeMutableBytes { try file.read(into: $0, at: 0) }
    XCTAssertEqual(count, result.count)
    return result
}

func writeFileBytes(_ fs: any FileSystem, _ path: String, _ bytes: [UInt8]) throws {
    let file = try fs.open(path, options: [.read, .write, .create, .truncate], permissions: 0o600)
    try bytes.withUnsafeBytes { try file.write($0, at: 0) }
    try file.dataSync()
    try file.close()
}
