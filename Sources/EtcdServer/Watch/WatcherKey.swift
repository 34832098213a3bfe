/// Identifies one gRPC `Watch` stream on an event loop: the connection it arrived on and its
/// HTTP/2 stream ID. Watch IDs are only unique within a stream (etcd's `mvcc.watchStream`), so
/// every watcher is named by its stream plus its watch ID.
public struct WatchStreamKey: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The connection's ID on its event loop.
    public var connection: UInt64
    /// The HTTP/2 stream ID of the `Watch` call.
    public var stream: Int32

    public init(connection: UInt64, stream: Int32) {
        self.connection = connection
        self.stream = stream
    }

    public static func < (a: WatchStreamKey, b: WatchStreamKey) -> Bool {
        a.connection != b.connection ? a.connection < b.connection : a.stream < b.stream
    }

    public var description: String { "\(connection)/\(stream)" }
}

/// Names one watcher: its stream and the watch ID the stream gave it (etcd's `mvcc.WatchID`).
public struct WatcherKey: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var stream: WatchStreamKey
    public var watchID: Int64

    public init(stream: WatchStreamKey, watchID: Int64) {
        self.stream = stream
        self.watchID = watchID
    }

    public static func < (a: WatcherKey, b: WatcherKey) -> Bool {
        a.stream != b.stream ? a.stream < b.stream : a.watchID < b.watchID
    }

    public var description: String { "\(stream)#\(watchID)" }
}

/// The watch ID etcd puts in responses that belong to no watcher (a refused create, a
/// stream-wide progress notification): clientv3's `InvalidWatchID`.
public let invalidWatchID: Int64 = -1
