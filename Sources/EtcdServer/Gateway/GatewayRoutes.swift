// The gateway's routes: which gRPC method answers each HTTP path of etcd 3.4's JSON gateway, and
// which schemas transcode its request and response. Taken from the `google.api.http` options in
// etcd's .proto files (additional bindings included); where two RPCs claim one path
// (`/v3/maintenance/hash`: Hash and HashKV), the first registered wins, as in grpc-gateway.

/// One HTTP path of the JSON gateway and the gRPC method behind it.
struct GatewayRoute: Sendable {
    /// The gRPC method path swetcd's server dispatches on (`/etcdserverpb.KV/Range`).
    let method: String
    /// The schema the request body (JSON) is transcoded to protobuf with.
    let request: ProtoSchema
    /// The schema the handler's protobuf replies are transcoded to JSON with.
    let response: ProtoSchema
    /// Whether the method answers with a stream of messages (Watch, LeaseKeepAlive, Snapshot,
    /// Observe): grpc-gateway writes each as `{"result":…}` on its own line.
    let isServerStreaming: Bool

    init(method: String, request: ProtoSchema, response: ProtoSchema, isServerStreaming: Bool = false) {
        self.method = method
        self.request = request
        self.response = response
        self.isServerStreaming = isServerStreaming
    }

    /// The route for an HTTP path (`/v3/kv/range`), or nil when the gateway serves nothing there.
    /// The path must already be rewritten from `/v3beta/` and stripped of any query string.
    static func route(forPath path: some StringProtocol) -> GatewayRoute? {
        table[String(path)]
    }

