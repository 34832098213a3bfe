import EtcdProto
import MVCC

/// One record of the store's `key` bucket, as a history read returns it: the revision it was
/// written at, the key-value stored, and whether it is a tombstone (a delete).
public struct WatchHistoryRecord: Sendable, Equatable {
    public var revision: Revision
    public var kv: KeyValue
    public var isTombstone: Bool

    public init(revision: Revision, kv: KeyValue, isTombstone: Bool) {
        self.revision = revision
        self.kv = kv
        self.isTombstone = isTombstone
    }

    /// The watch event this record stands for (etcd's `kvsToEvents` for one record): a put, or a
    /// delete whose key-value gets the deleting revision as its `modRevision`, because a
    /// tombstone stores only the key and watchers order events by `modRevision`.
    public var event: Event {
        guard isTombstone else { return Event(type: .put, kv: kv) }
        var deleted = kv
        deleted.modRevision = revision.main
        return Event(type: .delete, kv: deleted)
    }
}

/// A history read the registry wants done: every `key` bucket record whose main revision lies
/// in `fromRevision...throughRevision`, in revision order, to catch up `watchers`.
///
/// The caller reads the records (and the store's compacted revision, under the same read lock)
/// and hands them to `WatcherRegistry.applyHistory`.
public struct WatchHistoryRead: Sendable, Equatable {
    public var fromRevision: Int64
    /// Never beyond the registry's revision when the read was chosen; at most
    /// `historyRevisionsPerReadMax` revisions after `fromRevision`.
    public var throughRevision: Int64
    /// The unsynced watchers this read catches up, at most `watchersPerSyncMax`.
    public var watchers: [WatcherKey]

    public init(fromRevision: Int64, throughRevision: Int64, watchers: [WatcherKey]) {
        self.fromRevision = fromRevision
        self.throughRevision = throughRevision
        self.watchers = watchers
    }
}
