import EtcdIO

/// Why a `.snap` file could not be written or read. Every case but `io` means the file's bytes
/// are bad: the snapshotter sets such a file aside as `*.broken` and tries the next older one.
public enum SnapshotError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file, or the snapshot data in it, is empty or its crc is zero (etcd's ErrEmptySnapshot).
    case empty(path: String)
    /// The data does not match its checksum (etcd's ErrCRCMismatch).
    case crcMismatch(path: String, stored: UInt32, computed: UInt32)
    /// The envelope or the raft snapshot inside does not decode.
    case undecodable(path: String, reason: String)
    /// The file system failed (the file is left where it is).
    case io(IOError)

    /// The text etcd's errors carry ("snap: crc mismatch"), followed by the file where known.
    public var description: String {
        switch self {
        case let .empty(path): "snap: empty snapshot (\(path))"
        case let .crcMismatch(path, stored, computed):
            "snap: crc mismatch (\(path): stored \(stored), computed \(computed))"
        case let .undecodable(path, reason): "snap: corrupted snapshot file \(path): \(reason)"
        case let .io(error): "snap: \(error)"
        }
    }

    /// Whether the file's contents are at fault (so it should be renamed `*.broken`).
    public var isBrokenFile: Bool {
        if case .io = self { return false }
        return true
    }
}
