extension KVStore {
    /// Discards history before `revision`: afterwards reads below `revision` fail with
    /// `.compacted`, and every key keeps only the newest value it had at or before `revision`
    /// (or nothing, if it was deleted by then). etcd's `Compact`.
    ///
    /// Throws `.compacted` when `revision` is not above the last compacted revision and
    /// `.futureRevision` when it is above the current revision; the store is unchanged then.
    /// In memory the index and the records are compacted at once, so there is no difference
    /// between etcd's logical and physical compaction: both are done when this returns.
    /// O(keys log keys + records).
    public func compact(_ revision: Int64) throws(MVCCError) {
        precondition(!isWriting, "compact inside a write transaction")
        if revision <= compactedRevision { throw .compacted }
        if revision > currentRevision { throw .futureRevision }
        storage.compactionScheduled(at: revision)
        compactedRevision = revision
        let keep = index.compact(atRevision: revision)
        storage.removeRevisions(through: revision, keeping: keep)
        storage.compactionFinished(at: revision)
    }
}
