import EtcdProto
import MVCC

/// One gRPC `Watch` stream's side of the protocol (etcd's `serverWatchStream` and
/// `mvcc.watchStream`): turns each client request into registry changes plus the responses etcd
/// sends, allocates watch IDs, and keeps the stream's progress timer.
///
/// Pure: the caller (the stream's event loop) passes the loop's `WatcherRegistry`, a header
/// template and the time; it encodes and sends what comes back, in order.
public struct WatchStreamState: Sendable {
    /// Why etcd refuses a create whose `key >= range_end` (mvcc `ErrEmptyWatcherRange`).
    public static let emptyRangeReason = "mvcc: watcher range is empty"
    /// Why etcd refuses a create reusing a live watch ID (mvcc `ErrWatcherDuplicateID`).
    public static let duplicateIDReason = "mvcc: duplicate watch ID provided on the WatchStream"
    /// Why we refuse a create past `watchersPerStreamMax` / `watchersPerLoopMax`. etcd has no
    /// such limit; its `ErrGRPCTooManyRequests` text says what happened.
    public static let tooManyWatchersReason = "etcdserver: too many requests"

    public let key: WatchStreamKey
    /// The next auto-assigned watch ID (etcd's `watchStream.nextID`): IDs start at 0 and skip
    /// those in use.
    public private(set) var nextWatchID: Int64 = 0
    /// The progress timer's next firing, in the caller's milliseconds.
    public private(set) var progressDeadline: Int64
    /// The progress interval (etcd's, jitter included: the caller draws it).
    public let progressInterval: Int64

    /// A new stream at `now`; its first progress tick is one `progressInterval` later
    /// (etcd starts its ticker when the stream opens).
    public init(key: WatchStreamKey, now: Int64, progressInterval: Int64) {
        precondition(progressInterval > 0, "progress interval must be positive")
        self.key = key
        self.progressInterval = progressInterval
        self.progressDeadline = now + progressInterval
    }

    /// Handles one decoded request and returns the responses to send, in order (etcd's
    /// `recvLoop`). `header` carries cluster ID, member ID and term; its revision is replaced.
    /// `authorize(key, rangeEnd)` returns nil to allow a create, or the cancel reason etcd
    /// gives (`rpctypes` messages such as "etcdserver: permission denied").
    public mutating func handle(
        _ request: WatchRequest, registry: inout WatcherRegistry, header: ResponseHeader,
        authorize: (_ key: [UInt8], _ rangeEnd: [UInt8]) -> String? = { _, _ in nil }
    ) -> [WatchResponse] {
        switch request.requestUnion {
        case .createRequest(let create):
            return [self.create(create, registry: &registry, header: header, authorize: authorize)]
        case .cancelRequest(let cancel):
            return self.cancel(cancel.watchId, registry: &registry, header: header)
        case .progressRequest:
            guard let delivery = registry.requestProgress(key) else { return [] }
            return Self.responses(for: delivery, header: header, prevKV: { _, _ in nil })
        case nil:
            // etcd ignores a request with no known member set rather than closing the stream.
            return []
        }
    }

    private mutating func create(
        _ request: WatchCreateRequest, registry: inout WatcherRegistry, header: ResponseHeader,
        authorize: (_ key: [UInt8], _ rangeEnd: [UInt8]) -> String?
    ) -> WatchResponse {
        // recvLoop: an empty key is "\0", the smallest key.
        let watchedKey = request.key.isEmpty ? [0] : request.key
        let revision = registry.currentRevision
        func refused(_ reason: String) -> WatchResponse {
            // Both created and canceled, with watch ID -1 (recvLoop's answer to any failed create).
            WatchResponse(header: Self.header(header, revision), watchId: invalidWatchID,
                          created: true, canceled: true, cancelReason: reason)
        }
        if let reason = authorize(watchedKey, request.rangeEnd) { return refused(reason) }
        let interval = KeyInterval(key: watchedKey, rangeEnd: request.rangeEnd)
        if case .between(let start, let end) = interval, compareBytes(start, end) >= 0 {
            return refused(Self.emptyRangeReason)
        }
        if registry.watcherCount(on: key) >= registry.limits.watchersPerStreamMax
            || registry.watcherCount >= registry.limits.watchersPerLoopMax {
            return refused(Self.tooManyWatchersReason)
        }
        var id = request.watchId
        if id == 0 {
            // clientv3.AutoWatchID: the next ID not in use (watchStream.Watch).
            while registry.contains(WatcherKey(stream: key, watchID: nextWatchID)) { nextWatchID += 1 }
            id = nextWatchID
            nextWatchID += 1
        } else if registry.contains(WatcherKey(stream: key, watchID: id)) {
            return refused(Self.duplicateIDReason)
        }
        let options = WatcherOptions(
            interval: interval,
            startRevision: request.startRevision == 0 ? revision + 1 : request.startRevision,
            filtersPuts: request.filters.contains(.noPut),
            filtersDeletes: request.filters.contains(.noDelete),
            wantsPrevKV: request.prevKv, allowsFragment: request.fragment,
            wantsProgressNotify: request.progressNotify)
        registry.add(WatcherKey(stream: key, watchID: id), options)
        return WatchResponse(header: Self.header(header, revision), watchId: id, created: true)
    }

    private func cancel(_ id: Int64, registry: inout WatcherRegistry, header: ResponseHeader) -> [WatchResponse] {
        // An unknown ID gets no answer at all: recvLoop only replies when Cancel succeeds.
        guard registry.remove(WatcherKey(stream: key, watchID: id)) else { return [] }
        var responses = [WatchResponse(header: Self.header(header, registry.currentRevision),
                                       watchId: id, canceled: true)]
        if let owed = registry.progressOwed(after: key) {
            responses += Self.responses(for: owed, header: header, prevKV: { _, _ in nil })
        }
        return responses
    }

    /// Fires the progress timer if `now` reached its deadline: the notifications due
    /// (`WatcherRegistry.progressTick`) as responses, and the next deadline one interval on.
    public mutating func progressTimer(now: Int64, registry: inout WatcherRegistry,
                                       header: ResponseHeader) -> [WatchResponse] {
        guard now >= progressDeadline else { return [] }
        progressDeadline = now + progressInterval
        return registry.progressTick(key).flatMap {
            Self.responses(for: $0, header: header, prevKV: { _, _ in nil })
        }
    }

    static func header(_ template: ResponseHeader, _ revision: Int64) -> ResponseHeader {
        var header = template
        header.revision = revision
        return header
    }
}
