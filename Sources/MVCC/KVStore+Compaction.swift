extension KVStore {
    /// Records one compaction step removes (etcd's `--experimental-compaction-batch-limit`):
    /// the server removes this many, commits, and lets waiting writes in before the next step.
    public static let compactionBatchRecordsMax = 1000

    /// Discards history before `revision`: afterwards reads below `revision` fail with
    /// `.compacted`, and every key keeps only the newest value it had at or before `revision`
    /// (or nothing, if it was deleted by then). etcd's `Compact`.
    ///
    /// Throws `.compacted` when `revision` is not above the last compacted revision and
    /// `.futureRevision` when it is above the current revision; the store is unchanged then.
    /// Both halves (logical, then every record) are done when this returns: etcd's physical
    /// compaction. O(keys log keys + records).
    public func compact(_ revision: Int64) throws(MVCCError) {
        try compactLogically(revision)
        while !continueCompaction(recordsMax: .max) {}
    }

    /// The logical half of `compact`: the index drops history below `revision` and reads below it
    /// fail from now on; the records are removed by later `continueCompaction` calls, a bounded
    /// number at a time, so a large compaction never holds up writes for long (etcd's compaction
    /// batches, `--experimental-compaction-batch-limit`). Reads at or above `revision` never need
    /// a record that is still waiting to go. A compaction still in progress is finished first.
    public func compactLogically(_ revision: Int64) throws(MVCCError) {
        precondition(!isWriting, "compact inside a write transaction")
        if revision <= compactedRevision { throw .compacted }
        if revision > currentRevision { throw .futureRevision }
        while !continueCompaction(recordsMax: .max) {}
        storage.compactionScheduled(at: revision)
        compactedRevision = revision
        pendingCompaction = PendingCompaction(revision: revision, keep: index.compact(atRevision: revision))
    }

    /// Removes up to `recordsMax` records of the compaction in progress; true when none is in
    /// progress any more (its completion is then recorded in the backend).
    public func continueCompaction(recordsMax: Int) -> Bool {
        guard var job = pendingCompaction else { return true }
        job.resumeAfter = storage.removeRevisions(through: job.revision, keeping: job.keep,
                                                  after: job.resumeAfter, limit: recordsMax)
        guard job.resumeAfter == nil else {
            pendingCompaction = job
            return false
        }
        pendingCompaction = nil
        storage.compactionFinished(at: job.revision)
        return true
    }

    /// Whether records of a finished logical compaction are still being removed.
    public var isCompacting: Bool { pendingCompaction != nil }
}
