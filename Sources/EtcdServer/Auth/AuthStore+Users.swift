import EtcdProto

/// Users: adding and deleting them, their passwords and the roles granted to them, as etcd
/// 3.4's `UserAdd` … `UserList` do, with the same errors checked in the same order.
extension AuthStore {
    /// Checks what `userAdd` would refuse before its password is hashed, so that a doomed
    /// request costs no bcrypt run.
    func validateUserAdd(name: String) throws(EtcdError) {
        guard !name.isEmpty else { throw .userEmpty }
        guard users[name] == nil else { throw .userAlreadyExist }
    }

    /// Adds user `name` with the already hashed password (ignored for a no-password user) and
    /// no roles. Without options, the user is stored with default ones (password required), as
    /// etcd stores them.
    mutating func userAdd(name: String, hashedPassword: [UInt8], options: UserAddOptions?) throws(EtcdError) -> Change {
        try validateUserAdd(name: name)
        let options = options ?? UserAddOptions()
        let user = User(name: Array(name.utf8), password: options.noPassword ? [] : hashedPassword, options: options)
        var change = Change()
        save(user, &change)
        commitRevision(&change)
        return change
    }

    /// Adds user `name`, hashing `password` with the store's hasher (after the checks that
    /// need no hash). The hash runs in the caller's critical section: the apply thread may
    /// rather hash outside the lock and call `userAdd(name:hashedPassword:options:)`.
    mutating func userAdd(name: String, password: String, options: UserAddOptions?) throws(EtcdError) -> Change {
        try validateUserAdd(name: name)
        let hashed = options?.noPassword == true ? [] : try hasher.hash(password)
        return try userAdd(name: name, hashedPassword: hashed, options: options)
    }

    /// Deletes user `name`. The root user cannot be deleted while auth is enabled. Its tokens
    /// are invalidated.
    mutating func userDelete(name: String) throws(EtcdError) -> Change {
        if isEnabled && name == Self.rootUser { throw .invalidAuthMgmt }
        guard users[name] != nil else { throw .userNotFound }
        var change = Change()
        removeUser(name, &change)
        commitRevision(&change)
        change.invalidatedUser = name
        return change
    }

    /// Replaces the password hash of `name`, keeping its roles and options; its tokens are
    /// invalidated.
    mutating func userChangePassword(name: String, hashedPassword: [UInt8]) throws(EtcdError) -> Change {
        guard var user = users[name] else { throw .userNotFound }
        user.password = hashedPassword
        var change = Change()
        save(user, &change)
        commitRevision(&change)
        change.invalidatedUser = name
        return change
    }

    /// Changes the password of `name`, hashing it with the store's hasher when the user exists.
    mutating func userChangePassword(name: String, password: String) throws(EtcdError) -> Change {
        guard users[name] != nil else { throw .userNotFound }
        return try userChangePassword(name: name, hashedPassword: try hasher.hash(password))
    }

    /// Grants role `role` to `user`. The root role needs no role record; any other role must
    /// exist. Granting a role the user holds already succeeds and changes nothing.
    mutating func userGrantRole(user name: String, role: String) throws(EtcdError) -> Change {
        guard var user = users[name] else { throw .userNotFound }
        if role != Self.rootRole && roles[role] == nil { throw .roleNotFound }
        guard !user.roles.contains(role) else { return Change() }
        user.roles = Self.sortedByBytes(user.roles + [role])
        var change = Change()
        save(user, &change)
        commitRevision(&change)
        return change
    }

    /// Revokes role `role` from `user`. While auth is enabled, root keeps the root role.
    mutating func userRevokeRole(user name: String, role: String) throws(EtcdError) -> Change {
        if isEnabled && name == Self.rootUser && role == Self.rootRole { throw .invalidAuthMgmt }
        guard var user = users[name] else { throw .userNotFound }
        let kept = user.roles.filter { $0 != role }
        guard kept.count != user.roles.count else { throw .roleNotGranted }
        user.roles = kept
        var change = Change()
        save(user, &change)
        commitRevision(&change)
        return change
    }

    /// The roles granted to `name`, sorted by their bytes.
    func userGet(name: String) throws(EtcdError) -> [String] {
        guard let user = users[name] else { throw .userNotFound }
        return user.roles
    }

    /// Every user name, sorted by their bytes (the order of etcd's `authUsers` bucket).
    func userList() -> [String] { Self.sortedByBytes(users.keys) }

    /// True when `user` exists and holds `role` (etcd's `HasRole`: a user may read a role it
    /// holds without being admin).
    func hasRole(user name: String, role: String) -> Bool {
        users[name]?.roles.contains(role) ?? false
    }
}
