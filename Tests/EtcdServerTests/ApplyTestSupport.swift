import XCTest
import EtcdProto
import MVCC
@testable import EtcdServer

/// Shorthands for building requests in the Apply tests. Expectations in these tests were
/// observed on etcd 3.4.23 (same requests through its JSON gateway / etcdctl).
func b(_ s: String) -> [UInt8] { Array(s.utf8) }

func put(_ key: String, _ value: String = "v", lease: Int64 = 0) -> RequestOp {
    RequestOp(request: .requestPut(PutRequest(key: b(key), value: b(value), lease: lease)))
}

func del(_ key: String, _ end: String? = nil) -> RequestOp {
    RequestOp(request: .requestDeleteRange(DeleteRangeRequest(key: b(key), rangeEnd: end.map(b) ?? [])))
}

func get(_ key: String, _ end: String? = nil, revision: Int64 = 0) -> RequestOp {
    RequestOp(request: .requestRange(RangeRequest(key: b(key), rangeEnd: end.map(b) ?? [], revision: revision)))
}

func txnOp(_ success: [RequestOp] = [], else failure: [RequestOp] = [], if compare: [Compare] = []) -> RequestOp {
    RequestOp(request: .requestTxn(TxnRequest(compare: compare, success: success, failure: failure)))
}

func kv(_ key: String, _ value: String, create: Int64, mod: Int64, version: Int64, lease: Int64 = 0) -> KeyValue {
    KeyValue(key: b(key), createRevision: create, modRevision: mod, version: version, value: b(value), lease: lease)
}

func header(_ revision: Int64) -> ResponseHeader { ResponseHeader(revision: revision) }

/// Asserts that `body` throws exactly `expected`.
func XCTAssertThrowsEtcdError<T>(_ expected: EtcdError, _ message: String = "", file: StaticString = #filePath, line: UInt = #line,
                                 _ body: () throws(EtcdError) -> T) {
    do {
        _ = try body()
        XCTFail("expected \(expected.message) \(message)", file: file, line: line)
    } catch {
        XCTAssertEqual(error, expected, message, file: file, line: line)
    }
}

extension KVApplier {
    /// Puts through the applier, failing the test on error; returns the revision.
    @discardableResult
    func put(_ key: String, _ value: String, in store: KVStore) -> Int64 {
        do {
            return try put(PutRequest(key: b(key), value: b(value)), store: store).response.header?.revision ?? -1
        } catch {
            XCTFail("put \(key): \(error)")
            return -1
        }
    }
}
