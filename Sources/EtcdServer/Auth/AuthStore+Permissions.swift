import EtcdProto

/// Key permissions: granting them to roles, revoking them, and checking a user's request
/// against them, as etcd 3.4's `RoleGrantPermission`, `RoleRevokePermission`,
/// `isOpPermitted` and `IsAdminPermitted` do.
extension AuthStore {
    /// Grants `permission` to role `name`. A permission with the same key and range end as the
    /// first stored one at or after its key only changes that one's type; any other is added and
    /// the list re-sorted by key (stably, so equal keys keep their order).
    ///
    /// As in etcd, only that first permission at the key is compared: with two stored ranges
    /// sharing a key, re-granting the second one adds a duplicate (which `roleGet` shows and one
    /// revoke removes together with the original).
    mutating func roleGrantPermission(role name: String, permission: Permission) throws(EtcdError) -> Change {
        guard var role = roles[name] else { throw .roleNotFound }
        let index = role.keyPermission.firstIndex { !$0.key.lexicographicallyPrecedes(permission.key) }
        if let index, role.keyPermission[index].key == permission.key,
           role.keyPermission[index].rangeEnd == permission.rangeEnd {
            role.keyPermission[index].permType = permission.permType
        } else {
            let insertion = role.keyPermission.firstIndex { permission.key.lexicographicallyPrecedes($0.key) }
            role.keyPermission.insert(permission, at: insertion ?? role.keyPermission.endIndex)
        }
        var change = Change()
        save(role, &change)
        commitRevision(&change)
        return change
    }

    /// Revokes from role `name` every permission on exactly `key` … `rangeEnd` (a narrower or
    /// wider range is a different permission and stays).
    mutating func roleRevokePermission(role name: String, key: [UInt8], rangeEnd: [UInt8]) throws(EtcdError) -> Change {
        guard var role = roles[name] else { throw .roleNotFound }
        let kept = role.keyPermission.filter { $0.key != key || $0.rangeEnd != rangeEnd }
        guard kept.count != role.keyPermission.count else { throw .permissionNotGranted }
        role.keyPermission = kept
        var change = Change()
        save(role, &change)
        commitRevision(&change)
        return change
    }

    // MARK: - Checks

    /// True when `user` may read (or, with `write`, write) every key of the request's range:
    /// `rangeEnd` empty for the single key `key`, `[0]` for every key from `key` on, else the
    /// keys in [`key`, `rangeEnd`). A user with the root role may do anything; an unknown user
    /// nothing. This ignores whether auth is enabled: see `checkPermission`.
    /// O(log of the user's merged intervals).
    func isPermitted(user name: String, key: [UInt8], rangeEnd: [UInt8], write: Bool) -> Bool {
        guard let user = users[name] else { return false }
        if Self.hasRootRole(user) { return true }
        guard let permissions = rangePermissions(of: name) else { return false }
        return permissions.permits(key: key, rangeEnd: rangeEnd, write: write)
    }

    /// etcd's full check of a key request made with a token checked at `revision`: nothing to
    /// check while auth is disabled; otherwise no user (revision 0) is `userEmpty`, a revision
    /// older than the store's is `authOldRevision`, and a range not covered is
    /// `permissionDenied`.
    func checkPermission(user name: String, revision requestRevision: UInt64,
                         key: [UInt8], rangeEnd: [UInt8], write: Bool) throws(EtcdError) {
        guard isEnabled else { return }
        guard requestRevision != 0 else { throw .userEmpty }
        guard requestRevision >= revision else { throw .authOldRevision }
        guard isPermitted(user: name, key: key, rangeEnd: rangeEnd, write: write) else { throw .permissionDenied }
    }

    /// True when `user` exists and holds the root role.
    func isAdmin(user name: String) -> Bool {
        guard let user = users[name] else { return false }
        return Self.hasRootRole(user)
    }

    /// etcd's `IsAdminPermitted`, required of every auth management request but the reads of
    /// oneself: nothing to check while auth is disabled; otherwise an empty user name is
    /// `userEmpty`, an unknown one `userNotFound`, one without the root role `permissionDenied`.
    func checkAdmin(user name: String) throws(EtcdError) {
        guard isEnabled else { return }
        guard !name.isEmpty else { throw .userEmpty }
        guard let user = users[name] else { throw .userNotFound }
        guard Self.hasRootRole(user) else { throw .permissionDenied }
    }
}
