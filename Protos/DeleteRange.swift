// KV.DeleteRange request and response.

/// Deletes a key or a range of keys.
///
/// Wire: `etcdserverpb.DeleteRangeRequest`.
public struct DeleteRangeRequest: Sendable, Equatable {
    /// First key of the range (or the only key when `rangeEnd` is empty). (field 1)
    public var key: [UInt8] = []
    /// End of the range, exclusive, with the same conventions as `RangeRequest.rangeEnd`. (field 2)
    public var rangeEnd: [UInt8] = []
    /// Return the deleted keys in the response. (field 3)
    public var prevKv: Bool = false

    /// Creates the message with every field at its proto3 default.
    public init() {}

    /// Creates the message; each argument defaults to its field's proto3 zero value.
    public init(
        key: [UInt8] = [],
        rangeEnd: [UInt8] = [],
        prevKv: Bool = false
    ) {
        self.key = key
        self.rangeEnd = rangeEnd
        self.prevKv = prevKv
    }
}

/// Result of a `DeleteRangeRequest`.
///
/// Wire: `etcdserverpb.DeleteRangeResponse`.
public struct DeleteRangeResponse: Sendable, Equatable {
    /// Cluster, member, revision and term as of this response. (field 1)
    public var header: ResponseHeader? = nil
    /// Number of keys deleted. (field 2)
    public var deleted: Int64 = 0
    /// The deleted keys, when asked for. (field 3)
    public var prevKvs: [KeyValue] = []

    /// Creates the message with every field at its proto3 default.
    public init() {}

    /// Creates the message; each argument defaults to its field's proto3 zero value.
    public init(
        header: ResponseHeader? = nil,
        deleted: Int64 = 0,
        prevKvs: [KeyValue] = []
    ) {
        self.header = header
        self.deleted = deleted
        self.prevKvs = prevKvs
    }
}
