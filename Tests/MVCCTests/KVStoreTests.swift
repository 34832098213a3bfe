import XCTest
import EtcdBasics
import EtcdProto
@testable import MVCC

final class KVStoreTests: XCTestCase {
    private func b(_ s: String) -> [UInt8] { Array(s.utf8) }

    @discardableResult
    private func put(_ store: KVStore, _ key: String, _ value: String, lease: Int64 = 0) -> Int64 {
        store.write { txn in txn.put(key: b(key), value: b(value), lease: LeaseID(lease)) }.revision
    }

    private func get(_ store: KVStore, _ key: String, at revision: Int64 = 0) throws -> KeyValue? {
        try store.range(.key(b(key)), options: RangeOptions(revision: revision)).kvs.first
    }

    func testAnEmptyStoreIsAtRevisionOne() throws {
        let store = KVStore()
        XCTAssertEqual(store.currentRevision, 1)
        XCTAssertEqual(store.compactedRevision, -1)
        XCTAssertEqual(try store.range(.from([0])), RangeResult(kvs: [], count: 0, revision: 1))
    }

    func testEachPutIsANewRevisionAndAVersionOfTheKey() throws {
        let store = KVStore()
        XCTAssertEqual(put(store, "foo", "1"), 2)
        XCTAssertEqual(put(store, "foo", "2", lease: 7), 3)
        XCTAssertEqual(try get(store, "foo"),
                       KeyValue(key: b("foo"), createRevision: 2, modRevision: 3, version: 2, value: b("2"), lease: 7))
        XCTAssertEqual(try get(store, "foo", at: 2),
                       KeyValue(key: b("foo"), createRevision: 2, modRevision: 2, version: 1, value: b("1")))
    }

    func testATransactionSharesOneRevisionAndReturnsItsEvents() throws {
        let store = KVStore()
        put(store, "c", "old")
        let result = store.write { txn in
            txn.put(key: b("a"), value: b("1"))
            txn.put(key: b("b"), value: b("2"))
            return txn.deleteRange(.key(b("c")))
        }
        XCTAssertEqual(result.revision, 3)
        XCTAssertEqual(result.value.deleted, 1)
        XCTAssertEqual(result.value.revision, 3)
        XCTAssertEqual(store.currentRevision, 3)
        XCTAssertEqual(result.events, [
            Event(type: .put, kv: KeyValue(key: b("a"), createRevision: 3, modRevision: 3, version: 1, value: b("1"))),
            Event(type: .put, kv: KeyValue(key: b("b"), createRevision: 3, modRevision: 3, version: 1, value: b("2"))),
            Event(type: .delete, kv: KeyValue(key: b("c"), modRevision: 3)),
        ])
        // Sub revisions 0, 1, 2 in the order of the changes.
        XCTAssertEqual(store.index.get(b("b"), atRevision: 3)?.modified, Revision(main: 3, sub: 1))
        XCTAssertEqual(store.index.range(.key(b("c")), atRevision: 2).revisions, [Revision(main: 2)])
    }

    func testReadsInsideATransactionSeeItsOwnWrites() throws {
        let store = KVStore()
        put(store, "k", "v1")
        _ = store.write { txn in
            XCTAssertEqual(try? txn.range(.key(b("k"))).kvs.first?.value, b("v1"))
            XCTAssertEqual(try? txn.range(.key(b("k"))).revision, 2, "no change yet: reads at the begin revision")
            txn.put(key: b("k"), value: b("v2"))
            let seen = try? txn.range(.key(b("k")))
            XCTAssertEqual(seen?.kvs.first?.value, b("v2"))
            XCTAssertEqual(seen?.kvs.first?.version, 2)
            XCTAssertEqual(seen?.revision, 3)
            // A second put of the same key in one txn builds on the first: version 3, sub 1.
            txn.put(key: b("k"), value: b("v3"))
            XCTAssertEqual((try? txn.range(.key(b("k"))))?.kvs.first?.version, 3)
        }
        XCTAssertEqual(try get(store, "k"),
                       KeyValue(key: b("k"), createRevision: 2, modRevision: 3, version: 3, value: b("v3")))
        XCTAssertEqual(store.index.get(b("k"), atRevision: 3)?.modified, Revision(main: 3, sub: 1))
    }

    func testAWriteThatChangesNothingKeepsTheRevision() {
        let store = KVStore()
        let result = store.write { txn in txn.deleteRange(.from([0])) }
        XCTAssertEqual(result.value.deleted, 0)
        XCTAssertEqual(result.value.revision, 1)
        XCTAssertEqual(result.revision, 1)
        XCTAssertEqual(result.events, [])
        XCTAssertEqual(store.currentRevision, 1)
    }

    func testDeleteThenRecreateStartsANewLife() throws {
        let store = KVStore()
        put(store, "k", "a")           // 2
        put(store, "k", "b")           // 3
        let deleted = store.write { txn in txn.deleteRange(.key(b("k")), returningPrevious: true) }.value
        XCTAssertEqual(deleted.previous.map(\.value), [b("b")])
        XCTAssertEqual(deleted.revision, 4)
        XCTAssertNil(try get(store, "k"))
        XCTAssertEqual(try get(store, "k", at: 3)?.value, b("b"), "history is still readable")
        put(store, "k", "c")           // 5
        XCTAssertEqual(try get(store, "k"),
                       KeyValue(key: b("k"), createRevision: 5, modRevision: 5, version: 1, value: b("c")))
    }

