@testable import BoltStore
import EtcdIO
import XCTest

/// The on-disk format, byte for byte as bbolt writes it.
final class FormatTests: XCTestCase {
    func testFNV1a64MatchesKnownVectors() {
        // Published FNV-1a 64 test vectors.
        XCTAssertEqual([UInt8]().withUnsafeBytes { fnv1a64($0) }, 0xcbf2_9ce4_8422_2325)
        XCTAssertEqual(bytes("a").withUnsafeBytes { fnv1a64($0) }, 0xaf63_dc4c_8601_ec8c)
        XCTAssertEqual(bytes("foobar").withUnsafeBytes { fnv1a64($0) }, 0x8594_4171_f739_67e8)
    }

    func testMetaRoundTripsAndChecksumCoversEveryField() {
        var meta = Meta()
        meta.root = BucketHeader(root: 7, sequence: 9)
        meta.freelist = 5
        meta.pgid = 12
        meta.txid = 42
        let page = UnsafeMutableRawPointer.allocate(byteCount: 4096, alignment: 8)
        defer { page.deallocate() }
        page.initializeMemory(as: UInt8.self, repeating: 0, count: 4096)
        meta.writePage(into: page)
        let header = Page(base: page)
        XCTAssertEqual(header.id, 0, "txid 42 is even: meta page 0")
        XCTAssertEqual(header.flags, .meta)
        let read = Meta.read(from: page + 16)
        XCTAssertNil(read.validationError())
        XCTAssertEqual(read.txid, 42)
        XCTAssertEqual(read.root, BucketHeader(root: 7, sequence: 9))
        XCTAssertEqual(read.checksum, read.computeChecksum())
        // Field offsets within the meta body (after the 16-byte page header).
        XCTAssertEqual(page.loadUnaligned(fromByteOffset: 16, as: UInt32.self), 0xED0C_DAED)
        XCTAssertEqual(page.loadUnaligned(fromByteOffset: 20, as: UInt32.self), 2)
        XCTAssertEqual(page.loadUnaligned(fromByteOffset: 24, as: UInt32.self), 4096)
        XCTAssertEqual(page.loadUnaligned(fromByteOffset: 32, as: UInt64.self), 7)
        XCTAssertEqual(page.loadUnaligned(fromByteOffset: 48, as: UInt64.self), 5)
        XCTAssertEqual(page.loadUnaligned(fromByteOffset: 56, as: UInt64.self), 12)
        XCTAssertEqual(page.loadUnaligned(fromByteOffset: 64, as: UInt64.self), 42)
        for offset in 16..<72 {
            let original = page.load(fromByteOffset: offset, as: UInt8.self)
            page.storeBytes(of: original ^ 0x01, toByteOffset: offset, as: UInt8.self)
            XCTAssertNotNil(Meta.read(from: page + 16).validationError(), "flip at byte \(offset) undetected")
            page.storeBytes(of: original, toByteOffset: offset, as: UInt8.self)
        }
    }

    func testMetaValidationNamesTheProblem() {
        var meta = Meta()
        meta.pgid = 4
        meta.checksum = meta.computeChecksum()
        XCTAssertNil(meta.validationError())
        var bad = meta
        bad.magic = 1
        XCTAssertEqual(bad.validationError(), .invalid)
        bad = meta
        bad.version = 1
        XCTAssertEqual(bad.validationError(), .versionMismatch)
        bad = meta
        bad.txid = 3
        XCTAssertEqual(bad.validationError(), .checksum)
    }

    func testFreshFileIsBboltsInitialFourPages() throws {
        let fs = SimulatedFileSystem()
        let db = try Database.open(path: "/db", fileSystem: fs)
        try db.close()
        let file = try fileBytes(fs, "/db")
        XCTAssertEqual(file.count, 4 * 4096)
        file.withUnsafeBytes { raw in
            for i in 0..<2 {
                let page = Page(base: raw.baseAddress! + i * 4096)
                XCTAssertEqual(page.id, PageID(i))
                XCTAssertEqual(page.flags, .meta)
                let meta = Meta.read(from: raw.baseAddress! + i * 4096 + 16)
                XCTAssertNil(meta.validationError())
                XCTAssertEqual(meta.txid, TransactionID(i))
                XCTAssertEqual(meta.freelist, 2)
                XCTAssertEqual(meta.root, BucketHeader(root: 3, sequence: 0))
                XCTAssertEqual(meta.pgid, 4)
            }
            let freelist = Page(base: raw.baseAddress! + 2 * 4096)
            XCTAssertEqual(freelist.id, 2)
            XCTAssertEqual(freelist.flags, .freelist)
            XCTAssertEqual(freelist.count, 0)
            let leaf = Page(base: raw.baseAddress! + 3 * 4096)
            XCTAssertEqual(leaf.id, 3)
            XCTAssertEqual(leaf.flags, .leaf)
            XCTAssertEqual(leaf.count, 0)
        }
    }

