// Lease service.

/// Creates a lease.
///
/// Wire: `etcdserverpb.LeaseGrantRequest`.
public struct LeaseGrantRequest: Sendable, Equatable {
    /// Requested time to live, in seconds. (field 1)
    public var ttl: Int64 = 0
    /// Requested lease ID; 0 lets the server choose. (field 2)
    public var id: Int64 = 0

    /// Creates the message with every field at its proto3 default.
    public init() {}

    /// Creates the message; each argument defaults to its field's proto3 zero value.
    public init(
        ttl: Int64 = 0,
        id: Int64 = 0
    ) {
        self.ttl = ttl
        self.id = id
    }
}

/// Result of a `LeaseGrantRequest`.
///
/// Wire: `etcdserverpb.LeaseGrantResponse`.
public struct LeaseGrantResponse: Sendable, Equatable {
    /// Cluster, member, revision and term as of this response. (field 1)
    public var header: ResponseHeader? = nil
    /// The lease's ID. (field 2)
    public var id: Int64 = 0
    /// The time to live granted, in seconds. (field 3)
    public var ttl: Int64 = 0
    /// Unused by etcd 3.4's server; kept for the wire contract. (field 4)
    public var error: String = ""

    /// Creates the message with every field at its proto3 default.
    public init() {}

    /// Creates the message; each argument defaults to its field's proto3 zero value.
    public init(
        header: ResponseHeader? = nil,
        id: Int64 = 0,
        ttl: Int64 = 0,
        error: String = ""
    ) {
        self.header = header
        self.id = id
        self.ttl = ttl
        self.error = error
    }
}

/// Revokes a lease, deleting the keys attached to it.
///
/// Wire: `etcdserverpb.LeaseRevokeRequest`.
public struct LeaseRevokeRequest: Sendable, Equatable {
    /// The lease to revoke. (field 1)
    public var id: Int64 = 0

    /// Creates the message with every field at its proto3 default.
    public init() {}

    /// Creates the message; each argument defaults to its field's proto3 zero value.
    public init(
        id: Int64 = 0
    ) {
        self.id = id
    }
}

/// Result of a `LeaseRevokeRequest`.
///
/// Wire: `etcdserverpb.LeaseRevokeResponse`.
public struct LeaseRevokeResponse: Sendable, Equatable {
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

/// A lease's remaining time, as the leader records it for its successors.
///
/// Wire: `etcdserverpb.LeaseCheckpoint`.
public struct LeaseCheckpoint: Sendable, Equatable {
    /// The lease. (field 1)
    public var id: Int64 = 0
    /// Seconds it has left. (field 2)
    public var remainingTTL: Int64 = 0

    /// Creates the message with every field at its proto3 default.
    public init() {}

    /// Creates the message; each argument defaults to its field's proto3 zero value.
    public init(
        id: Int64 = 0,
        remainingTTL: Int64 = 0
    ) {
        self.id = id
        self.remainingTTL = remainingTTL
    }
}

/// A batch of lease checkpoints proposed through raft.
///
/// Wire: `etcdserverpb.LeaseCheckpointRequest`.
public struct LeaseCheckpointRequest: Sendable, Equatable {
    /// The checkpoints. (field 1)
    public var checkpoints: [LeaseCheckpoint] = []

    /// Creates the message with every field at its proto3 default.
    public init() {}

    /// Creates the message; each argument defaults to its field's proto3 zero value.
    public init(
        checkpoints: [LeaseCheckpoint] = []
    ) {
        self.checkpoints = checkpoints
    }
}

/// Result of a `LeaseCheckpointRequest`.
///
/// Wire: `etcdserverpb.LeaseCheckpointResponse`.
public struct LeaseCheckpointResponse: Sendable, Equatable {
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

/// Renews a lease (one message of the keep-alive stream).
///
/// Wire: `etcdserverpb.LeaseKeepAliveRequest`.
public struct LeaseKeepAliveRequest: Sendable, Equatable {
    /// The lease to renew. (field 1)
    public var id: Int64 = 0

    /// Creates the message with every field at its proto3 default.
    public init() {}

