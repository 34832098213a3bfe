// An in-memory RaftStorage, for tests and for nodes whose log lives elsewhere (etcd's MemoryStorage).

import Synchronization

/// A `RaftStorage` that keeps everything in an array, safe to share between threads (raft reads
/// it on its thread while the applier creates snapshots and compacts, as in etcd's server).
///
/// `entries[0]` is a placeholder standing for the snapshot's last entry (its index and term), so
/// `entries[i]` has index `entries[0].index + i`. Invariant: `entries` is never empty, its
/// indexes are consecutive, and `entries[0]` is at or after the snapshot's index.
///
/// How a server uses it:
/// - restart: `applySnapshot(snapshot from disk)`, `setHardState`, `append(WAL entries)`;
/// - every Ready: `applySnapshot(ready.snapshot)` if set, `setHardState`, `append(ready.entries)`;
/// - every so often: `createSnapshot(index: applied, ...)`, then `compact(to:)` an older index
///   so slow followers can still catch up from the log.
public final class MemoryStorage: RaftStorage, Sendable {
    private struct State {
        var hardState = HardState()
        var snapshot = Snapshot()
        var entries: [Entry] = [Entry()]

        var offset: UInt64 { entries[0].index }
        var lastIndex: UInt64 { offset + UInt64(entries.count) - 1 }
    }

    private let state: Mutex<State>

    /// An empty log whose configuration is `confState` (how tests and bootstrap name the voters).
    public init(confState: ConfState = ConfState()) {
        var initial = State()
        initial.snapshot.metadata.confState = confState
        state = Mutex(initial)
    }

    public func initialState() throws(StorageError) -> (HardState, ConfState) {
        state.withLock { ($0.hardState, $0.snapshot.metadata.confState) }
    }

    /// The hard state last recorded with `setHardState`.
    public var hardState: HardState { state.withLock { $0.hardState } }

    /// Records the hard state the last `Ready` carried.
    public func setHardState(_ hardState: HardState) {
        state.withLock { $0.hardState = hardState }
    }

    public func entries(from low: UInt64, to high: UInt64, maxSize: UInt64) throws(StorageError) -> [Entry] {
        try state.withLock { (state: inout State) throws(StorageError) -> [Entry] in
            guard low > state.offset else { throw .compacted }
            guard high <= state.lastIndex + 1 else { throw .unavailable }
            let slice = Array(state.entries[Int(low - state.offset)..<Int(high - state.offset)])
            return limitSize(slice, maxSize: maxSize)
        }
    }

    public func term(at index: UInt64) throws(StorageError) -> UInt64 {
        try state.withLock { (state: inout State) throws(StorageError) -> UInt64 in
            guard index >= state.offset else { throw .compacted }
            guard index - state.offset < UInt64(state.entries.count) else { throw .unavailable }
            return state.entries[Int(index - state.offset)].term
        }
    }

    public func firstIndex() throws(StorageError) -> UInt64 { state.withLock { $0.offset + 1 } }

    public func lastIndex() throws(StorageError) -> UInt64 { state.withLock { $0.lastIndex } }

    public func snapshot() throws(StorageError) -> Snapshot { state.withLock { $0.snapshot } }

    /// Every stored entry, in order (for tests and checkers).
    public var storedEntries: ArraySlice<Entry> { state.withLock { $0.entries.dropFirst() } }

    /// Appends `newEntries`, replacing any stored entries they overlap (the newer leader's log wins).
    /// Entries already compacted away are skipped. A gap after the last index is a programmer error.
    public func append(_ newEntries: [Entry]) {
        guard let first = newEntries.first else { return }
        state.withLock { state in
            let firstKept = state.offset + 1
            let last = newEntries[newEntries.count - 1].index
            if last < firstKept { return }
            var toAppend = newEntries[...]
            if first.index < firstKept { toAppend = newEntries.dropFirst(Int(firstKept - first.index)) }
            let start = toAppend.first!.index
            precondition(start <= state.lastIndex + 1, "missing log entries: last \(state.lastIndex), appending \(start)")
            state.entries.removeSubrange(Int(start - state.offset)...)
            state.entries.append(contentsOf: toAppend)
        }
    }

    /// Replaces the whole log with `snapshot`: the entries it covers and every later one are
    /// dropped (they may disagree with it), and its configuration becomes the initial state's.
    /// Throws `.snapshotOutOfDate` unless it is newer than the snapshot already held.
    public func applySnapshot(_ snapshot: Snapshot) throws(StorageError) {
        try state.withLock { (state: inout State) throws(StorageError) in
            guard snapshot.metadata.index > state.snapshot.metadata.index else { throw .snapshotOutOfDate }
            state.snapshot = snapshot
            state.entries = [Entry(term: snapshot.metadata.term, index: snapshot.metadata.index)]
        }
    }

    /// Records a snapshot of the application's state as of entry `index` (which it has applied):
    /// `data` is the state machine's image, `confState` the configuration at `index` (nil keeps
    /// the previous snapshot's). Entries stay until `compact(to:)`. Throws `.snapshotOutOfDate`
    /// unless `index` is past the current snapshot; an index past the last entry is a
    /// programmer error.
    @discardableResult
    public func createSnapshot(index: UInt64, confState: ConfState?, data: [UInt8]) throws(StorageError) -> Snapshot {
        try state.withLock { (state: inout State) throws(StorageError) -> Snapshot in
            guard index > state.snapshot.metadata.index else { throw .snapshotOutOfDate }
            precondition(index <= state.lastIndex, "snapshot \(index) is out of bound lastindex(\(state.lastIndex))")
            precondition(index >= state.offset, "snapshot \(index) is below the compacted index \(state.offset)")
            state.snapshot.metadata.index = index
            state.snapshot.metadata.term = state.entries[Int(index - state.offset)].term
            if let confState { state.snapshot.metadata.confState = confState }
            state.snapshot.data = data
            return state.snapshot
        }
    }

    /// Discards the entries before `index`; entry `index` itself becomes the placeholder (only
    /// its term is kept), so the first available entry is `index + 1`. Throws `.compacted` if
    /// the log already starts there or later; an index past the last entry is a programmer
    /// error. Compact only what a snapshot covers, or followers that need it get nothing.
    public func compact(to index: UInt64) throws(StorageError) {
        try state.withLock { (state: inout State) throws(StorageError) in
            guard index > state.offset else { throw .compacted }
            precondition(index <= state.lastIndex, "compact \(index) is out of bound lastindex(\(state.lastIndex))")
            let position = Int(index - state.offset)
            var kept = [Entry(term: state.entries[position].term, index: index)]
            kept.reserveCapacity(state.entries.count - position)
            kept.append(contentsOf: state.entries[(position + 1)...])
            state.entries = kept
        }
    }
}
