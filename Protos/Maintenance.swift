// The rest of the Maintenance service: defragment, snapshot, leadership transfer.

/// Asks a member to rewrite its backend file compactly.
///
/// Wire: `etcdserverpb.DefragmentRequest`.
public struct DefragmentRequest: Sendable, Equatable {
    /// Creates the (field-less) message.
    public init() {}
}

/// Result of a `DefragmentRequest`.
///
/// Wire: `etcdserverpb.DefragmentResponse`.
public struct DefragmentResponse: Sendable, Equatable {
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

/// Asks for a copy of the backend file, streamed.
///
/// Wire: `etcdserverpb.SnapshotRequest`.
public struct SnapshotRequest: Sendable, Equatable {
    /// Creates the (field-less) message.
    public init() {}
}

/// One chunk of a snapshot stream.
///
/// Wire: `etcdserverpb.SnapshotResponse`.
public struct SnapshotResponse: Sendable, Equatable {
    /// Cluster, member, revision and term as of this response. (field 1)
    public var header: ResponseHeader? = nil
    /// Bytes still to come after this chunk. (field 2)
    public var remainingBytes: UInt64 = 0
    /// This chunk's bytes. (field 3)
    public var blob: [UInt8] = []

    /// Creates the message with every field at its proto3 default.
    public init() {}

    /// Creates the message; each argument defaults to its field's proto3 zero value.
    public init(
        header: ResponseHeader? = nil,
        remainingBytes: UInt64 = 0,
        blob: [UInt8] = []
    ) {
        self.header = header
        self.remainingBytes = remainingBytes
        self.blob = blob
    }
}

/// Asks the leader to hand leadership to another member.
///
/// Wire: `etcdserverpb.MoveLeaderRequest`.
public struct MoveLeaderRequest: Sendable, Equatable {
    /// The member that should become leader. (field 1)
    public var targetID: UInt64 = 0

    /// Creates the message with every field at its proto3 default.
    public init() {}

    /// Creates the message; each argument defaults to its field's proto3 zero value.
    public init(
        targetID: UInt64 = 0
    ) {
        self.targetID = targetID
    }
}

/// Result of a `MoveLeaderRequest`.
///
/// Wire: `etcdserverpb.MoveLeaderResponse`.
public struct MoveLeaderResponse: Sendable, Equatable {
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
