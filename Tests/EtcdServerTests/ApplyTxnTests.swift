import XCTest
import EtcdProto
import MVCC
@testable import EtcdServer

/// Transactions, each expectation observed on etcd 3.4.23.
final class ApplyTxnTests: XCTestCase {
    private let applier = KVApplier()

    private func compare(_ key: String, _ end: String? = nil, _ target: Compare.CompareTarget,
                         _ result: Compare.CompareResult, _ union: Compare.TargetUnion?) -> Compare {
        Compare(result: result, target: target, key: b(key), targetUnion: union, rangeEnd: end.map(b) ?? [])
    }

    func testAWriteTxnSharesOneRevisionAndAnswersEveryOpLikeEtcd() throws {
        let store = KVStore()
        for key in ["a", "b", "c", "d", "e"] { applier.put(key, "v" + key, in: store) }  // 2..6
        let request = TxnRequest(success: [
            get("a"),
            RequestOp(request: .requestPut(PutRequest(key: b("x"), value: b("1"), prevKv: true))),
            get("x"),
            del("zz"),
            txnOp([put("y", "2"), get("y")]),
        ])
        let applied = try applier.txn(request, store: store)
        let expected = TxnResponse(header: header(7), succeeded: true, responses: [
            ResponseOp(response: .responseRange(RangeResponse(header: header(6), kvs: [kv("a", "va", create: 2, mod: 2, version: 1)], count: 1))),
            ResponseOp(response: .responsePut(PutResponse(header: header(7)))),
            ResponseOp(response: .responseRange(RangeResponse(header: header(7), kvs: [kv("x", "1", create: 7, mod: 7, version: 1)], count: 1))),
            ResponseOp(response: .responseDeleteRange(DeleteRangeResponse(header: header(7)))),
            ResponseOp(response: .responseTxn(TxnResponse(header: ResponseHeader(), succeeded: true, responses: [
                ResponseOp(response: .responsePut(PutResponse(header: header(7)))),
                ResponseOp(response: .responseRange(RangeResponse(header: header(7), kvs: [kv("y", "2", create: 7, mod: 7, version: 1)], count: 1))),
            ]))),
        ])
        XCTAssertEqual(applied.response, expected)
        XCTAssertEqual(applied.events.map(\.type), [.put, .put])
        XCTAssertEqual(applied.events.map { $0.kv?.key }, [b("x"), b("y")])
        XCTAssertEqual(store.currentRevision, 7)
    }

    func testTxnsThatChangeNothingKeepTheRevision() throws {
        let store = KVStore()
        applier.put("a", "va", in: store)  // 2
        let readOnly = try applier.txn(TxnRequest(success: [get("a")]), store: store)
        XCTAssertEqual(readOnly.response.header, header(2))
        XCTAssertEqual(readOnly.response.responses.count, 1)
        let emptyNested = try applier.txn(TxnRequest(success: [get("a"), txnOp()]), store: store)
        XCTAssertEqual(emptyNested.response, TxnResponse(header: header(2), succeeded: true, responses: [
            ResponseOp(response: .responseRange(RangeResponse(header: header(2), kvs: [kv("a", "va", create: 2, mod: 2, version: 1)], count: 1))),
            ResponseOp(response: .responseTxn(TxnResponse(header: ResponseHeader(), succeeded: true))),
        ]))
        let deleteNothing = try applier.txn(TxnRequest(success: [del("nonexistent")]), store: store)
        XCTAssertEqual(deleteNothing.response.header, header(2))
        XCTAssertEqual(deleteNothing.response.responses, [ResponseOp(response: .responseDeleteRange(DeleteRangeResponse(header: header(2))))])
        XCTAssertEqual(deleteNothing.events, [])
        XCTAssertEqual(store.currentRevision, 2)
    }

    func testReadOnlyClassification() {
        XCTAssertTrue(KVApplier.isReadOnly(TxnRequest()))
        XCTAssertTrue(KVApplier.isReadOnly(TxnRequest(success: [get("a")], failure: [get("b")])))
        XCTAssertFalse(KVApplier.isReadOnly(TxnRequest(success: [get("a")], failure: [put("b")])))
        XCTAssertFalse(KVApplier.isReadOnly(TxnRequest(success: [txnOp()])), "a nested txn is a write")
        var serializable = RangeRequest(key: b("a"))
        serializable.serializable = true
        XCTAssertTrue(KVApplier.isSerializable(TxnRequest(success: [RequestOp(request: .requestRange(serializable))])))
        XCTAssertFalse(KVApplier.isSerializable(TxnRequest(success: [RequestOp(request: .requestRange(serializable)), get("b")])))
    }

    func testNestedComparesSeeTheStoreAsTheTxnBegan() throws {
        let store = KVStore()
        let nestedIfAbsent = txnOp([get("nk")], if: [compare("nk", nil, .version, .equal, .version(0))])
        let applied = try applier.txn(TxnRequest(success: [put("nk", "1"), nestedIfAbsent]), store: store)
        guard case .responseTxn(let nested)? = applied.response.responses.last?.response else { return XCTFail("no nested response") }
        XCTAssertTrue(nested.succeeded, "nk did not exist when the txn began")
        XCTAssertEqual(nested.responses, [ResponseOp(response: .responseRange(RangeResponse(
            header: header(2), kvs: [kv("nk", "1", create: 2, mod: 2, version: 1)], count: 1)))])
    }

