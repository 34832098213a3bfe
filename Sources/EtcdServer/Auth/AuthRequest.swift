import EtcdProto

/// The auth requests that go through raft (etcd 3.4 proposes every Auth RPC, reads included,
/// so every member answers from the same applied state). Passwords never travel: a user's
/// password is hashed by the proposing member (`hashedPassword`), and Authenticate carries
/// only the user and the token prefix the proposer drew, after it checked the password.
enum AuthRequest: Sendable {
    case enable(AuthEnableRequest)
    case disable(AuthDisableRequest)
    case authenticate(InternalAuthenticateRequest)
    case userAdd(AuthUserAddRequest)
    case userDelete(AuthUserDeleteRequest)
    case userChangePassword(AuthUserChangePasswordRequest)
    case userGrantRole(AuthUserGrantRoleRequest)
    case userRevokeRole(AuthUserRevokeRoleRequest)
    case userGet(AuthUserGetRequest)
    case userList(AuthUserListRequest)
    case roleAdd(AuthRoleAddRequest)
    case roleDelete(AuthRoleDeleteRequest)
    case roleGet(AuthRoleGetRequest)
    case roleList(AuthRoleListRequest)
    case roleGrantPermission(AuthRoleGrantPermissionRequest)
    case roleRevokePermission(AuthRoleRevokePermissionRequest)

    /// The request as an InternalRaftRequest field.
    func place(in request: inout InternalRaftRequest) {
        switch self {
        case .enable(let r): request.authEnable = r
        case .disable(let r): request.authDisable = r
        case .authenticate(let r): request.authenticate = r
        case .userAdd(let r): request.authUserAdd = r
        case .userDelete(let r): request.authUserDelete = r
        case .userChangePassword(let r): request.authUserChangePassword = r
        case .userGrantRole(let r): request.authUserGrantRole = r
        case .userRevokeRole(let r): request.authUserRevokeRole = r
        case .userGet(let r): request.authUserGet = r
        case .userList(let r): request.authUserList = r
        case .roleAdd(let r): request.authRoleAdd = r
        case .roleDelete(let r): request.authRoleDelete = r
        case .roleGet(let r): request.authRoleGet = r
        case .roleList(let r): request.authRoleList = r
        case .roleGrantPermission(let r): request.authRoleGrantPermission = r
        case .roleRevokePermission(let r): request.authRoleRevokePermission = r
        }
    }

    /// The auth request an InternalRaftRequest carries, if any.
    init?(_ request: InternalRaftRequest) {
        if let r = request.authEnable { self = .enable(r) }
        else if let r = request.authDisable { self = .disable(r) }
        else if let r = request.authenticate { self = .authenticate(r) }
        else if let r = request.authUserAdd { self = .userAdd(r) }
        else if let r = request.authUserDelete { self = .userDelete(r) }
        else if let r = request.authUserChangePassword { self = .userChangePassword(r) }
        else if let r = request.authUserGrantRole { self = .userGrantRole(r) }
        else if let r = request.authUserRevokeRole { self = .userRevokeRole(r) }
        else if let r = request.authUserGet { self = .userGet(r) }
        else if let r = request.authUserList { self = .userList(r) }
        else if let r = request.authRoleAdd { self = .roleAdd(r) }
        else if let r = request.authRoleDelete { self = .roleDelete(r) }
        else if let r = request.authRoleGet { self = .roleGet(r) }
        else if let r = request.authRoleList { self = .roleList(r) }
        else if let r = request.authRoleGrantPermission { self = .roleGrantPermission(r) }
        else if let r = request.authRoleRevokePermission { self = .roleRevokePermission(r) }
        else { return nil }
    }
}

/// The answer to an `AuthRequest` (header filled by the applier).
enum AuthResponse: Sendable {
    case enable(AuthEnableResponse)
    case disable(AuthDisableResponse)
    case authenticate(AuthenticateResponse)
    case userAdd(AuthUserAddResponse)
    case userDelete(AuthUserDeleteResponse)
    case userChangePassword(AuthUserChangePasswordResponse)
    case userGrantRole(AuthUserGrantRoleResponse)
    case userRevokeRole(AuthUserRevokeRoleResponse)
    case userGet(AuthUserGetResponse)
    case userList(AuthUserListResponse)
    case roleAdd(AuthRoleAddResponse)
    case roleDelete(AuthRoleDeleteResponse)
    case roleGet(AuthRoleGetResponse)
    case roleList(AuthRoleListResponse)
    case roleGrantPermission(AuthRoleGrantPermissionResponse)
    case roleRevokePermission(AuthRoleRevokePermissionResponse)
}
