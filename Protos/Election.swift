// v3electionpb: the Election service.

/// Identifies one leadership: the key a campaign won with.
///
/// Wire: `v3electionpb.LeaderKey`.
public struct LeaderKey: Sendable, Equatable {
    /// The election's name (a key prefix). (field 1)
    public var name: [UInt8] = []
    /// The campaign's key under that prefix. (field 2)
    public var key: [UInt8] = []
    /// Creation revision of that key. (field 3)
    public var rev: Int64 = 0
    /// Lease attached to that key. (field 4)
    public var lease: Int64 = 0

    /// Creates the message with every field at its proto3 default.
    public init() {}

    /// Creates the message; each argument defaults to its field's proto3 zero value.
    public init(
        name: [UInt8] = [],
        key: [UInt8] = [],
        rev: Int64 = 0,
        lease: Int64 = 0
    ) {
        self.name = name
        self.key = key
        self.rev = rev
        self.lease = lease
    }
}

/// Waits to become leader of an election.
///
/// Wire: `v3electionpb.CampaignRequest`.
public struct CampaignRequest: Sendable, Equatable {
    /// The election's name. (field 1)
    public var name: [UInt8] = []
    /// Lease that holds the candidacy. (field 2)
    public var lease: Int64 = 0
    /// The value proclaimed on winning. (field 3)
    public var value: [UInt8] = []

    /// Creates the message with every field at its proto3 default.
    public init() {}

    /// Creates the message; each argument defaults to its field's proto3 zero value.
    public init(
        name: [UInt8] = [],
        lease: Int64 = 0,
        value: [UInt8] = []
    ) {
        self.name = name
        self.lease = lease
        self.value = value
    }
}

/// Result of a `CampaignRequest`: the caller leads.
///
/// Wire: `v3electionpb.CampaignResponse`.
public struct CampaignResponse: Sendable, Equatable {
    /// Cluster, member, revision and term as of this response. (field 1)
    public var header: ResponseHeader? = nil
    /// The leadership won. (field 2)
    public var leader: LeaderKey? = nil

    /// Creates the message with every field at its proto3 default.
    public init() {}

    /// Creates the message; each argument defaults to its field's proto3 zero value.
    public init(
        header: ResponseHeader? = nil,
        leader: LeaderKey? = nil
    ) {
        self.header = header
        self.leader = leader
    }
}

/// Updates the leader's value.
///
/// Wire: `v3electionpb.ProclaimRequest`.
public struct ProclaimRequest: Sendable, Equatable {
    /// The leadership held. (field 1)
    public var leader: LeaderKey? = nil
    /// The new value. (field 2)
    public var value: [UInt8] = []

    /// Creates the message with every field at its proto3 default.
    public init() {}

    /// Creates the message; each argument defaults to its field's proto3 zero value.
    public init(
        leader: LeaderKey? = nil,
        value: [UInt8] = []
    ) {
        self.leader = leader
        self.value = value
    }
}

/// Result of a `ProclaimRequest`.
///
/// Wire: `v3electionpb.ProclaimResponse`.
public struct ProclaimResponse: Sendable, Equatable {
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

/// Asks who leads an election (or observes it, streamed).
///
/// Wire: `v3electionpb.LeaderRequest`.
public struct LeaderRequest: Sendable, Equatable {
    /// The election's name. (field 1)
    public var name: [UInt8] = []

    /// Creates the message with every field at its proto3 default.
    public init() {}

    /// Creates the message; each argument defaults to its field's proto3 zero value.
    public init(
        name: [UInt8] = []
    ) {
        self.name = name
    }
}

/// The current leader's key and value.
///
/// Wire: `v3electionpb.LeaderResponse`.
public struct LeaderResponse: Sendable, Equatable {
    /// Cluster, member, revision and term as of this response. (field 1)
    public var header: ResponseHeader? = nil
    /// The leader's key. (field 2)
    public var kv: KeyValue? = nil

    /// Creates the message with every field at its proto3 default.
    public init() {}

    /// Creates the message; each argument defaults to its field's proto3 zero value.
    public init(
        header: ResponseHeader? = nil,
        kv: KeyValue? = nil
    ) {
        self.header = header
        self.kv = kv
    }
}

/// Gives up leadership.
///
/// Wire: `v3electionpb.ResignRequest`.
public struct ResignRequest: Sendable, Equatable {
    /// The leadership given up. (field 1)
    public var leader: LeaderKey? = nil

    /// Creates the message with every field at its proto3 default.
    public init() {}

    /// Creates the message; each argument defaults to its field's proto3 zero value.
    public init(
        leader: LeaderKey? = nil
    ) {
        self.leader = leader
    }
}

/// Result of a `ResignRequest`.
///
/// Wire: `v3electionpb.ResignResponse`.
public struct ResignResponse: Sendable, Equatable {
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
