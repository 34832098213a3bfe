import EtcdProto

/// Who a call runs as while auth is enabled: the user of its token, or of its verified client
/// certificate's common name; "" for a call with neither (etcd's missing AuthInfo).
struct AuthCaller: Sendable, Equatable {
    let user: String
    /// The auth store's revision the caller's credentials hold for: a JWT's own revision, the
    /// current one for a simple token or a certificate.
    let revision: UInt64
}

/// etcd 3.4's permission checks (`authApplierV3` and the v3rpc guards), as pure functions of
/// the auth store and the request. Where etcd 3.4 skips a check it should make (nested txns,
/// prev_kv and leases inside a txn, a watch to the end of the keyspace), these make it.
enum AuthCheck {
    /// The caller may read (or write) `[key, rangeEnd)`.
    static func require(_ store: AuthStore, _ caller: AuthCaller, key: [UInt8], rangeEnd: [UInt8], write: Bool) throws(EtcdError) {
        // etcd's isOpPermitted: no user, or a token without an auth revision, is no user.
        guard !caller.user.isEmpty, caller.revision != 0 else { throw .userEmpty }
        // etcd: a token from before the last change of users, roles or permissions is old (a
        // client then authenticates again).
        guard caller.revision >= store.revision else { throw .authOldRevision }
        guard store.isPermitted(user: caller.user, key: key, rangeEnd: rangeEnd, write: write) else { throw .permissionDenied }
    }

    static func range(_ store: AuthStore, _ caller: AuthCaller, _ request: RangeRequest) throws(EtcdError) {
        try require(store, caller, key: request.key, rangeEnd: request.rangeEnd, write: false)
    }

    /// A read served without raft (a Range, a txn that only reads) also needs a token of the
    /// store's very revision: etcd's doSerialize refuses any other one as old, a revision ahead
    /// of the store's too (only a forged or foreign JWT carries one).
    static func servedRead(_ store: AuthStore, _ caller: AuthCaller) throws(EtcdError) {
        guard caller.revision == 0 || caller.revision == store.revision else { throw .authOldRevision }
    }

    /// A put needs write on its key, read too with prev_kv, and write on every key already
    /// attached to its lease (etcd's checkLeasePuts: attaching must not let the caller revoke
    /// keys it cannot write).
    static func put(_ store: AuthStore, _ caller: AuthCaller, _ request: PutRequest, leaseKeys: [[UInt8]]) throws(EtcdError) {
        try require(store, caller, key: request.key, rangeEnd: [], write: true)
        if request.prevKv { try require(store, caller, key: request.key, rangeEnd: [], write: false) }
        for key in leaseKeys { try require(store, caller, key: key, rangeEnd: [], write: true) }
    }

    static func deleteRange(_ store: AuthStore, _ caller: AuthCaller, _ request: DeleteRangeRequest) throws(EtcdError) {
        try require(store, caller, key: request.key, rangeEnd: request.rangeEnd, write: true)
        if request.prevKv { try require(store, caller, key: request.key, rangeEnd: request.rangeEnd, write: false) }
    }

    /// Every compare needs read; every op of both branches, nested txns included, is checked
    /// whichever branch runs.
    static func txn(_ store: AuthStore, _ caller: AuthCaller, _ request: TxnRequest,
                    leaseKeys: (Int64) -> [[UInt8]]) throws(EtcdError) {
        for compare in request.compare {
            try require(store, caller, key: compare.key, rangeEnd: compare.rangeEnd, write: false)
        }
        for op in request.success + request.failure {
            switch op.request {
            case .requestRange(let range)?: try self.range(store, caller, range)
            case .requestPut(let put)?: try self.put(store, caller, put, leaseKeys: put.lease != 0 ? leaseKeys(put.lease) : [])
            case .requestDeleteRange(let delete)?: try deleteRange(store, caller, delete)
            case .requestTxn(let nested)?: try txn(store, caller, nested, leaseKeys: leaseKeys)
            case nil: break
            }
        }
    }

    /// The checks of a write the log carries (put, delete, txn, lease revoke): made on the loop
    /// before it is proposed and again on the apply thread as it applies. Other requests pass.
    static func write(_ store: AuthStore, _ caller: AuthCaller, _ request: ApplyRequest,
                      leaseKeys: (Int64) -> [[UInt8]]) throws(EtcdError) {
        switch request {
        case .put(let put): try self.put(store, caller, put, leaseKeys: put.lease != 0 ? leaseKeys(put.lease) : [])
        case .deleteRange(let delete): try deleteRange(store, caller, delete)
        case .txn(let txn): try self.txn(store, caller, txn, leaseKeys: leaseKeys)
        case .leaseRevoke(let revoke): try leaseRevoke(store, caller, keys: leaseKeys(revoke.id))
        default: return
        }
    }

    /// Revoking a lease deletes its keys: the caller must be able to write each.
    static func leaseRevoke(_ store: AuthStore, _ caller: AuthCaller, keys: [[UInt8]]) throws(EtcdError) {
        for key in keys { try require(store, caller, key: key, rangeEnd: [], write: true) }
    }

    /// Root only (etcd's IsAdminPermitted).
    static func admin(_ store: AuthStore, _ caller: AuthCaller) throws(EtcdError) {
        guard !caller.user.isEmpty else { throw .userEmpty }
        guard store.isAdmin(user: caller.user) else { throw .permissionDenied }
    }

    /// Maintenance calls etcd guards with the auth store's own errors, which its gRPC layer
    /// does not translate: they reach the client as UNKNOWN "auth: ...".
    static func maintenanceAdmin(_ store: AuthStore, _ caller: AuthCaller) throws(EtcdError) {
        do {
            try admin(store, caller)
        } catch {
            throw EtcdError(.unknown, error == .userEmpty ? "auth: user name is empty" : "auth: permission denied")
        }
    }
}
