// The `.snap` files of `member/snap` (etcd etcdserver/api/snap/snapshotter.go).
//
// A snapshot is saved as `%016x-%016x.snap` (term, index), holding a `SerializedSnapshot`. The
// server saves the `.snap` file first and the WAL's snapshot marker second (etcd's
// storage.SaveSnap), so a marker never points at a missing file; a file without a marker is
// harmless and skipped by `loadNewestAvailable`.
//
// Writing: in place, then fsync, as etcd does; a crash mid-write leaves a file that fails its
// checksum or its decoding, never one that loads. We also fsync the directory (etcd does not),
// so a synced `.snap` file cannot vanish after its WAL marker has been made durable.
//
// Loading: newest name first. A file whose bytes are bad is renamed `*.broken` (so it is never
// tried again, and an operator can inspect it) and the next older one is tried.

import EtcdIO
import Raft

/// Saves and loads raft snapshots in one directory. Cheap to copy; holds no open files.
public struct Snapshotter: Sendable {
    /// The suffix of snapshot files (etcd's snapSuffix).
    public static let fileSuffix = ".snap"
    /// The suffix a broken snapshot file is renamed with.
    public static let brokenSuffix = ".broken"
    /// Permissions of a new `.snap` file (etcd writes them 0666, before the umask).
    public static let filePermissions: UInt32 = 0o666

    public let fileSystem: any FileSystem
    /// The snapshot directory (`<data-dir>/member/snap`); must exist.
    public let directory: String

    public init(fileSystem: any FileSystem, directory: String) {
        self.fileSystem = fileSystem
        self.directory = directory
    }

    /// The file name etcd gives the snapshot at (`term`, `index`): `%016x-%016x.snap`.
    public static func fileName(term: UInt64, index: UInt64) -> String {
        SegmentName.hex16(term) + "-" + SegmentName.hex16(index) + fileSuffix
    }

    /// Writes `snapshot` to its file and makes it durable (file fsync, then directory fsync).
    /// An empty snapshot (index 0) is not saved, as in etcd. On failure the partial file is
    /// removed (best effort) and the error thrown. O(snapshot bytes).
    public func save(_ snapshot: Snapshot) throws(SnapshotError) {
        if snapshot.isEmpty { return }
        let path = directory + "/" + Self.fileName(term: snapshot.metadata.term, index: snapshot.metadata.index)
        let bytes = SerializedSnapshot(wrapping: snapshot).serializedBytes()
        let fileSystem = fileSystem
        let directory = directory
        do throws(IOError) {
            let file = try fileSystem.open(path, options: [.write, .create, .truncate], permissions: Self.filePermissions)
            do throws(IOError) {
                try WriteAheadLog.writeAll(bytes, to: file, at: 0)
                try file.sync()
            } catch {
                try? file.close()
                throw error
            }
            try file.close()
            try fileSystem.syncDirectory(directory)
        } catch {
            try? fileSystem.remove(path)
            throw .io(error)
        }
    }

    /// The newest snapshot that loads, or nil if there is none (etcd's Load; nil stands for
    /// ErrNoSnapshot). Broken files met on the way are renamed `*.broken` and reported to
    /// `reportBroken` (for the log). I/O errors are thrown, leaving files as they are.
    public func load(
        reportBroken: (_ path: String, _ error: SnapshotError) -> Void = { _, _ in }
    ) throws(SnapshotError) -> Snapshot? {
        try loadNewest(matching: { _ in true }, reportBroken: reportBroken)
    }

    /// The newest snapshot that loads and that the WAL has a marker for (etcd's
    /// LoadNewestAvailable): pass `WriteAheadLog.validSnapshotEntries`. A `.snap` written just
    /// before a crash that lost its WAL marker is skipped, so the WAL can be opened at the
    /// snapshot returned. Nil if none matches.
    public func loadNewestAvailable(
        walSnapshots: [WALSnapshot],
        reportBroken: (_ path: String, _ error: SnapshotError) -> Void = { _, _ in }
    ) throws(SnapshotError) -> Snapshot? {
        let markers = Set(walSnapshots)
        return try loadNewest(matching: { snapshot in
            markers.contains(WALSnapshot(index: snapshot.metadata.index, term: snapshot.metadata.term))
        }, reportBroken: reportBroken)
    }

    /// Reads and checks one `.snap` file (etcd's snap.Read).
    public static func read(fileSystem: any FileSystem, path: String) throws(SnapshotError) -> Snapshot {
        let bytes: [UInt8]
        do { bytes = try fileSystem.readFile(path) } catch { throw .io(error) }
        if bytes.isEmpty { throw .empty(path: path) }
        let envelope: SerializedSnapshot
        do { envelope = try SerializedSnapshot(serializedBytes: bytes) } catch {
            throw .undecodable(path: path, reason: "\(error)")
        }
        return try envelope.unwrapped(path: path)
    }

    /// The `.snap` names in the directory, newest (largest name) first. Leftover `db.tmp*` files
    /// of an interrupted defragmentation are removed on the way, as etcd does.
    public func snapshotNames() throws(SnapshotError) -> [String] {
        let fileSystem = fileSystem
        let directory = directory
        do {
            var names: [String] = []
            for name in try fileSystem.listDirectory(directory) {
                if name.hasPrefix("db.tmp") {
                    try fileSystem.remove(directory + "/" + name)
                } else if name.hasSuffix(Self.fileSuffix) {
                    names.append(name)
                }
            }
            return names.sorted { Array($1.utf8).lexicographicallyPrecedes($0.utf8) }
        } catch {
            throw .io(error)
        }
    }

    private func loadNewest(
        matching isWanted: (Snapshot) -> Bool, reportBroken: (String, SnapshotError) -> Void
    ) throws(SnapshotError) -> Snapshot? {
        for name in try snapshotNames() {
            let path = directory + "/" + name
            do {
                let snapshot = try Self.read(fileSystem: fileSystem, path: path)
                if isWanted(snapshot) { return snapshot }
            } catch where error.isBrokenFile {
                reportBroken(path, error)
                // Like etcd, a failed rename only leaves the file to be skipped again next time.
                try? fileSystem.rename(path, to: path + Self.brokenSuffix)
            }
        }
        return nil
    }
}
