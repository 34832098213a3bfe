// etcdserverpb.ResponseHeader.

/// Identifies who answered and at which point of history; every etcd response starts with one.
///
/// Wire: `etcdserverpb.ResponseHeader`.
public struct ResponseHeader: Sendable, Equatable {
    /// ID of the cluster that answered. (field 1)
    public var clusterId: UInt64 = 0
    /// ID of the member that answered. (field 2)
    public var memberId: UInt64 = 0
    /// The key-value store's revision when the request was applied (or read). (field 3)
    public var revision: Int64 = 0
    /// The raft term the member was in when it answered. (field 4)
    public var raftTerm: UInt64 = 0

    /// Creates the message with every field at its proto3 default.
    public init() {}

    /// Creates the message; each argument defaults to its field's proto3 zero value.
    public init(
        clusterId: UInt64 = 0,
        memberId: UInt64 = 0,
        revision: Int64 = 0,
        raftTerm: UInt64 = 0
    ) {
        self.clusterId = clusterId
        self.memberId = memberId
        self.revision = revision
        self.raftTerm = raftTerm
    }
}
