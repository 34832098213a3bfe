import XCTest
import EtcdProto
import ProtoWire
@testable import EtcdServer

/// Every path etcd 3.4's gateway serves: its gRPC method, and a request body (every field set,
/// names in both styles) that must land in the right fields of swetcd's own message type.
final class GatewayJSONRouteTests: XCTestCase {
    private func b(_ text: String) -> [UInt8] { Array(text.utf8) }

    private func check<M: ProtoMessage>(_ path: String, _ method: String, _ json: String, _ expected: M,
                                        streaming: Bool = false, file: StaticString = #filePath, line: UInt = #line) {
        guard let route = GatewayRoute.route(forPath: path) else { return XCTFail("no route for \(path)", file: file, line: line) }
        XCTAssertEqual(route.method, method, file: file, line: line)
        XCTAssertEqual(route.isServerStreaming, streaming, path, file: file, line: line)
        do {
            let bytes = try ProtoJSONDecoder.decode(b(json), as: route.request)
            XCTAssertEqual(try M(serializedBytes: bytes), expected, path, file: file, line: line)
            // And back: the request re-encoded as JSON decodes to the same message.
            var again: [UInt8] = []
            try ProtoJSONEncoder.encode(bytes, as: route.request, into: &again)
            XCTAssertEqual(try M(serializedBytes: try ProtoJSONDecoder.decode(again, as: route.request)), expected,
                           String(decoding: again, as: UTF8.self), file: file, line: line)
        } catch {
            XCTFail("\(path): \(error)", file: file, line: line)
        }
    }

    private func with<M>(_ value: M, _ change: (inout M) -> Void) -> M {
        var copy = value
        change(&copy)
        return copy
    }

    func testRouteTableCoversEtcdPaths() {
        XCTAssertEqual(GatewayRoute.table.count, 48)
        XCTAssertNil(GatewayRoute.route(forPath: "/v3/kv/nope"))
        XCTAssertNil(GatewayRoute.route(forPath: "/v3/lock"), "etcd serves Lock at /v3/lock/lock")
        XCTAssertEqual(GatewayRoute.route(forPath: "/v3/maintenance/hash"[...])?.method, "/etcdserverpb.Maintenance/Hash",
                       "Hash and HashKV share the path; grpc-gateway matches the first registered")
        XCTAssertTrue(GatewayRoute.route(forPath: "/v3/kv/range")!.response === ProtoSchema.rangeResponse)
        XCTAssertTrue(GatewayRoute.route(forPath: "/v3/election/observe")!.response === ProtoSchema.leaderResponse)
    }

    func testKVRoutes() {
        check("/v3/kv/range", "/etcdserverpb.KV/Range",
              #"{"key":"YQ==","rangeEnd":"Yg==","limit":"1","revision":2,"sort_order":"ASCEND","sortTarget":"MOD","serializable":true,"keys_only":true,"countOnly":true,"min_mod_revision":3,"maxModRevision":"4","min_create_revision":5,"maxCreateRevision":6}"#,
              RangeRequest(key: b("a"), rangeEnd: b("b"), limit: 1, revision: 2, sortOrder: .ascend, sortTarget: .mod,
                           serializable: true, keysOnly: true, countOnly: true, minModRevision: 3, maxModRevision: 4,
                           minCreateRevision: 5, maxCreateRevision: 6))
        check("/v3/kv/put", "/etcdserverpb.KV/Put", #"{"key":"YQ==","value":"dg==","lease":"7","prevKv":true,"ignore_value":true,"ignoreLease":true}"#,
              PutRequest(key: b("a"), value: b("v"), lease: 7, prevKv: true, ignoreValue: true, ignoreLease: true))
        check("/v3/kv/deleterange", "/etcdserverpb.KV/DeleteRange", #"{"key":"YQ==","range_end":"AA==","prev_kv":true}"#,
              DeleteRangeRequest(key: b("a"), rangeEnd: [0], prevKv: true))
        check("/v3/kv/txn", "/etcdserverpb.KV/Txn",
              #"{"compare":[{"result":"LESS","target":"MOD","key":"YQ==","mod_revision":"9","range_end":"Yg=="}],"success":[{"request_put":{"key":"YQ=="}}]}"#,
              TxnRequest(compare: [Compare(result: .less, target: .mod, key: b("a"), targetUnion: .modRevision(9), rangeEnd: b("b"))],
                         success: [RequestOp(request: .requestPut(PutRequest(key: b("a"))))]))
        check("/v3/kv/compaction", "/etcdserverpb.KV/Compact", #"{"revision":"3","physical":true}"#,
              with(CompactionRequest()) { $0.revision = 3; $0.physical = true })
    }

