// etcdserverpb's proto2 messages (etcdserver.proto): the v2 store request and WAL metadata.

/// A v2 store request. etcd 3.4 still proposes these to publish member attributes and the cluster version.
///
/// proto2 with non-nullable fields: every field except `prevExist` and `refresh` is written even at its zero value,
/// as etcd writes it.
///
/// Wire: `etcdserverpb.Request`.
public struct Request: Sendable, Equatable {
    /// The proposal's ID. (field 1)
    public var id: UInt64 = 0
    /// The v2 method: GET, PUT, POST, DELETE, QGET, SYNC. (field 2)
    public var method: String = ""
    /// The v2 store path, e.g. `/0/version`. (field 3)
    public var path: String = ""
    /// The value to store. (field 4)
    public var val: String = ""
    /// The path is a directory. (field 5)
    public var dir: Bool = false
    /// Compare-and-swap: the expected current value. (field 6)
    public var prevValue: String = ""
    /// Compare-and-swap: the expected modified index. (field 7)
    public var prevIndex: UInt64 = 0
    /// Compare-and-swap: whether the node must (not) exist; nil means no condition. (field 8)
    public var prevExist: Bool? = nil
    /// Expiry time in Unix nanoseconds; 0 means none. (field 9)
    public var expiration: Int64 = 0
    /// Watch the path. (field 10)
    public var wait: Bool = false
    /// Watch from this index. (field 11)
    public var since: UInt64 = 0
    /// Apply to the whole subtree. (field 12)
    public var recursive: Bool = false
    /// Sort listed nodes. (field 13)
    public var sorted: Bool = false
    /// Read through raft. (field 14)
    public var quorum: Bool = false
    /// The proposal's time in Unix nanoseconds. (field 15)
    public var time: Int64 = 0
    /// Keep the watch open. (field 16)
    public var stream: Bool = false
    /// Refresh the TTL without notifying watchers; nil means unset. (field 17)
    public var refresh: Bool? = nil

    /// Creates the message with every field at its proto3 default.
    public init() {}

    /// Creates the message; each argument defaults to its field's proto3 zero value.
    public init(
        id: UInt64 = 0,
        method: String = "",
        path: String = "",
        val: String = "",
        dir: Bool = false,
        prevValue: String = "",
        prevIndex: UInt64 = 0,
        prevExist: Bool? = nil,
        expiration: Int64 = 0,
        wait: Bool = false,
        since: UInt64 = 0,
        recursive: Bool = false,
        sorted: Bool = false,
        quorum: Bool = false,
        time: Int64 = 0,
        stream: Bool = false,
        refresh: Bool? = nil
    ) {
        self.id = id
        self.method = method
        self.path = path
        self.val = val
        self.dir = dir
        self.prevValue = prevValue
        self.prevIndex = prevIndex
        self.prevExist = prevExist
        self.expiration = expiration
        self.wait = wait
        self.since = since
        self.recursive = recursive
        self.sorted = sorted
        self.quorum = quorum
        self.time = time
        self.stream = stream
        self.refresh = refresh
    }
}

/// Identity a WAL stores in its metadata record: which member and cluster the log belongs to.
///
/// proto2, non-nullable: both fields are always written.
///
/// Wire: `etcdserverpb.Metadata`.
public struct Metadata: Sendable, Equatable {
    /// The member's ID. (field 1)
    public var nodeID: UInt64 = 0
    /// The cluster's ID. (field 2)
    public var clusterID: UInt64 = 0

    /// Creates the message with every field at its proto3 default.
    public init() {}

    /// Creates the message; each argument defaults to its field's proto3 zero value.
    public init(
        nodeID: UInt64 = 0,
        clusterID: UInt64 = 0
    ) {
        self.nodeID = nodeID
        self.clusterID = clusterID
    }
}
