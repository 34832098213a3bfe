// Recovery (etcd wal.Open + ReadAll + Repair, folded into one step): read every segment from
// the one that holds the snapshot marker, verify the chain, cut a torn tail, and reopen the
// last segment for appending.

import EtcdBasics
import EtcdIO
import ProtoWire
import Raft

extension WriteAheadLog {
    /// Opens the log in `directory` and reads everything after `snapshot` (the marker of the
    /// snapshot the caller loaded; `WALSnapshot()` for none). Every segment from the one holding
    /// the marker to the tail is flock'ed for as long as the log needs it; if another process
    /// holds one, `WALError.locked`.
    ///
    /// A torn frame at the end of the last segment (a write the crash interrupted, never
    /// acknowledged since its sync never returned) is cut off and zeroed, then appends resume
    /// there. Corruption anywhere else throws `WALError.corrupt` naming the file and offset.
    /// O(bytes in the segments read).
    public static func open(
        fileSystem: any FileSystem, directory: String, snapshot: WALSnapshot = WALSnapshot(),
        segmentBytes: Int64 = segmentBytesDefault
    ) throws(WALError) -> (log: WriteAheadLog, contents: WALContents) {
        let names = try wrap { () throws(IOError) in try fileSystem.listDirectory(directory) }
        let segments = try SegmentName.segments(in: names)
        guard !segments.isEmpty else { throw .noSegments(directory: directory) }
        guard let first = SegmentName.searchIndex(segments, for: snapshot.index) else {
            throw .inconsistent("wal: snapshot at index \(snapshot.index) is before the first segment")
        }
        // Lock every segment from the first one read (etcd's openWALFiles in write mode): the
        // log may still need them all, and a second server on this directory must fail here.
        var locks: [LockedSegment] = []
        var isOpened = false
        defer { if !isOpened { for segment in locks { try? segment.file.close() } } }
        for name in segments[first...] {
            let file = try lockSegment(fileSystem: fileSystem, path: directory + "/" + name.fileName)
            locks.append(LockedSegment(name: name, file: file))
        }
        var reader = ContentsReader(start: snapshot)
        var decoder = RecordDecoder()
        var tailEnd = 0
        var isTorn = false
        for (position, segment) in locks.enumerated() {
            let file = segment.file
            let bytes = try wrap { () throws(IOError) in try file.readAll() }
            let isLast = position == locks.count - 1
            let decoded = try decoder.decodeSegment(bytes, file: file.path, isLastSegment: isLast)
            if position == 0 && decoded.records.first?.recordType != .crc {
                throw .missingMetadata(file: file.path)
            }
            for record in decoded.records { try reader.apply(record) }
            tailEnd = decoded.validEnd
            isTorn = decoded.isTorn
        }
        let contents = try reader.finish()
        let tail = locks[locks.count - 1].file
        try wrap { () throws(IOError) in
            // Zero everything after the last good frame (etcd's ZeroToEnd), so nothing of a torn
            // or stale frame can be read as part of a later append.
            let size = try tail.size()
            if isTorn || size != Int64(tailEnd) {
                try tail.truncate(to: Int64(tailEnd))
                try tail.preallocate(size: segmentBytes)
                try tail.dataSync()
            }
        }
        let log = WriteAheadLog(
            fileSystem: fileSystem, directory: directory, segmentBytes: segmentBytes, metadata: contents.metadata,
            encoder: RecordEncoder(crc: decoder.crc), locks: locks,
            tailOffset: Int64(tailEnd), hardState: contents.hardState,
            lastIndex: max(reader.lastIndex, snapshot.index))
        isOpened = true
        return (log, contents)
    }
}

/// Folds records into the recovered state, as etcd's ReadAll does.
struct ContentsReader {
    let start: WALSnapshot
    var metadata: [UInt8]? = nil
    var hardState = HardState()
    var entries: [Entry] = []
    var lastIndex: UInt64 = 0
    var isSnapshotFound = false

    init(start: WALSnapshot) {
        self.start = start
    }

    mutating func apply(_ record: WALRecord) throws(WALError) {
        let data = record.data ?? []
        switch record.recordType {
        case .entry:
            let entry = try decode(Entry.self, data)
            if entry.index > start.index {
                let position = entry.index - start.index - 1
                guard position <= UInt64(entries.count) else {
                    throw .inconsistent("slice bounds out of range (entry \(entry.index) after \(lastIndex))")
                }
                // A later write of an index replaces it and everything after (a new leader's log).
                entries.removeSubrange(Int(position)...)
                entries.append(entry)
            }
            lastIndex = entry.index
        case .state:
            hardState = try decode(HardState.self, data)
        case .metadata:
            if let metadata, metadata != data { throw .inconsistent("conflicting metadata found") }
            metadata = data
        case .crc:
            break  // verified by RecordDecoder
        case .snapshot:
            let marker = try decode(WALSnapshot.self, data)
            if marker.index == start.index {
                if marker.term != start.term { throw .inconsistent("snapshot mismatch") }
                isSnapshotFound = true
            }
        case nil:
            throw .inconsistent("unexpected block type \(record.type)")
        }
    }

    func finish() throws(WALError) -> WALContents {
        guard isSnapshotFound else { throw .inconsistent("snapshot not found") }
        return WALContents(metadata: metadata ?? [], hardState: hardState, entries: entries)
    }

    private func decode<M: ProtoMessage>(_ type: M.Type, _ data: [UInt8]) throws(WALError) -> M {
        do { return try M(serializedBytes: data) } catch { throw .inconsistent("bad \(M.goTypeName) record: \(error)") }
    }
}
