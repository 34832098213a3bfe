// Auth service: requests and responses.

/// Turns authentication on.
///
/// Wire: `etcdserverpb.AuthEnableRequest`.
public struct AuthEnableRequest: Sendable, Equatable {
    /// Creates the (field-less) message.
    public init() {}
}

/// Result of an `AuthEnableRequest`.
///
/// Wire: `etcdserverpb.AuthEnableResponse`.
public struct AuthEnableResponse: Sendable, Equatable {
    /// Cluster, member, revision and term as of this response. (field 1)
    public var header: ResponseHeader? = nil

    /// Creates the message with every field at its proto3 default.
    public init() {}

    /// Creates the message; each argument defaults to its field's proto3 zero value.
    public init(
        header: ResponseHeader? = nil
    ) {
        self.header = header
    }
}

/// Turns authentication off.
///
/// Wire: `etcdserverpb.AuthDisableRequest`.
public struct AuthDisableRequest: Sendable, Equatable {
    /// Creates the (field-less) message.
    public init() {}
}

/// Result of an `AuthDisableRequest`.
///
/// Wire: `etcdserverpb.AuthDisableResponse`.
public struct AuthDisableResponse: Sendable, Equatable {
    /// Cluster, member, revision and term as of this response. (field 1)
    public var header: ResponseHeader? = nil

    /// Creates the message with every field at its proto3 default.
    public init() {}

    /// Creates the message; each argument defaults to its field's proto3 zero value.
    public init(
        header: ResponseHeader? = nil
    ) {
        self.header = header
    }
}

/// Exchanges a user name and password for a token.
///
/// Wire: `etcdserverpb.AuthenticateRequest`.
public struct AuthenticateRequest: Sendable, Equatable {
    /// The user. (field 1)
    public var name: String = ""
    /// The user's password. (field 2)
    public var password: String = ""

    /// Creates the message with every field at its proto3 default.
    public init() {}

    /// Creates the message; each argument defaults to its field's proto3 zero value.
    public init(
        name: String = "",
        password: String = ""
    ) {
        self.name = name
        self.password = password
    }
}

/// Result of an `AuthenticateRequest`.
///
/// Wire: `etcdserverpb.AuthenticateResponse`.
public struct AuthenticateResponse: Sendable, Equatable {
    /// Cluster, member, revision and term as of this response. (field 1)
    public var header: ResponseHeader? = nil
    /// The token to send as the `token` metadata of later requests. (field 2)
    public var token: String = ""

    /// Creates the message with every field at its proto3 default.
    public init() {}

    /// Creates the message; each argument defaults to its field's proto3 zero value.
    public init(
        header: ResponseHeader? = nil,
        token: String = ""
    ) {
        self.header = header
        self.token = token
    }
}

/// Creates a user.
///
/// Wire: `etcdserverpb.AuthUserAddRequest`.
public struct AuthUserAddRequest: Sendable, Equatable {
    /// The new user. (field 1)
    public var name: String = ""
    /// Its password (ignored with `options.noPassword`). (field 2)
    public var password: String = ""
    /// Creation options. (field 3)
    public var options: UserAddOptions? = nil

    /// The password's bcrypt hash, computed by the member that proposes the user so the
    /// password itself never enters the raft log (etcd 3.5's field). (field 4)
    public var hashedPassword: String = ""

    /// Creates the message with every field at its proto3 default.
    public init() {}

    /// Creates the message; each argument defaults to its field's proto3 zero value.
    public init(
        name: String = "",
        password: String = "",
        options: UserAddOptions? = nil
    ) {
        self.name = name
        self.password = password
        self.options = options
    }
}

/// Result of an `AuthUserAddRequest`.
///
/// Wire: `etcdserverpb.AuthUserAddResponse`.
public struct AuthUserAddResponse: Sendable, Equatable {
    /// Cluster, member, revision and term as of this response. (field 1)
    public var header: ResponseHeader? = nil

    /// Creates the message with every field at its proto3 default.
    public init() {}

    /// Creates the message; each argument defaults to its field's proto3 zero value.
    public init(
        header: ResponseHeader? = nil
    ) {
        self.header = header
    }
}

/// Asks for a user's roles.
///
/// Wire: `etcdserverpb.AuthUserGetRequest`.
public struct AuthUserGetRequest: Sendable, Equatable {
    /// The user. (field 1)
    public var name: String = ""

    /// Creates the message with every field at its proto3 default.
    public init() {}

    /// Creates the message; each argument defaults to its field's proto3 zero value.
    public init(
        name: String = ""
    ) {
        self.name = name
    }
}

