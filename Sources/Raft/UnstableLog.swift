// Entries (and a snapshot) that raft has accepted but the application has not yet persisted.

/// The not-yet-persisted tail of the log. etcd's `unstable`.
///
/// Invariant: `entries[i].index == offset + i`. `offset` may be below storage's last index when a
/// new leader overwrote a suffix; then these entries replace storage's from `offset` on.
public struct UnstableLog: Sendable {
    /// A snapshot received from the leader and not yet persisted. While set, the log starts right
    /// after it: `offset == snapshot.metadata.index + 1`, and storage's entries no longer count.
    public internal(set) var snapshot: Snapshot?
    public internal(set) var entries: [Entry] = []
    public internal(set) var offset: UInt64

    init(offset: UInt64) {
        self.offset = offset
    }

    /// The first index known only through a pending snapshot.
    func maybeFirstIndex() -> UInt64? {
        snapshot.map { $0.metadata.index + 1 }
    }

    /// The last index held here, if any.
    func maybeLastIndex() -> UInt64? {
        if !entries.isEmpty { return offset + UInt64(entries.count) - 1 }
        return snapshot.map { $0.metadata.index }
    }

    /// The term at `index` if this log knows it.
    func maybeTerm(_ index: UInt64) -> UInt64? {
        if index < offset {
            if let snapshot, snapshot.metadata.index == index { return snapshot.metadata.term }
            return nil
        }
        guard let last = maybeLastIndex(), index <= last else { return nil }
        return entries[Int(index - offset)].term
    }

    /// The application persisted entries through `index` at `term`: drop them, unless a newer
    /// leader has since replaced that entry (then the term no longer matches and nothing happens).
    mutating func stableTo(index: UInt64, term: UInt64) {
        guard let currentTerm = maybeTerm(index), currentTerm == term, index >= offset else { return }
        entries.removeFirst(Int(index + 1 - offset))
        offset = index + 1
    }

    /// The application persisted the snapshot at `index`: forget it (a newer one stays).
    mutating func stableSnapTo(_ index: UInt64) {
        if let snapshot, snapshot.metadata.index == index { self.snapshot = nil }
    }

    /// Replaces everything with `snapshot`: the log now starts right after it.
    mutating func restore(_ snapshot: Snapshot) {
        offset = snapshot.metadata.index + 1
        entries = []
        self.snapshot = snapshot
    }

    /// Appends `newEntries`, truncating whatever they overlap. Precondition: no gap.
    mutating func truncateAndAppend(_ newEntries: [Entry]) {
        guard let after = newEntries.first?.index else { return }
        if after == offset + UInt64(entries.count) {
            entries.append(contentsOf: newEntries)
        } else if after <= offset {
            // Replaces everything held here (and storage's entries from `after` on).
            offset = after
            entries = newEntries
        } else {
            entries.removeSubrange(Int(after - offset)...)
            entries.append(contentsOf: newEntries)
        }
    }

    /// Entries `[low, high)`, which must lie inside this log.
    func slice(_ low: UInt64, _ high: UInt64) -> ArraySlice<Entry> {
        precondition(low >= offset && low <= high && high <= offset + UInt64(entries.count),
                     "unstable slice [\(low), \(high)) out of [\(offset), \(offset + UInt64(entries.count))]")
        return entries[Int(low - offset)..<Int(high - offset)]
    }
}