    /// Creates the message; each argument defaults to its field's proto3 zero value.
    public init(
        id: Int64 = 0
    ) {
        self.id = id
    }
}

/// Result of one `LeaseKeepAliveRequest`.
///
/// Wire: `etcdserverpb.LeaseKeepAliveResponse`.
public struct LeaseKeepAliveResponse: Sendable, Equatable {
    /// Cluster, member, revision and term as of this response. (field 1)
    public var header: ResponseHeader? = nil
    /// The lease renewed. (field 2)
    public var id: Int64 = 0
    /// Its new time to live in seconds; 0 or less when the lease does not exist. (field 3)
    public var ttl: Int64 = 0

    /// Creates the message with every field at its proto3 default.
    public init() {}

    /// Creates the message; each argument defaults to its field's proto3 zero value.
    public init(
        header: ResponseHeader? = nil,
        id: Int64 = 0,
        ttl: Int64 = 0
    ) {
        self.header = header
        self.id = id
        self.ttl = ttl
    }
}

/// Asks how long a lease has left.
///
/// Wire: `etcdserverpb.LeaseTimeToLiveRequest`.
public struct LeaseTimeToLiveRequest: Sendable, Equatable {
    /// The lease. (field 1)
    public var id: Int64 = 0
    /// Also list the keys attached to it. (field 2)
    public var keys: Bool = false

    /// Creates the message with every field at its proto3 default.
    public init() {}

    /// Creates the message; each argument defaults to its field's proto3 zero value.
    public init(
        id: Int64 = 0,
        keys: Bool = false
    ) {
        self.id = id
        self.keys = keys
    }
}

/// Result of a `LeaseTimeToLiveRequest`.
///
/// Wire: `etcdserverpb.LeaseTimeToLiveResponse`.
public struct LeaseTimeToLiveResponse: Sendable, Equatable {
    /// Cluster, member, revision and term as of this response. (field 1)
    public var header: ResponseHeader? = nil
    /// The lease. (field 2)
    public var id: Int64 = 0
    /// Seconds it has left; -1 when it does not exist. (field 3)
    public var ttl: Int64 = 0
    /// The time to live it was granted, in seconds. (field 4)
    public var grantedTTL: Int64 = 0
    /// Keys attached to it, when asked for. (field 5)
    public var keys: [[UInt8]] = []

    /// Creates the message with every field at its proto3 default.
    public init() {}

    /// Creates the message; each argument defaults to its field's proto3 zero value.
    public init(
        header: ResponseHeader? = nil,
        id: Int64 = 0,
        ttl: Int64 = 0,
        grantedTTL: Int64 = 0,
        keys: [[UInt8]] = []
    ) {
        self.header = header
        self.id = id
        self.ttl = ttl
        self.grantedTTL = grantedTTL
        self.keys = keys
    }
}

/// Asks for every lease.
///
/// Wire: `etcdserverpb.LeaseLeasesRequest`.
public struct LeaseLeasesRequest: Sendable, Equatable {
    /// Creates the (field-less) message.
    public init() {}
}

/// One lease in a `LeaseLeasesResponse`.
///
/// Wire: `etcdserverpb.LeaseStatus`.
public struct LeaseStatus: Sendable, Equatable {
    /// The lease. (field 1)
    public var id: Int64 = 0

    /// Creates the message with every field at its proto3 default.
    public init() {}

    /// Creates the message; each argument defaults to its field's proto3 zero value.
    public init(
        id: Int64 = 0
    ) {
        self.id = id
    }
}

/// Result of a `LeaseLeasesRequest`.
///
/// Wire: `etcdserverpb.LeaseLeasesResponse`.
public struct LeaseLeasesResponse: Sendable, Equatable {
    /// Cluster, member, revision and term as of this response. (field 1)
    public var header: ResponseHeader? = nil
    /// Every lease. (field 2)
    public var leases: [LeaseStatus] = []

    /// Creates the message with every field at its proto3 default.
    public init() {}

    /// Creates the message; each argument defaults to its field's proto3 zero value.
    public init(
        header: ResponseHeader? = nil,
        leases: [LeaseStatus] = []
    ) {
        self.header = header
        self.leases = leases
    }
}
