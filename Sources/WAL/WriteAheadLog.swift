// The log itself (etcd wal/wal.go): a directory of segments, appended to by the raft thread.
//
// Layout of every segment: a crc record (the chain so far), a metadata record, then — in every
// segment but the first — a state record with the hard state at the cut; then entry, state and
// snapshot records in the order they were saved. A new log's first segment also holds an empty
// snapshot marker, so a member that never took a snapshot starts reading at (0, 0).
//
// Durability: `save` writes one batch (entries, then the hard state) and fdatasyncs once when
// the batch must be durable (raft's mustSync), so a raft Ready costs at most one sync. Bytes are
// durable only after a synced `save`, `sync`, `saveSnapshot`, a cut, or `close` returns.
//
// Locks: the log holds an exclusive flock on every segment it may still need (from the one with
// the snapshot marker it opened at, to the tail), so a second server on the same directory
// fails to open it and `purgeFiles` skips those segments; `releaseLock(to:)` lets go of the
// segments a newer snapshot made unnecessary.

import EtcdBasics
import EtcdIO
import Glibc
import ProtoWire
import Raft

/// What recovery read back from the log.
public struct WALContents: Sendable, Equatable {
    /// The metadata record (the same in every segment).
    public var metadata: [UInt8]
    /// The last hard state saved (empty if none was).
    public var hardState: HardState
    /// The entries after the snapshot, with later writes of an index replacing earlier ones.
    public var entries: [Entry]
}

/// An open write-ahead log. Owned by one thread (the raft thread); not shareable.
///
/// After any method throws, the in-memory state may be ahead of the disk: close the log and
/// open it again (recovery cuts whatever was not completed), as etcd stops on a WAL error.
public final class WriteAheadLog {
    /// Segment size at which the log cuts a new segment; segments are preallocated to it
    /// (etcd's SegmentSizeBytes, 64 × 10⁶ bytes).
    public static let segmentBytesDefault: Int64 = 64 * 1000 * 1000
    /// Permissions of segment files and the directory (etcd's PrivateFileMode / PrivateDirMode).
    static let filePermissions: UInt32 = 0o600
    static let directoryPermissions: UInt32 = 0o700

    let fileSystem: any FileSystem
    let directory: String
    /// This log's segment size (`segmentBytesDefault` except in tests, which keep files small).
    let segmentBytes: Int64
    let metadata: [UInt8]
    var encoder: RecordEncoder
    /// The segments this log holds an exclusive flock on, oldest first; the last is the tail,
    /// open for appending. Invariant: never empty until `close`; names consecutive.
    /// `releaseLock(to:)` closes (and so unlocks) the ones a snapshot made unnecessary, which
    /// lets `purgeFiles` remove them.
    var locks: [LockedSegment]
    /// Where the next frame goes in `tail`. Invariant: frame-aligned (a multiple of 8).
    var tailOffset: Int64
    /// The last hard state saved; repeated at the head of each new segment.
    var hardState: HardState
    /// The index of the last entry saved (or of the snapshot marker, if later).
    public private(set) var lastIndex: UInt64
    /// Frames of the batch being built; kept to reuse its capacity.
    var batch: [UInt8] = []

    /// A segment and the open, flock-holding handle on it.
    struct LockedSegment {
        var name: SegmentName
        var file: any File
    }

    /// The segment being appended to.
    var tail: any File { locks[locks.count - 1].file }
    var tailName: SegmentName { locks[locks.count - 1].name }

    /// The segments this log still holds locked, oldest first (the last is the tail).
    public var lockedSegments: [SegmentName] { locks.map(\.name) }

    init(fileSystem: any FileSystem, directory: String, segmentBytes: Int64, metadata: [UInt8], encoder: RecordEncoder,
         locks: [LockedSegment], tailOffset: Int64, hardState: HardState, lastIndex: UInt64) {
        precondition(!locks.isEmpty, "a WAL holds at least its tail segment")
        self.fileSystem = fileSystem
        self.directory = directory
        self.segmentBytes = segmentBytes
        self.metadata = metadata
        self.encoder = encoder
        self.locks = locks
        self.tailOffset = tailOffset
        self.hardState = hardState
        self.lastIndex = lastIndex
    }

    /// Set by `close`, so `deinit` does not close the files a second time.
    var isClosed = false

    deinit {
        if !isClosed { for segment in locks { try? segment.file.close() } }
    }

