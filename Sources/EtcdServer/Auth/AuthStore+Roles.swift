import EtcdProto

/// Roles: adding, deleting and reading them, as etcd 3.4's `RoleAdd`, `RoleDelete`, `RoleGet`
/// and `RoleList` do. Their key permissions are in `AuthStore+Permissions.swift`.
extension AuthStore {
    /// Adds role `name`, with no permissions.
    mutating func roleAdd(name: String) throws(EtcdError) -> Change {
        guard !name.isEmpty else { throw .roleEmpty }
        guard roles[name] == nil else { throw .roleAlreadyExist }
        var change = Change()
        save(Role(name: Array(name.utf8)), &change)
        commitRevision(&change)
        return change
    }

    /// Deletes role `name` and revokes it from every user holding it. The root role cannot be
    /// deleted while auth is enabled. O(users).
    mutating func roleDelete(name: String) throws(EtcdError) -> Change {
        if isEnabled && name == Self.rootRole { throw .invalidAuthMgmt }
        guard roles[name] != nil else { throw .roleNotFound }
        var change = Change()
        removeRole(name, &change)
        for userName in Self.sortedByBytes(users.keys) {
            var user = users[userName]!
            let kept = user.roles.filter { $0 != name }
            guard kept.count != user.roles.count else { continue }
            user.roles = kept
            save(user, &change)
        }
        commitRevision(&change)
        return change
    }

    /// The key permissions of role `name`, in the order they are stored (sorted by key).
    func roleGet(name: String) throws(EtcdError) -> [Permission] {
        guard let role = roles[name] else { throw .roleNotFound }
        return role.keyPermission
    }

    /// Every role name, sorted by their bytes (the order of etcd's `authRoles` bucket).
    func roleList() -> [String] { Self.sortedByBytes(roles.keys) }
}
