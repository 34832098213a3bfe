import EtcdProto

/// The member's users, roles and their key permissions, and whether authentication is on:
/// etcd 3.4's `authStore` as a pure value. It reads no clock, writes no file and hashes through
/// an injected `PasswordHasher`. The apply thread changes it as auth entries apply; every
/// change returns an `AuthStore.Change` for the caller to make durable (`AuthBackend.save`) and
/// to act on (invalidate a user's tokens). The event loops read it for permission checks
/// (see `AuthTable`, which guards it).
///
/// The `revision` is etcd's auth revision: it starts at 1 and goes up by one with every change
/// etcd counts (everything but enabling auth and no-op requests). A request carries the revision
/// its token was checked at; one older than the store's is refused (`authOldRevision`), so a
/// permission change takes effect for requests already in flight.
struct AuthStore: Sendable {
    /// The user that must exist, holding `rootRole`, before auth can be enabled.
    static let rootUser = "root"
    /// The role that grants everything, whether or not a role of that name was ever added.
    static let rootRole = "root"

    /// What a change asks of the caller: the records to write or delete in the `auth`,
    /// `authUsers` and `authRoles` buckets, and the user whose tokens no longer hold.
    struct Change: Sendable, Equatable {
        var savedUsers: [User] = []
        var deletedUsers: [String] = []
        var savedRoles: [Role] = []
        var deletedRoles: [String] = []
        /// The new enabled flag, when it changed.
        var isEnabled: Bool?
        /// The new auth revision, when it went up.
        var revision: UInt64?
        /// A user deleted or given a new password: etcd drops every token issued to them.
        var invalidatedUser: String?

        /// True when nothing changed (an idempotent request such as enabling auth twice).
        var isEmpty: Bool { self == Change() }
    }

    private(set) var users: [String: User] = [:]
    private(set) var roles: [String: Role] = [:]
    private(set) var isEnabled = false
    /// Invariant: >= 1.
    private(set) var revision: UInt64 = 1
    /// Each user's permitted key intervals, merged across their roles (etcd's
    /// `rangePermCache`). Invariant: exactly one entry per user; refreshed on every change to a
    /// user or to a role the user holds.
    private var rangePermissions: [String: UserRangePermissions] = [:]
    /// Hashes and verifies passwords (bcrypt in the server, a fake in tests).
    let hasher: any PasswordHasher

    /// An empty store, as a new member's: auth disabled, revision 1 (etcd writes revision 1
    /// when it finds none).
    init(hasher: any PasswordHasher) {
        self.hasher = hasher
    }

    /// The store as recovered from the backend. A stored revision of 0 (none stored) reads as 1.
    init(hasher: any PasswordHasher, isEnabled: Bool, revision: UInt64, users: [User], roles: [Role]) {
        self.hasher = hasher
        self.isEnabled = isEnabled
        self.revision = max(revision, 1)
        for role in roles { self.roles[String(decoding: role.name, as: UTF8.self)] = role }
        for user in users { self.users[String(decoding: user.name, as: UTF8.self)] = user }
        for name in self.users.keys { refreshRangePermissions(of: name) }
    }

    // MARK: - Enabling

    /// Turns authentication on. Requires the root user, holding the root role. Enabling
    /// twice is a no-op; enabling does not move the revision (as in etcd).
    mutating func authEnable() throws(EtcdError) -> Change {
        guard !isEnabled else { return Change() }
        guard let root = users[Self.rootUser] else { throw .rootUserNotExist }
        guard Self.hasRootRole(root) else { throw .rootRoleNotExist }
        isEnabled = true
        return Change(isEnabled: true)
    }

    /// Turns authentication off; a no-op when it is off. The caller drops every token.
    mutating func authDisable() -> Change {
        guard isEnabled else { return Change() }
        isEnabled = false
        var change = Change(isEnabled: false)
        commitRevision(&change)
        return change
    }

    // MARK: - Authentication

