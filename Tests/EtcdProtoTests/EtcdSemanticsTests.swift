// Decoding behaviour etcd's server relies on beyond the golden bytes: presence, unknown values and
// fields from newer clients, and the nesting bound on transactions.

import EtcdBasics
import EtcdProto
import XCTest

final class EtcdSemanticsTests: XCTestCase {
    func testAbsentAndEmptySubmessagesStayDistinct() throws {
        // etcd answers "no previous key" with a nil prev_kv, not an empty one.
        XCTAssertNil(try PutResponse(serializedBytes: parseHex("0a 00")).prevKv)
        XCTAssertEqual(try PutResponse(serializedBytes: parseHex("0a 00 12 00")).prevKv, KeyValue())
        XCTAssertEqual(PutResponse(header: ResponseHeader()).serializedBytes(), parseHex("0a 00"))
        XCTAssertEqual(PutResponse().serializedBytes(), [])
    }

    func testUnknownEnumValuesDecodeToTheZeroCase() throws {
        let request = try RangeRequest(serializedBytes: parseHex("28 07 30 09"))
        XCTAssertEqual(request.sortOrder, .none)
        XCTAssertEqual(request.sortTarget, .key)
        let create = try WatchCreateRequest(serializedBytes: parseHex("2a 02 05 01"))
        XCTAssertEqual(create.filters, [.noPut, .noDelete])
    }

    func testFieldsFromNewerClientsAreSkipped() throws {
        // A PutRequest carrying an unknown varint field 99 and an unknown bytes field 100.
        let bytes = parseHex("0a 01 6b 98 06 01 a2 06 02 78 79 12 01 76")
        XCTAssertEqual(try PutRequest(serializedBytes: bytes), PutRequest(key: [0x6B], value: [0x76]))
    }

    func testLaterOneofMemberReplacesEarlierOne() throws {
        // Two members of Compare.target_union: the last one on the wire wins, as in Go.
        let compare = try Compare(serializedBytes: parseHex("20 05 30 07"))
        XCTAssertEqual(compare.targetUnion, .modRevision(7))
    }

    /// A transaction whose success branch holds a transaction, `levels` times over.
    private func nestedTxn(levels: Int) -> TxnRequest {
        var txn = TxnRequest(success: [RequestOp(request: .requestPut(PutRequest(key: [0x6B])))])
        for _ in 1..<levels {
            txn = TxnRequest(success: [RequestOp(request: .requestTxn(txn))])
        }
        return txn
    }

    func testNestedTransactionsDecodeUpToTheDepthLimit() throws {
        // Each level is two messages deep (TxnRequest -> RequestOp), the put one more.
        let levels = Limits.protoDecodeDepthMax / 2
        let txn = nestedTxn(levels: levels)
        XCTAssertEqual(try TxnRequest(serializedBytes: txn.serializedBytes()), txn)
    }

    func testNestedTransactionsPastTheDepthLimitAreRefused() {
        let txn = nestedTxn(levels: Limits.protoDecodeDepthMax / 2 + 1)
        XCTAssertThrowsError(try TxnRequest(serializedBytes: txn.serializedBytes())) { error in
            XCTAssertEqual(error as? ProtoDecodeError, .depthLimitExceeded(max: Limits.protoDecodeDepthMax))
        }
    }

    func testTruncatedRequestIsAnErrorNotACrash() {
        // 0a 03 "key" 12 05 "value": a cut anywhere but after the first field leaves a field unfinished.
        let bytes = PutRequest(key: Array("key".utf8), value: Array("value".utf8)).serializedBytes()
        XCTAssertEqual(try PutRequest(serializedBytes: Array(bytes[..<5])), PutRequest(key: Array("key".utf8)))
        for cut in 1..<bytes.count where cut != 5 {
            XCTAssertThrowsError(try PutRequest(serializedBytes: Array(bytes[..<cut])), "cut at \(cut)")
        }
    }

    func testEncodeAppendingWritesAfterAFrameHeader() throws {
        let response = RangeResponse(header: ResponseHeader(revision: 5), count: 0)
        var frame: [UInt8] = [0, 0, 0, 0, 0]
        response.encode(appendingTo: &frame)
        XCTAssertEqual(Array(frame[5...]), response.serializedBytes())
        XCTAssertEqual(try RangeResponse(serializedBytes: frame[5...]), response)
    }
}