/// Result of an `AuthUserGetRequest`.
///
/// Wire: `etcdserverpb.AuthUserGetResponse`.
public struct AuthUserGetResponse: Sendable, Equatable {
    /// Cluster, member, revision and term as of this response. (field 1)
    public var header: ResponseHeader? = nil
    /// The user's roles. (field 2)
    public var roles: [String] = []

    /// Creates the message with every field at its proto3 default.
    public init() {}

    /// Creates the message; each argument defaults to its field's proto3 zero value.
    public init(
        header: ResponseHeader? = nil,
        roles: [String] = []
    ) {
        self.header = header
        self.roles = roles
    }
}

/// Deletes a user.
///
/// Wire: `etcdserverpb.AuthUserDeleteRequest`.
public struct AuthUserDeleteRequest: Sendable, Equatable {
    /// The user. (field 1)
    public var name: String = ""

    /// Creates the message with every field at its proto3 default.
    public init() {}

    /// Creates the message; each argument defaults to its field's proto3 zero value.
    public init(
        name: String = ""
    ) {
        self.name = name
    }
}

/// Result of an `AuthUserDeleteRequest`.
///
/// Wire: `etcdserverpb.AuthUserDeleteResponse`.
public struct AuthUserDeleteResponse: Sendable, Equatable {
    /// Cluster, member, revision and term as of this response. (field 1)
    public var header: ResponseHeader? = nil

    /// Creates the message with every field at its proto3 default.
    public init() {}

    /// Creates the message; each argument defaults to its field's proto3 zero value.
    public init(
        header: ResponseHeader? = nil
    ) {
        self.header = header
    }
}

/// Sets a user's password.
///
/// Wire: `etcdserverpb.AuthUserChangePasswordRequest`.
public struct AuthUserChangePasswordRequest: Sendable, Equatable {
    /// The user. (field 1)
    public var name: String = ""
    /// The new password. (field 2)
    public var password: String = ""
    /// The new password's bcrypt hash, computed by the member that proposes the change so the
    /// password itself never enters the raft log (etcd 3.5's field). (field 3)
    public var hashedPassword: String = ""

    /// Creates the message with every field at its proto3 default.
    public init() {}

    /// Creates the message; each argument defaults to its field's proto3 zero value.
    public init(
        name: String = "",
        password: String = ""
    ) {
        self.name = name
        self.password = password
    }
}

/// Result of an `AuthUserChangePasswordRequest`.
///
/// Wire: `etcdserverpb.AuthUserChangePasswordResponse`.
public struct AuthUserChangePasswordResponse: Sendable, Equatable {
    /// Cluster, member, revision and term as of this response. (field 1)
    public var header: ResponseHeader? = nil

    /// Creates the message with every field at its proto3 default.
    public init() {}

    /// Creates the message; each argument defaults to its field's proto3 zero value.
    public init(
        header: ResponseHeader? = nil
    ) {
        self.header = header
    }
}

/// Grants a role to a user.
///
/// Wire: `etcdserverpb.AuthUserGrantRoleRequest`.
public struct AuthUserGrantRoleRequest: Sendable, Equatable {
    /// The user. (field 1)
    public var user: String = ""
    /// The role. (field 2)
    public var role: String = ""

    /// Creates the message with every field at its proto3 default.
    public init() {}

    /// Creates the message; each argument defaults to its field's proto3 zero value.
    public init(
        user: String = "",
        role: String = ""
    ) {
        self.user = user
        self.role = role
    }
}

/// Result of an `AuthUserGrantRoleRequest`.
///
/// Wire: `etcdserverpb.AuthUserGrantRoleResponse`.
public struct AuthUserGrantRoleResponse: Sendable, Equatable {
    /// Cluster, member, revision and term as of this response. (field 1)
    public var header: ResponseHeader? = nil

    /// Creates the message with every field at its proto3 default.
    public init() {}

    /// Creates the message; each argument defaults to its field's proto3 zero value.
    public init(
        header: ResponseHeader? = nil
    ) {
        self.header = header
    }
}

/// Takes a role away from a user.
///
/// Wire: `etcdserverpb.AuthUserRevokeRoleRequest`.
public struct AuthUserRevokeRoleRequest: Sendable, Equatable {
    /// The user. (field 1)
    public var name: String = ""
    /// The role. (field 2)
    public var role: String = ""

    /// Creates the message with every field at its proto3 default.
    public init() {}

