import BoltStore
import EtcdIO
import MVCC

/// Maintenance.Defragment: rewrite the backend into a fresh file holding only live pages, then
/// put it in place of the old one, as etcd does (copy to `db.tmp`, rename over `db`, reopen).
///
/// Runs on the apply thread holding the store's write lock, so reads and writes wait for it (as
/// they do in etcd, which takes all its backend locks for the duration). A failure before the
/// rename leaves the old file in use and untouched.
enum Defragmenter {
    static func defragment(_ backend: Backend, path: String, fileSystem: any FileSystem) throws {
        try backend.commit()
        let temporaryPath = path + ".tmp"
        if fileSystem.exists(temporaryPath) { try fileSystem.remove(temporaryPath) }
        let copy = try Database.open(path: temporaryPath, fileSystem: fileSystem)
        do {
            try backend.database.compact(into: copy)
            try copy.close()
        } catch {
            try? copy.close()
            try? fileSystem.remove(temporaryPath)
            throw error
        }
        // Rename first: until the new name is durable the old file stays the one in use, so a
        // failure (or a crash) here leaves a working backend either way.
        try fileSystem.rename(temporaryPath, to: path)
        try fileSystem.syncDirectory(parentDirectory(of: path))
        let old = backend.database
        backend.replaceDatabase(try Database.open(path: path, fileSystem: fileSystem))
        try old.close()
    }
}
