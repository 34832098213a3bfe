// Maintenance.Status.

/// Asks a member for its status.
///
/// Wire: `etcdserverpb.StatusRequest`.
public struct StatusRequest: Sendable, Equatable {
    /// Creates the (field-less) message.
    public init() {}
}

/// A member's view of itself and the cluster.
///
/// Wire: `etcdserverpb.StatusResponse`.
public struct StatusResponse: Sendable, Equatable {
    /// Cluster, member, revision and term as of this response. (field 1)
    public var header: ResponseHeader? = nil
    /// The server's version string (etcd's, which clients check). (field 2)
    public var version: String = ""
    /// Size of the backend file in bytes. (field 3)
    public var dbSize: Int64 = 0
    /// Member ID of the current leader; 0 when unknown. (field 4)
    public var leader: UInt64 = 0
    /// The member's last raft log index. (field 5)
    public var raftIndex: UInt64 = 0
    /// The member's raft term. (field 6)
    public var raftTerm: UInt64 = 0
    /// The last raft index applied to the state machine. (field 7)
    public var raftAppliedIndex: UInt64 = 0
    /// Active alarms and other problems, in words. (field 8)
    public var errors: [String] = []
    /// Bytes of the backend file holding live data (the rest is free pages). (field 9)
    public var dbSizeInUse: Int64 = 0
    /// Whether the member is a non-voting learner. (field 10)
    public var isLearner: Bool = false

    /// Creates the message with every field at its proto3 default.
    public init() {}

    /// Creates the message; each argument defaults to its field's proto3 zero value.
    public init(
        header: ResponseHeader? = nil,
        version: String = "",
        dbSize: Int64 = 0,
        leader: UInt64 = 0,
        raftIndex: UInt64 = 0,
        raftTerm: UInt64 = 0,
        raftAppliedIndex: UInt64 = 0,
        errors: [String] = [],
        dbSizeInUse: Int64 = 0,
        isLearner: Bool = false
    ) {
        self.header = header
        self.version = version
        self.dbSize = dbSize
        self.leader = leader
        self.raftIndex = raftIndex
        self.raftTerm = raftTerm
        self.raftAppliedIndex = raftAppliedIndex
        self.errors = errors
        self.dbSizeInUse = dbSizeInUse
        self.isLearner = isLearner
    }
}
