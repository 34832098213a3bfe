import EtcdProto

/// Something the registry has for one stream: a watcher's events, a progress notification, or a
/// watcher's end by compaction. `WatchStreamState.responses(for:...)` turns it into the
/// `WatchResponse`s etcd would send.
public struct WatchDelivery: Sendable, Equatable {
    public enum Content: Sendable, Equatable {
        /// Events of one watcher in revision order; every event of a revision is in the same
        /// delivery. Never empty.
        case events([Event])
        /// An empty response telling the watcher (or, with `invalidWatchID`, every watcher of
        /// the stream) that it has seen everything up to `revision`.
        case progress
        /// The watcher needs history older than `compactRevision`, which is gone: it is
        /// cancelled (etcd's response with `compact_revision` set and `canceled`).
        case compacted(compactRevision: Int64)
    }

    /// The stream to send on.
    public var stream: WatchStreamKey
    /// The watcher, or `invalidWatchID` for a stream-wide progress notification.
    public var watchID: Int64
    /// The revision for the response header.
    public var revision: Int64
    public var content: Content
    /// The watcher asked for `prev_kv`: its events need their previous values looked up.
    public var wantsPrevKV: Bool
    /// The watcher asked for `fragment`.
    public var allowsFragment: Bool

    public init(stream: WatchStreamKey, watchID: Int64, revision: Int64, content: Content,
                wantsPrevKV: Bool = false, allowsFragment: Bool = false) {
        self.stream = stream
        self.watchID = watchID
        self.revision = revision
        self.content = content
        self.wantsPrevKV = wantsPrevKV
        self.allowsFragment = allowsFragment
    }

    /// The watcher this delivery is for (`invalidWatchID` for a stream-wide one).
    public var watcher: WatcherKey { WatcherKey(stream: stream, watchID: watchID) }
}
