import XCTest
@testable import MVCC

/// Worked examples of etcd's key index semantics (mvcc/key_index.go).
final class KeyIndexTests: XCTestCase {
    private func rev(_ main: Int64, _ sub: Int64 = 0) -> Revision { Revision(main: main, sub: sub) }

    /// put 2, put 4, delete 6, put 8, put 10, delete 12, put 14.0, put 14.1, put 16:
    ///     {2, 4, 6(t)} {8, 10, 12(t)} {14.0, 14.1, 16}
    private func threeLives() -> KeyIndex {
        var ki = KeyIndex(key: Array("foo".utf8))
        ki.put(rev(2))
        ki.put(rev(4))
        XCTAssertTrue(ki.tombstone(rev(6)))
        ki.put(rev(8))
        ki.put(rev(10))
        XCTAssertTrue(ki.tombstone(rev(12)))
        ki.put(rev(14, 0))
        ki.put(rev(14, 1))
        ki.put(rev(16))
        return ki
    }

    private func lives(_ ki: KeyIndex) -> [[Revision]] { ki.generations.map(\.revisions) }

    func testGenerationsRecordLivesAndTombstones() {
        let ki = threeLives()
        XCTAssertEqual(lives(ki), [[rev(2), rev(4), rev(6)], [rev(8), rev(10), rev(12)], [rev(14), rev(14, 1), rev(16)]])
        XCTAssertEqual(ki.generations.map(\.created), [rev(2), rev(8), rev(14)])
        XCTAssertEqual(ki.generations.map(\.version), [3, 3, 3])
        XCTAssertEqual(ki.modified, rev(16))
    }

    func testGetAnswersTheLifeAliveAtTheRevision() {
        let ki = threeLives()
        // (atRevision, expected modified, created, version); nil: key absent at that revision.
        let cases: [(Int64, (Revision, Revision, Int64)?)] = [
            (1, nil),                          // before the first put
            (2, (rev(2), rev(2), 1)),
            (5, (rev(4), rev(2), 2)),
            (6, nil), (7, nil),                // deleted at 6
            (8, (rev(8), rev(8), 1)),
            (11, (rev(10), rev(8), 2)),
            (12, nil), (13, nil),              // deleted at 12
            (14, (rev(14, 1), rev(14), 2)),    // the last change of revision 14 wins
            (15, (rev(14, 1), rev(14), 2)),
            (16, (rev(16), rev(14), 3)),
            (100, (rev(16), rev(14), 3)),
        ]
        for (at, expected) in cases {
            let got = ki.get(atRevision: at)
            XCTAssertEqual(got?.modified, expected?.0, "at \(at)")
            XCTAssertEqual(got?.created, expected?.1, "at \(at)")
            XCTAssertEqual(got?.version, expected?.2, "at \(at)")
        }
    }

    func testTombstoneOfADeletedKeyIsRefused() {
        var ki = KeyIndex(key: Array("k".utf8))
        ki.put(rev(1))
        XCTAssertTrue(ki.tombstone(rev(2)))
        XCTAssertFalse(ki.tombstone(rev(3)))
        XCTAssertEqual(lives(ki), [[rev(1), rev(2)], []])
    }

    func testSinceKeepsOnlyTheLastChangeOfEachMainRevision() {
        let ki = threeLives()
        XCTAssertEqual(ki.since(1), [2, 4, 6, 8, 10, 12].map { rev($0) } + [rev(14, 1), rev(16)])
        XCTAssertEqual(ki.since(7), [rev(8), rev(10), rev(12), rev(14, 1), rev(16)])
        XCTAssertEqual(ki.since(14), [rev(14, 1), rev(16)])
        XCTAssertEqual(ki.since(17), [])
    }

