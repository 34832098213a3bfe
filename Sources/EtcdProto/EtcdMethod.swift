// The gRPC method table: every RPC etcd 3.4 serves on its client port, keyed by its HTTP/2 path.

/// The gRPC services etcd 3.4 serves to clients.
public enum EtcdService: String, Sendable, CaseIterable {
    /// `etcdserverpb.KV`: reads and writes keys.
    case kv = "etcdserverpb.KV"
    /// `etcdserverpb.Watch`: streams changes to keys.
    case watch = "etcdserverpb.Watch"
    /// `etcdserverpb.Lease`: grants, renews and revokes leases.
    case lease = "etcdserverpb.Lease"
    /// `etcdserverpb.Cluster`: lists and changes cluster membership.
    case cluster = "etcdserverpb.Cluster"
    /// `etcdserverpb.Maintenance`: administers one member.
    case maintenance = "etcdserverpb.Maintenance"
    /// `etcdserverpb.Auth`: manages authentication, users and roles.
    case auth = "etcdserverpb.Auth"
    /// `v3electionpb.Election`: leader election on top of the KV store.
    case election = "v3electionpb.Election"
    /// `v3lockpb.Lock`: distributed locks on top of the KV store.
    case lock = "v3lockpb.Lock"

    /// The fully qualified service name, as it appears in a method path.
    public var fullName: String { rawValue }
}

/// How many messages each side of a call sends.
public enum StreamingKind: Sendable, Equatable {
    /// One request, one response.
    case unary
    /// A stream of requests, one response.
    case clientStreaming
    /// One request, a stream of responses.
    case serverStreaming
    /// Streams both ways (Watch, LeaseKeepAlive).
    case bidiStreaming
}

/// One RPC etcd serves: its path, its service and method names, how it streams, and its messages.
///
/// The raw value is the HTTP/2 `:path` a gRPC client sends (`/etcdserverpb.KV/Range`), so the router
/// resolves a stream with `EtcdMethod(path:)`.
public enum EtcdMethod: String, Sendable, CaseIterable {
    // etcdserverpb.KV
    /// Reads keys.
    case range = "/etcdserverpb.KV/Range"
    /// Writes a key.
    case put = "/etcdserverpb.KV/Put"
    /// Deletes keys.
    case deleteRange = "/etcdserverpb.KV/DeleteRange"
    /// Runs a guarded transaction.
    case txn = "/etcdserverpb.KV/Txn"
    /// Discards old history.
    case compact = "/etcdserverpb.KV/Compact"
    // etcdserverpb.Watch
    /// Creates and cancels watchers; carries their events.
    case watch = "/etcdserverpb.Watch/Watch"
    // etcdserverpb.Lease
    /// Creates a lease.
    case leaseGrant = "/etcdserverpb.Lease/LeaseGrant"
    /// Revokes a lease and deletes its keys.
    case leaseRevoke = "/etcdserverpb.Lease/LeaseRevoke"
    /// Renews leases.
    case leaseKeepAlive = "/etcdserverpb.Lease/LeaseKeepAlive"
    /// Reports a lease's remaining time.
    case leaseTimeToLive = "/etcdserverpb.Lease/LeaseTimeToLive"
    /// Lists leases.
    case leaseLeases = "/etcdserverpb.Lease/LeaseLeases"
    // etcdserverpb.Cluster
    /// Adds a member.
    case memberAdd = "/etcdserverpb.Cluster/MemberAdd"
    /// Removes a member.
    case memberRemove = "/etcdserverpb.Cluster/MemberRemove"
    /// Changes a member's peer URLs.
    case memberUpdate = "/etcdserverpb.Cluster/MemberUpdate"
    /// Lists members.
    case memberList = "/etcdserverpb.Cluster/MemberList"
    /// Promotes a learner.
    case memberPromote = "/etcdserverpb.Cluster/MemberPromote"
    // etcdserverpb.Maintenance
    /// Lists, raises or clears alarms.
    case alarm = "/etcdserverpb.Maintenance/Alarm"
    /// Reports the member's status.
    case status = "/etcdserverpb.Maintenance/Status"
    /// Compacts the backend file.
    case defragment = "/etcdserverpb.Maintenance/Defragment"
    /// Hashes the backend file.
    case hash = "/etcdserverpb.Maintenance/Hash"
    /// Hashes the key-value history.
    case hashKV = "/etcdserverpb.Maintenance/HashKV"
    /// Streams a copy of the backend file.
    case snapshot = "/etcdserverpb.Maintenance/Snapshot"
    /// Transfers leadership.
    case moveLeader = "/etcdserverpb.Maintenance/MoveLeader"
    // etcdserverpb.Auth
    /// Turns authentication on.
    case authEnable = "/etcdserverpb.Auth/AuthEnable"
    /// Turns authentication off.
    case authDisable = "/etcdserverpb.Auth/AuthDisable"
    /// Whether authentication is on, and the auth store's revision (etcd 3.5's RPC).
    case authStatus = "/etcdserverpb.Auth/AuthStatus"
    /// Issues a token.
    case authenticate = "/etcdserverpb.Auth/Authenticate"
    /// Creates a user.
    case userAdd = "/etcdserverpb.Auth/UserAdd"
    /// Reports a user's roles.
    case userGet = "/etcdserverpb.Auth/UserGet"
    /// Lists users.
    case userList = "/etcdserverpb.Auth/UserList"
    /// Deletes a user.
    case userDelete = "/etcdserverpb.Auth/UserDelete"
    /// Sets a user's password.
    case userChangePassword = "/etcdserverpb.Auth/UserChangePassword"
    /// Grants a role to a user.
    case userGrantRole = "/etcdserverpb.Auth/UserGrantRole"
    /// Revokes a role from a user.
    case userRevokeRole = "/etcdserverpb.Auth/UserRevokeRole"
    /// Creates a role.
    case roleAdd = "/etcdserverpb.Auth/RoleAdd"
    /// Reports a role's permissions.
    case roleGet = "/etcdserverpb.Auth/RoleGet"
    /// Lists roles.
    case roleList = "/etcdserverpb.Auth/RoleList"
    /// Deletes a role.
    case roleDelete = "/etcdserverpb.Auth/RoleDelete"
    /// Adds a permission to a role.
    case roleGrantPermission = "/etcdserverpb.Auth/RoleGrantPermission"
    /// Removes a permission from a role.
    case roleRevokePermission = "/etcdserverpb.Auth/RoleRevokePermission"
    // v3electionpb.Election
    /// Waits until the caller leads.
    case campaign = "/v3electionpb.Election/Campaign"
    /// Updates the leader's value.
    case proclaim = "/v3electionpb.Election/Proclaim"
    /// Reports the current leader.
    case leader = "/v3electionpb.Election/Leader"
    /// Streams leader changes.
    case observe = "/v3electionpb.Election/Observe"
    /// Gives up leadership.
    case resign = "/v3electionpb.Election/Resign"
    // v3lockpb.Lock
    /// Acquires a lock.
    case lock = "/v3lockpb.Lock/Lock"
    /// Releases a lock.
    case unlock = "/v3lockpb.Lock/Unlock"

