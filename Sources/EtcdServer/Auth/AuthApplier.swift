import EtcdProto
import Glibc
import MVCC

/// Applies auth entries on the apply thread (etcd's `applierV3backend` auth half): the store
/// changes, its buckets are written in the backend batch of the entry, and tokens follow
/// (disabled auth drops them all, a deleted user or new password drops that user's).
struct AuthApplier {
    let table: AuthTable
    let backend: Backend

    /// `index`: the entry's raft index (a simple token carries it).
    func apply(_ request: AuthRequest, index: UInt64, header: ResponseHeader) throws(EtcdError) -> AuthResponse {
        let h: ResponseHeader? = header
        switch request {
        case .enable:
            try change { (store: inout AuthStore) throws(EtcdError) in try store.authEnable() }
            return .enable(AuthEnableResponse(header: h))
        case .disable:
            try change { (store: inout AuthStore) throws(EtcdError) in store.authDisable() }
            return .disable(AuthDisableResponse(header: h))
        case .authenticate(let r):
            let revision = try table.withStore { (store: inout AuthStore) throws(EtcdError) -> UInt64 in
                try store.authenticate(user: r.name)
                return store.revision
            }
            let token: String
            if let jwt = table.jwt {
                guard let signed = jwt.assign(user: r.name, revision: revision, nowUnixSeconds: Int64(time(nil))) else {
                    throw EtcdError(.unknown, "auth: token signing attempted with verify-only key")
                }
                token = signed
            } else {
                token = table.withTokens { $0.assign(user: r.name, prefix: r.simpleToken, index: index, now: monotonicNanoseconds()) }
            }
            return .authenticate(AuthenticateResponse(header: h, token: token))
        case .userAdd(let r):
            let hash = Array(r.hashedPassword.utf8)
            try change { (store: inout AuthStore) throws(EtcdError) in
                try store.userAdd(name: r.name, hashedPassword: hash, options: r.options)
            }
            return .userAdd(AuthUserAddResponse(header: h))
        case .userDelete(let r):
            try change { (store: inout AuthStore) throws(EtcdError) in try store.userDelete(name: r.name) }
            return .userDelete(AuthUserDeleteResponse(header: h))
        case .userChangePassword(let r):
            let hash = Array(r.hashedPassword.utf8)
            try change { (store: inout AuthStore) throws(EtcdError) in
                try store.userChangePassword(name: r.name, hashedPassword: hash)
            }
            return .userChangePassword(AuthUserChangePasswordResponse(header: h))
        case .userGrantRole(let r):
            try change { (store: inout AuthStore) throws(EtcdError) in try store.userGrantRole(user: r.user, role: r.role) }
            return .userGrantRole(AuthUserGrantRoleResponse(header: h))
        case .userRevokeRole(let r):
            try change { (store: inout AuthStore) throws(EtcdError) in try store.userRevokeRole(user: r.name, role: r.role) }
            return .userRevokeRole(AuthUserRevokeRoleResponse(header: h))
        case .userGet(let r):
            let roles = try table.withStore { (store: inout AuthStore) throws(EtcdError) in try store.userGet(name: r.name) }
            return .userGet(AuthUserGetResponse(header: h, roles: roles))
        case .userList:
            return .userList(AuthUserListResponse(header: h, users: table.withStore { $0.userList() }))
        case .roleAdd(let r):
            try change { (store: inout AuthStore) throws(EtcdError) in try store.roleAdd(name: r.name) }
            return .roleAdd(AuthRoleAddResponse(header: h))
        case .roleDelete(let r):
            try change { (store: inout AuthStore) throws(EtcdError) in try store.roleDelete(name: r.role) }
            return .roleDelete(AuthRoleDeleteResponse(header: h))
        case .roleGet(let r):
            let permissions = try table.withStore { (store: inout AuthStore) throws(EtcdError) in try store.roleGet(name: r.role) }
            return .roleGet(AuthRoleGetResponse(header: h, perm: permissions))
        case .roleList:
            return .roleList(AuthRoleListResponse(header: h, roles: table.withStore { $0.roleList() }))
        case .roleGrantPermission(let r):
            // etcd 3.4 crashes on a grant without a permission; an empty one grants nothing.
            let permission = r.perm ?? Permission()
            try change { (store: inout AuthStore) throws(EtcdError) in
                try store.roleGrantPermission(role: r.name, permission: permission)
            }
            return .roleGrantPermission(AuthRoleGrantPermissionResponse(header: h))
        case .roleRevokePermission(let r):
            try change { (store: inout AuthStore) throws(EtcdError) in
                try store.roleRevokePermission(role: r.role, key: r.key, rangeEnd: r.rangeEnd)
            }
            return .roleRevokePermission(AuthRoleRevokePermissionResponse(header: h))
        }
    }

    /// Runs a store change, then persists it and lets the tokens follow.
    private func change(_ body: (inout AuthStore) throws(EtcdError) -> AuthStore.Change) throws(EtcdError) {
        let made = try table.withStore { (store: inout AuthStore) throws(EtcdError) -> AuthStore.Change in try body(&store) }
        guard !made.isEmpty else { return }
        AuthBackend.save(made, on: backend)
        table.applyToTokens(made)
    }
}
