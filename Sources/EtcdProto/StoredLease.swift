// leasepb: a lease as the backend's `lease` bucket stores it.

/// A lease as stored in the backend, so leases survive restarts.
///
/// Wire: `leasepb.Lease`.
public struct Lease: Sendable, Equatable {
    /// The lease's ID. (field 1)
    public var id: Int64 = 0
    /// Its granted time to live in seconds. (field 2)
    public var ttl: Int64 = 0
    /// Seconds left at the last checkpoint; 0 means the full TTL. (field 3)
    public var remainingTTL: Int64 = 0

    /// Creates the message with every field at its proto3 default.
    public init() {}

    /// Creates the message; each argument defaults to its field's proto3 zero value.
    public init(
        id: Int64 = 0,
        ttl: Int64 = 0,
        remainingTTL: Int64 = 0
    ) {
        self.id = id
        self.ttl = ttl
        self.remainingTTL = remainingTTL
    }
}

/// A TimeToLive request forwarded from a follower to the leader over the peer HTTP API.
///
/// Wire: `leasepb.LeaseInternalRequest`.
public struct LeaseInternalRequest: Sendable, Equatable {
    /// The forwarded request. (field 1)
    public var leaseTimeToLiveRequest: LeaseTimeToLiveRequest? = nil

    /// Creates the message with every field at its proto3 default.
    public init() {}

    /// Creates the message; each argument defaults to its field's proto3 zero value.
    public init(
        leaseTimeToLiveRequest: LeaseTimeToLiveRequest? = nil
    ) {
        self.leaseTimeToLiveRequest = leaseTimeToLiveRequest
    }
}

/// The leader's answer to a `LeaseInternalRequest`.
///
/// Wire: `leasepb.LeaseInternalResponse`.
public struct LeaseInternalResponse: Sendable, Equatable {
    /// The answer. (field 1)
    public var leaseTimeToLiveResponse: LeaseTimeToLiveResponse? = nil

    /// Creates the message with every field at its proto3 default.
    public init() {}

    /// Creates the message; each argument defaults to its field's proto3 zero value.
    public init(
        leaseTimeToLiveResponse: LeaseTimeToLiveResponse? = nil
    ) {
        self.leaseTimeToLiveResponse = leaseTimeToLiveResponse
    }
}