    /// Every method, by path; built once, on first use.
    @usableFromInline
    static let byPath: [String: EtcdMethod] = Dictionary(
        uniqueKeysWithValues: allCases.map { ($0.path, $0) })

    /// The method a request's `:path` names, or nil when etcd serves no such method (gRPC's
    /// `Unimplemented`).
    @inlinable
    public init?(path: String) {
        guard let method = EtcdMethod.byPath[path] else { return nil }
        self = method
    }

    /// The method a `:path` given as raw header bytes names, or nil.
    @inlinable
    public init?(path: some Collection<UInt8>) {
        self.init(path: String(decoding: path, as: UTF8.self))
    }

    /// The HTTP/2 `:path`: `/<package>.<Service>/<Method>`.
    @inlinable
    public var path: String { rawValue }

    /// The method's name within its service (`Range`).
    public var methodName: String {
        String(rawValue[rawValue.index(after: rawValue.lastIndex(of: "/")!)...])
    }

    /// The service the method belongs to.
    public var service: EtcdService {
        switch self {
        case .range, .put, .deleteRange, .txn, .compact:
            return .kv
        case .watch:
            return .watch
        case .leaseGrant, .leaseRevoke, .leaseKeepAlive, .leaseTimeToLive, .leaseLeases:
            return .lease
        case .memberAdd, .memberRemove, .memberUpdate, .memberList, .memberPromote:
            return .cluster
        case .alarm, .status, .defragment, .hash, .hashKV, .snapshot, .moveLeader:
            return .maintenance
        case .authEnable, .authDisable, .authStatus, .authenticate, .userAdd, .userGet, .userList, .userDelete,
             .userChangePassword, .userGrantRole, .userRevokeRole, .roleAdd, .roleGet, .roleList,
             .roleDelete, .roleGrantPermission, .roleRevokePermission:
            return .auth
        case .campaign, .proclaim, .leader, .observe, .resign:
            return .election
        case .lock, .unlock:
            return .lock
        }
    }

    /// Whether requests, responses, both or neither are streamed.
    public var streamingKind: StreamingKind {
        switch self {
        case .snapshot, .observe: return .serverStreaming
        case .watch, .leaseKeepAlive: return .bidiStreaming
        default: return .unary
        }
    }

