import EtcdProto
import MVCC

/// What one watcher watches and how it wants its events, decoded from a `WatchCreateRequest`
/// the way etcd's `recvLoop` and `watchStream.Watch` decode it.
public struct WatcherOptions: Sendable, Equatable {
    /// The keys watched. An empty request key is etcd's smallest key `"\0"`.
    public var interval: KeyInterval
    /// The first revision whose events the watcher wants (etcd's `minRev` at creation).
    public var startRevision: Int64
    /// Drop put events (`NOPUT`).
    public var filtersPuts: Bool
    /// Drop delete events (`NODELETE`).
    public var filtersDeletes: Bool
    /// Attach each key's previous value to its events.
    public var wantsPrevKV: Bool
    /// Split large responses (`fragment`).
    public var allowsFragment: Bool
    /// Send idle progress notifications (`progress_notify`).
    public var wantsProgressNotify: Bool

    public init(interval: KeyInterval, startRevision: Int64, filtersPuts: Bool = false,
                filtersDeletes: Bool = false, wantsPrevKV: Bool = false, allowsFragment: Bool = false,
                wantsProgressNotify: Bool = false) {
        self.interval = interval
        self.startRevision = startRevision
        self.filtersPuts = filtersPuts
        self.filtersDeletes = filtersDeletes
        self.wantsPrevKV = wantsPrevKV
        self.allowsFragment = allowsFragment
        self.wantsProgressNotify = wantsProgressNotify
    }

    /// Whether the watcher's filters let `event` through (etcd's `FilterFunc`s: a filter that
    /// returns true drops the event).
    @inlinable
    public func accepts(_ event: Event) -> Bool {
        switch event.type {
        case .put: return !filtersPuts
        case .delete: return !filtersDeletes
        }
    }
}