    /// Creates a new log in `directory` (which must not hold one): the first segment is built
    /// in `directory.tmp`, synced, and renamed into place, so a crash leaves either no log or a
    /// complete one.
    public static func create(
        fileSystem: any FileSystem, directory: String, metadata: [UInt8], segmentBytes: Int64 = segmentBytesDefault
    ) throws(WALError) -> WriteAheadLog {
        if fileSystem.exists(directory) {
            let names = try wrap { () throws(IOError) in try fileSystem.listDirectory(directory) }
            if !(try SegmentName.segments(in: names)).isEmpty { throw .inconsistent("wal directory \(directory) already exists") }
        }
        let temporary = directory + ".tmp"
        let name = SegmentName(sequence: 0, index: 0)
        var encoder = RecordEncoder()
        var frames: [UInt8] = []
        encoder.appendCRC(to: &frames)
        encoder.append(.metadata, data: metadata, to: &frames)
        encoder.append(.snapshot, data: WALSnapshot().serializedBytes(), to: &frames)
        let offset = Int64(frames.count)
        try wrap { () throws(IOError) in
            if fileSystem.exists(temporary) {
                for leftover in try fileSystem.listDirectory(temporary) { try fileSystem.remove(temporary + "/" + leftover) }
            }
            try fileSystem.createDirectory(temporary, permissions: directoryPermissions)
            let file = try fileSystem.open(temporary + "/" + name.fileName, options: [.readWrite, .create, .exclusive],
                                           permissions: filePermissions)
            try file.preallocate(size: segmentBytes)
            try writeAll(frames, to: file, at: 0)
            try file.dataSync()
            try file.close()
            try fileSystem.syncDirectory(temporary)
            if fileSystem.exists(directory) { try fileSystem.remove(directory) }
            try fileSystem.rename(temporary, to: directory)
            try fileSystem.syncDirectory(parentDirectory(of: directory))
        }
        let tail = try lockSegment(fileSystem: fileSystem, path: directory + "/" + name.fileName)
        return WriteAheadLog(fileSystem: fileSystem, directory: directory, segmentBytes: segmentBytes, metadata: metadata, encoder: encoder,
                             locks: [LockedSegment(name: name, file: tail)], tailOffset: offset, hardState: HardState(),
                             lastIndex: 0)
    }

    /// Appends `entries` and then `hardState` (skipped when empty), fdatasyncing once if
    /// `mustSync` (raft's Ready.mustSync: new entries, or a changed term or vote); cuts a new
    /// segment when the tail reaches `segmentBytes` (a cut always syncs). Nothing to save is a
    /// no-op that touches no file. Without a sync the records are written but not yet durable;
    /// the next synced save, `sync` or `close` makes them so.
    /// Precondition: entries are consecutive.
    public func save(hardState: HardState, entries: [Entry], mustSync: Bool) throws(WALError) {
        if hardState.isEmpty && entries.isEmpty { return }
        batch.removeAll(keepingCapacity: true)
        for (entry, next) in zip(entries, entries.dropFirst()) {
            precondition(next.index == entry.index + 1, "WAL save: entries are not consecutive")
        }
        for entry in entries {
            encoder.append(.entry, data: entry.serializedBytes(), to: &batch)
        }
        if let last = entries.last { lastIndex = last.index }
        if !hardState.isEmpty {
            encoder.append(.state, data: hardState.serializedBytes(), to: &batch)
            self.hardState = hardState
        }
        try writeBatch(sync: mustSync)
    }

    /// `save(hardState:entries:mustSync:)` deciding the sync by etcd's rule (raft.MustSync, as
    /// etcd 3.4's WAL.Save does): sync when there are entries or the term or vote changed; a
    /// hard state that only moves `commit` is written without a sync.
    public func save(hardState: HardState, entries: [Entry]) throws(WALError) {
        let mustSync = Self.mustSync(hardState, previous: self.hardState, entryCount: entries.count)
        try save(hardState: hardState, entries: entries, mustSync: mustSync)
    }

    /// etcd's raft.MustSync: whether persisting `hardState` and `entryCount` entries needs an
    /// fdatasync before messages go out. `commit` can be recovered from the leader, term and vote
    /// cannot (a forgotten vote lets a member vote twice in one term).
    public static func mustSync(_ hardState: HardState, previous: HardState, entryCount: Int) -> Bool {
        entryCount != 0 || hardState.vote != previous.vote || hardState.term != previous.term
    }

