// Removing old WAL segments and snapshot files (etcd pkg/fileutil/purge.go). etcd runs this for
// `member/wal` (suffix "wal", --max-wals) and `member/snap` (suffix "snap", --max-snapshots)
// every `purgeIntervalSeconds`.
//
// Safety comes from the locks, not the count: a segment the WAL may still need is flock'ed by
// it (`WriteAheadLog.releaseLock(to:)` unlocks the ones a snapshot made unnecessary), and a file
// is removed only while this function holds its lock. Files go oldest first, and the first one
// that cannot be locked ends the round, so the survivors always form a contiguous newest run.

import EtcdIO

/// etcd's --max-wals default: WAL segments kept (0 keeps all).
public let maxWALFilesDefault = 5
/// etcd's --max-snapshots default: `.snap` files kept (0 keeps all).
public let maxSnapshotFilesDefault = 5
/// How often etcd's purge loop runs (purgeFileInterval), in seconds.
public let purgeIntervalSeconds = 30

/// The names `purgeFiles` would try to remove, oldest first: among `names` ending in `suffix`,
/// sorted by their bytes, all but the newest `keep`. `keep == 0` keeps everything (etcd's
/// flags treat 0 as unlimited). Pure.
public func purgeCandidates(names: [String], suffix: String, keep: Int) -> [String] {
    precondition(keep >= 0, "purge keep count \(keep)")
    guard keep > 0 else { return [] }
    let matching = names.filter { $0.hasSuffix(suffix) }
        .sorted { Array($0.utf8).lexicographicallyPrecedes($1.utf8) }
    return Array(matching.dropLast(keep))
}

/// Removes the oldest files in `directory` ending in `suffix` beyond the newest `keep`, each only
/// while holding its exclusive lock; stops at the first one that cannot be opened and locked
/// (the WAL still holds it). Returns the names removed, oldest first, for the log. Throws if a
/// locked file cannot be removed (files removed before that stay removed).
@discardableResult
public func purgeFiles(fileSystem: any FileSystem, directory: String, suffix: String, keep: Int) throws(IOError) -> [String] {
    let candidates = purgeCandidates(names: try fileSystem.listDirectory(directory), suffix: suffix, keep: keep)
    var removed: [String] = []
    for name in candidates {
        let path = directory + "/" + name
        let file: any File
        do {
            file = try fileSystem.open(path, options: .read, permissions: 0o600)
        } catch {
            break
        }
        do {
            try file.lockExclusive()
        } catch {
            try? file.close()
            break
        }
        do {
            try fileSystem.remove(path)
        } catch {
            try? file.close()
            throw error
        }
        try file.close()
        removed.append(name)
    }
    return removed
}
