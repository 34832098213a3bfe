// Watch service: the client stream's requests and the server stream's responses.

/// One message on a watch stream from the client.
///
/// Wire: `etcdserverpb.WatchRequest`.
public struct WatchRequest: Sendable, Equatable {
    /// The `request_union` oneof: at most one of these is set.
    public enum RequestUnion: Sendable, Equatable {
        /// Start a watcher. (field 1)
        case createRequest(WatchCreateRequest)
        /// Stop a watcher. (field 2)
        case cancelRequest(WatchCancelRequest)
        /// Ask for a progress notification on every watcher of the stream. (field 3)
        case progressRequest(WatchProgressRequest)
    }

    /// What the client asks for.
    public var requestUnion: RequestUnion? = nil

    /// Creates the message with every field at its proto3 default.
    public init() {}

    /// Creates the message; each argument defaults to its field's proto3 zero value.
    public init(
        requestUnion: RequestUnion? = nil
    ) {
        self.requestUnion = requestUnion
    }
}

/// Starts watching a key or a range.
///
/// Wire: `etcdserverpb.WatchCreateRequest`.
public struct WatchCreateRequest: Sendable, Equatable {
    /// An event kind a watcher asks the server not to send.
    public enum FilterType: Int32, Sendable, Equatable, CaseIterable {
        /// Drop put events. (`NOPUT`)
        case noPut = 0
        /// Drop delete events. (`NODELETE`)
        case noDelete = 1
    }

    /// First key watched (or the only one when `rangeEnd` is empty). (field 1)
    public var key: [UInt8] = []
    /// End of the watched range, exclusive, with `RangeRequest.rangeEnd`'s conventions. (field 2)
    public var rangeEnd: [UInt8] = []
    /// Send events from this revision on; 0 means from the next one. (field 3)
    public var startRevision: Int64 = 0
    /// Send empty responses with the current revision when idle. (field 4)
    public var progressNotify: Bool = false
    /// Event kinds not to send. (field 5)
    public var filters: [WatchCreateRequest.FilterType] = []
    /// Include each key's previous state in its events. (field 6)
    public var prevKv: Bool = false
    /// The watcher ID the client wants; 0 lets the server choose. (field 7)
    public var watchId: Int64 = 0
    /// Allow large event batches to be split over several responses. (field 8)
    public var fragment: Bool = false

    /// Creates the message with every field at its proto3 default.
    public init() {}

    /// Creates the message; each argument defaults to its field's proto3 zero value.
    public init(
        key: [UInt8] = [],
        rangeEnd: [UInt8] = [],
        startRevision: Int64 = 0,
        progressNotify: Bool = false,
        filters: [WatchCreateRequest.FilterType] = [],
        prevKv: Bool = false,
        watchId: Int64 = 0,
        fragment: Bool = false
    ) {
        self.key = key
        self.rangeEnd = rangeEnd
        self.startRevision = startRevision
        self.progressNotify = progressNotify
        self.filters = filters
        self.prevKv = prevKv
        self.watchId = watchId
        self.fragment = fragment
    }
}

/// Stops a watcher.
///
/// Wire: `etcdserverpb.WatchCancelRequest`.
public struct WatchCancelRequest: Sendable, Equatable {
    /// The watcher to stop. (field 1)
    public var watchId: Int64 = 0

    /// Creates the message with every field at its proto3 default.
    public init() {}

    /// Creates the message; each argument defaults to its field's proto3 zero value.
    public init(
        watchId: Int64 = 0
    ) {
        self.watchId = watchId
    }
}

/// Asks for a progress notification.
///
/// Wire: `etcdserverpb.WatchProgressRequest`.
public struct WatchProgressRequest: Sendable, Equatable {
    /// Creates the (field-less) message.
    public init() {}
}

/// One message on a watch stream from the server.
///
/// Wire: `etcdserverpb.WatchResponse`.
public struct WatchResponse: Sendable, Equatable {
    /// Cluster, member, revision and term as of this response. (field 1)
    public var header: ResponseHeader? = nil
    /// The watcher this response belongs to. (field 2)
    public var watchId: Int64 = 0
    /// Answers a create request. (field 3)
    public var created: Bool = false
    /// The watcher was cancelled (by request, by compaction, or by an error). (field 4)
    public var canceled: Bool = false
    /// Set when the watcher asked for history that was compacted away. (field 5)
    public var compactRevision: Int64 = 0
    /// Why the watcher was cancelled. (field 6)
    public var cancelReason: String = ""
    /// More fragments of this batch follow. (field 7)
    public var fragment: Bool = false
    /// The events, in revision order. (field 11)
    public var events: [Event] = []

    /// Creates the message with every field at its proto3 default.
    public init() {}

    /// Creates the message; each argument defaults to its field's proto3 zero value.
    public init(
        header: ResponseHeader? = nil,
        watchId: Int64 = 0,
        created: Bool = false,
        canceled: Bool = false,
        compactRevision: Int64 = 0,
        cancelReason: String = "",
        fragment: Bool = false,
        events: [Event] = []
    ) {
        self.header = header
        self.watchId = watchId
        self.created = created
        self.canceled = canceled
        self.compactRevision = compactRevision
        self.cancelReason = cancelReason
        self.fragment = fragment
        self.events = events
    }
}