    /// Creates the message; each argument defaults to its field's proto3 zero value.
    public init(
        name: String = "",
        role: String = ""
    ) {
        self.name = name
        self.role = role
    }
}

/// Result of an `AuthUserRevokeRoleRequest`.
///
/// Wire: `etcdserverpb.AuthUserRevokeRoleResponse`.
public struct AuthUserRevokeRoleResponse: Sendable, Equatable {
    /// Cluster, member, revision and term as of this response. (field 1)
    public var header: ResponseHeader? = nil

    /// Creates the message with every field at its proto3 default.
    public init() {}

    /// Creates the message; each argument defaults to its field's proto3 zero value.
    public init(
        header: ResponseHeader? = nil
    ) {
        self.header = header
    }
}

/// Creates a role.
///
/// Wire: `etcdserverpb.AuthRoleAddRequest`.
public struct AuthRoleAddRequest: Sendable, Equatable {
    /// The new role. (field 1)
    public var name: String = ""

    /// Creates the message with every field at its proto3 default.
    public init() {}

    /// Creates the message; each argument defaults to its field's proto3 zero value.
    public init(
        name: String = ""
    ) {
        self.name = name
    }
}

/// Result of an `AuthRoleAddRequest`.
///
/// Wire: `etcdserverpb.AuthRoleAddResponse`.
public struct AuthRoleAddResponse: Sendable, Equatable {
    /// Cluster, member, revision and term as of this response. (field 1)
    public var header: ResponseHeader? = nil

    /// Creates the message with every field at its proto3 default.
    public init() {}

    /// Creates the message; each argument defaults to its field's proto3 zero value.
    public init(
        header: ResponseHeader? = nil
    ) {
        self.header = header
    }
}

/// Asks for a role's permissions.
///
/// Wire: `etcdserverpb.AuthRoleGetRequest`.
public struct AuthRoleGetRequest: Sendable, Equatable {
    /// The role. (field 1)
    public var role: String = ""

    /// Creates the message with every field at its proto3 default.
    public init() {}

    /// Creates the message; each argument defaults to its field's proto3 zero value.
    public init(
        role: String = ""
    ) {
        self.role = role
    }
}

/// Result of an `AuthRoleGetRequest`.
///
/// Wire: `etcdserverpb.AuthRoleGetResponse`.
public struct AuthRoleGetResponse: Sendable, Equatable {
    /// Cluster, member, revision and term as of this response. (field 1)
    public var header: ResponseHeader? = nil
    /// The role's permissions. (field 2)
    public var perm: [Permission] = []

    /// Creates the message with every field at its proto3 default.
    public init() {}

    /// Creates the message; each argument defaults to its field's proto3 zero value.
    public init(
        header: ResponseHeader? = nil,
        perm: [Permission] = []
    ) {
        self.header = header
        self.perm = perm
    }
}

/// Asks for every user.
///
/// Wire: `etcdserverpb.AuthUserListRequest`.
public struct AuthUserListRequest: Sendable, Equatable {
    /// Creates the (field-less) message.
    public init() {}
}

/// Result of an `AuthUserListRequest`.
///
/// Wire: `etcdserverpb.AuthUserListResponse`.
public struct AuthUserListResponse: Sendable, Equatable {
    /// Cluster, member, revision and term as of this response. (field 1)
    public var header: ResponseHeader? = nil
    /// Every user's name, sorted. (field 2)
    public var users: [String] = []

    /// Creates the message with every field at its proto3 default.
    public init() {}

    /// Creates the message; each argument defaults to its field's proto3 zero value.
    public init(
        header: ResponseHeader? = nil,
        users: [String] = []
    ) {
        self.header = header
        self.users = users
    }
}

/// Asks for every role.
///
/// Wire: `etcdserverpb.AuthRoleListRequest`.
public struct AuthRoleListRequest: Sendable, Equatable {
    /// Creates the (field-less) message.
    public init() {}
}

/// Result of an `AuthRoleListRequest`.
///
/// Wire: `etcdserverpb.AuthRoleListResponse`.
public struct AuthRoleListResponse: Sendable, Equatable {
    /// Cluster, member, revision and term as of this response. (field 1)
    public var header: ResponseHeader? = nil
    /// Every role's name, sorted. (field 2)
    public var roles: [String] = []

    /// Creates the message with every field at its proto3 default.
    public init() {}

    /// Creates the message; each argument defaults to its field's proto3 zero value.
    public init(
        header: ResponseHeader? = nil,
        roles: [String] = []
    ) {
        self.header = header
        self.roles = roles
    }
}

