// authpb: users, roles and permissions as the auth store keeps them.

/// Options given when a user is created.
///
/// Wire: `authpb.UserAddOptions`.
public struct UserAddOptions: Sendable, Equatable {
    /// The user authenticates by TLS common name only and has no password. (field 1)
    public var noPassword: Bool = false

    /// Creates the message with every field at its proto3 default.
    public init() {}

    /// Creates the message; each argument defaults to its field's proto3 zero value.
    public init(
        noPassword: Bool = false
    ) {
        self.noPassword = noPassword
    }
}

/// A user as stored in the auth store's `authUsers` bucket.
///
/// Wire: `authpb.User`.
public struct User: Sendable, Equatable {
    /// The user's name. (field 1)
    public var name: [UInt8] = []
    /// The bcrypt hash of the user's password. (field 2)
    public var password: [UInt8] = []
    /// Names of the roles granted to the user, sorted. (field 3)
    public var roles: [String] = []
    /// Options the user was created with. (field 4)
    public var options: UserAddOptions? = nil

    /// Creates the message with every field at its proto3 default.
    public init() {}

    /// Creates the message; each argument defaults to its field's proto3 zero value.
    public init(
        name: [UInt8] = [],
        password: [UInt8] = [],
        roles: [String] = [],
        options: UserAddOptions? = nil
    ) {
        self.name = name
        self.password = password
        self.roles = roles
        self.options = options
    }
}

/// Access to a key or key range.
///
/// Wire: `authpb.Permission`.
public struct Permission: Sendable, Equatable {
    /// Which access a `Permission` grants (Go: `authpb.Permission_Type`).
    public enum PermissionType: Int32, Sendable, Equatable, CaseIterable {
        /// Reads only. (`READ`)
        case read = 0
        /// Writes only. (`WRITE`)
        case write = 1
        /// Reads and writes. (`READWRITE`)
        case readWrite = 2
    }

    /// The access granted. (field 1)
    public var permType: Permission.PermissionType = .read
    /// The key, or first key of the range. (field 2)
    public var key: [UInt8] = []
    /// End of the range, exclusive; empty for a single key. (field 3)
    public var rangeEnd: [UInt8] = []

    /// Creates the message with every field at its proto3 default.
    public init() {}

    /// Creates the message; each argument defaults to its field's proto3 zero value.
    public init(
        permType: Permission.PermissionType = .read,
        key: [UInt8] = [],
        rangeEnd: [UInt8] = []
    ) {
        self.permType = permType
        self.key = key
        self.rangeEnd = rangeEnd
    }
}

/// A role as stored in the auth store's `authRoles` bucket.
///
/// Wire: `authpb.Role`.
public struct Role: Sendable, Equatable {
    /// The role's name. (field 1)
    public var name: [UInt8] = []
    /// The key permissions the role grants. (field 2)
    public var keyPermission: [Permission] = []

    /// Creates the message with every field at its proto3 default.
    public init() {}

    /// Creates the message; each argument defaults to its field's proto3 zero value.
    public init(
        name: [UInt8] = [],
        keyPermission: [Permission] = []
    ) {
        self.name = name
        self.keyPermission = keyPermission
    }
}
