import XCTest
@testable import MVCC

final class TreeIndexTests: XCTestCase {
    private func b(_ s: String) -> [UInt8] { Array(s.utf8) }
    private func rev(_ main: Int64, _ sub: Int64 = 0) -> Revision { Revision(main: main, sub: sub) }

    private func keys(_ index: TreeIndex, _ interval: KeyInterval, at: Int64) -> [String] {
        index.range(interval, atRevision: at).keys.map { String(decoding: $0, as: UTF8.self) }
    }

    func testRangeEndConventions() {
        let index = TreeIndex()
        for (i, key) in ["a", "ab", "abc", "b", "c"].enumerated() { index.put(b(key), revision: rev(Int64(i + 2))) }
        XCTAssertEqual(keys(index, KeyInterval(key: b("ab"), rangeEnd: []), at: 10), ["ab"], "empty end: the key alone")
        XCTAssertEqual(keys(index, KeyInterval(key: b("ab"), rangeEnd: [0]), at: 10), ["ab", "abc", "b", "c"], "\\0: every key >= key")
        XCTAssertEqual(keys(index, KeyInterval(key: [0], rangeEnd: [0]), at: 10), ["a", "ab", "abc", "b", "c"], "\\0 to \\0: all keys")
        XCTAssertEqual(keys(index, KeyInterval(key: b("ab"), rangeEnd: b("ac")), at: 10), ["ab", "abc"], "prefix ab")
        XCTAssertEqual(keys(index, KeyInterval(key: b("b"), rangeEnd: b("a")), at: 10), [], "end before key: nothing")
        XCTAssertEqual(keys(index, KeyInterval(key: b("zz"), rangeEnd: []), at: 10), [], "absent key")
        XCTAssertEqual(keys(index, KeyInterval(key: b("a"), rangeEnd: b("c")), at: 3), ["a", "ab"], "keys not yet created are absent")
    }

    func testTombstonedKeysDisappearFromLaterReadsOnly() {
        let index = TreeIndex()
        index.put(b("a"), revision: rev(2))
        index.put(b("b"), revision: rev(3))
        XCTAssertTrue(index.tombstone(b("a"), revision: rev(4)))
        XCTAssertFalse(index.tombstone(b("a"), revision: rev(5)), "already deleted")
        XCTAssertFalse(index.tombstone(b("zz"), revision: rev(5)), "never existed")
        let all = KeyInterval.from([0])
        XCTAssertEqual(keys(index, all, at: 3), ["a", "b"])
        XCTAssertEqual(keys(index, all, at: 4), ["b"])
        XCTAssertEqual(index.count, 2, "a deleted key stays indexed until compaction")
        XCTAssertEqual(index.compact(atRevision: 4), [rev(3)])
        XCTAssertEqual(index.count, 1)
        XCTAssertNil(index.get(b("a"), atRevision: 4))
    }

    func testRangeSinceIsSortedByRevision() {
        let index = TreeIndex()
        index.put(b("b"), revision: rev(2))
        index.put(b("a"), revision: rev(3))
        index.put(b("b"), revision: rev(4))
        _ = index.tombstone(b("a"), revision: rev(5, 0))
        index.put(b("c"), revision: rev(5, 1))
        XCTAssertEqual(index.rangeSince(.from([0]), revision: 3), [rev(3), rev(4), rev(5, 0), rev(5, 1)])
        XCTAssertEqual(index.rangeSince(.key(b("b")), revision: 1), [rev(2), rev(4)])
    }

    /// Thousands of keys inserted in a scrambled order: the B-tree splits many times and must
    /// still answer every lookup and range like a sorted array.
    func testManyKeysInScrambledOrderMatchASortedReference() {
        let index = TreeIndex()
        let n = 5000
        var order = Array(0..<n)
        var state: UInt64 = 0x9e37_79b9_7f4a_7c15
        for i in stride(from: n - 1, to: 0, by: -1) {  // seeded Fisher-Yates
            state = state &* 6364136223846793005 &+ 1442695040888963407
            order.swapAt(i, Int(state >> 33) % (i + 1))
        }
        func key(_ i: Int) -> [UInt8] { b("key/\(String(i * 7919 % 100_003, radix: 16))") }
        for (step, i) in order.enumerated() { index.put(key(i), revision: rev(Int64(step + 2))) }
        XCTAssertEqual(index.count, n)

        let reference = (0..<n).map(key).sorted { $0.lexicographicallyPrecedes($1) }
        XCTAssertEqual(index.range(.from([0]), atRevision: Int64(n + 1)).keys, reference)
        for i in stride(from: 0, to: n, by: 97) {
            XCTAssertNotNil(index.get(key(i), atRevision: Int64(n + 1)))
        }
        let low = reference[1000]
        let high = reference[1234]
        XCTAssertEqual(index.range(.between(low, high), atRevision: Int64(n + 1)).keys, Array(reference[1000..<1234]))

        // Delete every other key, compact, and the survivors are exactly the other half.
        for (j, k) in reference.enumerated() where j % 2 == 0 {
            XCTAssertTrue(index.tombstone(k, revision: rev(Int64(n + 2 + j))))
        }
        _ = index.compact(atRevision: Int64(2 * n + 2))
        XCTAssertEqual(index.count, n / 2)
        XCTAssertEqual(index.range(.from([0]), atRevision: Int64(2 * n + 2)).keys,
                       reference.enumerated().filter { $0.offset % 2 == 1 }.map(\.element))
    }
}
