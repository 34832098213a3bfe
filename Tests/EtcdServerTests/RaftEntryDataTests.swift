import EtcdProto
import XCTest

@testable import EtcdServer

/// What a normal raft entry's data means, as etcd 3.4 writes it to the WAL: an
/// InternalRaftRequest whose header carries the proposal's ID, or (etcd's v2 publish of member
/// attributes and the cluster version) a bare v2 Request. Entries must decode the same way
/// whether this member or an etcd member proposed them.
final class RaftEntryDataTests: XCTestCase {
    /// The request an entry carries, encoded as the proposer puts it in the log.
    private func entryData(_ request: ApplyRequest, id: UInt64) throws -> [UInt8] {
        try XCTUnwrap(request.internalRaftRequest(id: id), "\(request) has a raft form").serializedBytes()
    }

    /// The decoded request, or a failure naming what was decoded instead.
    private func decodedRequest(_ data: [UInt8], file: StaticString = #filePath, line: UInt = #line) -> (id: UInt64, ApplyRequest)? {
        guard case .request(let id, let request, _) = RaftEntryData(decoding: data) else {
            XCTFail("decoded as \(RaftEntryData(decoding: data)), not a request", file: file, line: line)
            return nil
        }
        return (id, request)
    }

    func testAPutRoundTripsWithItsID() throws {
        let put = PutRequest(key: Array("k".utf8), value: Array("v".utf8), lease: 7, prevKv: true)
        let data = try entryData(.put(put), id: 0x694d_0000_0000_0001)
        guard let (id, request) = decodedRequest(data), case .put(let decoded) = request else { return XCTFail("\(data)") }
        XCTAssertEqual(id, 0x694d_0000_0000_0001)
        XCTAssertEqual(decoded, put)
    }

    func testADeleteRangeRoundTripsWithItsID() throws {
        let delete = DeleteRangeRequest(key: Array("a".utf8), rangeEnd: Array("z".utf8), prevKv: true)
        guard let (id, request) = decodedRequest(try entryData(.deleteRange(delete), id: 42)),
              case .deleteRange(let decoded) = request else { return XCTFail() }
        XCTAssertEqual(id, 42)
        XCTAssertEqual(decoded, delete)
    }

    func testATxnRoundTripsWithItsID() throws {
        let txn = TxnRequest(
            compare: [Compare(result: .greater, target: .mod, key: Array("k".utf8), targetUnion: .modRevision(3))],
            success: [RequestOp(request: .requestPut(PutRequest(key: Array("k".utf8), value: Array("new".utf8))))],
            failure: [RequestOp(request: .requestDeleteRange(DeleteRangeRequest(key: Array("k".utf8)))),
                      RequestOp(request: .requestRange(RangeRequest(key: Array("k".utf8))))])
        guard let (id, request) = decodedRequest(try entryData(.txn(txn), id: 43)),
              case .txn(let decoded) = request else { return XCTFail() }
        XCTAssertEqual(id, 43)
        XCTAssertEqual(decoded, txn)
    }

    func testACompactionRoundTripsWithItsID() throws {
        let compaction = CompactionRequest(revision: 1234, physical: true)
        guard let (id, request) = decodedRequest(try entryData(.compaction(compaction), id: 44)),
              case .compaction(let decoded) = request else { return XCTFail() }
        XCTAssertEqual(id, 44)
        XCTAssertEqual(decoded, compaction)
    }

    func testAnAlarmRoundTripsWithItsID() throws {
        let alarm = AlarmRequest(action: .activate, memberID: 0x8e9e_05c5_2164_694d, alarm: .noSpace)
        guard let (id, request) = decodedRequest(try entryData(.alarm(alarm), id: .max)),
              case .alarm(let decoded) = request else { return XCTFail() }
        XCTAssertEqual(id, .max)
        XCTAssertEqual(decoded, alarm)
    }

    /// The bytes etcd 3.4 writes for `put k=v` with request ID 0x1234: Put (field 4) first,
    /// then the header (field 100), in field-number order, as gogo-protobuf marshals.
    func testAPutIsEncodedAsEtcdWritesIt() throws {
        let put = PutRequest(key: Array("k".utf8), value: Array("v".utf8))
        XCTAssertEqual(try entryData(.put(put), id: 0x1234),
                       [0x22, 0x06, 0x0a, 0x01, 0x6b, 0x12, 0x01, 0x76,   // put {key "k", value "v"}
                        0xa2, 0x06, 0x03, 0x08, 0xb4, 0x24])              // header {id 0x1234}
    }

