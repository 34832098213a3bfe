import BoltStore
import EtcdBasics

/// etcd's backend: the bbolt-format file under MVCC (`member/snap/db`), with etcd's schema, and
/// the batch write transaction every change goes into until `commit`.
///
/// Threads: the apply thread owns the write side (`writeTransaction`, `commit`); readers call
/// `withReadTransaction` from any thread, each getting its own read-only snapshot. The caller's
/// store lock keeps readers and the writer apart in time, so a reader never observes a batch
/// half-applied (see `KVState` in EtcdServer).
public final class Backend: @unchecked Sendable {
    // @unchecked: `batch` is touched only by the single writer (the apply thread), while the
    // server's store lock excludes readers; `database` is thread-safe.

    /// etcd's bucket names (mvcc/kvstore.go, etcdserver/api/membership, lease, auth, alarm).
    public enum BucketName {
        public static let key = Array("key".utf8)
        public static let meta = Array("meta".utf8)
        public static let lease = Array("lease".utf8)
        public static let alarm = Array("alarm".utf8)
        public static let members = Array("members".utf8)
        public static let membersRemoved = Array("members_removed".utf8)
        public static let cluster = Array("cluster".utf8)
        /// Buckets a fresh etcd member creates; present so etcd's tools find the layout they expect.
        static let created: [[UInt8]] = [key, meta, lease, alarm, members, membersRemoved, cluster]
    }

    /// Keys in the `meta` bucket.
    public enum MetaKey {
        /// The revision a compaction was asked for (written before any record is removed).
        public static let scheduledCompactRevision = Array("scheduledCompactRev".utf8)
        /// The revision of the last compaction that finished removing records.
        public static let finishedCompactRevision = Array("finishedCompactRev".utf8)
        /// The raft index of the last entry whose effects the file holds (8 bytes, big-endian).
        public static let consistentIndex = Array("consistent_index".utf8)
    }

    /// The open file. Replaced only by `replaceDatabase` (defragmentation), by the writer, while
    /// the store lock keeps readers out.
    public private(set) var database: Database
    /// The open batch: changes since the last commit. Nil between batches.
    private var batch: Transaction?
    /// Changes in the open batch (etcd's `--backend-batch-limit` counts these).
    public private(set) var pendingChanges = 0

    /// Takes over an open database file (the caller opened it, choosing the file system) and
    /// makes sure etcd's buckets exist.
    public init(database: Database) throws(BoltError) {
        self.database = database
        let tx = try database.beginWrite()
        do {
            for name in BucketName.created { _ = try tx.createBucketIfNotExists(named: name) }
        } catch {
            tx.rollback()
            throw error
        }
        try tx.commit()
    }

    /// Dropping a backend discards its uncommitted batch (as a crash would).
    deinit {
        batch?.rollback()
    }

    /// The open batch transaction (opened on first use). Apply thread only.
    public func writeTransaction() -> Transaction {
        if let batch { return batch }
        do {
            let tx = try database.beginWrite()
            batch = tx
            return tx
        } catch {
            // The database refuses new writes only after a failed commit or once closed: both
            // mean this process can no longer make changes durable, and etcd stops there too.
            fatalError("backend: cannot begin a write transaction: \(error)")
        }
    }

    /// Whether a batch is open (the writer's reads go to it, so they see its own changes).
    public var hasOpenBatch: Bool { batch != nil }

    /// Notes one change in the open batch (for the batch limit).
    func countChange() { pendingChanges += 1 }

    /// The consistent index the file records (0 for a new file).
    public func consistentIndex() -> UInt64 {
        withReadTransaction { tx in
            guard let bytes = tx.bucket(named: BucketName.meta)?.get(MetaKey.consistentIndex), bytes.count == 8 else { return 0 }
            return bytes.reduce(0) { $0 << 8 | UInt64($1) }
        }
    }

    /// Records `index` as the consistent index in the open batch, so it becomes durable with
    /// the effects of the entries up to it (etcd's `saveIndex`: replaying the log after a crash
    /// then skips what the file already holds). Writer only.
    public func setConsistentIndex(_ index: UInt64) {
        guard let meta = writeTransaction().bucket(named: BucketName.meta) else {
            preconditionFailure("backend has no meta bucket")
        }
        let bytes = (0..<8).map { UInt8(truncatingIfNeeded: index >> (56 - 8 * UInt64($0))) }
        do { try meta.put(MetaKey.consistentIndex, bytes) } catch { fatalError("backend: cannot write the consistent index: \(error)") }
    }

    /// Commits the open batch: dirty pages, fdatasync, meta page, fdatasync. When this returns
    /// every change made so far is durable. Apply thread only.
    public func commit() throws(BoltError) {
        guard let tx = batch else { return }
        batch = nil
        pendingChanges = 0
        try tx.commit()
    }

    /// Runs `body` on a read-only snapshot of the last committed state.
    public func withReadTransaction<T>(_ body: (Transaction) -> T) -> T {
        let tx: Transaction
        do {
            tx = try database.beginRead()
        } catch {
            fatalError("backend: cannot begin a read transaction: \(error)")
        }
        defer { tx.rollback() }
        return body(tx)
    }

    /// etcd's `dbSize`: the database's high-water mark (pages ever allocated × page size), which
    /// is what etcd reports and what a snapshot of it measures; the file itself may be larger,
    /// since it grows in steps.
    public var sizeBytes: Int64 { database.size }
    /// Bytes of pages in use, not free (etcd's `dbSizeInUse`).
    public var inUseBytes: Int64 { database.inUseBytes }

    /// Swaps in a new file with the same contents (after defragmentation copied the data into
    /// it and renamed it over the old one). Writer only, with no batch open. The old database
    /// stays usable by read transactions that are still open on it (they hold it).
    public func replaceDatabase(_ newDatabase: Database) {
        precondition(batch == nil, "replaceDatabase with a batch open")
        database = newDatabase
    }

    /// Commits anything pending and closes the file.
    public func close() throws(BoltError) {
        try commit()
        try database.close()
    }
}

extension Backend {
    /// Keys left out of `hash` because they legitimately differ between members holding the same
    /// data (etcd's `DefaultIgnores`).
    static let hashIgnoredMetaKeys: Set<[UInt8]> = [MetaKey.consistentIndex]

    /// Maintenance.Hash: a CRC-32C over every bucket's name, keys and values in order, as etcd's
    /// `backend.Hash(DefaultIgnores)` computes it, over the last committed state. O(file).
    public func hash() -> UInt32 {
        withReadTransaction { tx in
            var crc: UInt32 = 0
            for name in tx.bucketNames() {
                guard let bucket = tx.bucket(named: name) else { continue }
                crc = CRC32C.update(crc, name)
                bucket.forEach { entry in
                    if name == BucketName.meta && Self.hashIgnoredMetaKeys.contains(Array(entry.key)) { return }
                    crc = CRC32C.update(crc, entry.key)
                    crc = CRC32C.update(crc, entry.value)
                }
            }
            return crc
        }
    }
}
