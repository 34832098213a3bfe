// KV.Compact request and response.

/// Discards history before a revision.
///
/// Wire: `etcdserverpb.CompactionRequest`.
public struct CompactionRequest: Sendable, Equatable {
    /// Keep history from this revision on. (field 1)
    public var revision: Int64 = 0
    /// Answer only after the backend has actually removed the old revisions. (field 2)
    public var physical: Bool = false

    /// Creates the message with every field at its proto3 default.
    public init() {}

    /// Creates the message; each argument defaults to its field's proto3 zero value.
    public init(
        revision: Int64 = 0,
        physical: Bool = false
    ) {
        self.revision = revision
        self.physical = physical
    }
}

/// Result of a `CompactionRequest`.
///
/// Wire: `etcdserverpb.CompactionResponse`.
public struct CompactionResponse: Sendable, Equatable {
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
