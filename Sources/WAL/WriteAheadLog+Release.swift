// Letting go of old segments (etcd WAL.ReleaseLockTo). After a snapshot at index i is saved,
// entries up to i are no longer needed for recovery, so the segments holding only such entries
// can be unlocked, and then `purgeFiles` may remove them.

extension WriteAheadLog {
    /// Closes (and so unlocks) the locked segments wholly before the one that may still hold
    /// entries at or after `index`, exactly as etcd decides: find the first locked segment whose
    /// name index is ≥ `index`; keep the one just before it (it may hold entries up to
    /// `index - 1` and from `index` on) and everything after; release the rest. If no segment
    /// starts at or after `index`, every segment but the tail is released.
    ///
    /// Example (etcd's): holding segments starting at 1,2,3,4,5,6, `releaseLock(to: 4)` releases
    /// 1 and 2 and keeps 3; `releaseLock(to: 5)` releases 1, 2, 3 and keeps 4.
    ///
    /// The tail is never released. Close errors are ignored (the descriptor, and its lock, is
    /// gone either way on Linux). Returns the segments released, oldest first, for the log.
    @discardableResult
    public func releaseLock(to index: UInt64) -> [SegmentName] {
        let count = Self.locksToRelease(locks.map(\.name), to: index)
        guard count > 0 else { return [] }
        let released = locks[..<count]
        for segment in released { try? segment.file.close() }
        locks.removeFirst(count)
        return released.map(\.name)
    }

    /// How many of `locked` (oldest first) `releaseLock(to: index)` releases. Pure.
    public static func locksToRelease(_ locked: [SegmentName], to index: UInt64) -> Int {
        let keepFrom: Int
        if let firstAtOrAfter = locked.firstIndex(where: { $0.index >= index }) {
            keepFrom = firstAtOrAfter - 1
        } else {
            keepFrom = locked.count - 1
        }
        return max(keepFrom, 0)
    }
}
