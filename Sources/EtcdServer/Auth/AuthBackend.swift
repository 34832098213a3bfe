import BoltStore
import EtcdProto
import MVCC

/// The auth store's durable copy, in etcd's three buckets, so a data dir moves between etcd
/// and swetcd with its users intact:
/// - `auth`: "authEnabled" → one byte, 1 or 0; "authRevision" → the revision, 8 bytes
///   big-endian;
/// - `authUsers`: user name → `authpb.User` (bcrypt hash, sorted roles, options);
/// - `authRoles`: role name → `authpb.Role` (permissions sorted by key).
///
/// Changes go into the backend's open batch by the apply thread, so they become durable with
/// the entry that made them.
enum AuthBackend {
    /// etcd's auth bucket names (`auth/store.go`).
    enum BucketName {
        static let auth = Array("auth".utf8)
        static let authUsers = Array("authUsers".utf8)
        static let authRoles = Array("authRoles".utf8)
        static let all = [auth, authUsers, authRoles]
    }

    /// Keys in the `auth` bucket.
    enum Key {
        static let enabled = Array("authEnabled".utf8)
        static let revision = Array("authRevision".utf8)
    }

    /// Opens the auth store of `backend` as etcd's `NewAuthStore` does: creates the three
    /// buckets when missing, loads the store, and when no revision is stored writes revision 1
    /// (all into the open batch; the caller commits).
    static func open(on backend: Backend, hasher: any PasswordHasher) -> AuthStore {
        let (store, storedRevision) = loadStore(from: backend, hasher: hasher)
        perform(on: backend) { tx throws(BoltError) in
            for name in BucketName.all { _ = try tx.createBucketIfNotExists(named: name) }
            if storedRevision == 0 {
                try tx.bucket(named: BucketName.auth)!.put(Key.revision, revisionBytes(store.revision))
            }
        }
        return store
    }

    /// The store as the last committed state holds it (etcd's `Recover`, after a snapshot
    /// replaced the backend). A missing bucket reads as empty; a record that does not decode is
    /// a corrupt file, which stops the member as etcd's panic does.
    static func load(from backend: Backend, hasher: any PasswordHasher) -> AuthStore {
        loadStore(from: backend, hasher: hasher).store
    }

    /// Writes `change` into the open batch. An empty change writes nothing.
    static func save(_ change: AuthStore.Change, on backend: Backend) {
        guard !change.isEmpty else { return }
        perform(on: backend) { tx throws(BoltError) in
            let auth = try bucket(BucketName.auth, in: tx)
            let users = try bucket(BucketName.authUsers, in: tx)
            let roles = try bucket(BucketName.authRoles, in: tx)
            if let isEnabled = change.isEnabled { try auth.put(Key.enabled, [isEnabled ? 1 : 0]) }
            if let revision = change.revision { try auth.put(Key.revision, revisionBytes(revision)) }
            for name in change.deletedUsers { try users.delete(Array(name.utf8)) }
            for user in change.savedUsers { try users.put(user.name, user.serializedBytes()) }
            for name in change.deletedRoles { try roles.delete(Array(name.utf8)) }
            for role in change.savedRoles { try roles.put(role.name, role.serializedBytes()) }
        }
    }

    static func revisionBytes(_ revision: UInt64) -> [UInt8] {
        (0..<8).map { UInt8(truncatingIfNeeded: revision >> (56 - 8 * UInt64($0))) }
    }

    private static func loadStore(from backend: Backend, hasher: any PasswordHasher) -> (store: AuthStore, storedRevision: UInt64) {
        backend.withReadTransaction { tx in
            let auth = tx.bucket(named: BucketName.auth)
            let isEnabled = auth?.get(Key.enabled) == [1]
            var revision: UInt64 = 0
            if let bytes = auth?.get(Key.revision), bytes.count == 8 {
                revision = bytes.reduce(0) { $0 << 8 | UInt64($1) }
            }
            var users: [User] = []
            tx.bucket(named: BucketName.authUsers)?.forEach { entry in
                guard let user = try? User(serializedBytes: Array(entry.value)) else {
                    fatalError("backend: cannot decode user \(String(decoding: entry.key, as: UTF8.self))")
                }
                users.append(user)
            }
            var roles: [Role] = []
            tx.bucket(named: BucketName.authRoles)?.forEach { entry in
                guard let role = try? Role(serializedBytes: Array(entry.value)) else {
                    fatalError("backend: cannot decode role \(String(decoding: entry.key, as: UTF8.self))")
                }
                roles.append(role)
            }
            let store = AuthStore(hasher: hasher, isEnabled: isEnabled, revision: revision, users: users, roles: roles)
            return (store, revision)
        }
    }

    private static func bucket(_ name: [UInt8], in tx: Transaction) throws(BoltError) -> Bucket {
        guard let bucket = tx.bucket(named: name) else {
            preconditionFailure("backend has no \(String(decoding: name, as: UTF8.self)) bucket: open it with AuthBackend.open")
        }
        return bucket
    }

    private static func perform(on backend: Backend, _ body: (Transaction) throws(BoltError) -> Void) {
        do {
            try body(backend.writeTransaction())
        } catch {
            // A backend that refuses a write can make nothing durable any more; etcd stops too.
            fatalError("backend: cannot write the auth buckets: \(error)")
        }
    }
}
