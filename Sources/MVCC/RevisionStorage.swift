import EtcdProto

/// Where `KVStore` keeps the key-value written at each revision: etcd's `key` bucket, whose keys
/// are revisions and whose values are `mvccpb.KeyValue`s. The tree index says which revision
/// holds a key's value; this says what that value is.
///
/// The seam the bbolt backend plugs into: `MemoryRevisionStorage` holds everything in memory.
/// Implementations are classes: the store holds one and mutates it only from its single writer.
protocol RevisionStorage: AnyObject {
    /// Stores the record of a change. Revisions arrive in increasing order.
    func append(_ revision: Revision, _ kv: KeyValue, isTombstone: Bool)
    /// The key-value stored at `revision`, or nil if there is none (never written, or compacted).
    func value(at revision: Revision) -> KeyValue?
    /// Removes at most `limit` records whose main revision is `<= main`, that are not in
    /// `keeping` and come after `resumeAfter` (nil: from the start). Returns the last revision
    /// looked at, to resume from, or nil when none is left: compaction in bounded steps.
    func removeRevisions(through main: Int64, keeping: Set<Revision>, after resumeAfter: Revision?,
                         limit: Int) -> Revision?
    /// The number of records held.
    var count: Int { get }
    /// The values at `revisions`, in order (one snapshot for all of them).
    func values(at revisions: ArraySlice<Revision>) -> [KeyValue?]
    /// Records, durably with the next commit, that a compaction at `revision` has begun (before
    /// any record is removed) / has removed everything it will.
    func compactionScheduled(at revision: Int64)
    func compactionFinished(at revision: Int64)
    /// Visits every stored record in revision order (the order of etcd's `key` bucket).
    func forEachRecord(_ body: (Revision, KeyValue, _ isTombstone: Bool) -> Void)
    /// The records whose main revision is in `mainRevisions`, in revision order (a watcher's
    /// history).
    func forEachRecord(mainRevisions: ClosedRange<Int64>, _ body: (Revision, KeyValue, _ isTombstone: Bool) -> Void)
    /// The backend committed everything written so far: buffered copies can go.
    func batchCommitted()
}

/// Records in revision order in one array: appends are O(1) (revisions only grow), lookups are a
/// binary search, compaction rewrites the array once.
final class MemoryRevisionStorage: RevisionStorage {
    private struct Record {
        var revision: Revision
        var kv: KeyValue
        var isTombstone: Bool
    }

    /// Invariant: sorted by `revision`, no duplicates.
    private var records: [Record] = []

    /// The number of records held (tests use it to see compaction free space).
    var count: Int { records.count }

    func batchCommitted() {}

    func append(_ revision: Revision, _ kv: KeyValue, isTombstone: Bool) {
        precondition(records.last.map { $0.revision < revision } ?? true,
                     "revision \(revision) appended out of order")
        records.append(Record(revision: revision, kv: kv, isTombstone: isTombstone))
    }

    func value(at revision: Revision) -> KeyValue? {
        var low = 0
        var high = records.count
        while low < high {
            let mid = (low + high) / 2
            if records[mid].revision < revision { low = mid + 1 } else { high = mid }
        }
        guard low < records.count, records[low].revision == revision else { return nil }
        return records[low].kv
    }

    func values(at revisions: ArraySlice<Revision>) -> [KeyValue?] {
        revisions.map { value(at: $0) }
    }

    func compactionScheduled(at revision: Int64) {}
    func compactionFinished(at revision: Int64) {}

    func forEachRecord(_ body: (Revision, KeyValue, _ isTombstone: Bool) -> Void) {
        for record in records { body(record.revision, record.kv, record.isTombstone) }
    }

    func forEachRecord(mainRevisions: ClosedRange<Int64>, _ body: (Revision, KeyValue, _ isTombstone: Bool) -> Void) {
        let first = Revision(main: mainRevisions.lowerBound)
        var low = 0
        var high = records.count
        while low < high {
            let mid = (low + high) / 2
            if records[mid].revision < first { low = mid + 1 } else { high = mid }
        }
        for record in records[low...] {
            guard record.revision.main <= mainRevisions.upperBound else { break }
            body(record.revision, record.kv, record.isTombstone)
        }
    }

    func removeRevisions(through main: Int64, keeping: Set<Revision>, after resumeAfter: Revision?,
                         limit: Int) -> Revision? {
        var removed = 0
        var last: Revision?
        records.removeAll { record in
            guard removed < limit, record.revision.main <= main,
                  resumeAfter.map({ record.revision > $0 }) ?? true else { return false }
            last = record.revision
            guard !keeping.contains(record.revision) else { return false }
            removed += 1
            return true
        }
        return removed < limit ? nil : last
    }
}
