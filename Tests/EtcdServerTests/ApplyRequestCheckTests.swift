import XCTest
import EtcdProto
import GRPC
@testable import EtcdServer

final class ApplyRequestCheckTests: XCTestCase {
    func testErrorsCarryEtcdsCodesAndMessages() {
        XCTAssertEqual(EtcdError.emptyKey.status, GRPCStatus(.invalidArgument, "etcdserver: key is not provided"))
        XCTAssertEqual(EtcdError.keyNotFound.status, GRPCStatus(.invalidArgument, "etcdserver: key not found"))
        XCTAssertEqual(EtcdError.valueProvided.status, GRPCStatus(.invalidArgument, "etcdserver: value is provided"))
        XCTAssertEqual(EtcdError.leaseProvided.status, GRPCStatus(.invalidArgument, "etcdserver: lease is provided"))
        XCTAssertEqual(EtcdError.tooManyOps.status, GRPCStatus(.invalidArgument, "etcdserver: too many operations in txn request"))
        XCTAssertEqual(EtcdError.duplicateKey.status, GRPCStatus(.invalidArgument, "etcdserver: duplicate key given in txn request"))
        XCTAssertEqual(EtcdError.compacted.status, GRPCStatus(.outOfRange, "etcdserver: mvcc: required revision has been compacted"))
        XCTAssertEqual(EtcdError.futureRevision.status, GRPCStatus(.outOfRange, "etcdserver: mvcc: required revision is a future revision"))
        XCTAssertEqual(EtcdError.leaseNotFound.status, GRPCStatus(.notFound, "etcdserver: requested lease not found"))
        XCTAssertEqual(EtcdError.noSpace.status, GRPCStatus(.resourceExhausted, "etcdserver: mvcc: database space exceeded"))
        XCTAssertEqual(EtcdError.requestTooLarge.status, GRPCStatus(.invalidArgument, "etcdserver: request is too large"))
        XCTAssertEqual(EtcdError(.compacted), .compacted)
        XCTAssertEqual(EtcdError(.futureRevision), .futureRevision)
    }

    func testSingleRequestChecks() {
        XCTAssertThrowsEtcdError(.emptyKey) { () throws(EtcdError) in try RequestCheck.checkRange(RangeRequest()) }
        XCTAssertThrowsEtcdError(.emptyKey) { () throws(EtcdError) in try RequestCheck.checkDeleteRange(DeleteRangeRequest()) }
        XCTAssertThrowsEtcdError(.emptyKey) { () throws(EtcdError) in try RequestCheck.checkPut(PutRequest(value: b("x"))) }
        XCTAssertThrowsEtcdError(.valueProvided) { () throws(EtcdError) in
            try RequestCheck.checkPut(PutRequest(key: b("a"), value: b("x"), ignoreValue: true))
        }
        XCTAssertThrowsEtcdError(.leaseProvided) { () throws(EtcdError) in
            try RequestCheck.checkPut(PutRequest(key: b("a"), lease: 3, ignoreLease: true))
        }
        XCTAssertNoThrow(try RequestCheck.checkPut(PutRequest(key: b("a"), ignoreValue: true, ignoreLease: true)))
    }

    func testTxnChecksFindEmptyKeysAndEmptyOps() {
        XCTAssertThrowsEtcdError(.emptyKey) { () throws(EtcdError) in
            try RequestCheck.checkTxn(TxnRequest(compare: [Compare(key: [])]))
        }
        XCTAssertThrowsEtcdError(.keyNotFound, "an op with no request") { () throws(EtcdError) in
            try RequestCheck.checkTxn(TxnRequest(success: [RequestOp()]))
        }
        XCTAssertThrowsEtcdError(.emptyKey, "inside a nested txn") { () throws(EtcdError) in
            try RequestCheck.checkTxn(TxnRequest(success: [txnOp([put("")])]))
        }
        XCTAssertThrowsEtcdError(.emptyKey, "op checks run before duplicate checks") { () throws(EtcdError) in
            try RequestCheck.checkTxn(TxnRequest(success: [put("k"), put("k"), put("")]))
        }
    }

