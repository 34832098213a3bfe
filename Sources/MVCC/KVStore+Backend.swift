import BoltStore

/// Opening the store on etcd's backend file.
extension KVStore {
    /// The store kept in `backend`'s `key` bucket: the key index is rebuilt from the records
    /// (etcd's restore), the compacted revision comes from the `meta` bucket, and a compaction
    /// that was scheduled but did not finish (the process died while removing records) is run
    /// again and committed before this returns. O(records log keys).
    public static func open(on backend: Backend) throws(BoltError) -> KVStore {
        let storage = BackendRevisionStorage(backend: backend)
        let recorded = storage.compactionRevisions()
        let finished = recorded.finished ?? -1
        let store = KVStore(restoringFrom: storage, compactedRevision: finished)
        if let scheduled = recorded.scheduled, scheduled > finished {
            // A compaction is only ever scheduled at or below the revision of the time, so the
            // store had reached `scheduled` even if the removal steps already committed took
            // every record at and after it (a key deleted at `scheduled`): counting on from the
            // newest record left would reuse revisions and refuse the compaction as "future".
            store.currentRevision = max(store.currentRevision, scheduled)
            do throws(MVCCError) {
                try store.compact(scheduled)
            } catch {
                preconditionFailure("resuming the compaction at \(scheduled) failed: \(error)")
            }
            try backend.commit()
        }
        return store
    }
}
