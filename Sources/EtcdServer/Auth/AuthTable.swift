import Synchronization

/// The member's `AuthStore` and `SimpleTokens`, shared by the threads that need them: the
/// apply thread changes both as auth entries apply, the event loops check tokens and
/// permissions. Every access is one short critical section; the password hash comparison, a
/// whole bcrypt run, happens outside the lock.
final class AuthTable: Sendable {
    private let store: Mutex<AuthStore>
    private let tokens: Mutex<SimpleTokens>
    /// With `--auth-token jwt,...`: tokens are JWTs, checked by signature, not looked up.
    let jwt: JWTTokens?

    init(store: AuthStore, tokens: SimpleTokens, jwt: JWTTokens? = nil) {
        self.jwt = jwt
        var tokens = tokens
        if store.isEnabled { tokens.enable() }
        self.store = Mutex(store)
        self.tokens = Mutex(tokens)
    }

    func withStore<Result: Sendable, Failure: Error>(_ body: (inout AuthStore) throws(Failure) -> Result) throws(Failure) -> Result {
        try store.withLock { (store: inout AuthStore) throws(Failure) -> Result in try body(&store) }
    }

    func withTokens<Result: Sendable, Failure: Error>(_ body: (inout SimpleTokens) throws(Failure) -> Result) throws(Failure) -> Result {
        try tokens.withLock { (tokens: inout SimpleTokens) throws(Failure) -> Result in try body(&tokens) }
    }

    var isEnabled: Bool { store.withLock { $0.isEnabled } }

    /// The store recovered from a leader's snapshot replaces this one; tokens follow its
    /// enabled state (a snapshot that disabled auth drops them).
    func replace(with recovered: AuthStore) {
        store.withLock { $0 = recovered }
        tokens.withLock { recovered.isEnabled ? $0.enable() : $0.disable() }
    }
    var revision: UInt64 { store.withLock { $0.revision } }

    /// etcd's `CheckPassword`: the revision at which `password` is the one of `user`. The
    /// hash is read under the lock and compared outside it.
    func checkPassword(user: String, password: String) throws(EtcdError) -> UInt64 {
        let (stored, hasher) = try store.withLock { (store: inout AuthStore) throws(EtcdError) in
            (try store.storedPassword(of: user), store.hasher)
        }
        guard hasher.verify(password, hash: stored.hash) else { throw .authFailed }
        return stored.revision
    }

    /// Acts on what a store change means for tokens: enabling keeps them, disabling drops
    /// all, a deleted user or new password drops that user's.
    func applyToTokens(_ change: AuthStore.Change) {
        tokens.withLock { tokens in
            switch change.isEnabled {
            case true?: tokens.enable()
            case false?: tokens.disable()
            case nil: break
            }
            if let user = change.invalidatedUser { tokens.invalidate(user: user) }
        }
    }
}
