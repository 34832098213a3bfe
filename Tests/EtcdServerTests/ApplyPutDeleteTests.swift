import XCTest
import EtcdBasics
import EtcdProto
import MVCC
@testable import EtcdServer

/// Put, DeleteRange and Compaction, each expectation observed on etcd 3.4.23.
final class ApplyPutDeleteTests: XCTestCase {
    private let applier = KVApplier()

    func testPutOptions() throws {
        let store = KVStore()
        let first = try applier.put(PutRequest(key: b("k"), value: b("x"), prevKv: true), store: store)
        XCTAssertEqual(first.response, PutResponse(header: header(2)), "no prev_kv for a new key")
        XCTAssertEqual(first.events, [Event(type: .put, kv: kv("k", "x", create: 2, mod: 2, version: 1))])

        let kept = try applier.put(PutRequest(key: b("k"), prevKv: true, ignoreValue: true), store: store)
        XCTAssertEqual(kept.response, PutResponse(header: header(3), prevKv: kv("k", "x", create: 2, mod: 2, version: 1)))
        XCTAssertEqual(try applier.range(RangeRequest(key: b("k")), in: store).kvs, [kv("k", "x", create: 2, mod: 3, version: 2)])
    }

    func testPutErrorsChangeNothing() {
        let store = KVStore()
        XCTAssertThrowsEtcdError(.leaseNotFound) { () throws(EtcdError) in
            try applier.put(PutRequest(key: b("a"), value: b("1"), lease: 5), store: store)
        }
        XCTAssertThrowsEtcdError(.keyNotFound) { () throws(EtcdError) in
            try applier.put(PutRequest(key: b("a"), ignoreValue: true), store: store)
        }
        XCTAssertThrowsEtcdError(.keyNotFound) { () throws(EtcdError) in
            try applier.put(PutRequest(key: b("a"), ignoreLease: true), store: store)
        }
        XCTAssertThrowsEtcdError(.leaseNotFound, "the lease is checked before the key") { () throws(EtcdError) in
            try applier.put(PutRequest(key: b("a"), lease: 7, ignoreValue: true), store: store)
        }
        XCTAssertEqual(store.currentRevision, 1)
    }

    func testLeasesAreRecordedWhenTheyExist() throws {
        let store = KVStore()
        let withLeases = KVApplier(leaseExists: { $0 == LeaseID(42) })
        _ = try withLeases.put(PutRequest(key: b("k"), value: b("1"), lease: 42), store: store)
        _ = try withLeases.put(PutRequest(key: b("k"), value: b("2"), ignoreLease: true), store: store)
        XCTAssertEqual(try applier.range(RangeRequest(key: b("k")), in: store).kvs, [kv("k", "2", create: 2, mod: 3, version: 2, lease: 42)])
        _ = try withLeases.put(PutRequest(key: b("k"), ignoreValue: true), store: store)
        XCTAssertEqual(try applier.range(RangeRequest(key: b("k")), in: store).kvs, [kv("k", "2", create: 2, mod: 4, version: 3)],
                       "ignore_value alone detaches the lease (lease 0)")
    }

    func testDeleteRangeWithPrevKvs() throws {
        let store = KVStore()
        applier.put("cmp/a", "x", in: store)  // 2
        applier.put("cmp/b", "y", in: store)  // 3
        applier.put("cmp/b", "y", in: store)  // 4
        let deleted = applier.deleteRange(DeleteRangeRequest(key: b("cmp/"), rangeEnd: b("cmp0"), prevKv: true), store: store)
        XCTAssertEqual(deleted.response, DeleteRangeResponse(header: header(5), deleted: 2, prevKvs: [
            kv("cmp/a", "x", create: 2, mod: 2, version: 1), kv("cmp/b", "y", create: 3, mod: 4, version: 2),
        ]))
        XCTAssertEqual(deleted.events, [
            Event(type: .delete, kv: KeyValue(key: b("cmp/a"), modRevision: 5)),
            Event(type: .delete, kv: KeyValue(key: b("cmp/b"), modRevision: 5)),
        ])
        let nothing = applier.deleteRange(DeleteRangeRequest(key: b("cmp/a"), prevKv: true), store: store)
        XCTAssertEqual(nothing.response, DeleteRangeResponse(header: header(5)))
        XCTAssertEqual(nothing.events, [])
        applier.put("z", "1", in: store)  // 6
        let all = applier.deleteRange(DeleteRangeRequest(key: [0], rangeEnd: [0]), store: store)
        XCTAssertEqual(all.response, DeleteRangeResponse(header: header(7), deleted: 1))
    }

    func testCompactionRevisionsAsEtcdAcceptsThem() throws {
        let store = KVStore()
        XCTAssertEqual(try applier.compaction(CompactionRequest(revision: 0), store: store), CompactionResponse(header: header(1)),
                       "a never-compacted store accepts revision 0")
        XCTAssertThrowsEtcdError(.compacted) { () throws(EtcdError) in
            try applier.compaction(CompactionRequest(revision: 0), store: store)
        }
        XCTAssertEqual(try applier.compaction(CompactionRequest(revision: 1, physical: true), store: store), CompactionResponse(header: header(1)))
        XCTAssertThrowsEtcdError(.futureRevision) { () throws(EtcdError) in
            try applier.compaction(CompactionRequest(revision: 5), store: store)
        }
        applier.put("a", "1", in: store)  // 2
        applier.put("a", "2", in: store)  // 3
        XCTAssertEqual(try applier.compaction(CompactionRequest(revision: 3), store: store).header, header(3))
        XCTAssertThrowsEtcdError(.compacted) { () throws(EtcdError) in
            try applier.range(RangeRequest(key: b("a"), revision: 2), in: store)
        }
    }
}
