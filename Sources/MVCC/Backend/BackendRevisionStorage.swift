import BoltStore
import EtcdProto

/// The `key` bucket as `KVStore` sees it: each record under its 17-byte revision key (18 with
/// etcd's `t` mark for a tombstone), its value an encoded `mvccpb.KeyValue`, exactly as etcd
/// stores them, so etcd's tools read our files and HashKV agrees with etcd's.
///
/// Writes go into the backend's open batch, which is committed on etcd's batch interval rather
/// than per write (the WAL makes writes durable). Until then the batch's records are also kept
/// here, in a read buffer (etcd's `txReadBuffer`): every read, the writer's and the event loops',
/// looks there first and then at the last commit, so readers see every applied write without
/// ever touching the writer's open transaction, and the commit itself can run while they read.
final class BackendRevisionStorage: RevisionStorage {
    let backend: Backend
    /// The record count once something asked for it, then kept up to date by `append` and
    /// `removeRevisions`. Not counted at open: that would walk the whole `key` bucket a second
    /// time at start-up, right before the restore walks it anyway, for a number only
    /// diagnostics read.
    private var knownCount: Int?

    /// Records appended since the last commit, by revision, and their order (revisions only
    /// grow, so `pendingOrder` is sorted). Bounded by the backend's batch limit.
    private var pending: [Revision: (kv: KeyValue, isTombstone: Bool)] = [:]
    private var pendingOrder: [Revision] = []
    /// Committed records the open batch removed (compaction), hidden from `forEachRecord`.
    private var pendingRemovals: Set<Revision> = []

    init(backend: Backend) {
        self.backend = backend
    }

    /// The number of records, the open batch's included. Writer only (it may read the batch).
    /// O(records) the first time, O(1) after.
    var count: Int {
        if let knownCount { return knownCount }
        let counted = readWriterView { tx in
            var records = 0
            keyBucket(of: tx).forEach { _ in records += 1 }
            return records
        }
        knownCount = counted
        return counted
    }

    func append(_ revision: Revision, _ kv: KeyValue, isTombstone: Bool) {
        var key = revision.bytes
        if isTombstone { key.append(KVStore.tombstoneMark) }
        let bucket = keyBucket(of: backend.writeTransaction())
        do {
            try bucket.put(key, kv.serializedBytes())
        } catch {
            fatalError("backend: cannot stage revision \(revision): \(error)")
        }
        backend.countChange()
        knownCount? += 1
        pending[revision] = (kv, isTombstone)
        pendingOrder.append(revision)
    }

    func value(at revision: Revision) -> KeyValue? {
        if let buffered = pending[revision] { return buffered.kv }
        return backend.withReadTransaction { tx in Self.value(at: revision, in: keyBucket(of: tx)) }
    }

    func values(at revisions: ArraySlice<Revision>) -> [KeyValue?] {
        if pending.isEmpty {
            return backend.withReadTransaction { tx in
                let bucket = keyBucket(of: tx)
                return revisions.map { Self.value(at: $0, in: bucket) }
            }
        }
        var found = revisions.map { pending[$0]?.kv }
        guard found.contains(where: { $0 == nil }) else { return found }
        backend.withReadTransaction { tx in
            let bucket = keyBucket(of: tx)
            for (offset, revision) in revisions.enumerated() where found[offset] == nil {
                found[offset] = Self.value(at: revision, in: bucket)
            }
        }
        return found
    }

    /// The committed records in order, then the buffered ones (all newer than any committed one).
    func forEachRecord(_ body: (Revision, KeyValue, _ isTombstone: Bool) -> Void) {
        backend.withReadTransaction { tx in
            keyBucket(of: tx).forEach { entry in
                guard let revision = Revision(bytes: entry.key) else { return }
                if !pendingRemovals.isEmpty && pendingRemovals.contains(revision) { return }
                // Between a commit and `batchCommitted` the batch is in both places: the buffer
                // pass below visits it.
                if !pending.isEmpty && pending[revision] != nil { return }
                let isTombstone = entry.key.count > Revision.encodedBytes && entry.key[Revision.encodedBytes] == KVStore.tombstoneMark
                body(revision, Self.decode(entry.value, at: revision), isTombstone)
            }
        }
        for revision in pendingOrder {
            guard let buffered = pending[revision] else { continue }
            body(revision, buffered.kv, buffered.isTombstone)
        }
    }

