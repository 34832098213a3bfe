import XCTest
import EtcdProto
import ProtoWire
@testable import EtcdServer

/// Protobuf replies transcoded to JSON must equal, byte for byte, what etcd 3.4.23's gateway
/// answered for the same reply (captured with curl against `etcd` on a fresh data dir).
final class GatewayJSONTests: XCTestCase {
    private let cluster: UInt64 = 885017226218150047
    private let member: UInt64 = 2847802237857883224

    private func header(_ revision: Int64) -> ResponseHeader {
        ResponseHeader(clusterId: cluster, memberId: member, revision: revision, raftTerm: 2)
    }

    private func headerJSON(_ revision: Int64) -> String {
        #"{"cluster_id":"885017226218150047","member_id":"2847802237857883224","revision":"\#(revision)","raft_term":"2"}"#
    }

    private func json<M: ProtoMessage>(_ message: M, _ schema: ProtoSchema) throws -> String {
        var out: [UInt8] = []
        try ProtoJSONEncoder.encode(message.serializedBytes(), as: schema, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    private func b(_ text: String) -> [UInt8] { Array(text.utf8) }

    func testKVReplies() throws {
        let put = PutResponse(header: header(3), prevKv: KeyValue(key: b("foo"), createRevision: 2, modRevision: 2, version: 1, value: b("bar")))
        XCTAssertEqual(try json(put, .putResponse),
                       #"{"header":\#(headerJSON(3)),"prev_kv":{"key":"Zm9v","create_revision":"2","mod_revision":"2","version":"1","value":"YmFy"}}"#)

        let range = RangeResponse(header: header(3), kvs: [KeyValue(key: b("foo"), createRevision: 2, modRevision: 3, version: 2, value: b("bar"))], count: 1)
        XCTAssertEqual(try json(range, .rangeResponse),
                       #"{"header":\#(headerJSON(3)),"kvs":[{"key":"Zm9v","create_revision":"2","mod_revision":"3","version":"2","value":"YmFy"}],"count":"1"}"#)

        let deleted = DeleteRangeResponse(header: header(5), deleted: 1, prevKvs: [KeyValue(key: b("a"), createRevision: 4, modRevision: 4, version: 1)])
        XCTAssertEqual(try json(deleted, .deleteRangeResponse),
                       #"{"header":\#(headerJSON(5)),"deleted":"1","prev_kvs":[{"key":"YQ==","create_revision":"4","mod_revision":"4","version":"1"}]}"#)
    }

    func testTxnReplyWritesOneofMembersUnderTheirNames() throws {
        let txn = TxnResponse(header: header(4), succeeded: true, responses: [
            ResponseOp(response: .responseRange(RangeResponse(header: ResponseHeader(revision: 3),
                kvs: [KeyValue(key: b("foo"), createRevision: 2, modRevision: 3, version: 2, value: b("bar"))], count: 1))),
            ResponseOp(response: .responsePut(PutResponse(header: ResponseHeader(revision: 4)))),
        ])
        XCTAssertEqual(try json(txn, .txnResponse),
                       #"{"header":\#(headerJSON(4)),"succeeded":true,"responses":[{"response_range":{"header":{"revision":"3"},"kvs":[{"key":"Zm9v","create_revision":"2","mod_revision":"3","version":"2","value":"YmFy"}],"count":"1"}},{"response_put":{"header":{"revision":"4"}}}]}"#)
    }

    func testWatchRepliesWriteEnumsByName() throws {
        let created = WatchResponse(header: header(11), created: true)
        XCTAssertEqual(try json(created, .watchResponse), #"{"header":\#(headerJSON(11)),"created":true}"#)

        let events = WatchResponse(header: header(11), events: [
            Event(type: .put, kv: KeyValue(key: b("a"), createRevision: 4, modRevision: 4, version: 1)),
            Event(type: .delete, kv: KeyValue(key: b("a"), modRevision: 5),
                  prevKv: KeyValue(key: b("a"), createRevision: 4, modRevision: 4, version: 1)),
        ])
        XCTAssertEqual(try json(events, .watchResponse),
                       #"{"header":\#(headerJSON(11)),"events":[{"kv":{"key":"YQ==","create_revision":"4","mod_revision":"4","version":"1"}},{"type":"DELETE","kv":{"key":"YQ==","mod_revision":"5"},"prev_kv":{"key":"YQ==","create_revision":"4","mod_revision":"4","version":"1"}}]}"#)

        let progress = WatchResponse(header: header(8), watchId: -1)
        XCTAssertEqual(try json(progress, .watchResponse), #"{"header":\#(headerJSON(8)),"watch_id":"-1"}"#)

        let canceled = WatchResponse(header: ResponseHeader(clusterId: cluster, memberId: member, raftTerm: 2), canceled: true, compactRevision: 3)
        XCTAssertEqual(try json(canceled, .watchResponse),
                       #"{"header":{"cluster_id":"885017226218150047","member_id":"2847802237857883224","raft_term":"2"},"canceled":true,"compact_revision":"3"}"#)
    }

    func testLeaseRepliesUseDeclaredNames() throws {
        var grant = LeaseGrantResponse()
        grant.header = header(5); grant.id = 100; grant.ttl = 60
        XCTAssertEqual(try json(grant, .leaseGrantResponse), #"{"header":\#(headerJSON(5)),"ID":"100","TTL":"60"}"#)

        var timeToLive = LeaseTimeToLiveResponse()
        timeToLive.header = header(6); timeToLive.id = 100; timeToLive.ttl = 59; timeToLive.grantedTTL = 60; timeToLive.keys = [b("lk")]
        XCTAssertEqual(try json(timeToLive, .leaseTimeToLiveResponse),
                       #"{"header":\#(headerJSON(6)),"ID":"100","TTL":"59","grantedTTL":"60","keys":["bGs="]}"#)

        var status = LeaseStatus(); status.id = 100
        var leases = LeaseLeasesResponse(); leases.header = header(6); leases.leases = [status]
        XCTAssertEqual(try json(leases, .leaseLeasesResponse), #"{"header":\#(headerJSON(6)),"leases":[{"ID":"100"}]}"#)

        var keepAlive = LeaseKeepAliveResponse(); keepAlive.header = header(8); keepAlive.id = 100; keepAlive.ttl = 60
        XCTAssertEqual(try json(keepAlive, .leaseKeepAliveResponse), #"{"header":\#(headerJSON(8)),"ID":"100","TTL":"60"}"#)
    }

    func testClusterAndMaintenanceReplies() throws {
        let list = MemberListResponse(header: ResponseHeader(clusterId: cluster, memberId: member, raftTerm: 2), members: [
            Member(id: member, name: "default", peerURLs: ["http://127.0.0.1:46521"], clientURLs: ["http://127.0.0.1:46520"]),
        ])
        XCTAssertEqual(try json(list, .memberListResponse),
                       #"{"header":{"cluster_id":"885017226218150047","member_id":"2847802237857883224","raft_term":"2"},"members":[{"ID":"2847802237857883224","name":"default","peerURLs":["http://127.0.0.1:46521"],"clientURLs":["http://127.0.0.1:46520"]}]}"#)

        var added = MemberAddResponse()
        added.header = ResponseHeader(clusterId: cluster, memberId: member, raftTerm: 2)
        added.member = Member(id: 13616470227575986335, peerURLs: ["http://127.0.0.1:46599"], isLearner: true)
        added.members = [list.members[0], added.member!]
        XCTAssertEqual(try json(added, .memberAddResponse),
                       #"{"header":{"cluster_id":"885017226218150047","member_id":"2847802237857883224","raft_term":"2"},"member":{"ID":"13616470227575986335","peerURLs":["http://127.0.0.1:46599"],"isLearner":true},"members":[{"ID":"2847802237857883224","name":"default","peerURLs":["http://127.0.0.1:46521"],"clientURLs":["http://127.0.0.1:46520"]},{"ID":"13616470227575986335","peerURLs":["http://127.0.0.1:46599"],"isLearner":true}]}"#)

        let status = StatusResponse(header: header(6), version: "3.4.23", dbSize: 20480, leader: member, raftIndex: 11,
                                    raftTerm: 2, raftAppliedIndex: 11, dbSizeInUse: 16384)
        XCTAssertEqual(try json(status, .statusResponse),
                       #"{"header":\#(headerJSON(6)),"version":"3.4.23","dbSize":"20480","leader":"2847802237857883224","raftIndex":"11","raftTerm":"2","raftAppliedIndex":"11","dbSizeInUse":"16384"}"#)

        var hash = HashResponse(); hash.header = header(8); hash.hash = 168939807
        XCTAssertEqual(try json(hash, .hashResponse), #"{"header":\#(headerJSON(8)),"hash":168939807}"#, "uint32 is a bare number")

        XCTAssertEqual(try json(AlarmResponse(), .alarmResponse), "{}")
    }

    func testAuthRepliesEscapeStringsAsGoDoes() throws {
        var role = AuthRoleGetResponse()
        role.header = header(6)
        role.perm = [Permission(permType: .readWrite, key: b("a"), rangeEnd: b("b"))]
        XCTAssertEqual(try json(role, .authRoleGetResponse),
                       #"{"header":\#(headerJSON(6)),"perm":[{"permType":"READWRITE","key":"YQ==","range_end":"Yg=="}]}"#)

        var users = AuthUserListResponse()
        users.header = header(6)
        users.users = ["u<&>\u{2028}é\u{8}\u{1}"]
        XCTAssertEqual(try json(users, .authUserListResponse),
                       #"{"header":\#(headerJSON(6)),"users":["u\u003c\u0026\u003e\u2028é\u0008\u0001"]}"#)
    }

    func testLockAndElectionReplies() throws {
        var lock = LockResponse(); lock.header = header(7); lock.key = b("l/6458a210a6327b1e")
        XCTAssertEqual(try json(lock, .lockResponse), #"{"header":\#(headerJSON(7)),"key":"bC82NDU4YTIxMGE2MzI3YjFl"}"#)

        var campaign = CampaignResponse()
        campaign.header = header(8)
        campaign.leader = LeaderKey(name: b("e"), key: b("e/6458a210a6327b21"), rev: 8, lease: 7230707394134833953)
        XCTAssertEqual(try json(campaign, .campaignResponse),
                       #"{"header":\#(headerJSON(8)),"leader":{"name":"ZQ==","key":"ZS82NDU4YTIxMGE2MzI3YjIx","rev":"8","lease":"7230707394134833953"}}"#)

        var leader = LeaderResponse()
        leader.header = header(8)
        leader.kv = KeyValue(key: b("e/6458a210a6327b21"), createRevision: 8, modRevision: 8, version: 1, value: b("v1"), lease: 7230707394134833953)
        XCTAssertEqual(try json(leader, .leaderResponse),
                       #"{"header":\#(headerJSON(8)),"kv":{"key":"ZS82NDU4YTIxMGE2MzI3YjIx","create_revision":"8","mod_revision":"8","version":"1","value":"djE=","lease":"7230707394134833953"}}"#)
    }

    // MARK: Wire-level rules (gogo's decoder in front of jsonpb)

    private func json(wire: [UInt8], _ schema: ProtoSchema) throws -> String {
        var out: [UInt8] = []
        try ProtoJSONEncoder.encode(wire, as: schema, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    func testWireQuirks() throws {
        // Declaration order whatever the wire order; unknown fields skipped.
        var writer = ProtoWriter()
        writer.writeInt64(field: 4, 5)          // count
        writer.writeBytes(field: 99, [1, 2])    // unknown: skipped
        writer.writeMessage(field: 1, ResponseHeader(revision: 1))
        XCTAssertEqual(try json(wire: writer.bytes, .rangeResponse), #"{"header":{"revision":"1"},"count":"5"}"#)

        // A bytes field present but empty is written (gogo keeps []byte{}); an empty string is not.
        var kv = ProtoWriter()
        kv.writeLengthDelimitedField(field: 1, [UInt8]())
        XCTAssertEqual(try json(wire: kv.bytes, .keyValue), #"{"key":""}"#)

        // A singular message seen twice is merged; a scalar seen twice keeps the last value.
        var merged = ProtoWriter()
        merged.writeMessage(field: 1, ResponseHeader(clusterId: 7))
        merged.writeMessage(field: 1, ResponseHeader(revision: 9))
        merged.writeInt64(field: 4, 1)
        merged.writeInt64(field: 4, 2)
        XCTAssertEqual(try json(wire: merged.bytes, .rangeResponse), #"{"header":{"cluster_id":"7","revision":"9"},"count":"2"}"#)

        // A repeated enum, packed or not; an unknown enum value is written as a bare number.
        var filters = ProtoWriter()
        filters.writeTag(field: 5, wireType: .lengthDelimited)
        filters.writeLengthDelimited([0, 1])
        filters.writeVarintField(field: 5, 7)
        XCTAssertEqual(try json(wire: filters.bytes, .watchCreateRequest), #"{"filters":["NOPUT","NODELETE",7]}"#)

        // A oneof member holding a zero value is still written; the last member on the wire wins.
        let compare = Compare(result: .equal, target: .version, key: b("k"), targetUnion: .version(0))
        XCTAssertEqual(try json(compare, .compare), #"{"key":"aw==","version":"0"}"#)
        var twoMembers = ProtoWriter()
        twoMembers.writeVarintField(field: 4, 3)
        twoMembers.writeVarintField(field: 5, 4)
        XCTAssertEqual(try json(wire: twoMembers.bytes, .compare), #"{"create_revision":"4"}"#)

        // Extremes of each integer kind.
        XCTAssertEqual(try json(ResponseHeader(clusterId: .max, revision: .min), .responseHeader),
                       #"{"cluster_id":"18446744073709551615","revision":"-9223372036854775808"}"#)
        XCTAssertEqual(try json(wire: [0x10, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F], .hashResponse), #"{"hash":4294967295}"#)

        // Invalid UTF-8 in a string: one \ufffd per bad byte, as encoding/json writes it.
        var name = ProtoWriter()
        name.writeLengthDelimitedField(field: 2, [0x61, 0xFF, 0xC3, 0x62])
        XCTAssertEqual(try json(wire: name.bytes, .member), #"{"name":"a\ufffd\ufffdb"}"#)

        XCTAssertThrowsError(try json(wire: [0x0A, 0x05, 0x01], .rangeResponse)) { error in
            XCTAssertEqual(error as? ProtoDecodeError, .truncated)
        }
    }
}
