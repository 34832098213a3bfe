// An in-memory RaftStorage, for tests and for nodes whose log lives elsewhere (etcd's MemoryStorage).

/// A `RaftStorage` that keeps everything in an array.
///
/// `entries[0]` is a placeholder standing for the snapshot's last entry (its index and term), so
/// `entries[i]` has index `entries[0].index + i`. Invariant: `entries` is never empty and its
/// indexes are consecutive.
public final class MemoryStorage: RaftStorage {
    public private(set) var hardState = HardState()
    public private(set) var snapshotValue = Snapshot()
    private var entriesValue: [Entry] = [Entry()]

    /// An empty log whose configuration is `confState` (how tests and bootstrap name the voters).
    public init(confState: ConfState = ConfState()) {
        snapshotValue.metadata.confState = confState
    }

    public func initialState() throws(StorageError) -> (HardState, ConfState) {
        (hardState, snapshotValue.metadata.confState)
    }

    /// Records the hard state the last `Ready` carried.
    public func setHardState(_ state: HardState) {
        hardState = state
    }

    private var offset: UInt64 { entriesValue[0].index }

    public func entries(from low: UInt64, to high: UInt64, maxSize: UInt64) throws(StorageError) -> [Entry] {
        guard low > offset else { throw .compacted }
        guard high <= lastIndexValue + 1 else { throw .unavailable }
        let slice = Array(entriesValue[Int(low - offset)..<Int(high - offset)])
        return limitSize(slice, maxSize: maxSize)
    }

    public func term(at index: UInt64) throws(StorageError) -> UInt64 {
        guard index >= offset else { throw .compacted }
        guard index - offset < UInt64(entriesValue.count) else { throw .unavailable }
        return entriesValue[Int(index - offset)].term
    }

    public func firstIndex() throws(StorageError) -> UInt64 { offset + 1 }

    public func lastIndex() throws(StorageError) -> UInt64 { lastIndexValue }

    private var lastIndexValue: UInt64 { offset + UInt64(entriesValue.count) - 1 }

    public func snapshot() throws(StorageError) -> Snapshot { snapshotValue }

    /// Every stored entry, in order (for tests and checkers).
    public var storedEntries: ArraySlice<Entry> { entriesValue.dropFirst() }

    /// Appends `newEntries`, replacing any stored entries they overlap (the newer leader's log wins).
    /// Entries already compacted away are skipped. A gap after the last index is a programmer error.
    public func append(_ newEntries: [Entry]) {
        guard let first = newEntries.first else { return }
        let firstKept = offset + 1
        let last = newEntries[newEntries.count - 1].index
        if last < firstKept { return }
        var toAppend = newEntries[...]
        if first.index < firstKept { toAppend = newEntries.dropFirst(Int(firstKept - first.index)) }
        let start = toAppend.first!.index
        precondition(start <= lastIndexValue + 1, "missing log entries: last \(lastIndexValue), appending \(start)")
        entriesValue.removeSubrange(Int(start - offset)...)
        entriesValue.append(contentsOf: toAppend)
    }
}
