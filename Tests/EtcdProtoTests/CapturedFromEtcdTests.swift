// Bytes written by real etcd 3.4.23 (Debian etcd-server, gogo-protobuf encoder), taken from a data
// dir after `etcdctl` put / txn / compact / lease grant / user add / role add / grant-permission:
// WAL entries (raft proposals), the WAL metadata record, and values from the backend's key and lease
// buckets. Decoding them and encoding the result must give back etcd's bytes exactly, which is
// what lets swetcd and etcd read each other's data dirs.

import EtcdProto
import XCTest

/// One blob etcd wrote, and the message type it holds.
struct Captured: Sendable {
    let label: String
    let type: any ProtoMessage.Type
    let bytes: [UInt8]

    init(_ label: String, _ type: any ProtoMessage.Type, _ hex: String) {
        self.label = label
        self.type = type
        self.bytes = parseHex(hex)
    }
}

final class CapturedFromEtcdTests: XCTestCase {
    static let captured: [Captured] = [
        Captured("v2 publish of member attributes (a bare v2 Request, not wrapped)", Request.self,
                 "08 82 c4 a9 e4 e3 c1 a8 a0 a0 01 12 03 50 55 54 1a 26 2f 30 2f 6d 65 6d 62 65 72 73 2f 32 65 31"
                 + "32 35 39 64 34 31 35 66 32 61 30 34 30 2f 61 74 74 72 69 62 75 74 65 73 22 35 7b 22 6e 61 6d 65"
                 + "22 3a 22 6e 31 22 2c 22 63 6c 69 65 6e 74 55 52 4c 73 22 3a 5b 22 68 74 74 70 3a 2f 2f 31 32 37"
                 + "2e 30 2e 30 2e 31 3a 32 33 37 39 30 22 5d 7d 28 00 32 00 38 00 48 00 50 00 58 00 60 00 68 00 70"
                 + "00 78 00 80 01 00"),
        Captured("v2 cluster version set (every non-nullable field written)", Request.self,
                 "08 84 c4 a9 e4 e3 c1 a8 a0 a0 01 12 03 50 55 54 1a 0a 2f 30 2f 76 65 72 73 69 6f 6e 22 05 33 2e"
                 + "34 2e 30 28 00 32 00 38 00 48 00 50 00 58 00 60 00 68 00 70 00 78 00 80 01 00"),
        Captured("put foo=baz", InternalRaftRequest.self,
                 "22 0a 0a 03 66 6f 6f 12 03 62 61 7a a2 06 0b 08 88 c4 a9 e4 e3 c1 a8 a0 a0 01"),
        Captured("put foo=bar with a lease", InternalRaftRequest.self,
                 "22 14 0a 03 66 6f 6f 12 03 62 61 72 18 85 c4 a9 e4 e3 c1 a8 a0 20 a2 06 0b 08 87 c4 a9 e4 e3 c1"
                 + "a8 a0 a0 01"),
        Captured("txn: mod(foo) > 0, then put k2, else delete foo", InternalRaftRequest.self,
                 "32 22 0a 0b 08 01 10 02 1a 03 66 6f 6f 30 00 12 0a 12 08 0a 02 6b 32 12 02 76 32 1a 07 1a 05 0a"
                 + "03 66 6f 6f a2 06 0b 08 89 c4 a9 e4 e3 c1 a8 a0 a0 01"),
        Captured("compaction at revision 3", InternalRaftRequest.self,
                 "3a 02 08 03 a2 06 0b 08 8e c4 a9 e4 e3 c1 a8 a0 a0 01"),
        Captured("lease grant, TTL 600", InternalRaftRequest.self,
                 "42 0d 08 d8 04 10 85 c4 a9 e4 e3 c1 a8 a0 20 a2 06 0b 08 86 c4 a9 e4 e3 c1 a8 a0 a0 01"),
        Captured("alarm list (an empty AlarmRequest is present)", InternalRaftRequest.self,
                 "52 00 a2 06 0b 08 8d c4 a9 e4 e3 c1 a8 a0 a0 01"),
        Captured("user add root (empty options present)", InternalRaftRequest.self,
                 "a2 06 0b 08 8a c4 a9 e4 e3 c1 a8 a0 a0 01 e2 44 0c 0a 04 72 6f 6f 74 12 02 70 77 1a 00"),
        Captured("role add r1", InternalRaftRequest.self,
                 "a2 06 0b 08 8b c4 a9 e4 e3 c1 a8 a0 a0 01 82 4b 04 0a 02 72 31"),
        Captured("role grant-permission r1 readwrite [a, b)", InternalRaftRequest.self,
                 "a2 06 0b 08 8c c4 a9 e4 e3 c1 a8 a0 a0 01 9a 4b 0e 0a 02 72 31 12 08 08 02 12 01 61 1a 01 62"),
        Captured("key bucket value", KeyValue.self,
                 "0a 02 6b 32 10 04 18 04 20 01 2a 02 76 32"),
        Captured("key bucket value", KeyValue.self,
                 "0a 03 66 6f 6f 10 02 18 02 20 01 2a 03 62 61 72 30 85 c4 a9 e4 e3 c1 a8 a0 20"),
        Captured("key bucket value", KeyValue.self,
                 "0a 03 66 6f 6f 10 02 18 03 20 02 2a 03 62 61 7a"),
        Captured("lease bucket value", Lease.self,
                 "08 85 c4 a9 e4 e3 c1 a8 a0 20 10 d8 04"),
        Captured("WAL metadata record", Metadata.self,
                 "08 c0 c0 ca af c1 ba 96 89 2e 10 87 d5 ed ba 8f d5 9d c1 04"),
    ]

