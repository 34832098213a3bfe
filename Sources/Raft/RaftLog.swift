// The whole log as raft sees it: persisted entries in storage followed by the unstable tail.

/// A node's log: `storage` (persisted) + `unstable` (accepted, not yet persisted). etcd's `raftLog`.
public struct RaftLog {
    let storage: any RaftStorage
    public internal(set) var unstable: UnstableLog

    /// The highest index known to be stored on a quorum.
    /// Invariant: `applied <= committed <= lastIndex`.
    public internal(set) var committed: UInt64

    /// The highest index the application has applied.
    /// Invariant: `applied <= committed`.
    public internal(set) var applied: UInt64

    /// Maximum encoded bytes of committed entries handed out in one `Ready`.
    let maxNextEntriesBytes: UInt64

    init(storage: any RaftStorage, maxNextEntriesBytes: UInt64) {
        self.storage = storage
        self.maxNextEntriesBytes = maxNextEntriesBytes
        let first = Self.orCrash { () throws(StorageError) in try storage.firstIndex() }
        let last = Self.orCrash { () throws(StorageError) in try storage.lastIndex() }
        unstable = UnstableLog(offset: last + 1)
        committed = first - 1
        applied = first - 1
    }

    /// Storage that cannot say where its log starts or ends is broken beyond recovery.
    static func orCrash<T>(_ body: () throws(StorageError) -> T) -> T {
        do { return try body() } catch { preconditionFailure("raft storage failed: \(error)") }
    }

    public var firstIndex: UInt64 {
        unstable.maybeFirstIndex() ?? Self.orCrash { () throws(StorageError) in try storage.firstIndex() }
    }

    public var lastIndex: UInt64 {
        unstable.maybeLastIndex() ?? Self.orCrash { () throws(StorageError) in try storage.lastIndex() }
    }

    public var lastTerm: UInt64 {
        guard let term = term(at: lastIndex) else { preconditionFailure("no term for the last index") }
        return term
    }

    /// The term of entry `index`; 0 past either end of the log (as etcd answers for the dummy
    /// range), nil when the entry was compacted away.
    public func term(at index: UInt64) -> UInt64? {
        let dummyIndex = firstIndex - 1
        if index < dummyIndex || index > lastIndex { return 0 }
        if let term = unstable.maybeTerm(index) { return term }
        do {
            return try storage.term(at: index)
        } catch .compacted {
            return nil
        } catch {
            preconditionFailure("raft storage failed reading term \(index): \(error)")
        }
    }

    func matchTerm(index: UInt64, term: UInt64) -> Bool {
        self.term(at: index) == term
    }

    /// Appends a leader's entries after `(index, logTerm)` if our log matches there (the log
    /// matching check of AppendEntries), truncating any conflicting suffix, and advances commit
    /// to `min(leaderCommit, index of the last new entry)`. Returns that last new index, or nil
    /// on a mismatch.
    mutating func maybeAppend(index: UInt64, logTerm: UInt64, committed leaderCommit: UInt64,
                              entries: [Entry]) -> UInt64? {
        guard matchTerm(index: index, term: logTerm) else { return nil }
        let lastNew = index + UInt64(entries.count)
        let conflict = findConflict(entries)
        if conflict != 0 {
            precondition(conflict > committed, "entry \(conflict) conflicts with committed entry (committed \(committed))")
            append(Array(entries[Int(conflict - (index + 1))...]))
        }
        commit(to: min(leaderCommit, lastNew))
        return lastNew
    }

    /// Appends entries to the unstable tail; returns the new last index. Overwriting a committed
    /// entry is a programmer error.
    @discardableResult
    mutating func append(_ entries: [Entry]) -> UInt64 {
        guard let first = entries.first else { return lastIndex }
        precondition(first.index - 1 >= committed, "appending after \(first.index - 1) is below committed \(committed)")
        unstable.truncateAndAppend(entries)
        return lastIndex
    }

    /// The index of the first entry whose term differs from ours, or of the first entry we do not
    /// have; 0 when every entry is already present with the same term.
    func findConflict(_ entries: [Entry]) -> UInt64 {
        for entry in entries where !matchTerm(index: entry.index, term: entry.term) {
            return entry.index
        }
        return 0
    }

    /// The largest index at or below `index` whose term is at most `term`: where a leader whose
    /// entry at `index` has `term` should probe next (fast backtracking, one probe per term).
    func findConflictByTerm(index: UInt64, term: UInt64) -> UInt64 {
        var candidate = index
        while candidate > 0, let ourTerm = self.term(at: candidate), ourTerm > term {
            candidate -= 1
        }
        return candidate
    }

    /// Entries not yet handed to the application for persistence.
    var unstableEntries: [Entry] { unstable.entries }

