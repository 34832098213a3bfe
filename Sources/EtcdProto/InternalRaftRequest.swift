// What the server proposes through raft (raft_internal.proto); WAL entries hold these.

/// Identifies a proposal and who made it, for the applier's auth checks.
///
/// Wire: `etcdserverpb.RequestHeader`.
public struct RequestHeader: Sendable, Equatable {
    /// The proposal's ID, which the proposer waits on. (field 1)
    public var id: UInt64 = 0
    /// The authenticated user, empty when auth is off. (field 2)
    public var username: String = ""
    /// The auth store revision the user's permissions were checked at. (field 3)
    public var authRevision: UInt64 = 0

    /// Creates the message with every field at its proto3 default.
    public init() {}

    /// Creates the message; each argument defaults to its field's proto3 zero value.
    public init(
        id: UInt64 = 0,
        username: String = "",
        authRevision: UInt64 = 0
    ) {
        self.id = id
        self.username = username
        self.authRevision = authRevision
    }
}

/// One proposal: exactly one request field is set.
///
/// Fields are encoded in field-number order, so `header` (100) follows `leaseCheckpoint` (11).
///
/// Wire: `etcdserverpb.InternalRaftRequest`.
public struct InternalRaftRequest: Sendable, Equatable {
    /// Legacy proposal ID; etcd 3.4 leaves it 0 and the applier then uses `header.id`. (field 1)
    public var id: UInt64 = 0
    /// A v2 store request (membership attributes, cluster version). (field 2)
    public var v2: Request? = nil
    /// A linearizable range served through raft. (field 3)
    public var range: RangeRequest? = nil
    /// A put. (field 4)
    public var put: PutRequest? = nil
    /// A delete. (field 5)
    public var deleteRange: DeleteRangeRequest? = nil
    /// A transaction. (field 6)
    public var txn: TxnRequest? = nil
    /// A compaction. (field 7)
    public var compaction: CompactionRequest? = nil
    /// A lease grant. (field 8)
    public var leaseGrant: LeaseGrantRequest? = nil
    /// A lease revocation. (field 9)
    public var leaseRevoke: LeaseRevokeRequest? = nil
    /// An alarm change. (field 10)
    public var alarm: AlarmRequest? = nil
    /// Lease checkpoints. (field 11)
    public var leaseCheckpoint: LeaseCheckpointRequest? = nil
    /// Who proposed it. (field 100)
    public var header: RequestHeader? = nil
    /// Turn auth on. (field 1000)
    public var authEnable: AuthEnableRequest? = nil
    /// Turn auth off. (field 1011)
    public var authDisable: AuthDisableRequest? = nil
    /// Issue a token. (field 1012)
    public var authenticate: InternalAuthenticateRequest? = nil
    /// Add a user. (field 1100)
    public var authUserAdd: AuthUserAddRequest? = nil
    /// Delete a user. (field 1101)
    public var authUserDelete: AuthUserDeleteRequest? = nil
    /// Read a user. (field 1102)
    public var authUserGet: AuthUserGetRequest? = nil
    /// Change a password. (field 1103)
    public var authUserChangePassword: AuthUserChangePasswordRequest? = nil
    /// Grant a role. (field 1104)
    public var authUserGrantRole: AuthUserGrantRoleRequest? = nil
    /// Revoke a role. (field 1105)
    public var authUserRevokeRole: AuthUserRevokeRoleRequest? = nil
    /// List users. (field 1106)
    public var authUserList: AuthUserListRequest? = nil
    /// List roles. (field 1107)
    public var authRoleList: AuthRoleListRequest? = nil
    /// Add a role. (field 1200)
    public var authRoleAdd: AuthRoleAddRequest? = nil
    /// Delete a role. (field 1201)
    public var authRoleDelete: AuthRoleDeleteRequest? = nil
    /// Read a role. (field 1202)
    public var authRoleGet: AuthRoleGetRequest? = nil
    /// Grant a permission. (field 1203)
    public var authRoleGrantPermission: AuthRoleGrantPermissionRequest? = nil
    /// Revoke a permission. (field 1204)
    public var authRoleRevokePermission: AuthRoleRevokePermissionRequest? = nil

