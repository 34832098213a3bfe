// Cluster service: members and membership changes.

/// One member of the cluster as clients see it.
///
/// Wire: `etcdserverpb.Member`.
public struct Member: Sendable, Equatable {
    /// The member's ID. (field 1)
    public var id: UInt64 = 0
    /// The member's name; empty until it has started. (field 2)
    public var name: String = ""
    /// URLs the other members reach it on. (field 3)
    public var peerURLs: [String] = []
    /// URLs clients reach it on; empty until it has started. (field 4)
    public var clientURLs: [String] = []
    /// Whether the member is a non-voting learner. (field 5)
    public var isLearner: Bool = false

    /// Creates the message with every field at its proto3 default.
    public init() {}

    /// Creates the message; each argument defaults to its field's proto3 zero value.
    public init(
        id: UInt64 = 0,
        name: String = "",
        peerURLs: [String] = [],
        clientURLs: [String] = [],
        isLearner: Bool = false
    ) {
        self.id = id
        self.name = name
        self.peerURLs = peerURLs
        self.clientURLs = clientURLs
        self.isLearner = isLearner
    }
}

/// Asks for the cluster's members.
///
/// Wire: `etcdserverpb.MemberListRequest`.
public struct MemberListRequest: Sendable, Equatable {
    /// Creates the (field-less) message.
    public init() {}
}

/// Result of a `MemberListRequest`.
///
/// Wire: `etcdserverpb.MemberListResponse`.
public struct MemberListResponse: Sendable, Equatable {
    /// Cluster, member, revision and term as of this response. (field 1)
    public var header: ResponseHeader? = nil
    /// Every member. (field 2)
    public var members: [Member] = []

    /// Creates the message with every field at its proto3 default.
    public init() {}

    /// Creates the message; each argument defaults to its field's proto3 zero value.
    public init(
        header: ResponseHeader? = nil,
        members: [Member] = []
    ) {
        self.header = header
        self.members = members
    }
}

/// Adds a member.
///
/// Wire: `etcdserverpb.MemberAddRequest`.
public struct MemberAddRequest: Sendable, Equatable {
    /// The new member's peer URLs. (field 1)
    public var peerURLs: [String] = []
    /// Add it as a non-voting learner. (field 2)
    public var isLearner: Bool = false

    /// Creates the message with every field at its proto3 default.
    public init() {}

    /// Creates the message; each argument defaults to its field's proto3 zero value.
    public init(
        peerURLs: [String] = [],
        isLearner: Bool = false
    ) {
        self.peerURLs = peerURLs
        self.isLearner = isLearner
    }
}

/// Result of a `MemberAddRequest`.
///
/// Wire: `etcdserverpb.MemberAddResponse`.
public struct MemberAddResponse: Sendable, Equatable {
    /// Cluster, member, revision and term as of this response. (field 1)
    public var header: ResponseHeader? = nil
    /// The member added. (field 2)
    public var member: Member? = nil
    /// Every member after the change. (field 3)
    public var members: [Member] = []

    /// Creates the message with every field at its proto3 default.
    public init() {}

    /// Creates the message; each argument defaults to its field's proto3 zero value.
    public init(
        header: ResponseHeader? = nil,
        member: Member? = nil,
        members: [Member] = []
    ) {
        self.header = header
        self.member = member
        self.members = members
    }
}

/// Removes a member.
///
/// Wire: `etcdserverpb.MemberRemoveRequest`.
public struct MemberRemoveRequest: Sendable, Equatable {
    /// The member to remove. (field 1)
    public var id: UInt64 = 0

    /// Creates the message with every field at its proto3 default.
    public init() {}

    /// Creates the message; each argument defaults to its field's proto3 zero value.
    public init(
        id: UInt64 = 0
    ) {
        self.id = id
    }
}

/// Result of a `MemberRemoveRequest`.
///
/// Wire: `etcdserverpb.MemberRemoveResponse`.
public struct MemberRemoveResponse: Sendable, Equatable {
    /// Cluster, member, revision and term as of this response. (field 1)
    public var header: ResponseHeader? = nil
    /// Every member after the change. (field 2)
    public var members: [Member] = []

    /// Creates the message with every field at its proto3 default.
    public init() {}

    /// Creates the message; each argument defaults to its field's proto3 zero value.
    public init(
        header: ResponseHeader? = nil,
        members: [Member] = []
    ) {
        self.header = header
        self.members = members
    }
}

/// Changes a member's peer URLs.
///
/// Wire: `etcdserverpb.MemberUpdateRequest`.
public struct MemberUpdateRequest: Sendable, Equatable {
    /// The member to update. (field 1)
    public var id: UInt64 = 0
    /// Its new peer URLs. (field 2)
    public var peerURLs: [String] = []

    /// Creates the message with every field at its proto3 default.
    public init() {}

    /// Creates the message; each argument defaults to its field's proto3 zero value.
    public init(
        id: UInt64 = 0,
        peerURLs: [String] = []
    ) {
        self.id = id
        self.peerURLs = peerURLs
    }
}

/// Result of a `MemberUpdateRequest`.
///
/// Wire: `etcdserverpb.MemberUpdateResponse`.
public struct MemberUpdateResponse: Sendable, Equatable {
    /// Cluster, member, revision and term as of this response. (field 1)
    public var header: ResponseHeader? = nil
    /// Every member after the change. (field 2)
    public var members: [Member] = []

    /// Creates the message with every field at its proto3 default.
    public init() {}

    /// Creates the message; each argument defaults to its field's proto3 zero value.
    public init(
        header: ResponseHeader? = nil,
        members: [Member] = []
    ) {
        self.header = header
        self.members = members
    }
}

/// Promotes a learner to a voting member.
///
/// Wire: `etcdserverpb.MemberPromoteRequest`.
public struct MemberPromoteRequest: Sendable, Equatable {
    /// The learner to promote. (field 1)
    public var id: UInt64 = 0

    /// Creates the message with every field at its proto3 default.
    public init() {}

    /// Creates the message; each argument defaults to its field's proto3 zero value.
    public init(
        id: UInt64 = 0
    ) {
        self.id = id
    }
}

/// Result of a `MemberPromoteRequest`.
///
/// Wire: `etcdserverpb.MemberPromoteResponse`.
public struct MemberPromoteResponse: Sendable, Equatable {
    /// Cluster, member, revision and term as of this response. (field 1)
    public var header: ResponseHeader? = nil
    /// Every member after the change. (field 2)
    public var members: [Member] = []

    /// Creates the message with every field at its proto3 default.
    public init() {}

    /// Creates the message; each argument defaults to its field's proto3 zero value.
    public init(
        header: ResponseHeader? = nil,
        members: [Member] = []
    ) {
        self.header = header
        self.members = members
    }
}