    func testCompareTargetsAndResults() throws {
        let store = KVStore()
        applier.put("cmp/a", "x", in: store)   // 2
        applier.put("cmp/b", "y", in: store)   // 3
        applier.put("cmp/b", "y", in: store)   // 4: b is at version 2
        let cases: [(String, Compare, Bool)] = [
            ("every key in the range has version > 0", compare("cmp/a", "cmp/c", .version, .greater, .version(0)), true),
            ("not every key has version < 2", compare("cmp/a", "cmp/c", .version, .less, .version(2)), false),
            ("not every key has version != 2", compare("cmp/a", "cmp/c", .version, .notEqual, .version(2)), false),
            ("a mismatched union compares with 0", compare("cmp/a", nil, .mod, .equal, .version(2)), false),
            ("a mismatched union compares with 0 (greater)", compare("cmp/a", nil, .mod, .greater, .version(2)), true),
            ("value greater", compare("cmp/a", nil, .value, .greater, .value(b("w"))), true),
            ("value equal", compare("cmp/a", nil, .value, .equal, .value(b("x"))), true),
            ("lease equal 0", compare("cmp/a", nil, .lease, .equal, .lease(0)), true),
            ("create revision", compare("cmp/b", nil, .create, .equal, .createRevision(3)), true),
            ("mod revision", compare("cmp/b", nil, .mod, .less, .modRevision(4)), false),
            ("value of a missing key never matches", compare("nope", nil, .value, .equal, .value([])), false),
            ("value of a missing key is not 'not equal' either", compare("nope", nil, .value, .notEqual, .value(b("x"))), false),
            ("a missing key has create revision 0", compare("nope", nil, .create, .equal, .createRevision(0)), true),
            ("an empty range has create revision 0", compare("cmp/x", "cmp/z", .create, .equal, .createRevision(0)), true),
            ("value over a prefix", compare("cmp/", "cmp0", .value, .less, .value(b("z"))), true),
        ]
        for (name, cmp, holds) in cases {
            let applied = try applier.txn(TxnRequest(compare: [cmp]), store: store)
            XCTAssertEqual(applied.response.succeeded, holds, name)
            XCTAssertEqual(applied.response.header, header(4), name)
        }
        let both = try applier.txn(TxnRequest(compare: [compare("cmp/a", nil, .version, .equal, .version(1)),
                                                        compare("cmp/b", nil, .version, .equal, .version(1))],
                                              success: [put("s")], failure: [put("f")]), store: store)
        XCTAssertFalse(both.response.succeeded, "every compare must hold")
        XCTAssertEqual(both.events.map { $0.kv?.key }, [b("f")])
    }

    func testChecksAgainstTheStoreRunOnlyOnTheBranchTaken() throws {
        let store = KVStore()
        applier.put("a", "1", in: store)  // 2
        let isOne = compare("a", nil, .version, .equal, .version(1))
        let isSeven = compare("a", nil, .version, .equal, .version(7))
        XCTAssertThrowsEtcdError(.futureRevision) { () throws(EtcdError) in
            try applier.txn(TxnRequest(compare: [isOne], success: [get("a", revision: 100)]), store: store)
        }
        XCTAssertEqual(try applier.txn(TxnRequest(compare: [isSeven], success: [get("a", revision: 100)]), store: store).response,
                       TxnResponse(header: header(2)))
        XCTAssertThrowsEtcdError(.keyNotFound) { () throws(EtcdError) in
            try applier.txn(TxnRequest(success: [RequestOp(request: .requestPut(PutRequest(key: b("zz"), ignoreValue: true)))]), store: store)
        }
        XCTAssertThrowsEtcdError(.leaseNotFound) { () throws(EtcdError) in
            try applier.txn(TxnRequest(success: [put("zz", "1", lease: 99)]), store: store)
        }
        XCTAssertThrowsEtcdError(.leaseNotFound, "nested ops are checked too") { () throws(EtcdError) in
            try applier.txn(TxnRequest(success: [put("q"), txnOp([put("zz", "1", lease: 99)])]), store: store)
        }
        XCTAssertThrowsEtcdError(.compacted, "in a txn only revision 0 means current") { () throws(EtcdError) in
            try applier.txn(TxnRequest(success: [get("a", revision: -3)]), store: store)
        }
        XCTAssertEqual(store.currentRevision, 2, "a refused txn changes nothing")
        _ = try applier.compaction(CompactionRequest(revision: 2), store: store)
        XCTAssertThrowsEtcdError(.compacted) { () throws(EtcdError) in
            try applier.txn(TxnRequest(success: [put("b"), get("a", revision: 1)]), store: store)
        }
    }

    func testReadsInsideAWriteTxnSeeEarlierOpsButNotLaterOnes() throws {
        let store = KVStore()
        applier.put("k", "old", in: store)  // 2
        let applied = try applier.txn(TxnRequest(success: [
            get("k"), RequestOp(request: .requestPut(PutRequest(key: b("k"), value: b("new"), prevKv: true))), get("k"), del("k"), get("j"),
        ]), store: store)
        // (Duplicate checks would refuse put+delete of k at the service; the applier itself runs it.)
        let values = applied.response.responses.map { op -> String in
            switch op.response {
            case .responseRange(let r)?: return "range@\(r.header!.revision):" + r.kvs.map { String(decoding: $0.value, as: UTF8.self) }.joined()
            case .responsePut(let p)?: return "put@\(p.header!.revision) prev:" + String(decoding: p.prevKv?.value ?? [], as: UTF8.self)
            case .responseDeleteRange(let d)?: return "del@\(d.header!.revision):\(d.deleted)"
            default: return "?"
            }
        }
        XCTAssertEqual(values, ["range@2:old", "put@3 prev:old", "range@3:new", "del@3:1", "range@3:"])
        XCTAssertEqual(applied.events.map(\.type), [.put, .delete])
        XCTAssertEqual(applied.events.last?.kv, KeyValue(key: b("k"), modRevision: 3))
    }
}