    /// etcd's doc example: put 1, put 2, delete 3, put 4, delete 5.
    func testCompactionOfTheDocExample() {
        var ki = KeyIndex(key: Array("foo".utf8))
        ki.put(rev(1))
        ki.put(rev(2))
        _ = ki.tombstone(rev(3))
        ki.put(rev(4))
        _ = ki.tombstone(rev(5))
        XCTAssertEqual(lives(ki), [[rev(1), rev(2), rev(3)], [rev(4), rev(5)], []])

        var available = Set<Revision>()
        ki.compact(atRevision: 2, available: &available)
        XCTAssertEqual(lives(ki), [[rev(2), rev(3)], [rev(4), rev(5)], []])
        XCTAssertEqual(available, [rev(2)])

        available = []
        ki.compact(atRevision: 4, available: &available)
        XCTAssertEqual(lives(ki), [[rev(4), rev(5)], []])
        XCTAssertEqual(available, [rev(4)])

        available = []
        ki.compact(atRevision: 5, available: &available)
        XCTAssertTrue(ki.isEmpty, "a key whose every life ended by the compact revision is dropped")
        XCTAssertEqual(available, [])
    }

    /// Compaction keeps, per key, the newest revision <= the compact point (unless the key was
    /// deleted by then), and everything after it.
    func testCompactionStepByStep() {
        // (compact at, lives afterwards, revisions kept for values)
        let steps: [(Int64, [[Revision]], Set<Revision>)] = [
            (1, [[rev(2), rev(4), rev(6)], [rev(8), rev(10), rev(12)], [rev(14), rev(14, 1), rev(16)]], []),
            (2, [[rev(2), rev(4), rev(6)], [rev(8), rev(10), rev(12)], [rev(14), rev(14, 1), rev(16)]], [rev(2)]),
            (5, [[rev(4), rev(6)], [rev(8), rev(10), rev(12)], [rev(14), rev(14, 1), rev(16)]], [rev(4)]),
            (6, [[rev(8), rev(10), rev(12)], [rev(14), rev(14, 1), rev(16)]], []),
            (9, [[rev(8), rev(10), rev(12)], [rev(14), rev(14, 1), rev(16)]], [rev(8)]),
            (12, [[rev(14), rev(14, 1), rev(16)]], []),
            (14, [[rev(14, 1), rev(16)]], [rev(14, 1)]),
            (16, [[rev(16)]], [rev(16)]),
            (20, [[rev(16)]], [rev(16)]),
        ]
        var ki = threeLives()
        for (at, expectedLives, expectedKept) in steps {
            var fresh = threeLives()
            var kept = Set<Revision>()
            threeLives().keep(atRevision: at, available: &kept)
            XCTAssertEqual(kept, expectedKept, "keep(\(at))")

            var available = Set<Revision>()
            fresh.compact(atRevision: at, available: &available)
            XCTAssertEqual(lives(fresh), expectedLives, "compact(\(at)) of the full history")
            XCTAssertEqual(available, expectedKept, "compact(\(at)) of the full history")

            // Compacting step after step ends in the same place as compacting once.
            var ignored = Set<Revision>()
            ki.compact(atRevision: at, available: &ignored)
            XCTAssertEqual(lives(ki), expectedLives, "compact(\(at)) after earlier compactions")
        }
        // Reads at or after the compact point are unchanged by it.
        XCTAssertEqual(ki.get(atRevision: 20)?.modified, rev(16))
        XCTAssertEqual(ki.get(atRevision: 20)?.version, 3)
        XCTAssertEqual(ki.get(atRevision: 20)?.created, rev(14))

        // Deleting the key and compacting past the delete drops it entirely.
        XCTAssertTrue(ki.tombstone(rev(21)))
        var available = Set<Revision>()
        ki.compact(atRevision: 21, available: &available)
        XCTAssertTrue(ki.isEmpty)
        XCTAssertEqual(available, [])
    }

    func testRevisionBytesOrderLikeRevisions() {
        let revisions = [rev(1), rev(1, 1), rev(2), rev(256), rev(256, 7), rev(1 << 40)]
        for (a, b) in zip(revisions, revisions.dropFirst()) {
            XCTAssertLessThan(a, b)
            XCTAssertTrue(a.bytes.lexicographicallyPrecedes(b.bytes))
        }
        XCTAssertEqual(rev(1, 2).bytes, [0, 0, 0, 0, 0, 0, 0, 1, 0x5f, 0, 0, 0, 0, 0, 0, 0, 2])
        XCTAssertEqual(Revision(bytes: rev(258, 3).bytes), rev(258, 3))
        XCTAssertNil(Revision(bytes: [1, 2, 3]))
    }
}
