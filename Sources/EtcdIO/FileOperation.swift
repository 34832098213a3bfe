/// The calls a `SimulatedFileSystem` counts and can fail: one case per `FileSystem` and `File`
/// method that touches the disk (`exists` is neither counted nor failed).
public enum FileOperation: String, Sendable, Hashable, CaseIterable {
    case open, createDirectory, listDirectory, rename, remove, syncDirectory
    case read, write, dataSync, sync, size, truncate, preallocate, lock, map, close
}

/// What a power loss does to everything written since the last sync (`SimulatedFileSystem.crash`).
public enum CrashOutcome: Sendable, Equatable {
    /// Every unsynced write, resize and directory change is lost: the disk holds exactly what was
    /// last synced. The strictest disk, and the default.
    case loseUnsynced
    /// Every unsynced change survives, as if it had been synced just before the power went.
    case keepUnsynced
    /// Each unsynced write independently is lost, survives whole, survives as a prefix of its
    /// 512-byte sectors, or tears (a random subset of its sectors survives; the file may also
    /// have grown to the write's end with zeros where sectors were lost). Each unsynced resize
    /// survives or not; each directory with unsynced entry changes keeps all of them or none.
    /// The same seed and the same history give the same disk.
    case seeded(UInt64)
}

extension FileOperation {
    /// The C call `PosixFileSystem` makes for this operation; the simulated disk names its errors
    /// the same way, so an error message reads alike on either disk.
    public var systemCallName: String {
        switch self {
        case .open: "open"
        case .createDirectory: "mkdir"
        case .listDirectory: "opendir"
        case .rename: "rename"
        case .remove: "unlink"
        case .syncDirectory, .sync: "fsync"
        case .read: "pread"
        case .write: "pwrite"
        case .dataSync: "fdatasync"
        case .size: "fstat"
        case .truncate: "ftruncate"
        case .preallocate: "posix_fallocate"
        case .lock: "flock"
        case .map: "mmap"
        case .close: "close"
        }
    }
}
