import BoltStore
import EtcdProto

/// The `key` bucket as `KVStore` sees it: each record under its 17-byte revision key (18 with
/// etcd's `t` mark for a tombstone), its value an encoded `mvccpb.KeyValue`, exactly as etcd
/// stores them, so etcd's tools read our files and HashKV agrees with etcd's.
///
/// Writes go into the backend's open batch; reads made by the writer while a batch is open see
/// the batch (a txn reads its own writes, later txns of the batch read earlier ones); other reads
/// see the last commit.
final class BackendRevisionStorage: RevisionStorage {
    let backend: Backend
    private(set) var count: Int

    init(backend: Backend) {
        self.backend = backend
        count = backend.withReadTransaction { tx in
            var records = 0
            tx.bucket(named: Backend.BucketName.key)?.forEach { _ in records += 1 }
            return records
        }
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
        count += 1
    }

    func value(at revision: Revision) -> KeyValue? {
        read { tx in Self.value(at: revision, in: keyBucket(of: tx)) }
    }

    func values(at revisions: ArraySlice<Revision>) -> [KeyValue?] {
        read { tx in
            let bucket = keyBucket(of: tx)
            return revisions.map { Self.value(at: $0, in: bucket) }
        }
    }

    func forEachRecord(_ body: (Revision, KeyValue, _ isTombstone: Bool) -> Void) {
        read { tx in
            keyBucket(of: tx).forEach { entry in
                guard let revision = Revision(bytes: entry.key) else { return }
                let isTombstone = entry.key.count > Revision.encodedBytes && entry.key[Revision.encodedBytes] == KVStore.tombstoneMark
                body(revision, Self.decode(entry.value, at: revision), isTombstone)
            }
        }
    }

    func removeRevisions(through main: Int64, keeping: Set<Revision>, after resumeAfter: Revision?,
                         limit: Int) -> Revision? {
        var lastSeen: Revision?
        let victims: [[UInt8]] = read { tx in
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
            }
            count -= victims.count
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
        read { tx in
            let meta = tx.bucket(named: Backend.BucketName.meta)
            let scheduled = meta?.get(Backend.MetaKey.scheduledCompactRevision).flatMap { Revision(bytes: $0)?.main }
            let finished = meta?.get(Backend.MetaKey.finishedCompactRevision).flatMap { Revision(bytes: $0)?.main }
            return (scheduled, finished)
        }
    }

    // MARK: -

    /// Runs `body` on the open batch if there is one (the writer reading its own changes), else
    /// on a read snapshot of the last commit.
    private func read<T>(_ body: (Transaction) -> T) -> T {
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