    func testDefragmentationHasNoRaftForm() {
        XCTAssertNil(ApplyRequest.defragment.internalRaftRequest(id: 1))
    }

    /// etcd 3.4 publishes its attributes and the cluster version as bare v2 Requests.
    func testEtcdsV2PublishDecodesAsV2() {
        let published = [
            Request(id: 0x694d_1c2b_3d4e_5f01, method: "PUT", path: "/0/version", val: "3.4.0"),
            Request(id: 0x694d_1c2b_3d4e_5f02, method: "PUT", path: "/0/members/8e9e05c52164694d/attributes",
                    val: #"{"name":"default","clientURLs":["http://localhost:2379"]}"#),
        ]
        for request in published {
            guard case .v2(let decoded) = RaftEntryData(decoding: request.serializedBytes()) else {
                XCTFail("\(request.path) did not decode as v2: \(RaftEntryData(decoding: request.serializedBytes()))")
                continue
            }
            XCTAssertEqual(decoded, request)
        }
    }

    func testAKindNotAppliedDecodesAsUnsupportedWithItsID() {
        // etcd 3.4 never proposes a Range (reads go through ReadIndex), though the field exists.
        var range = InternalRaftRequest(header: RequestHeader(id: 99))
        range.range = RangeRequest(key: Array("k".utf8))
        guard case .unsupported(let id) = RaftEntryData(decoding: range.serializedBytes()) else {
            return XCTFail("decoded as \(RaftEntryData(decoding: range.serializedBytes()))")
        }
        XCTAssertEqual(id, 99)
    }

    func testALeaseCheckpointDecodesAsTheCheckpointsItCarries() {
        let checkpoints = LeaseCheckpointRequest(checkpoints: [LeaseCheckpoint(id: 5, remainingTTL: 30), LeaseCheckpoint(id: 6)])
        var entry = InternalRaftRequest(header: RequestHeader(id: 99))
        entry.leaseCheckpoint = checkpoints
        guard case .request(99, .leaseCheckpoint(let decoded), nil) = RaftEntryData(decoding: entry.serializedBytes()) else {
            return XCTFail("decoded as \(RaftEntryData(decoding: entry.serializedBytes()))")
        }
        XCTAssertEqual(decoded, checkpoints)
        XCTAssertEqual(ApplyRequest.leaseCheckpoint(checkpoints).internalRaftRequest(id: 99)?.serializedBytes(), entry.serializedBytes(),
                       "proposed as etcd proposes it")
    }

    func testLeaseGrantsAndRevokesDecodeAsTheRequestsTheyCarry() {
        let grant = InternalRaftRequest(leaseGrant: LeaseGrantRequest(ttl: 60, id: 5), header: RequestHeader(id: 99))
        guard case .request(99, .leaseGrant(let decoded), nil) = RaftEntryData(decoding: grant.serializedBytes()) else {
            return XCTFail("decoded as \(RaftEntryData(decoding: grant.serializedBytes()))")
        }
        XCTAssertEqual(decoded, LeaseGrantRequest(ttl: 60, id: 5))
        let revoke = ApplyRequest.leaseRevoke(LeaseRevokeRequest(id: 5)).internalRaftRequest(id: 7)!
        guard case .request(7, .leaseRevoke(let revoked), nil) = RaftEntryData(decoding: revoke.serializedBytes()) else {
            return XCTFail("decoded as \(RaftEntryData(decoding: revoke.serializedBytes()))")
        }
        XCTAssertEqual(revoked.id, 5)
    }

    /// etcd's applier takes the legacy `ID` field when it is set and `Header.ID` only otherwise
    /// (etcdserver/server.go, applyEntryNormal).
    func testTheLegacyIDFieldWinsWhenSetAsInEtcd() {
        let put = PutRequest(key: Array("k".utf8))
        let legacyOnly = InternalRaftRequest(id: 77, put: put)
        XCTAssertEqual(decodedRequest(legacyOnly.serializedBytes())?.id, 77, "no header")
        let both = InternalRaftRequest(id: 77, put: put, header: RequestHeader(id: 5))
        XCTAssertEqual(decodedRequest(both.serializedBytes())?.id, 77, "a nonzero ID field comes first")
        let headerOnly = InternalRaftRequest(put: put, header: RequestHeader(id: 5))
        XCTAssertEqual(decodedRequest(headerOnly.serializedBytes())?.id, 5)
    }
}
