// The stable storage raft reads its log from: a protocol, as etcd's `Storage` interface.

/// Why storage could not answer. Operating conditions, not programmer errors.
public enum StorageError: Error, Sendable, Equatable {
    /// The requested index is below the first index (compacted into a snapshot).
    case compacted
    /// The requested index is beyond the last index.
    case unavailable
    /// The snapshot is being prepared; ask again later (the leader skips this round).
    case snapshotTemporarilyUnavailable
    /// A snapshot (to apply or create) is not newer than the one storage already has.
    /// etcd's `ErrSnapOutOfDate`.
    case snapshotOutOfDate
}

/// Read access to a node's persisted log, hard state and snapshot.
///
/// Raft only reads; the application appends what a `Ready` says to persist, then calls
/// `RawNode.advance`. Implementations return entries in index order without gaps.
public protocol RaftStorage: AnyObject {
    /// The persisted hard state and the configuration at the last snapshot.
    func initialState() throws(StorageError) -> (HardState, ConfState)

    /// Entries `[low, high)`, at most `maxSize` encoded bytes but always at least one if any exist.
    /// Throws `.compacted` when `low` is below `firstIndex()`, `.unavailable` past the end.
    func entries(from low: UInt64, to high: UInt64, maxSize: UInt64) throws(StorageError) -> [Entry]

    /// The term of entry `index`, which must lie in `[firstIndex() - 1, lastIndex()]`
    /// (the entry before the first is the snapshot's, whose term is kept).
    func term(at index: UInt64) throws(StorageError) -> UInt64

    /// The index of the first entry that is still available (snapshot index + 1).
    func firstIndex() throws(StorageError) -> UInt64

    /// The index of the last entry.
    func lastIndex() throws(StorageError) -> UInt64

    /// The most recent snapshot. A leader sends it to a follower whose next entries were
    /// compacted; throwing `.snapshotTemporarilyUnavailable` makes it try again later.
    func snapshot() throws(StorageError) -> Snapshot
}

/// Keeps the longest prefix of `entries` whose total encoded size stays within `maxSize`, but at
/// least one entry. etcd's `limitSize`.
func limitSize(_ entries: [Entry], maxSize: UInt64) -> [Entry] {
    guard !entries.isEmpty else { return entries }
    var size = UInt64(entries[0].encodedSize)
    var count = 1
    while count < entries.count {
        size += UInt64(entries[count].encodedSize)
        if size > maxSize { break }
        count += 1
    }
    return count == entries.count ? entries : Array(entries[0..<count])
}

/// "No limit" for size-limited reads.
public let noSizeLimit: UInt64 = .max
