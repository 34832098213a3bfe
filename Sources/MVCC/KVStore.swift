import EtcdBasics
import EtcdProto

/// What a read asks of the store besides the keys.
public struct RangeOptions: Sendable, Equatable {
    /// At most this many key-values are returned; 0 or less means no limit. `count` is not capped.
    public var limit: Int64
    /// Read as of this revision; 0 or less means the reader's current revision.
    public var revision: Int64
    /// Return only the count, no key-values.
    public var countOnly: Bool

    public init(limit: Int64 = 0, revision: Int64 = 0, countOnly: Bool = false) {
        self.limit = limit
        self.revision = revision
        self.countOnly = countOnly
    }
}

/// The answer to a read.
public struct RangeResult: Sendable, Equatable {
    /// The key-values found, in key order, at most `limit` of them.
    public var kvs: [KeyValue]
    /// How many keys the range holds at the revision read, regardless of `limit`.
    public var count: Int
    /// The reader's current revision (not the revision read): what etcd puts in the response header.
    public var revision: Int64

    public init(kvs: [KeyValue], count: Int, revision: Int64) {
        self.kvs = kvs
        self.count = count
        self.revision = revision
    }
}

/// A consistent view to read from: the store itself between writes, or an open write
/// transaction (which also sees its own changes). etcd's `mvcc.ReadView`.
public protocol KVReadView {
    /// The revision of the last compaction (-1 if there was none): reads below it fail.
    var firstRevision: Int64 { get }
    /// The revision this view reads at by default.
    var revision: Int64 { get }
    /// The keys in `interval` as of `options.revision`.
    /// Throws `.futureRevision` when that revision is newer than the view's, `.compacted` when
    /// it is older than `firstRevision`.
    func range(_ interval: KeyInterval, options: RangeOptions) throws(MVCCError) -> RangeResult
}

/// The multi-version key-value store: every write transaction creates a new revision, and reads
/// can ask for any revision not yet compacted away. etcd's `mvcc.store`.
///
/// Thread safety: none of its own. The server guards it with a reader-writer lock: many readers
/// (event loops) call the read-only members (`range`, `currentRevision`, ...), one writer (the
/// apply thread) calls `write` and `compact`. Read members never mutate anything.
///
/// Revisions: an empty store is at revision 1. A write transaction that changes anything moves
/// the store to the next revision; every change in it shares that main revision and gets sub
/// revisions 0, 1, 2, ... in order.
public final class KVStore: KVReadView {
    /// The revision of the last write transaction that changed something (1 for an empty store).
    public internal(set) var currentRevision: Int64 = 1
    /// The revision of the last compaction; -1 when the store was never compacted (as etcd
    /// reports it).
    public internal(set) var compactedRevision: Int64 = -1
    /// Keys live at the current revision, kept as writes go (etcd's keys gauge moves the same
    /// way), so a metrics scrape reads it without walking the index.
    public internal(set) var liveKeyCount = 0

    let index = TreeIndex()
    let storage: any RevisionStorage
    /// True while a write transaction is open (writes are not re-entrant).
    var isWriting = false

    /// A compaction whose records are still being removed (see `compactLogically`).
    struct PendingCompaction {
        let revision: Int64
        let keep: Set<Revision>
        var resumeAfter: Revision?
    }
    var pendingCompaction: PendingCompaction?

    /// An empty store at revision 1, kept in memory.
    public convenience init() {
        self.init(storage: MemoryRevisionStorage())
    }

    /// An empty store over `storage` (which must hold no records).
    init(storage: any RevisionStorage) {
        self.storage = storage
    }

    /// Tells the store its backend committed the open batch, so the copies of the batch's
    /// records it kept for readers can go. Call with readers excluded (the write lock).
    public func backendCommitted() {
        storage.batchCommitted()
    }

    public var firstRevision: Int64 { compactedRevision }
    public var revision: Int64 { currentRevision }

    /// The number of keys the index tracks, deleted ones included until compaction drops them.
    public var indexedKeyCount: Int { index.count }
    /// The number of revision records held (each put or delete adds one; compaction removes them).
    public var storedRevisionCount: Int { storage.count }

    public func range(_ interval: KeyInterval, options: RangeOptions = RangeOptions()) throws(MVCCError) -> RangeResult {
        try rangeKeys(interval, currentRevision: currentRevision, options: options)
    }

    /// Convenience for `range(_:options:)` with etcd's `(key, range_end)` convention.
    /// Every record (put or tombstone) whose main revision is in `mainRevisions`, in revision
    /// order: what a watcher catching up replays. Records compaction removed are gone.
    public func forEachRecord(mainRevisions: ClosedRange<Int64>,
                              _ body: (Revision, KeyValue, _ isTombstone: Bool) -> Void) {
        storage.forEachRecord(mainRevisions: mainRevisions, body)
    }

    public func range(key: [UInt8], rangeEnd: [UInt8] = [], options: RangeOptions = RangeOptions()) throws(MVCCError) -> RangeResult {
        try range(KeyInterval(key: key, rangeEnd: rangeEnd), options: options)
    }

    /// Reads `interval` for a reader whose own revision is `currentRevision` (a write transaction
    /// that has made changes reads one revision ahead of the store). etcd's `rangeKeys`.
    func rangeKeys(_ interval: KeyInterval, currentRevision: Int64, options: RangeOptions) throws(MVCCError) -> RangeResult {
        var atRevision = options.revision
        if atRevision > currentRevision { throw .futureRevision }
        if atRevision <= 0 { atRevision = currentRevision }
        if atRevision < compactedRevision { throw .compacted }

        let revisions = index.revisions(interval, atRevision: atRevision)
        if revisions.isEmpty || options.countOnly {
            return RangeResult(kvs: [], count: revisions.count, revision: currentRevision)
        }
        var limit = revisions.count
        if options.limit > 0 && options.limit < Int64(revisions.count) { limit = Int(options.limit) }
        var kvs: [KeyValue] = []
        kvs.reserveCapacity(limit)
        for (revision, kv) in zip(revisions.prefix(limit), storage.values(at: revisions.prefix(limit))) {
            guard let kv else { preconditionFailure("index points at revision \(revision) that storage lacks") }
            kvs.append(kv)
        }
        return RangeResult(kvs: kvs, count: revisions.count, revision: currentRevision)
    }
}
