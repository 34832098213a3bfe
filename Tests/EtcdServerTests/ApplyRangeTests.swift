import XCTest
import EtcdProto
import MVCC
@testable import EtcdServer

/// Range options, each expectation observed on etcd 3.4.23 with the same history.
final class ApplyRangeTests: XCTestCase {
    private let applier = KVApplier()

    /// a..e at revisions 2..6 (values va..ve), x and y together at 7, c overwritten at 8,
    /// b overwritten at 9:
    ///
    ///     a va  v1 c2 m2 | b a0 v2 c3 m9 | c zz v2 c4 m8 | d vd v1 c5 m5
    ///     e ve  v1 c6 m6 | x 1  v1 c7 m7 | y 2  v1 c7 m7
    private func history() throws -> KVStore {
        let store = KVStore()
        for key in ["a", "b", "c", "d", "e"] { applier.put(key, "v" + key, in: store) }
        _ = try applier.txn(TxnRequest(success: [put("x", "1"), put("y", "2")]), store: store)
        applier.put("c", "zz", in: store)
        applier.put("b", "a0", in: store)
        XCTAssertEqual(store.currentRevision, 9)
        return store
    }

    private let a = kv("a", "va", create: 2, mod: 2, version: 1)
    private let bb = kv("b", "a0", create: 3, mod: 9, version: 2)
    private let c = kv("c", "zz", create: 4, mod: 8, version: 2)
    private let d = kv("d", "vd", create: 5, mod: 5, version: 1)
    private let e = kv("e", "ve", create: 6, mod: 6, version: 1)
    private let x = kv("x", "1", create: 7, mod: 7, version: 1)
    private let y = kv("y", "2", create: 7, mod: 7, version: 1)

    private func range(_ store: KVStore, _ request: RangeRequest) throws -> RangeResponse {
        try applier.range(request, in: store)
    }

    private func az(_ configure: (inout RangeRequest) -> Void = { _ in }) -> RangeRequest {
        var request = RangeRequest(key: b("a"), rangeEnd: b("z"))
        configure(&request)
        return request
    }

    func testPlainRangesAndRangeEnds() throws {
        let store = try history()
        XCTAssertEqual(try range(store, az()), RangeResponse(header: header(9), kvs: [a, bb, c, d, e, x, y], count: 7))
        XCTAssertEqual(try range(store, RangeRequest(key: b("a"), rangeEnd: [0])).kvs, [a, bb, c, d, e, x, y])
        XCTAssertEqual(try range(store, RangeRequest(key: [0], rangeEnd: [0], countOnly: true)),
                       RangeResponse(header: header(9), count: 7))
        XCTAssertEqual(try range(store, RangeRequest(key: b("c"), rangeEnd: b("a"))), RangeResponse(header: header(9)))
        XCTAssertEqual(try range(store, RangeRequest(key: b("c"))).kvs, [c])
        XCTAssertEqual(try range(store, RangeRequest(key: b("nope"))), RangeResponse(header: header(9)))
    }

    func testLimitSetsMoreButNeverCapsCount() throws {
        let store = try history()
        XCTAssertEqual(try range(store, az { $0.limit = 2 }), RangeResponse(header: header(9), kvs: [a, bb], more: true, count: 7))
        XCTAssertEqual(try range(store, az { $0.limit = 6 }).more, true)
        XCTAssertEqual(try range(store, az { $0.limit = 7 }), RangeResponse(header: header(9), kvs: [a, bb, c, d, e, x, y], count: 7))
        XCTAssertEqual(try range(store, az { $0.limit = -1 }).kvs.count, 7, "a negative limit is no limit")
        XCTAssertEqual(try range(store, az { $0.limit = .max }).kvs.count, 7)
        XCTAssertEqual(try range(store, az { $0.limit = 1; $0.countOnly = true }), RangeResponse(header: header(9), count: 7))
        var keysOnlyA = a
        keysOnlyA.value = []
        XCTAssertEqual(try range(store, az { $0.limit = 1; $0.keysOnly = true }),
                       RangeResponse(header: header(9), kvs: [keysOnlyA], more: true, count: 7))
    }

    func testSortingRules() throws {
        let store = try history()
        XCTAssertEqual(try range(store, az { $0.sortTarget = .version }).kvs, [a, d, e, x, y, bb, c],
                       "a target other than KEY sorts ascending by default; ties keep key order")
        XCTAssertEqual(try range(store, az { $0.sortTarget = .version; $0.sortOrder = .descend }).kvs, [bb, c, a, d, e, x, y],
                       "descending keeps key order among ties too")
        XCTAssertEqual(try range(store, az { $0.sortOrder = .descend; $0.limit = 2 }),
                       RangeResponse(header: header(9), kvs: [y, x], more: true, count: 7),
                       "sorting happens before the limit cuts")
        XCTAssertEqual(try range(store, az { $0.sortTarget = .value; $0.limit = 3 }),
                       RangeResponse(header: header(9), kvs: [bb, a, d], more: true, count: 7))
        XCTAssertEqual(try range(store, az { $0.sortTarget = .create; $0.sortOrder = .descend }).kvs, [x, y, e, d, c, bb, a])
        XCTAssertEqual(try range(store, az { $0.sortTarget = .mod }).kvs, [a, d, e, x, y, c, bb])
        XCTAssertEqual(try range(store, az { $0.sortTarget = .key; $0.sortOrder = .ascend }).kvs, [a, bb, c, d, e, x, y])
        let keysOnly = [bb, a, d].map { kv -> KeyValue in var kv = kv; kv.value = []; return kv }
        XCTAssertEqual(try range(store, az { $0.sortTarget = .value; $0.limit = 3; $0.keysOnly = true }).kvs, keysOnly,
                       "values are dropped after sorting by them")
    }

    func testRevisionFiltersDoNotChangeCount() throws {
        let store = try history()
        XCTAssertEqual(try range(store, az { $0.minModRevision = 7; $0.limit = 1 }),
                       RangeResponse(header: header(9), kvs: [bb], more: true, count: 7))
        XCTAssertEqual(try range(store, az { $0.maxCreateRevision = 3; $0.limit = 5 }),
                       RangeResponse(header: header(9), kvs: [a, bb], count: 7))
        XCTAssertEqual(try range(store, az { $0.maxModRevision = 6; $0.minCreateRevision = 5 }).kvs, [d, e])
        XCTAssertEqual(try range(store, az { $0.minModRevision = 100 }), RangeResponse(header: header(9), count: 7))
    }

    func testHistoricalAndFutureRevisions() throws {
        let store = try history()
        XCTAssertEqual(try range(store, az { $0.revision = 4 }),
                       RangeResponse(header: header(9), kvs: [a, kv("b", "vb", create: 3, mod: 3, version: 1),
                                                              kv("c", "vc", create: 4, mod: 4, version: 1)], count: 3),
                       "the header has the current revision, not the one read")
        XCTAssertEqual(try range(store, az { $0.revision = -3; $0.countOnly = true }).count, 7, "a negative revision reads the current one")
        XCTAssertThrowsEtcdError(.futureRevision) { () throws(EtcdError) in try applier.range(az { $0.revision = 40 }, in: store) }
        _ = try applier.compaction(CompactionRequest(revision: 5), store: store)
        XCTAssertThrowsEtcdError(.compacted) { () throws(EtcdError) in try applier.range(az { $0.revision = 4 }, in: store) }
        XCTAssertEqual(try range(store, az { $0.revision = 5 }).count, 4)
    }
}