    func testLeafPageLayoutPutsKeyThenValueAfterTheElements() throws {
        let fs = SimulatedFileSystem()
        let db = try Database.open(path: "/db", fileSystem: fs)
        try db.update { tx in
            let b = try tx.createBucket(named: bytes("b"))
            try b.put(bytes("k1"), bytes("value-1"))
        }
        try db.view { tx in
            // Root leaf holds one bucket entry; it is inline: header then a leaf page.
            let root = tx.page(tx.meta.root.root)
            XCTAssertEqual(root.count, 1)
            XCTAssertEqual(root.leafFlags(0), bucketLeafFlag)
            XCTAssertEqual(Array(root.leafKey(0)), bytes("b"))
            let value = root.leafValue(0)
            XCTAssertEqual(value.count, 16 + 16 + 16 + 2 + 7)
            let inline = Page(base: value.baseAddress! + 16)
            XCTAssertEqual(inline.count, 1)
            XCTAssertEqual(inline.flags, .leaf)
            // pos is relative to the element: one element, so the key starts 16 bytes later.
            XCTAssertEqual(inline.base.loadUnaligned(fromByteOffset: 16 + 4, as: UInt32.self), 16)
            XCTAssertEqual(Array(inline.leafKey(0)), bytes("k1"))
            XCTAssertEqual(Array(inline.leafValue(0)), bytes("value-1"))
        }
        try db.close()
    }

    func testFreelistRoundTripsSmallAndOverflowedCounts() {
        for count in [0, 3, 0xFFFE, 0xFFFF, 70_000] {
            var freelist = Freelist()
            // Free ids via pending then release, as a database would.
            for id in 0..<count { freelist.free(txid: 5, id: PageID(id + 2), overflow: 0) }
            freelist.release(upTo: 5)
            XCTAssertEqual(freelist.freeCount, count)
            let bytesNeeded = freelist.encodedSize
            XCTAssertEqual(bytesNeeded, 16 + 8 * (count >= 0xFFFF ? count + 1 : count))
            let pages = bytesNeeded / 4096 + 1
            let buffer = UnsafeMutableRawPointer.allocate(byteCount: pages * 4096, alignment: 8)
            defer { buffer.deallocate() }
            buffer.initializeMemory(as: UInt8.self, repeating: 0, count: pages * 4096)
            freelist.write(into: MutablePage(base: buffer), id: 9, overflow: UInt32(pages - 1))
            let page = Page(base: buffer)
            XCTAssertEqual(page.flags, .freelist)
            if count >= 0xFFFF {
                XCTAssertEqual(page.count, 0xFFFF, "count field saturates")
                XCTAssertEqual(buffer.loadUnaligned(fromByteOffset: 16, as: UInt64.self), UInt64(count))
            } else {
                XCTAssertEqual(page.count, count)
            }
            let read = Freelist(reading: page)
            XCTAssertEqual(read.ids, (0..<count).map { PageID($0 + 2) })
        }
    }

    func testFreelistWritesPendingIdsAndAllocatesContiguousRuns() {
        var freelist = Freelist()
        for id: PageID in [3, 4, 5, 9, 10, 12] { freelist.free(txid: 2, id: id, overflow: 0) }
        freelist.free(txid: 3, id: 20, overflow: 1)
        freelist.release(upTo: 2)
        XCTAssertEqual(freelist.ids, [3, 4, 5, 9, 10, 12])
        XCTAssertEqual(freelist.allIDs(), [3, 4, 5, 9, 10, 12, 20, 21], "pending pages are written too")
        XCTAssertEqual(freelist.allocate(count: 2), 3, "lowest run that fits")
        XCTAssertEqual(freelist.allocate(count: 2), 9)
        XCTAssertNil(freelist.allocate(count: 3))
        XCTAssertEqual(freelist.ids, [5, 12])
        XCTAssertFalse(freelist.isFree(20) == false, "pending pages count as freed")
    }
}