    func testTooManyOpsCountsTheLargestListAndShrinksForNestedTxns() {
        let puts = { (n: Int, prefix: String) in (0..<n).map { put("\(prefix)\($0)") } }
        XCTAssertNoThrow(try RequestCheck.checkTxn(TxnRequest(success: puts(128, "k"))))
        XCTAssertThrowsEtcdError(.tooManyOps) { () throws(EtcdError) in
            try RequestCheck.checkTxn(TxnRequest(success: puts(129, "k")))
        }
        XCTAssertThrowsEtcdError(.tooManyOps) { () throws(EtcdError) in
            try RequestCheck.checkTxn(TxnRequest(compare: (0..<129).map { _ in Compare(key: b("k")) }))
        }
        // 101 ops at the top leave 27 for a nested txn.
        XCTAssertNoThrow(try RequestCheck.checkTxn(TxnRequest(success: puts(100, "k") + [txnOp(puts(27, "n"))])))
        XCTAssertThrowsEtcdError(.tooManyOps) { () throws(EtcdError) in
            try RequestCheck.checkTxn(TxnRequest(success: puts(100, "k") + [txnOp(puts(28, "n"))]))
        }
        XCTAssertThrowsEtcdError(.tooManyOps, "the limit is configurable") { () throws(EtcdError) in
            try RequestCheck.checkTxn(TxnRequest(success: puts(3, "k")), maxTxnOps: 2)
        }
    }

    /// The duplicate-key matrix, each verdict observed on etcd 3.4.23.
    func testDuplicateKeyRulesMatchEtcd() {
        let cases: [(String, [RequestOp], Bool)] = [
            ("put, put", [put("k"), put("k")], true),
            ("put, delete", [put("k"), del("k")], true),
            ("delete, put", [del("k"), put("k")], true),
            ("range delete covering a put", [del("a", "c"), put("b")], true),
            ("range end is exclusive", [del("a", "c"), put("c")], false),
            ("delete to the end (\\0) is not checked", [del("a", "\u{0}"), put("b")], false),
            ("overlapping deletes", [del("a", "c"), del("b", "d")], false),
            ("range and put", [get("k"), put("k")], false),
            ("put and nested put", [put("k"), txnOp([put("k")])], true),
            ("both branches of one nested txn", [txnOp([put("k")], else: [put("k")])], false),
            ("two nested txns", [txnOp([put("k")]), txnOp([put("k")])], true),
            ("nested then, other nested else", [txnOp([put("k")]), txnOp(else: [put("k")])], true),
            ("delete and nested put", [del("a", "c"), txnOp([put("b")])], true),
            ("nested delete and put", [txnOp([del("k")]), put("k")], true),
            ("nested delete, later nested put", [txnOp([del("k")]), txnOp(else: [put("k")])], true),
            ("nested put, later nested delete", [txnOp([put("k")]), txnOp([del("k")])], false),
            ("doubly nested put and put", [txnOp([txnOp([put("k")])]), put("k")], true),
            ("delete and put in the two branches of a nested txn", [txnOp([del("a", "c")], else: [put("b")])], false),
        ]
        for (name, ops, isDuplicate) in cases {
            do {
                try RequestCheck.checkTxn(TxnRequest(success: ops))
                XCTAssertFalse(isDuplicate, name)
            } catch {
                XCTAssertTrue(isDuplicate, name)
                XCTAssertEqual(error, .duplicateKey, name)
            }
        }
        // Success and failure are checked separately: one key in each is fine.
        XCTAssertNoThrow(try RequestCheck.checkTxn(TxnRequest(success: [put("k")], failure: [put("k")])))
        XCTAssertThrowsEtcdError(.duplicateKey) { () throws(EtcdError) in
            try RequestCheck.checkTxn(TxnRequest(success: [put("x")], failure: [put("k"), put("k")]))
        }
    }

    func testDeletedIntervalsMergeIntoADisjointUnion() {
        var deleted = DeletedIntervals()
        deleted.insert(key: b("m"), rangeEnd: b("p"))
        deleted.insert(key: b("a"), rangeEnd: b("c"))
        deleted.insert(key: b("b"), rangeEnd: b("d"))   // overlaps [a, c)
        deleted.insert(key: b("x"), rangeEnd: [])        // the point x
        deleted.insert(key: b("p"), rangeEnd: b("q"))   // touches [m, p)
        deleted.insert(key: b("z"), rangeEnd: b("y"))   // empty: end before key
        XCTAssertEqual(deleted.intervals.map { [$0.begin, $0.end] }, [[b("a"), b("d")], [b("m"), b("q")], [b("x"), b("x") + [0]]])
        for key in ["a", "b", "c", "cz", "m", "p", "pz", "x"] { XCTAssertTrue(deleted.contains(b(key)), key) }
        for key in ["0", "d", "l", "q", "w", "x\u{0}", "xa", "z"] { XCTAssertFalse(deleted.contains(b(key)), key) }
        var all = DeletedIntervals()
        all.insert(key: b("a"), rangeEnd: b("b"))
        all.insert(key: b("0"), rangeEnd: b("zz"))      // swallows it
        XCTAssertEqual(all.intervals.count, 1)
    }
}
