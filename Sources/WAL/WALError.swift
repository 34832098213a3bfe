import EtcdIO

/// Why the WAL could not be read or written. Corruption names the segment file and the byte
/// offset of the frame that failed, so an operator knows what to inspect or cut.
public enum WALError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A frame in the middle of the log does not decode or its checksum does not match.
    case corrupt(file: String, offset: Int, reason: String)
    /// A frame claims more than `RecordDecoder.recordBytesMax` bytes (etcd's
    /// ErrMaxWALEntrySizeLimitExceeded).
    case recordTooLarge(file: String, offset: Int, bytes: Int)
    /// A segment file name is not `%016x-%016x.wal`, or the names are out of sequence.
    case badSegmentName(String)
    /// The directory holds no segment (etcd's ErrFileNotFound).
    case noSegments(directory: String)
    /// The first segment does not start with a crc record then a metadata record.
    case missingMetadata(file: String)
    /// The log's records contradict each other or the snapshot asked for (etcd's
    /// ErrMetadataConflict, ErrSnapshotMismatch, ErrSnapshotNotFound, ErrSliceOutOfRange,
    /// unexpected block type).
    case inconsistent(String)
    /// Another process (or another open log) holds the flock on a segment this log needs
    /// (etcd's fileutil.ErrLocked): two servers must never append to one log.
    case locked(file: String)
    /// The file system failed.
    case io(IOError)

    public var description: String {
        switch self {
        case let .corrupt(file, offset, reason): "wal: corrupt record in \(file) at offset \(offset): \(reason)"
        case let .recordTooLarge(file, offset, bytes):
            "wal: max entry size limit exceeded in \(file) at offset \(offset) (\(bytes) bytes)"
        case let .badSegmentName(name): "wal: bad wal name \(name)"
        case let .noSegments(directory): "wal: file not found in \(directory)"
        case let .missingMetadata(file): "wal: no metadata record at the start of \(file)"
        case let .inconsistent(reason): "wal: \(reason)"
        case let .locked(file): "fileutil: file already locked (\(file))"
        case let .io(error): "wal: \(error)"
        }
    }
}
