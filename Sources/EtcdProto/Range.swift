// KV.Range request and response.

/// Reads a key or a range of keys.
///
/// Wire: `etcdserverpb.RangeRequest`.
public struct RangeRequest: Sendable, Equatable {
    /// How `Range` orders its results.
    public enum SortOrder: Int32, Sendable, Equatable, CaseIterable {
        /// No sorting requested; results come in key order. (`NONE`)
        case none = 0
        /// Lowest value of the sort target first. (`ASCEND`)
        case ascend = 1
        /// Highest value of the sort target first. (`DESCEND`)
        case descend = 2
    }

    /// Which field of a `KeyValue` `Range` sorts by.
    public enum SortTarget: Int32, Sendable, Equatable, CaseIterable {
        /// Sort by key bytes. (`KEY`)
        case key = 0
        /// Sort by the key's version. (`VERSION`)
        case version = 1
        /// Sort by create revision. (`CREATE`)
        case create = 2
        /// Sort by modification revision. (`MOD`)
        case mod = 3
        /// Sort by value bytes. (`VALUE`)
        case value = 4
    }

    /// First key of the range (or the only key when `rangeEnd` is empty). (field 1)
    public var key: [UInt8] = []
    /// End of the range, exclusive. Empty: just `key`. `[0]`: every key >= `key`. `key + 1`: the prefix `key`.
    /// (field 2)
    public var rangeEnd: [UInt8] = []
    /// Maximum number of keys returned; 0 means no limit. (field 3)
    public var limit: Int64 = 0
    /// Read as of this revision; 0 or less means the latest. (field 4)
    public var revision: Int64 = 0
    /// Result order. (field 5)
    public var sortOrder: RangeRequest.SortOrder = .none
    /// Field the results are sorted by. (field 6)
    public var sortTarget: RangeRequest.SortTarget = .key
    /// Answer from the local member without a linearizable read barrier. (field 7)
    public var serializable: Bool = false
    /// Return keys without values. (field 8)
    public var keysOnly: Bool = false
    /// Return only the count of matching keys. (field 9)
    public var countOnly: Bool = false
    /// Drop keys modified before this revision (0: no lower bound). (field 10)
    public var minModRevision: Int64 = 0
    /// Drop keys modified after this revision (0: no upper bound). (field 11)
    public var maxModRevision: Int64 = 0
    /// Drop keys created before this revision (0: no lower bound). (field 12)
    public var minCreateRevision: Int64 = 0
    /// Drop keys created after this revision (0: no upper bound). (field 13)
    public var maxCreateRevision: Int64 = 0

    /// Creates the message with every field at its proto3 default.
    public init() {}

    /// Creates the message; each argument defaults to its field's proto3 zero value.
    public init(
        key: [UInt8] = [],
        rangeEnd: [UInt8] = [],
        limit: Int64 = 0,
        revision: Int64 = 0,
        sortOrder: RangeRequest.SortOrder = .none,
        sortTarget: RangeRequest.SortTarget = .key,
        serializable: Bool = false,
        keysOnly: Bool = false,
        countOnly: Bool = false,
        minModRevision: Int64 = 0,
        maxModRevision: Int64 = 0,
        minCreateRevision: Int64 = 0,
        maxCreateRevision: Int64 = 0
    ) {
        self.key = key
        self.rangeEnd = rangeEnd
        self.limit = limit
        self.revision = revision
        self.sortOrder = sortOrder
        self.sortTarget = sortTarget
        self.serializable = serializable
        self.keysOnly = keysOnly
        self.countOnly = countOnly
        self.minModRevision = minModRevision
        self.maxModRevision = maxModRevision
        self.minCreateRevision = minCreateRevision
        self.maxCreateRevision = maxCreateRevision
    }
}

/// The keys a `RangeRequest` matched.
///
/// Wire: `etcdserverpb.RangeResponse`.
public struct RangeResponse: Sendable, Equatable {
    /// Cluster, member, revision and term as of this response. (field 1)
    public var header: ResponseHeader? = nil
    /// Matching keys, in the requested order; empty when `countOnly` was set. (field 2)
    public var kvs: [KeyValue] = []
    /// True when `limit` cut the result short. (field 3)
    public var more: Bool = false
    /// Number of keys in the range, regardless of `limit`. (field 4)
    public var count: Int64 = 0

    /// Creates the message with every field at its proto3 default.
    public init() {}

    /// Creates the message; each argument defaults to its field's proto3 zero value.
    public init(
        header: ResponseHeader? = nil,
        kvs: [KeyValue] = [],
        more: Bool = false,
        count: Int64 = 0
    ) {
        self.header = header
        self.kvs = kvs
        self.more = more
        self.count = count
    }
}