    /// Creates the message with every field at its proto3 default.
    public init() {}

    /// Creates the message; each argument defaults to its field's proto3 zero value.
    public init(
        id: UInt64 = 0,
        v2: Request? = nil,
        range: RangeRequest? = nil,
        put: PutRequest? = nil,
        deleteRange: DeleteRangeRequest? = nil,
        txn: TxnRequest? = nil,
        compaction: CompactionRequest? = nil,
        leaseGrant: LeaseGrantRequest? = nil,
        leaseRevoke: LeaseRevokeRequest? = nil,
        alarm: AlarmRequest? = nil,
        leaseCheckpoint: LeaseCheckpointRequest? = nil,
        header: RequestHeader? = nil,
        authEnable: AuthEnableRequest? = nil,
        authDisable: AuthDisableRequest? = nil,
        authenticate: InternalAuthenticateRequest? = nil,
        authUserAdd: AuthUserAddRequest? = nil,
        authUserDelete: AuthUserDeleteRequest? = nil,
        authUserGet: AuthUserGetRequest? = nil,
        authUserChangePassword: AuthUserChangePasswordRequest? = nil,
        authUserGrantRole: AuthUserGrantRoleRequest? = nil,
        authUserRevokeRole: AuthUserRevokeRoleRequest? = nil,
        authUserList: AuthUserListRequest? = nil,
        authRoleList: AuthRoleListRequest? = nil,
        authRoleAdd: AuthRoleAddRequest? = nil,
        authRoleDelete: AuthRoleDeleteRequest? = nil,
        authRoleGet: AuthRoleGetRequest? = nil,
        authRoleGrantPermission: AuthRoleGrantPermissionRequest? = nil,
        authRoleRevokePermission: AuthRoleRevokePermissionRequest? = nil
    ) {
        self.id = id
        self.v2 = v2
        self.range = range
        self.put = put
        self.deleteRange = deleteRange
        self.txn = txn
        self.compaction = compaction
        self.leaseGrant = leaseGrant
        self.leaseRevoke = leaseRevoke
        self.alarm = alarm
        self.leaseCheckpoint = leaseCheckpoint
        self.header = header
        self.authEnable = authEnable
        self.authDisable = authDisable
        self.authenticate = authenticate
        self.authUserAdd = authUserAdd
        self.authUserDelete = authUserDelete
        self.authUserGet = authUserGet
        self.authUserChangePassword = authUserChangePassword
        self.authUserGrantRole = authUserGrantRole
        self.authUserRevokeRole = authUserRevokeRole
        self.authUserList = authUserList
        self.authRoleList = authRoleList
        self.authRoleAdd = authRoleAdd
        self.authRoleDelete = authRoleDelete
        self.authRoleGet = authRoleGet
        self.authRoleGrantPermission = authRoleGrantPermission
        self.authRoleRevokePermission = authRoleRevokePermission
    }
}

/// An empty result (etcd's placeholder message).
///
/// Wire: `etcdserverpb.EmptyResponse`.
public struct EmptyResponse: Sendable, Equatable {
    /// Creates the (field-less) message.
    public init() {}
}

/// Authenticate as proposed through raft: the password was checked before proposing, and the token to issue rides
/// along.
///
/// Wire: `etcdserverpb.InternalAuthenticateRequest`.
public struct InternalAuthenticateRequest: Sendable, Equatable {
    /// The user. (field 1)
    public var name: String = ""
    /// The password (etcd 3.4 leaves it empty in proposals). (field 2)
    public var password: String = ""
    /// The simple token the leader generated, so every member issues the same one. (field 3)
    public var simpleToken: String = ""

    /// Creates the message with every field at its proto3 default.
    public init() {}

    /// Creates the message; each argument defaults to its field's proto3 zero value.
    public init(
        name: String = "",
        password: String = "",
        simpleToken: String = ""
    ) {
        self.name = name
        self.password = password
        self.simpleToken = simpleToken
    }
}
