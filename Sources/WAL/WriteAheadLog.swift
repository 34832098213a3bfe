// The log itself (etcd wal/wal.go): a directory of segments, appended to by the raft thread.
//
// Layout of every segment: a crc record (the chain so far), a metadata record, then — in every
// segment but the first — a state record with the hard state at the cut; then entry, state and
// snapshot records in the order they were saved. A new log's first segment also holds an empty
// snapshot marker, so a member that never took a snapshot starts reading at (0, 0).
//
// Durability: `save` writes one batch (entries, then the hard state) and fdatasyncs once, so a
// raft Ready costs one sync. Bytes are durable only after `save` returns.

import EtcdBasics
import EtcdIO
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
    var tail: any File
    var tailName: SegmentName
    /// Where the next frame goes in `tail`. Invariant: frame-aligned (a multiple of 8).
    var tailOffset: Int64
    /// The last hard state saved; repeated at the head of each new segment.
    var hardState: HardState
    /// The index of the last entry saved (or of the snapshot marker, if later).
    public private(set) var lastIndex: UInt64
    /// Frames of the batch being built; kept to reuse its capacity.
    var batch: [UInt8] = []

    init(fileSystem: any FileSystem, directory: String, segmentBytes: Int64, metadata: [UInt8], encoder: RecordEncoder,
         tail: any File, tailName: SegmentName, tailOffset: Int64, hardState: HardState, lastIndex: UInt64) {
        self.fileSystem = fileSystem
        self.directory = directory
        self.segmentBytes = segmentBytes
        self.metadata = metadata
        self.encoder = encoder
        self.tail = tail
        self.tailName = tailName
        self.tailOffset = tailOffset
        self.hardState = hardState
        self.lastIndex = lastIndex
    }

    /// Set by `close`, so `deinit` does not close the tail a second time.
    var isClosed = false

    deinit { if !isClosed { try? tail.close() } }

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
            try fileSystem.syncDirectory(parent(of: directory))
        }
        let tail = try wrap { () throws(IOError) in
            try fileSystem.open(directory + "/" + name.fileName, options: .readWrite, permissions: filePermissions)
        }
        return WriteAheadLog(fileSystem: fileSystem, directory: directory, segmentBytes: segmentBytes, metadata: metadata, encoder: encoder,
                             tail: tail, tailName: name, tailOffset: offset, hardState: HardState(), lastIndex: 0)
    }

    /// Appends `entries` and then `hardState` (skipped when empty) and fdatasyncs once; cuts a
    /// new segment when the tail reaches `segmentBytes`. Nothing to save is a no-op.
    /// Precondition: entries are consecutive.
    public func save(hardState: HardState, entries: [Entry]) throws(WALError) {
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
        try writeBatchAndSync()
    }

    /// Records that a snapshot at `snapshot` was taken (the marker recovery looks for) and syncs.
    public func saveSnapshot(_ snapshot: WALSnapshot) throws(WALError) {
        batch.removeAll(keepingCapacity: true)
        encoder.append(.snapshot, data: snapshot.serializedBytes(), to: &batch)
        lastIndex = max(lastIndex, snapshot.index)
        try writeBatchAndSync()
    }

    /// Closes the tail segment. The log must not be used afterwards.
    public func close() throws(WALError) {
        precondition(!isClosed, "WAL closed twice")
        isClosed = true
        try Self.wrap { () throws(IOError) in try tail.close() }
    }

    private func writeBatchAndSync() throws(WALError) {
        let offset = tailOffset
        let file = tail
        let batch = batch
        try Self.wrap { () throws(IOError) in try Self.writeAll(batch, to: file, at: offset) }
        tailOffset += Int64(batch.count)
        if tailOffset >= segmentBytes {
            try cut()
        } else {
            try Self.wrap { () throws(IOError) in try file.dataSync() }
        }
    }

    /// Closes the full tail (cut to its last frame) and starts the next segment, which opens
    /// with the crc chain, the metadata and the current hard state.
    func cut() throws(WALError) {
        let old = tail
        let offset = tailOffset
        try Self.wrap { () throws(IOError) in
            try old.truncate(to: offset)
            try old.dataSync()
            try old.close()
        }
        let name = SegmentName(sequence: tailName.sequence + 1, index: lastIndex + 1)
        var frames: [UInt8] = []
        encoder.appendCRC(to: &frames)
        encoder.append(.metadata, data: metadata, to: &frames)
        encoder.append(.state, data: hardState.serializedBytes(), to: &frames)
        let path = directory + "/" + name.fileName
        let fileSystem = fileSystem
        let file = try Self.wrap { () throws(IOError) -> any File in
            let file = try fileSystem.open(path, options: [.readWrite, .create, .exclusive], permissions: Self.filePermissions)
            try file.preallocate(size: segmentBytes)
            try Self.writeAll(frames, to: file, at: 0)
            try file.dataSync()
            try fileSystem.syncDirectory(directory)
            return file
        }
        tail = file
        tailName = name
        tailOffset = Int64(frames.count)
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

    static func parent(of path: String) -> String {
        guard let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) else { return "." }
        if slash == path.utf8.startIndex { return "/" }
        return String(path[..<slash])
    }
}