    /// Committed entries not yet applied, at most `maxNextEntriesBytes` (but at least one).
    func nextCommittedEntries() -> [Entry] {
        let low = max(applied + 1, firstIndex)
        guard committed + 1 > low else { return [] }
        return slice(low, committed + 1, maxSize: maxNextEntriesBytes)
    }

    var hasNextCommittedEntries: Bool {
        committed + 1 > max(applied + 1, firstIndex)
    }

    /// Entries from `index` to the end, at most `maxSize` bytes (at least one).
    func entries(from index: UInt64, maxSize: UInt64) -> [Entry]? {
        if index > lastIndex { return [] }
        if index < firstIndex { return nil }
        return slice(index, lastIndex + 1, maxSize: maxSize)
    }

    /// Entries `[low, high)` from storage and the unstable tail, size-limited.
    /// Precondition: `firstIndex <= low <= high <= lastIndex + 1`.
    func slice(_ low: UInt64, _ high: UInt64, maxSize: UInt64) -> [Entry] {
        precondition(firstIndex <= low && low <= high && high <= lastIndex + 1,
                     "slice [\(low), \(high)) out of bounds [\(firstIndex), \(lastIndex + 1))")
        if low == high { return [] }
        var result: [Entry] = []
        if low < unstable.offset {
            let stored: [Entry]
            do {
                stored = try storage.entries(from: low, to: min(high, unstable.offset), maxSize: maxSize)
            } catch {
                preconditionFailure("raft storage failed reading [\(low), \(high)): \(error)")
            }
            // Storage stopped early because of the size limit: do not go on to unstable entries.
            if UInt64(stored.count) < min(high, unstable.offset) - low { return stored }
            result = stored
        }
        if high > unstable.offset {
            result.append(contentsOf: unstable.slice(max(low, unstable.offset), high))
        }
        return limitSize(result, maxSize: maxSize)
    }

    /// Whether a candidate whose last entry is `(lastIndex, lastTerm)` has a log at least as
    /// up-to-date as ours (Raft §5.4.1: later term wins, then longer log).
    func isUpToDate(lastIndex candidateIndex: UInt64, lastTerm candidateTerm: UInt64) -> Bool {
        candidateTerm > lastTerm || (candidateTerm == lastTerm && candidateIndex >= lastIndex)
    }

    /// Commits through `maxIndex` only if that entry is from `term` (a leader commits entries of
    /// earlier terms only by committing one of its own, Raft §5.4.2).
    mutating func maybeCommit(maxIndex: UInt64, term: UInt64) -> Bool {
        guard maxIndex > committed, self.term(at: maxIndex) == term else { return false }
        commit(to: maxIndex)
        return true
    }

    /// Raises `committed` to `index`; never lowers it. Committing past the last index is a
    /// programmer error (the log would claim a quorum stored what we do not have).
    mutating func commit(to index: UInt64) {
        guard index > committed else { return }
        precondition(index <= lastIndex, "commit \(index) is out of range [lastIndex \(lastIndex)]")
        committed = index
    }

    mutating func applied(to index: UInt64) {
        guard index != 0 else { return }
        precondition(index <= committed && index >= applied,
                     "applied \(index) is out of range [prevApplied \(applied), committed \(committed)]")
        applied = index
    }

    mutating func stable(to index: UInt64, term: UInt64) {
        unstable.stableTo(index: index, term: term)
    }

    /// The application persisted the snapshot of `index` (from a `Ready`).
    mutating func stableSnap(to index: UInt64) {
        unstable.stableSnapTo(index)
    }

    /// Replaces the log with a leader's snapshot: everything up to its index is committed, and
    /// the log is empty after it. Only for a snapshot past `committed` (the caller checks).
    mutating func restore(_ snapshot: Snapshot) {
        precondition(snapshot.metadata.index > committed,
                     "restoring snapshot \(snapshot.metadata.index) at or below committed \(committed)")
        committed = snapshot.metadata.index
        unstable.restore(snapshot)
    }

    /// The newest snapshot: a pending one not yet persisted, else storage's. Throws what storage
    /// throws (`.snapshotTemporarilyUnavailable` when it is still being made).
    func snapshot() throws(StorageError) -> Snapshot {
        if let pending = unstable.snapshot { return pending }
        return try storage.snapshot()
    }

    /// A snapshot received but not yet persisted, for the next `Ready`.
    var unstableSnapshot: Snapshot? { unstable.snapshot }

    /// Whether a received snapshot awaits persisting and applying (until `RawNode.advance`);
    /// meanwhile `applied` lags below `firstIndex - 1`.
    var hasPendingSnapshot: Bool { unstable.snapshot != nil }
}
