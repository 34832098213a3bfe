// Maintenance.Hash and Maintenance.HashKV.

/// Asks for a hash of the whole backend file (for corruption checks).
///
/// Wire: `etcdserverpb.HashRequest`.
public struct HashRequest: Sendable, Equatable {
    /// Creates the (field-less) message.
    public init() {}
}

/// Result of a `HashRequest`.
///
/// Wire: `etcdserverpb.HashResponse`.
public struct HashResponse: Sendable, Equatable {
    /// Cluster, member, revision and term as of this response. (field 1)
    public var header: ResponseHeader? = nil
    /// CRC-32 (Castagnoli) of the backend's contents. (field 2)
    public var hash: UInt32 = 0

    /// Creates the message with every field at its proto3 default.
    public init() {}

    /// Creates the message; each argument defaults to its field's proto3 zero value.
    public init(
        header: ResponseHeader? = nil,
        hash: UInt32 = 0
    ) {
        self.header = header
        self.hash = hash
    }
}

/// Asks for a hash of the key-value history up to a revision.
///
/// Wire: `etcdserverpb.HashKVRequest`.
public struct HashKVRequest: Sendable, Equatable {
    /// Hash history up to this revision; 0 means the latest. (field 1)
    public var revision: Int64 = 0

    /// Creates the message with every field at its proto3 default.
    public init() {}

    /// Creates the message; each argument defaults to its field's proto3 zero value.
    public init(
        revision: Int64 = 0
    ) {
        self.revision = revision
    }
}

/// Result of a `HashKVRequest`.
///
/// Wire: `etcdserverpb.HashKVResponse`.
public struct HashKVResponse: Sendable, Equatable {
    /// Cluster, member, revision and term as of this response. (field 1)
    public var header: ResponseHeader? = nil
    /// CRC-32 (Castagnoli) over the key-value history. (field 2)
    public var hash: UInt32 = 0
    /// The compaction revision the hash started from. (field 3)
    public var compactRevision: Int64 = 0

    /// Creates the message with every field at its proto3 default.
    public init() {}

    /// Creates the message; each argument defaults to its field's proto3 zero value.
    public init(
        header: ResponseHeader? = nil,
        hash: UInt32 = 0,
        compactRevision: Int64 = 0
    ) {
        self.header = header
        self.hash = hash
        self.compactRevision = compactRevision
    }
}
