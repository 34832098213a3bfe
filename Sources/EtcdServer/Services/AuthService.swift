import EtcdBasics
import EtcdProto
import GRPC

/// etcdserverpb.Auth: every RPC goes through raft (as in etcd 3.4); the three that involve a
/// password go through the `AuthWorker` first, which runs bcrypt off the loop.
extension Services {
    func authEnable(_ payload: [UInt8]) -> UnaryOutcome<AuthEnableResponse> {
        handling { .propose(.auth(.enable(try decode(AuthEnableRequest.self, from: payload)))) }
    }

    func authDisable(_ payload: [UInt8]) -> UnaryOutcome<AuthDisableResponse> {
        handling { .propose(.auth(.disable(try decode(AuthDisableRequest.self, from: payload)))) }
    }

    /// etcd 3.5's AuthStatus, answered from this member's auth store.
    func authStatus(_ payload: [UInt8]) -> UnaryOutcome<AuthStatusResponse> {
        handling {
            _ = try decode(AuthStatusRequest.self, from: payload)
            let (enabled, revision) = auth.withStore { ($0.isEnabled, $0.revision) }
            return .respond(AuthStatusResponse(header: header(revision: currentRevision), enabled: enabled, authRevision: revision))
        }
    }

    func authenticate(_ payload: [UInt8]) -> UnaryOutcome<AuthenticateResponse> {
        handling {
            let request = try decode(AuthenticateRequest.self, from: payload)
            guard auth.isEnabled else { throw EtcdError.authNotEnabled }
            return .propose(.authThroughWorker(.authenticate(InternalAuthenticateRequest(name: request.name, password: request.password))))
        }
    }

    func userAdd(_ payload: [UInt8]) -> UnaryOutcome<AuthUserAddResponse> {
        handling {
            let request = try decode(AuthUserAddRequest.self, from: payload)
            // A name the store will refuse is refused before bcrypt runs.
            try auth.withStore { (store: inout AuthStore) throws(EtcdError) in try store.validateUserAdd(name: request.name) }
            return .propose(.authThroughWorker(.userAdd(request)))
        }
    }

    func userDelete(_ payload: [UInt8]) -> UnaryOutcome<AuthUserDeleteResponse> {
        handling { .propose(.auth(.userDelete(try decode(AuthUserDeleteRequest.self, from: payload)))) }
    }

    func userChangePassword(_ payload: [UInt8]) -> UnaryOutcome<AuthUserChangePasswordResponse> {
        handling {
            let request = try decode(AuthUserChangePasswordRequest.self, from: payload)
            guard auth.withStore({ $0.users[request.name] != nil }) else { throw EtcdError.userNotFound }
            return .propose(.authThroughWorker(.userChangePassword(request)))
        }
    }

    func userGrantRole(_ payload: [UInt8]) -> UnaryOutcome<AuthUserGrantRoleResponse> {
        handling { .propose(.auth(.userGrantRole(try decode(AuthUserGrantRoleRequest.self, from: payload)))) }
    }

    func userRevokeRole(_ payload: [UInt8]) -> UnaryOutcome<AuthUserRevokeRoleResponse> {
        handling { .propose(.auth(.userRevokeRole(try decode(AuthUserRevokeRoleRequest.self, from: payload)))) }
    }

    func userGet(_ payload: [UInt8]) -> UnaryOutcome<AuthUserGetResponse> {
        handling { .propose(.auth(.userGet(try decode(AuthUserGetRequest.self, from: payload)))) }
    }

    func userList(_ payload: [UInt8]) -> UnaryOutcome<AuthUserListResponse> {
        handling { .propose(.auth(.userList(try decode(AuthUserListRequest.self, from: payload)))) }
    }

    func roleAdd(_ payload: [UInt8]) -> UnaryOutcome<AuthRoleAddResponse> {
        handling { .propose(.auth(.roleAdd(try decode(AuthRoleAddRequest.self, from: payload)))) }
    }

    func roleDelete(_ payload: [UInt8]) -> UnaryOutcome<AuthRoleDeleteResponse> {
        handling { .propose(.auth(.roleDelete(try decode(AuthRoleDeleteRequest.self, from: payload)))) }
    }

    func roleGet(_ payload: [UInt8]) -> UnaryOutcome<AuthRoleGetResponse> {
        handling { .propose(.auth(.roleGet(try decode(AuthRoleGetRequest.self, from: payload)))) }
    }

