// v3lockpb: the Lock service.

/// Acquires the named lock, waiting until it is free.
///
/// Wire: `v3lockpb.LockRequest`.
public struct LockRequest: Sendable, Equatable {
    /// The lock's name (a key prefix). (field 1)
    public var name: [UInt8] = []
    /// Lease that holds the lock; the lock is released when it expires. (field 2)
    public var lease: Int64 = 0

    /// Creates the message with every field at its proto3 default.
    public init() {}

    /// Creates the message; each argument defaults to its field's proto3 zero value.
    public init(
        name: [UInt8] = [],
        lease: Int64 = 0
    ) {
        self.name = name
        self.lease = lease
    }
}

/// Result of a `LockRequest`.
///
/// Wire: `v3lockpb.LockResponse`.
public struct LockResponse: Sendable, Equatable {
    /// Cluster, member, revision and term as of this response. (field 1)
    public var header: ResponseHeader? = nil
    /// The key that holds the lock while it exists; pass it to Unlock. (field 2)
    public var key: [UInt8] = []

    /// Creates the message with every field at its proto3 default.
    public init() {}

    /// Creates the message; each argument defaults to its field's proto3 zero value.
    public init(
        header: ResponseHeader? = nil,
        key: [UInt8] = []
    ) {
        self.header = header
        self.key = key
    }
}

/// Releases a lock.
///
/// Wire: `v3lockpb.UnlockRequest`.
public struct UnlockRequest: Sendable, Equatable {
    /// The key a `LockResponse` returned. (field 1)
    public var key: [UInt8] = []

    /// Creates the message with every field at its proto3 default.
    public init() {}

    /// Creates the message; each argument defaults to its field's proto3 zero value.
    public init(
        key: [UInt8] = []
    ) {
        self.key = key
    }
}

/// Result of an `UnlockRequest`.
///
/// Wire: `v3lockpb.UnlockResponse`.
public struct UnlockResponse: Sendable, Equatable {
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
