import MVCC
import Synchronization

/// The MVCC store and the lock that guards it.
///
/// Readers (event loops serving Range) take the lock shared; the apply thread takes it
/// exclusively for each batch of writes.
final class KVState: @unchecked Sendable {
    // @unchecked: `store` is only touched inside `lock`, which every caller takes
    // (withReadLock for reads, withWriteLock for writes).
    let lock = ReadWriteLock()
    private(set) var store: KVStore
    /// The bbolt file the store lives in; the apply thread commits it after every batch.
    let backend: Backend
    /// Where the backend file is (`<data-dir>/member/snap/db`), for defragmentation.
    let backendPath: String
    /// Raised alarms (NOSPACE, CORRUPT), persisted in the backend.
    let alarms: AlarmStore
    /// The raft index of the last entry the apply thread applied (it starts at the backend's
    /// consistent index). Status reports it; loops compare it with the commit index.
    let appliedIndex: Atomic<UInt64>

    /// Puts a store rebuilt from a new backend file in place (a leader's snapshot). Caller
    /// holds the write lock.
    func replaceStore(_ newStore: KVStore) {
        store = newStore
    }

    init(store: KVStore, backend: Backend, backendPath: String, appliedIndex: UInt64) {
        self.store = store
        self.backend = backend
        self.backendPath = backendPath
        self.alarms = AlarmStore(backend: backend)
        self.appliedIndex = Atomic(appliedIndex)
    }
}