    /// fdatasyncs the tail: everything saved so far becomes durable (etcd's WAL.Sync).
    public func sync() throws(WALError) {
        let file = tail
        try Self.wrap { () throws(IOError) in try file.dataSync() }
    }

    /// Records that a snapshot at `snapshot` was taken (the marker recovery looks for) and syncs.
    public func saveSnapshot(_ snapshot: WALSnapshot) throws(WALError) {
        batch.removeAll(keepingCapacity: true)
        encoder.append(.snapshot, data: snapshot.serializedBytes(), to: &batch)
        lastIndex = max(lastIndex, snapshot.index)
        try writeBatch(sync: true)
    }

    /// Syncs the tail, then closes every segment (releasing their locks), as etcd's Close. The
    /// log must not be used afterwards. The files are closed even if the sync fails.
    public func close() throws(WALError) {
        precondition(!isClosed, "WAL closed twice")
        isClosed = true
        var failure: IOError?
        do { try tail.dataSync() } catch { failure = error }
        for segment in locks {
            do { try segment.file.close() } catch { failure = failure ?? error }
        }
        locks.removeAll()
        if let failure { throw .io(failure) }
    }

    private func writeBatch(sync: Bool) throws(WALError) {
        let offset = tailOffset
        let file = tail
        let batch = batch
        try Self.wrap { () throws(IOError) in try Self.writeAll(batch, to: file, at: offset) }
        tailOffset += Int64(batch.count)
        if tailOffset >= segmentBytes {
            try cut()
        } else if sync {
            try Self.wrap { () throws(IOError) in try file.dataSync() }
        }
    }

    /// Ends the full tail (cut to its last frame and synced, but kept open and locked) and starts
    /// the next segment, which opens with the crc chain, the metadata and the current hard state.
    ///
    /// As etcd does, the new segment is built under a temporary name and renamed into place
    /// only once its header is durable, so a crash never leaves a segment without its header.
    func cut() throws(WALError) {
        let old = tail
        let offset = tailOffset
        try Self.wrap { () throws(IOError) in
            try old.truncate(to: offset)
            try old.dataSync()
        }
        let name = SegmentName(sequence: tailName.sequence + 1, index: lastIndex + 1)
        var frames: [UInt8] = []
        encoder.appendCRC(to: &frames)
        encoder.append(.metadata, data: metadata, to: &frames)
        encoder.append(.state, data: hardState.serializedBytes(), to: &frames)
        let path = directory + "/" + name.fileName
        let temporaryPath = path + ".tmp"
        let (fileSystem, directory, segmentBytes) = (fileSystem, directory, segmentBytes)
        try Self.wrap { () throws(IOError) in
            let file = try fileSystem.open(temporaryPath, options: [.readWrite, .create, .truncate],
                                           permissions: Self.filePermissions)
            defer { try? file.close() }
            try file.preallocate(size: segmentBytes)
            try Self.writeAll(frames, to: file, at: 0)
            try file.dataSync()
            try fileSystem.rename(temporaryPath, to: path)
            try fileSystem.syncDirectory(directory)
        }
        let file = try Self.lockSegment(fileSystem: fileSystem, path: path)
        locks.append(LockedSegment(name: name, file: file))
        tailOffset = Int64(frames.count)
    }

    /// Opens a segment for writing and takes its exclusive flock; `WALError.locked` if another
    /// process (or another open log) holds it.
    static func lockSegment(fileSystem: any FileSystem, path: String) throws(WALError) -> any File {
        let file = try wrap { () throws(IOError) in
            try fileSystem.open(path, options: .readWrite, permissions: filePermissions)
        }
        do {
            try file.lockExclusive()
        } catch {
            try? file.close()
            if error.errno == EWOULDBLOCK { throw .locked(file: path) }
            throw .io(error)
        }
        return file
    }

    /// Writes all of `bytes` at `offset` (withUnsafeBytes only rethrows untyped errors).
    static func writeAll(_ bytes: [UInt8], to file: any File, at offset: Int64) throws(IOError) {
        let result = bytes.withUnsafeBytes { buffer in
            Result { () throws(IOError) in try file.write(buffer, at: offset) }
        }
        try result.get()
    }

    static func wrap<T>(_ body: () throws(IOError) -> T) throws(WALError) -> T {
        do { return try body() } catch { throw .io(error) }
    }
}