    private func reencoded<M: ProtoMessage>(_ type: M.Type, _ bytes: [UInt8]) throws -> [UInt8] {
        try M(serializedBytes: bytes).serializedBytes()
    }

    func testDecodingAndReencodingGivesBackEtcdsBytes() throws {
        for blob in Self.captured {
            XCTAssertEqual(try reencoded(blob.type, blob.bytes), blob.bytes, blob.label)
        }
    }

    func testTxnProposalDecodesToWhatEtcdctlSent() throws {
        let blob = try XCTUnwrap(Self.captured.first { $0.label.hasPrefix("txn") })
        let proposal = try InternalRaftRequest(serializedBytes: blob.bytes)
        let expected = TxnRequest(
            compare: [Compare(result: .greater, target: .mod, key: Array("foo".utf8), targetUnion: .modRevision(0))],
            success: [RequestOp(request: .requestPut(PutRequest(key: Array("k2".utf8), value: Array("v2".utf8))))],
            failure: [RequestOp(request: .requestDeleteRange(DeleteRangeRequest(key: Array("foo".utf8))))])
        XCTAssertEqual(proposal.txn, expected)
        XCTAssertEqual(proposal.id, 0, "etcd 3.4 identifies proposals by header.id")
        XCTAssertNotEqual(proposal.header?.id, 0)
    }

    func testV2ProposalKeepsItsAlwaysWrittenFields() throws {
        let blob = try XCTUnwrap(Self.captured.first { $0.label.hasPrefix("v2 cluster version") })
        let request = try Request(serializedBytes: blob.bytes)
        XCTAssertEqual(request.method, "PUT")
        XCTAssertEqual(request.path, "/0/version")
        XCTAssertEqual(request.val, "3.4.0")
        XCTAssertNil(request.prevExist)
        XCTAssertNil(request.refresh)
    }

    func testStoredKeyValueAndLease() throws {
        let leased = try XCTUnwrap(Self.captured.first {
            $0.label == "key bucket value" && (try? KeyValue(serializedBytes: $0.bytes))?.lease != 0
        })
        let kv = try KeyValue(serializedBytes: leased.bytes)
        XCTAssertEqual(kv.key, Array("foo".utf8))
        XCTAssertEqual(kv.value, Array("bar".utf8))
        let leaseBlob = try XCTUnwrap(Self.captured.first { $0.label == "lease bucket value" })
        let lease = try Lease(serializedBytes: leaseBlob.bytes)
        XCTAssertEqual(lease.id, kv.lease)
        XCTAssertEqual(lease.ttl, 600)
    }
}