    func testWatchAndLeaseRoutes() {
        check("/v3/watch", "/etcdserverpb.Watch/Watch",
              #"{"create_request":{"key":"YQ==","range_end":"Yg==","start_revision":1,"progress_notify":true,"filters":["NODELETE"],"prev_kv":true,"watch_id":"5","fragment":true}}"#,
              WatchRequest(requestUnion: .createRequest(WatchCreateRequest(key: b("a"), rangeEnd: b("b"), startRevision: 1, progressNotify: true,
                                                                           filters: [.noDelete], prevKv: true, watchId: 5, fragment: true))),
              streaming: true)
        check("/v3/lease/grant", "/etcdserverpb.Lease/LeaseGrant", #"{"TTL":"60","ID":7}"#, with(LeaseGrantRequest()) { $0.ttl = 60; $0.id = 7 })
        for path in ["/v3/lease/revoke", "/v3/kv/lease/revoke"] {
            check(path, "/etcdserverpb.Lease/LeaseRevoke", #"{"ID":7}"#, with(LeaseRevokeRequest()) { $0.id = 7 })
        }
        check("/v3/lease/keepalive", "/etcdserverpb.Lease/LeaseKeepAlive", #"{"ID":"7"}"#, with(LeaseKeepAliveRequest()) { $0.id = 7 }, streaming: true)
        for path in ["/v3/lease/timetolive", "/v3/kv/lease/timetolive"] {
            check(path, "/etcdserverpb.Lease/LeaseTimeToLive", #"{"ID":7,"keys":true}"#, with(LeaseTimeToLiveRequest()) { $0.id = 7; $0.keys = true })
        }
        for path in ["/v3/lease/leases", "/v3/kv/lease/leases"] {
            check(path, "/etcdserverpb.Lease/LeaseLeases", "{}", LeaseLeasesRequest())
        }
    }

    func testClusterAndMaintenanceRoutes() {
        check("/v3/cluster/member/add", "/etcdserverpb.Cluster/MemberAdd", #"{"peerURLs":["http://a:1","http://b:2"],"isLearner":true}"#,
              with(MemberAddRequest()) { $0.peerURLs = ["http://a:1", "http://b:2"]; $0.isLearner = true })
        check("/v3/cluster/member/remove", "/etcdserverpb.Cluster/MemberRemove", #"{"ID":"18446744073709551615"}"#, with(MemberRemoveRequest()) { $0.id = .max })
        check("/v3/cluster/member/update", "/etcdserverpb.Cluster/MemberUpdate", #"{"ID":5,"peerURLs":["http://a:1"]}"#,
              with(MemberUpdateRequest()) { $0.id = 5; $0.peerURLs = ["http://a:1"] })
        check("/v3/cluster/member/list", "/etcdserverpb.Cluster/MemberList", "{}", MemberListRequest())
        check("/v3/cluster/member/promote", "/etcdserverpb.Cluster/MemberPromote", #"{"ID":5}"#, with(MemberPromoteRequest()) { $0.id = 5 })
        check("/v3/maintenance/alarm", "/etcdserverpb.Maintenance/Alarm", #"{"action":"DEACTIVATE","memberID":"5","alarm":"NOSPACE"}"#,
              with(AlarmRequest()) { $0.action = .deactivate; $0.memberID = 5; $0.alarm = .noSpace })
        check("/v3/maintenance/status", "/etcdserverpb.Maintenance/Status", "", StatusRequest())
        check("/v3/maintenance/defragment", "/etcdserverpb.Maintenance/Defragment", "{}", DefragmentRequest())
        check("/v3/maintenance/hash", "/etcdserverpb.Maintenance/Hash", "{}", HashRequest())
        check("/v3/maintenance/snapshot", "/etcdserverpb.Maintenance/Snapshot", "{}", SnapshotRequest(), streaming: true)
        check("/v3/maintenance/transfer-leadership", "/etcdserverpb.Maintenance/MoveLeader", #"{"targetID":"9"}"#,
              with(MoveLeaderRequest()) { $0.targetID = 9 })
    }

    func testAuthRoutes() {
        check("/v3/auth/enable", "/etcdserverpb.Auth/AuthEnable", "{}", AuthEnableRequest())
        check("/v3/auth/disable", "/etcdserverpb.Auth/AuthDisable", "{}", AuthDisableRequest())
        check("/v3/auth/authenticate", "/etcdserverpb.Auth/Authenticate", #"{"name":"root","password":"p\u00e9"}"#,
              with(AuthenticateRequest()) { $0.name = "root"; $0.password = "pé" })
        check("/v3/auth/user/add", "/etcdserverpb.Auth/UserAdd", #"{"name":"u","password":"p","options":{"no_password":true}}"#,
              with(AuthUserAddRequest()) { $0.name = "u"; $0.password = "p"; $0.options = UserAddOptions(noPassword: true) })
        check("/v3/auth/user/get", "/etcdserverpb.Auth/UserGet", #"{"name":"u"}"#, with(AuthUserGetRequest()) { $0.name = "u" })
        check("/v3/auth/user/list", "/etcdserverpb.Auth/UserList", "{}", AuthUserListRequest())
        check("/v3/auth/user/delete", "/etcdserverpb.Auth/UserDelete", #"{"name":"u"}"#, with(AuthUserDeleteRequest()) { $0.name = "u" })
        check("/v3/auth/user/changepw", "/etcdserverpb.Auth/UserChangePassword", #"{"name":"u","password":"q"}"#,
              with(AuthUserChangePasswordRequest()) { $0.name = "u"; $0.password = "q" })
        check("/v3/auth/user/grant", "/etcdserverpb.Auth/UserGrantRole", #"{"user":"u","role":"r"}"#,
              with(AuthUserGrantRoleRequest()) { $0.user = "u"; $0.role = "r" })
        check("/v3/auth/user/revoke", "/etcdserverpb.Auth/UserRevokeRole", #"{"name":"u","role":"r"}"#,
              with(AuthUserRevokeRoleRequest()) { $0.name = "u"; $0.role = "r" })
        check("/v3/auth/role/add", "/etcdserverpb.Auth/RoleAdd", #"{"name":"r"}"#, with(AuthRoleAddRequest()) { $0.name = "r" })
        check("/v3/auth/role/get", "/etcdserverpb.Auth/RoleGet", #"{"role":"r"}"#, with(AuthRoleGetRequest()) { $0.role = "r" })
        check("/v3/auth/role/list", "/etcdserverpb.Auth/RoleList", "{}", AuthRoleListRequest())
        check("/v3/auth/role/delete", "/etcdserverpb.Auth/RoleDelete", #"{"role":"r"}"#, with(AuthRoleDeleteRequest()) { $0.role = "r" })
        check("/v3/auth/role/grant", "/etcdserverpb.Auth/RoleGrantPermission",
              #"{"name":"r","perm":{"permType":"READWRITE","key":"YQ==","rangeEnd":"Yg=="}}"#,
              with(AuthRoleGrantPermissionRequest()) { $0.name = "r"; $0.perm = Permission(permType: .readWrite, key: b("a"), rangeEnd: b("b")) })
        check("/v3/auth/role/revoke", "/etcdserverpb.Auth/RoleRevokePermission", #"{"role":"r","key":"YQ==","range_end":"Yg=="}"#,
              with(AuthRoleRevokePermissionRequest()) { $0.role = "r"; $0.key = b("a"); $0.rangeEnd = b("b") })
    }

    func testLockAndElectionRoutes() {
        check("/v3/lock/lock", "/v3lockpb.Lock/Lock", #"{"name":"bA==","lease":"7"}"#, with(LockRequest()) { $0.name = b("l"); $0.lease = 7 })
        check("/v3/lock/unlock", "/v3lockpb.Lock/Unlock", #"{"key":"bC8x"}"#, with(UnlockRequest()) { $0.key = b("l/1") })
        check("/v3/election/campaign", "/v3electionpb.Election/Campaign", #"{"name":"ZQ==","lease":7,"value":"djE="}"#,
              with(CampaignRequest()) { $0.name = b("e"); $0.lease = 7; $0.value = b("v1") })
        let leader = LeaderKey(name: b("e"), key: b("e/1"), rev: 8, lease: 7)
        check("/v3/election/proclaim", "/v3electionpb.Election/Proclaim",
              #"{"leader":{"name":"ZQ==","key":"ZS8x","rev":"8","lease":"7"},"value":"djI="}"#,
              with(ProclaimRequest()) { $0.leader = leader; $0.value = b("v2") })
        check("/v3/election/leader", "/v3electionpb.Election/Leader", #"{"name":"ZQ=="}"#, with(LeaderRequest()) { $0.name = b("e") })
        check("/v3/election/observe", "/v3electionpb.Election/Observe", #"{"name":"ZQ=="}"#, with(LeaderRequest()) { $0.name = b("e") },
              streaming: true)
        check("/v3/election/resign", "/v3electionpb.Election/Resign", #"{"leader":{"name":"ZQ==","key":"ZS8x","rev":8,"lease":7}}"#,
              with(ResignRequest()) { $0.leader = leader })
    }
}