    /// The apply-time check of an Authenticate entry (the password was checked before it was
    /// proposed): the user must still exist and have a password.
    func authenticate(user name: String) throws(EtcdError) {
        guard isEnabled else { throw .authNotEnabled }
        guard let user = users[name], !Self.hasNoPassword(user) else { throw .authFailed }
    }

    /// What a password check needs, read under the lock so that the expensive hash comparison
    /// can run outside it: the stored hash and the revision it was read at (etcd retries an
    /// Authenticate whose revision moved before its entry applied).
    func storedPassword(of name: String) throws(EtcdError) -> (hash: [UInt8], revision: UInt64) {
        guard isEnabled else { throw .authNotEnabled }
        guard let user = users[name] else { throw .authFailed }
        guard !Self.hasNoPassword(user) else { throw .noPasswordUser }
        return (user.password, revision)
    }

    /// Checks `password` against the stored hash of `name`; returns the revision the check
    /// holds for. Costs a whole bcrypt run: prefer `AuthTable.checkPassword`, which does not
    /// hold the lock meanwhile.
    func checkPassword(user name: String, password: String) throws(EtcdError) -> UInt64 {
        let stored = try storedPassword(of: name)
        guard hasher.verify(password, hash: stored.hash) else { throw .authFailed }
        return stored.revision
    }

    // MARK: - Shared by the extensions

    /// Raises the revision by one and records it in `change` (etcd's `commitRevision`).
    mutating func commitRevision(_ change: inout Change) {
        revision += 1
        change.revision = revision
    }

    /// Stores `user` (replacing any of that name), refreshes its permissions and records it.
    mutating func save(_ user: User, _ change: inout Change) {
        let name = String(decoding: user.name, as: UTF8.self)
        users[name] = user
        refreshRangePermissions(of: name)
        change.savedUsers.append(user)
    }

    /// Removes the user `name`.
    mutating func removeUser(_ name: String, _ change: inout Change) {
        users[name] = nil
        rangePermissions[name] = nil
        change.deletedUsers.append(name)
    }

    /// Stores `role` and refreshes the permissions of every user holding it.
    mutating func save(_ role: Role, _ change: inout Change) {
        let name = String(decoding: role.name, as: UTF8.self)
        roles[name] = role
        refreshRangePermissions(ofUsersHolding: name)
        change.savedRoles.append(role)
    }

    /// Removes the role `name` (users holding it are the caller's to update).
    mutating func removeRole(_ name: String, _ change: inout Change) {
        roles[name] = nil
        change.deletedRoles.append(name)
    }

    /// Rebuilds the merged permissions of user `name` from its roles. O(permissions of its roles
    /// × log of that).
    mutating func refreshRangePermissions(of name: String) {
        guard let user = users[name] else {
            rangePermissions[name] = nil
            return
        }
        let granted = user.roles.compactMap { roles[$0] }.flatMap(\.keyPermission)
        rangePermissions[name] = UserRangePermissions(granted)
    }

    /// Rebuilds the merged permissions of every user holding role `name`. O(users).
    mutating func refreshRangePermissions(ofUsersHolding role: String) {
        for (name, user) in users where user.roles.contains(role) {
            refreshRangePermissions(of: name)
        }
    }

    /// The merged permissions of `name`, nil when no such user.
    func rangePermissions(of name: String) -> UserRangePermissions? { rangePermissions[name] }

    /// True when `user` holds the root role. Roles are kept sorted, so this is a binary search.
    static func hasRootRole(_ user: User) -> Bool {
        var low = 0
        var high = user.roles.count
        while low < high {
            let middle = (low + high) / 2
            if user.roles[middle].utf8.lexicographicallyPrecedes(rootRole.utf8) {
                low = middle + 1
            } else {
                high = middle
            }
        }
        return low < user.roles.count && user.roles[low] == rootRole
    }

    static func hasNoPassword(_ user: User) -> Bool { user.options?.noPassword ?? false }

    /// Sorts names as etcd's buckets and `sort.Strings` order them: by their bytes.
    static func sortedByBytes(_ names: some Sequence<String>) -> [String] {
        names.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }
}