    func forEachRecord(mainRevisions: ClosedRange<Int64>, _ body: (Revision, KeyValue, _ isTombstone: Bool) -> Void) {
        backend.withReadTransaction { tx in
            var cursor = keyBucket(of: tx).cursor()
            var entry = Revision(main: mainRevisions.lowerBound).bytes.withUnsafeBytes { cursor.seekBorrowed($0) }
            while let current = entry {
                guard let revision = Revision(bytes: current.key), revision.main <= mainRevisions.upperBound else { break }
                let isSuperseded = (!pendingRemovals.isEmpty && pendingRemovals.contains(revision))
                    || (!pending.isEmpty && pending[revision] != nil)
                if !isSuperseded {
                    let isTombstone = current.key.count > Revision.encodedBytes
                        && current.key[Revision.encodedBytes] == KVStore.tombstoneMark
                    body(revision, Self.decode(current.value, at: revision), isTombstone)
                }
                entry = cursor.nextBorrowed()
            }
        }
        // The open batch holds the newest records, after every committed one.
        for revision in pendingOrder where mainRevisions.contains(revision.main) {
            guard let buffered = pending[revision] else { continue }
            body(revision, buffered.kv, buffered.isTombstone)
        }
    }

    func batchCommitted() {
        pending.removeAll(keepingCapacity: true)
        pendingOrder.removeAll(keepingCapacity: true)
        pendingRemovals.removeAll()
    }

    func removeRevisions(through main: Int64, keeping: Set<Revision>, after resumeAfter: Revision?,
                         limit: Int) -> Revision? {
        var lastSeen: Revision?
        // The writer scans its own open batch: it holds both committed and buffered records.
        let victims: [[UInt8]] = readWriterView { tx in
            var found: [[UInt8]] = []
            var cursor = keyBucket(of: tx).cursor()
            var entry: BorrowedEntry?
            if let resumeAfter {
                entry = resumeAfter.bytes.withUnsafeBytes { cursor.seekBorrowed($0) }
                // Skip the record itself (a kept one stays; a removed one is gone already).
                if let current = entry, let revision = Revision(bytes: current.key), revision == resumeAfter {
                    entry = cursor.nextBorrowed()
                }
            } else {
                entry = cursor.firstBorrowed()
            }
            while let current = entry, found.count < limit {
                guard let revision = Revision(bytes: current.key), revision.main <= main else { break }
                lastSeen = revision
                if !keeping.contains(revision) { found.append(Array(current.key)) }
                entry = cursor.nextBorrowed()
            }
            return found
        }
        if !victims.isEmpty {
            let bucket = keyBucket(of: backend.writeTransaction())
            for key in victims {
                do { try bucket.delete(key) } catch { fatalError("backend: cannot delete a compacted record: \(error)") }
                backend.countChange()
                guard let revision = Revision(bytes: key) else { continue }
                if pending.removeValue(forKey: revision) == nil { pendingRemovals.insert(revision) }
            }
            knownCount? -= victims.count
        }
        return victims.count < limit ? nil : lastSeen
    }

    func compactionScheduled(at revision: Int64) {
        putMeta(Backend.MetaKey.scheduledCompactRevision, Revision(main: revision).bytes)
    }

    func compactionFinished(at revision: Int64) {
        putMeta(Backend.MetaKey.finishedCompactRevision, Revision(main: revision).bytes)
    }

    /// The compaction revisions the `meta` bucket records (nil when none was ever scheduled).
    func compactionRevisions() -> (scheduled: Int64?, finished: Int64?) {
        readWriterView { tx in
            let meta = tx.bucket(named: Backend.BucketName.meta)
            let scheduled = meta?.get(Backend.MetaKey.scheduledCompactRevision).flatMap { Revision(bytes: $0)?.main }
            let finished = meta?.get(Backend.MetaKey.finishedCompactRevision).flatMap { Revision(bytes: $0)?.main }
            return (scheduled, finished)
        }
    }

    // MARK: -

    /// Runs `body` on the open batch if there is one, else on a read snapshot of the last commit.
    /// Writer only: readers on other threads must never touch the open batch.
    private func readWriterView<T>(_ body: (Transaction) -> T) -> T {
        if backend.hasOpenBatch { return body(backend.writeTransaction()) }
        return backend.withReadTransaction(body)
    }

    private func putMeta(_ key: [UInt8], _ value: [UInt8]) {
        guard let meta = backend.writeTransaction().bucket(named: Backend.BucketName.meta) else {
            preconditionFailure("backend has no meta bucket")
        }
        do { try meta.put(key, value) } catch { fatalError("backend: cannot write meta \(key): \(error)") }
        backend.countChange()
    }

    private func keyBucket(of tx: Transaction) -> Bucket {
        guard let bucket = tx.bucket(named: Backend.BucketName.key) else {
            preconditionFailure("backend has no key bucket")
        }
        return bucket
    }

    private static func value(at revision: Revision, in bucket: Bucket) -> KeyValue? {
        let key = revision.bytes
        let value = key.withUnsafeBytes { bucket.getBorrowed($0) }
        return value.map { decode($0, at: revision) }
    }

    /// Decodes a stored KeyValue. The file passed bbolt's checksums on open, so an undecodable
    /// record is corruption: refuse to serve it rather than guess.
    private static func decode(_ bytes: UnsafeRawBufferPointer, at revision: Revision) -> KeyValue {
        do {
            return try KeyValue(serializedBytes: bytes)
        } catch {
            fatalError("backend: record at revision \(revision) does not decode as a KeyValue: \(error)")
        }
    }
}