    /// Every path etcd 3.4's gateway serves, and its route.
    static let table: [String: GatewayRoute] = [
        "/v3/kv/range": GatewayRoute(method: "/etcdserverpb.KV/Range", request: .rangeRequest, response: .rangeResponse),
        "/v3/kv/put": GatewayRoute(method: "/etcdserverpb.KV/Put", request: .putRequest, response: .putResponse),
        "/v3/kv/deleterange": GatewayRoute(method: "/etcdserverpb.KV/DeleteRange", request: .deleteRangeRequest, response: .deleteRangeResponse),
        "/v3/kv/txn": GatewayRoute(method: "/etcdserverpb.KV/Txn", request: .txnRequest, response: .txnResponse),
        "/v3/kv/compaction": GatewayRoute(method: "/etcdserverpb.KV/Compact", request: .compactionRequest, response: .compactionResponse),
        "/v3/watch": GatewayRoute(method: "/etcdserverpb.Watch/Watch", request: .watchRequest, response: .watchResponse, isServerStreaming: true),
        "/v3/lease/grant": GatewayRoute(method: "/etcdserverpb.Lease/LeaseGrant", request: .leaseGrantRequest, response: .leaseGrantResponse),
        "/v3/lease/revoke": GatewayRoute(method: "/etcdserverpb.Lease/LeaseRevoke", request: .leaseRevokeRequest, response: .leaseRevokeResponse),
        "/v3/kv/lease/revoke": GatewayRoute(method: "/etcdserverpb.Lease/LeaseRevoke", request: .leaseRevokeRequest, response: .leaseRevokeResponse),
        "/v3/lease/keepalive": GatewayRoute(method: "/etcdserverpb.Lease/LeaseKeepAlive", request: .leaseKeepAliveRequest, response: .leaseKeepAliveResponse, isServerStreaming: true),
        "/v3/lease/timetolive": GatewayRoute(method: "/etcdserverpb.Lease/LeaseTimeToLive", request: .leaseTimeToLiveRequest, response: .leaseTimeToLiveResponse),
        "/v3/kv/lease/timetolive": GatewayRoute(method: "/etcdserverpb.Lease/LeaseTimeToLive", request: .leaseTimeToLiveRequest, response: .leaseTimeToLiveResponse),
        "/v3/lease/leases": GatewayRoute(method: "/etcdserverpb.Lease/LeaseLeases", request: .leaseLeasesRequest, response: .leaseLeasesResponse),
        "/v3/kv/lease/leases": GatewayRoute(method: "/etcdserverpb.Lease/LeaseLeases", request: .leaseLeasesRequest, response: .leaseLeasesResponse),
        "/v3/cluster/member/add": GatewayRoute(method: "/etcdserverpb.Cluster/MemberAdd", request: .memberAddRequest, response: .memberAddResponse),
        "/v3/cluster/member/remove": GatewayRoute(method: "/etcdserverpb.Cluster/MemberRemove", request: .memberRemoveRequest, response: .memberRemoveResponse),
        "/v3/cluster/member/update": GatewayRoute(method: "/etcdserverpb.Cluster/MemberUpdate", request: .memberUpdateRequest, response: .memberUpdateResponse),
        "/v3/cluster/member/list": GatewayRoute(method: "/etcdserverpb.Cluster/MemberList", request: .memberListRequest, response: .memberListResponse),
        "/v3/cluster/member/promote": GatewayRoute(method: "/etcdserverpb.Cluster/MemberPromote", request: .memberPromoteRequest, response: .memberPromoteResponse),
        "/v3/maintenance/alarm": GatewayRoute(method: "/etcdserverpb.Maintenance/Alarm", request: .alarmRequest, response: .alarmResponse),
        "/v3/maintenance/status": GatewayRoute(method: "/etcdserverpb.Maintenance/Status", request: .statusRequest, response: .statusResponse),
        "/v3/maintenance/defragment": GatewayRoute(method: "/etcdserverpb.Maintenance/Defragment", request: .defragmentRequest, response: .defragmentResponse),
        "/v3/maintenance/hash": GatewayRoute(method: "/etcdserverpb.Maintenance/Hash", request: .hashRequest, response: .hashResponse),
        "/v3/maintenance/snapshot": GatewayRoute(method: "/etcdserverpb.Maintenance/Snapshot", request: .snapshotRequest, response: .snapshotResponse, isServerStreaming: true),
        "/v3/maintenance/transfer-leadership": GatewayRoute(method: "/etcdserverpb.Maintenance/MoveLeader", request: .moveLeaderRequest, response: .moveLeaderResponse),
        "/v3/auth/enable": GatewayRoute(method: "/etcdserverpb.Auth/AuthEnable", request: .authEnableRequest, response: .authEnableResponse),
        "/v3/auth/disable": GatewayRoute(method: "/etcdserverpb.Auth/AuthDisable", request: .authDisableRequest, response: .authDisableResponse),
        "/v3/auth/authenticate": GatewayRoute(method: "/etcdserverpb.Auth/Authenticate", request: .authenticateRequest, response: .authenticateResponse),
        "/v3/auth/user/add": GatewayRoute(method: "/etcdserverpb.Auth/UserAdd", request: .authUserAddRequest, response: .authUserAddResponse),
        "/v3/auth/user/get": GatewayRoute(method: "/etcdserverpb.Auth/UserGet", request: .authUserGetRequest, response: .authUserGetResponse),
        "/v3/auth/user/list": GatewayRoute(method: "/etcdserverpb.Auth/UserList", request: .authUserListRequest, response: .authUserListResponse),
        "/v3/auth/user/delete": GatewayRoute(method: "/etcdserverpb.Auth/UserDelete", request: .authUserDeleteRequest, response: .authUserDeleteResponse),
        "/v3/auth/user/changepw": GatewayRoute(method: "/etcdserverpb.Auth/UserChangePassword", request: .authUserChangePasswordRequest, response: .authUserChangePasswordResponse),
        "/v3/auth/user/grant": GatewayRoute(method: "/etcdserverpb.Auth/UserGrantRole", request: .authUserGrantRoleRequest, response: .authUserGrantRoleResponse),
        "/v3/auth/user/revoke": GatewayRoute(method: "/etcdserverpb.Auth/UserRevokeRole", request: .authUserRevokeRoleRequest, response: .authUserRevokeRoleResponse),
        "/v3/auth/role/add": GatewayRoute(method: "/etcdserverpb.Auth/RoleAdd", request: .authRoleAddRequest, response: .authRoleAddResponse),
        "/v3/auth/role/get": GatewayRoute(method: "/etcdserverpb.Auth/RoleGet", request: .authRoleGetRequest, response: .authRoleGetResponse),
        "/v3/auth/role/list": GatewayRoute(method: "/etcdserverpb.Auth/RoleList", request: .authRoleListRequest, response: .authRoleListResponse),
        "/v3/auth/role/delete": GatewayRoute(method: "/etcdserverpb.Auth/RoleDelete", request: .authRoleDeleteRequest, response: .authRoleDeleteResponse),
        "/v3/auth/role/grant": GatewayRoute(method: "/etcdserverpb.Auth/RoleGrantPermission", request: .authRoleGrantPermissionRequest, response: .authRoleGrantPermissionResponse),
        "/v3/auth/role/revoke": GatewayRoute(method: "/etcdserverpb.Auth/RoleRevokePermission", request: .authRoleRevokePermissionRequest, response: .authRoleRevokePermissionResponse),
        "/v3/lock/lock": GatewayRoute(method: "/v3lockpb.Lock/Lock", request: .lockRequest, response: .lockResponse),
        "/v3/lock/unlock": GatewayRoute(method: "/v3lockpb.Lock/Unlock", request: .unlockRequest, response: .unlockResponse),
        "/v3/election/campaign": GatewayRoute(method: "/v3electionpb.Election/Campaign", request: .campaignRequest, response: .campaignResponse),
        "/v3/election/proclaim": GatewayRoute(method: "/v3electionpb.Election/Proclaim", request: .proclaimRequest, response: .proclaimResponse),
        "/v3/election/leader": GatewayRoute(method: "/v3electionpb.Election/Leader", request: .leaderRequest, response: .leaderResponse),
        "/v3/election/observe": GatewayRoute(method: "/v3electionpb.Election/Observe", request: .leaderRequest, response: .leaderResponse, isServerStreaming: true),
        "/v3/election/resign": GatewayRoute(method: "/v3electionpb.Election/Resign", request: .resignRequest, response: .resignResponse),
    ]
}