/// Deletes a role.
///
/// Wire: `etcdserverpb.AuthRoleDeleteRequest`.
public struct AuthRoleDeleteRequest: Sendable, Equatable {
    /// The role. (field 1)
    public var role: String = ""

    /// Creates the message with every field at its proto3 default.
    public init() {}

    /// Creates the message; each argument defaults to its field's proto3 zero value.
    public init(
        role: String = ""
    ) {
        self.role = role
    }
}

/// Result of an `AuthRoleDeleteRequest`.
///
/// Wire: `etcdserverpb.AuthRoleDeleteResponse`.
public struct AuthRoleDeleteResponse: Sendable, Equatable {
    /// Cluster, member, revision and term as of this response. (field 1)
    public var header: ResponseHeader? = nil

    /// Creates the message with every field at its proto3 default.
    public init() {}

    /// Creates the message; each argument defaults to its field's proto3 zero value.
    public init(
        header: ResponseHeader? = nil
    ) {
        self.header = header
    }
}

/// Adds a permission to a role.
///
/// Wire: `etcdserverpb.AuthRoleGrantPermissionRequest`.
public struct AuthRoleGrantPermissionRequest: Sendable, Equatable {
    /// The role. (field 1)
    public var name: String = ""
    /// The permission granted. (field 2)
    public var perm: Permission? = nil

    /// Creates the message with every field at its proto3 default.
    public init() {}

    /// Creates the message; each argument defaults to its field's proto3 zero value.
    public init(
        name: String = "",
        perm: Permission? = nil
    ) {
        self.name = name
        self.perm = perm
    }
}

/// Result of an `AuthRoleGrantPermissionRequest`.
///
/// Wire: `etcdserverpb.AuthRoleGrantPermissionResponse`.
public struct AuthRoleGrantPermissionResponse: Sendable, Equatable {
    /// Cluster, member, revision and term as of this response. (field 1)
    public var header: ResponseHeader? = nil

    /// Creates the message with every field at its proto3 default.
    public init() {}

    /// Creates the message; each argument defaults to its field's proto3 zero value.
    public init(
        header: ResponseHeader? = nil
    ) {
        self.header = header
    }
}

/// Removes a permission from a role.
///
/// Wire: `etcdserverpb.AuthRoleRevokePermissionRequest`.
public struct AuthRoleRevokePermissionRequest: Sendable, Equatable {
    /// The role. (field 1)
    public var role: String = ""
    /// The permission's key. (field 2)
    public var key: [UInt8] = []
    /// The permission's range end. (field 3)
    public var rangeEnd: [UInt8] = []

    /// Creates the message with every field at its proto3 default.
    public init() {}

    /// Creates the message; each argument defaults to its field's proto3 zero value.
    public init(
        role: String = "",
        key: [UInt8] = [],
        rangeEnd: [UInt8] = []
    ) {
        self.role = role
        self.key = key
        self.rangeEnd = rangeEnd
    }
}

/// Result of an `AuthRoleRevokePermissionRequest`.
///
/// Wire: `etcdserverpb.AuthRoleRevokePermissionResponse`.
public struct AuthRoleRevokePermissionResponse: Sendable, Equatable {
    /// Cluster, member, revision and term as of this response. (field 1)
    public var header: ResponseHeader? = nil

    /// Creates the message with every field at its proto3 default.
    public init() {}

    /// Creates the message; each argument defaults to its field's proto3 zero value.
    public init(
        header: ResponseHeader? = nil
    ) {
        self.header = header
    }
}

/// Asks whether authentication is on (etcd 3.5's AuthStatus).
///
/// Wire: `etcdserverpb.AuthStatusRequest`.
public struct AuthStatusRequest: Sendable, Equatable {
    /// Creates the (field-less) message.
    public init() {}
}

/// Result of an `AuthStatusRequest`.
///
/// Wire: `etcdserverpb.AuthStatusResponse`.
public struct AuthStatusResponse: Sendable, Equatable {
    /// Cluster, member, revision and term as of this response. (field 1)
    public var header: ResponseHeader? = nil
    /// Whether authentication is on. (field 2)
    public var enabled: Bool = false
    /// The auth store's revision. (field 3)
    public var authRevision: UInt64 = 0

    /// Creates the message with every field at its proto3 default.
    public init() {}

    /// Creates the message; each argument defaults to its field's proto3 zero value.
    public init(header: ResponseHeader? = nil, enabled: Bool = false, authRevision: UInt64 = 0) {
        self.header = header
        self.enabled = enabled
        self.authRevision = authRevision
    }
}