    /// The message type of each request.
    public var requestType: any ProtoMessage.Type {
        switch self {
        case .range: return RangeRequest.self
        case .put: return PutRequest.self
        case .deleteRange: return DeleteRangeRequest.self
        case .txn: return TxnRequest.self
        case .compact: return CompactionRequest.self
        case .watch: return WatchRequest.self
        case .leaseGrant: return LeaseGrantRequest.self
        case .leaseRevoke: return LeaseRevokeRequest.self
        case .leaseKeepAlive: return LeaseKeepAliveRequest.self
        case .leaseTimeToLive: return LeaseTimeToLiveRequest.self
        case .leaseLeases: return LeaseLeasesRequest.self
        case .memberAdd: return MemberAddRequest.self
        case .memberRemove: return MemberRemoveRequest.self
        case .memberUpdate: return MemberUpdateRequest.self
        case .memberList: return MemberListRequest.self
        case .memberPromote: return MemberPromoteRequest.self
        case .alarm: return AlarmRequest.self
        case .status: return StatusRequest.self
        case .defragment: return DefragmentRequest.self
        case .hash: return HashRequest.self
        case .hashKV: return HashKVRequest.self
        case .snapshot: return SnapshotRequest.self
        case .moveLeader: return MoveLeaderRequest.self
        case .authEnable: return AuthEnableRequest.self
        case .authDisable: return AuthDisableRequest.self
        case .authStatus: return AuthStatusRequest.self
        case .authenticate: return AuthenticateRequest.self
        case .userAdd: return AuthUserAddRequest.self
        case .userGet: return AuthUserGetRequest.self
        case .userList: return AuthUserListRequest.self
        case .userDelete: return AuthUserDeleteRequest.self
        case .userChangePassword: return AuthUserChangePasswordRequest.self
        case .userGrantRole: return AuthUserGrantRoleRequest.self
        case .userRevokeRole: return AuthUserRevokeRoleRequest.self
        case .roleAdd: return AuthRoleAddRequest.self
        case .roleGet: return AuthRoleGetRequest.self
        case .roleList: return AuthRoleListRequest.self
        case .roleDelete: return AuthRoleDeleteRequest.self
        case .roleGrantPermission: return AuthRoleGrantPermissionRequest.self
        case .roleRevokePermission: return AuthRoleRevokePermissionRequest.self
        case .campaign: return CampaignRequest.self
        case .proclaim: return ProclaimRequest.self
        case .leader: return LeaderRequest.self
        case .observe: return LeaderRequest.self
        case .resign: return ResignRequest.self
        case .lock: return LockRequest.self
        case .unlock: return UnlockRequest.self
        }
    }

    /// The message type of each response.
    public var responseType: any ProtoMessage.Type {
        switch self {
        case .range: return RangeResponse.self
        case .put: return PutResponse.self
        case .deleteRange: return DeleteRangeResponse.self
        case .txn: return TxnResponse.self
        case .compact: return CompactionResponse.self
        case .watch: return WatchResponse.self
        case .leaseGrant: return LeaseGrantResponse.self
        case .leaseRevoke: return LeaseRevokeResponse.self
        case .leaseKeepAlive: return LeaseKeepAliveResponse.self
        case .leaseTimeToLive: return LeaseTimeToLiveResponse.self
        case .leaseLeases: return LeaseLeasesResponse.self
        case .memberAdd: return MemberAddResponse.self
        case .memberRemove: return MemberRemoveResponse.self
        case .memberUpdate: return MemberUpdateResponse.self
        case .memberList: return MemberListResponse.self
        case .memberPromote: return MemberPromoteResponse.self
        case .alarm: return AlarmResponse.self
        case .status: return StatusResponse.self
        case .defragment: return DefragmentResponse.self
        case .hash: return HashResponse.self
        case .hashKV: return HashKVResponse.self
        case .snapshot: return SnapshotResponse.self
        case .moveLeader: return MoveLeaderResponse.self
        case .authEnable: return AuthEnableResponse.self
        case .authDisable: return AuthDisableResponse.self
        case .authStatus: return AuthStatusResponse.self
        case .authenticate: return AuthenticateResponse.self
        case .userAdd: return AuthUserAddResponse.self
        case .userGet: return AuthUserGetResponse.self
        case .userList: return AuthUserListResponse.self
        case .userDelete: return AuthUserDeleteResponse.self
        case .userChangePassword: return AuthUserChangePasswordResponse.self
        case .userGrantRole: return AuthUserGrantRoleResponse.self
        case .userRevokeRole: return AuthUserRevokeRoleResponse.self
        case .roleAdd: return AuthRoleAddResponse.self
        case .roleGet: return AuthRoleGetResponse.self
        case .roleList: return AuthRoleListResponse.self
        case .roleDelete: return AuthRoleDeleteResponse.self
        case .roleGrantPermission: return AuthRoleGrantPermissionResponse.self
        case .roleRevokePermission: return AuthRoleRevokePermissionResponse.self
        case .campaign: return CampaignResponse.self
        case .proclaim: return ProclaimResponse.self
        case .leader: return LeaderResponse.self
        case .observe: return LeaderResponse.self
        case .resign: return ResignResponse.self
        case .lock: return LockResponse.self
        case .unlock: return UnlockResponse.self
        }
    }
}
