import BoltStore
import EtcdIO
import MVCC
import Raft

/// Puts a leader's snapshot in place of this member's store (etcd's applySnapshot, backend
/// half): the db that came with it (`<snap dir>/<index>.snap.db`, already synced by the peer
/// server) is renamed over the backend file, reopened, and the key index rebuilt from it.
///
/// Runs on the apply thread with the store's write lock held, before any entry after the
/// snapshot applies. The received db may be ahead of the snapshot's index (the leader sends its
/// current backend); its consistent index says how far, and entries up to it are then skipped
/// as already applied, exactly as after a restart.
enum SnapshotInstaller {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Returns the installed backend's consistent index.
    static func install(_ snapshot: Snapshot, kv: KVState, snapshotDirectory: String,
                        fileSystem: any FileSystem) throws -> UInt64 {
        let index = snapshot.metadata.index
        let dbPath = snapshotDirectory + "/" + PeerServer.dbFileName(index)
        guard fileSystem.exists(dbPath) else {
            throw Failure(description: "the database of the snapshot at index \(index) is missing: \(dbPath)")
        }
        // Whatever the open batch holds is superseded by the snapshot.
        try kv.backend.commit()
        try fileSystem.rename(dbPath, to: kv.backendPath)
        try fileSystem.syncDirectory(parentDirectory(of: kv.backendPath))
        let old = kv.backend.database
        kv.backend.replaceDatabase(try Database.open(path: kv.backendPath, fileSystem: fileSystem))
        try old.close()
        kv.replaceStore(try KVStore.open(on: kv.backend))
        let consistentIndex = kv.backend.consistentIndex()
        guard consistentIndex >= index else {
            throw Failure(description: "the snapshot's database holds entries up to \(consistentIndex), before the snapshot's index \(index)")
        }
        return consistentIndex
    }

    /// etcd's `openSnapshotBackend` on start: when the raft snapshot the member restarts from
    /// is ahead of the backend (the raft thread recorded a leader's snapshot, and the process
    /// stopped before the apply thread put the db that came with it in place), that db, still
    /// waiting in `snapshotDirectory`, replaces the backend now. Without it the member would
    /// apply the entries after the snapshot to a store that lacks those before it.
    ///
    /// Returns the backend's consistent index afterwards (where the apply thread starts).
    /// Throws when the db is missing or behind the snapshot.
    static func recoverOnRestart(snapshotIndex: UInt64, storage: MemoryStorage, kv: KVState,
                                 snapshotDirectory: String, fileSystem: any FileSystem) throws -> UInt64 {
        let consistentIndex = kv.backend.consistentIndex()
        guard snapshotIndex > consistentIndex else { return consistentIndex }
        return try install(try storage.snapshot(), kv: kv, snapshotDirectory: snapshotDirectory, fileSystem: fileSystem)
    }
}