    func testLiveKeyCountFollowsPutsDeletesAndNewLives() throws {
        let store = KVStore()
        put(store, "a", "1")
        put(store, "a", "2")
        put(store, "b", "1")
        XCTAssertEqual(store.liveKeyCount, 2, "a second put of a live key is no new key")
        _ = store.write { txn in
            _ = txn.deleteRange(.key(b("a")))
            txn.put(key: b("a"), value: b("3"))       // deleted and recreated in one txn
            _ = txn.deleteRange(.key(b("b")))
        }
        XCTAssertEqual(store.liveKeyCount, 1)
        try store.compact(store.currentRevision)
        XCTAssertEqual(store.liveKeyCount, 1, "compaction removes history, not live keys")
        XCTAssertEqual(KVStore(restoringFrom: store.storage, compactedRevision: store.compactedRevision).liveKeyCount, 1)
    }

    func testLimitCapsKeysButNotCount() throws {
        let store = KVStore()
        for key in ["a", "b", "c", "d"] { put(store, key, key) }
        let limited = try store.range(.from([0]), options: RangeOptions(limit: 2))
        XCTAssertEqual(limited.kvs.map(\.key), [b("a"), b("b")])
        XCTAssertEqual(limited.count, 4)
        XCTAssertEqual(limited.revision, 5)
        XCTAssertEqual(try store.range(.from([0]), options: RangeOptions(limit: 10)).kvs.count, 4)
        let counted = try store.range(.between(b("b"), b("d")), options: RangeOptions(countOnly: true))
        XCTAssertEqual(counted, RangeResult(kvs: [], count: 2, revision: 5))
    }

    func testHistoricalReadsAnswerWithTheCurrentRevision() throws {
        let store = KVStore()
        put(store, "a", "1")  // 2
        put(store, "b", "1")  // 3
        put(store, "a", "2")  // 4
        let old = try store.range(.from([0]), options: RangeOptions(revision: 2))
        XCTAssertEqual(old.kvs.map(\.value), [b("1")])
        XCTAssertEqual(old.count, 1)
        XCTAssertEqual(old.revision, 4, "the header carries the store's revision, not the one read")
        XCTAssertThrowsError(try store.range(.from([0]), options: RangeOptions(revision: 5))) {
            XCTAssertEqual($0 as? MVCCError, .futureRevision)
        }
    }

    func testCompactionKeepsTheNewestValueAtOrBelowTheCompactRevision() throws {
        let store = KVStore()
        put(store, "a", "1")                                    // 2
        put(store, "a", "2")                                    // 3
        put(store, "b", "1")                                    // 4
        _ = store.write { $0.deleteRange(.key(b("b"))) }        // 5
        put(store, "a", "3")                                    // 6
        put(store, "c", "1")                                    // 7
        XCTAssertEqual(store.storedRevisionCount, 6)

        try store.compact(5)
        XCTAssertEqual(store.compactedRevision, 5)
        // a@3 is what a read at 5 needs; a@2, b@4 and b's tombstone are gone.
        XCTAssertEqual(store.storedRevisionCount, 3)
        XCTAssertEqual(store.indexedKeyCount, 2)
        XCTAssertEqual(try store.range(.from([0]), options: RangeOptions(revision: 5)).kvs.map(\.value), [b("2")])
        XCTAssertEqual(try store.range(.from([0]), options: RangeOptions(revision: 6)).kvs.map(\.value), [b("3")])
        XCTAssertEqual(try store.range(.from([0])).kvs.map(\.key), [b("a"), b("c")])
        XCTAssertThrowsError(try store.range(.from([0]), options: RangeOptions(revision: 4))) {
            XCTAssertEqual($0 as? MVCCError, .compacted)
        }
        // Compacting at or below the compacted revision, or past the current one, is refused.
        XCTAssertThrowsError(try store.compact(5)) { XCTAssertEqual($0 as? MVCCError, .compacted) }
        XCTAssertThrowsError(try store.compact(3)) { XCTAssertEqual($0 as? MVCCError, .compacted) }
        XCTAssertThrowsError(try store.compact(8)) { XCTAssertEqual($0 as? MVCCError, .futureRevision) }
        XCTAssertEqual(store.compactedRevision, 5)
        try store.compact(7)
        XCTAssertEqual(store.storedRevisionCount, 2)
        XCTAssertEqual(try store.range(.from([0])).kvs.map(\.version), [3, 1], "versions survive compaction")
    }

    func testCompactionAtTheCurrentRevisionIsAllowed() throws {
        let store = KVStore()
        try store.compact(1)
        XCTAssertEqual(store.compactedRevision, 1)
        XCTAssertEqual(try store.range(.from([0])).count, 0)
    }
}