    func roleList(_ payload: [UInt8]) -> UnaryOutcome<AuthRoleListResponse> {
        handling { .propose(.auth(.roleList(try decode(AuthRoleListRequest.self, from: payload)))) }
    }

    func roleGrantPermission(_ payload: [UInt8]) -> UnaryOutcome<AuthRoleGrantPermissionResponse> {
        handling { .propose(.auth(.roleGrantPermission(try decode(AuthRoleGrantPermissionRequest.self, from: payload)))) }
    }

    func roleRevokePermission(_ payload: [UInt8]) -> UnaryOutcome<AuthRoleRevokePermissionResponse> {
        handling { .propose(.auth(.roleRevokePermission(try decode(AuthRoleRevokePermissionRequest.self, from: payload)))) }
    }
}

/// What a call may do while auth is enabled: the checks etcd makes before (or, for writes,
/// while) applying it, made here before it is served or proposed.
extension Services {
    /// Throws etcd's error for a call `caller` may not make. Requests that do not decode pass
    /// (their handler answers them).
    func authorize(_ method: EtcdMethod, payload: [UInt8], caller: AuthCaller) throws(EtcdError) {
        let leases = applyLoop.leases
        let leaseKeys = { (id: Int64) in leases.keys(of: LeaseID(id)) }
        try auth.withStore { (store: inout AuthStore) throws(EtcdError) in
            switch method {
            case .range:
                guard let request = try? RangeRequest(serializedBytes: payload) else { return }
                try AuthCheck.range(store, caller, request)
                try AuthCheck.servedRead(store, caller)
            case .put:
                guard let request = try? PutRequest(serializedBytes: payload) else { return }
                try AuthCheck.write(store, caller, .put(request), leaseKeys: leaseKeys)
            case .deleteRange:
                guard let request = try? DeleteRangeRequest(serializedBytes: payload) else { return }
                try AuthCheck.write(store, caller, .deleteRange(request), leaseKeys: leaseKeys)
            case .txn:
                guard let request = try? TxnRequest(serializedBytes: payload) else { return }
                try AuthCheck.write(store, caller, .txn(request), leaseKeys: leaseKeys)
                if KVApplier.isReadOnly(request) { try AuthCheck.servedRead(store, caller) }
            case .leaseRevoke:
                guard let request = try? LeaseRevokeRequest(serializedBytes: payload) else { return }
                try AuthCheck.write(store, caller, .leaseRevoke(request), leaseKeys: leaseKeys)
            case .leaseTimeToLive:
                // Listing a lease's keys reveals their names: the caller must be able to read
                // each (etcd's fix for CVE-2023-32082, after 3.4.23).
                guard let request = try? LeaseTimeToLiveRequest(serializedBytes: payload), request.keys else { return }
                for key in leaseKeys(request.id) { try AuthCheck.require(store, caller, key: key, rangeEnd: [], write: false) }
            case .defragment, .hash, .hashKV, .snapshot:
                try AuthCheck.maintenanceAdmin(store, caller)
            case .memberAdd, .memberRemove, .memberUpdate, .memberPromote:
                try AuthCheck.admin(store, caller)
            case .authenticate:
                return
            case .userGet:
                // Anyone may look at their own roles.
                guard let request = try? AuthUserGetRequest(serializedBytes: payload) else { return }
                if request.name != caller.user { try AuthCheck.admin(store, caller) }
            case .roleGet:
                // ...and at a role they hold.
                guard let request = try? AuthRoleGetRequest(serializedBytes: payload) else { return }
                if !store.hasRole(user: caller.user, role: request.role) { try AuthCheck.admin(store, caller) }
            case .authEnable, .authDisable, .userAdd, .userList, .userDelete, .userChangePassword, .userGrantRole,
                 .userRevokeRole, .roleAdd, .roleList, .roleDelete, .roleGrantPermission, .roleRevokePermission:
                try AuthCheck.admin(store, caller)
            default:
                return
            }
        }
    }

    /// A watch on `[key, rangeEnd)` needs read on all of it.
    func authorizeWatch(key: [UInt8], rangeEnd: [UInt8], caller: AuthCaller) throws(EtcdError) {
        try auth.withStore { (store: inout AuthStore) throws(EtcdError) in
            try AuthCheck.require(store, caller, key: key, rangeEnd: rangeEnd, write: false)
        }
    }
}
