import Glibc
import Synchronization

/// A deterministic in-memory disk for crash and fault tests, in the spirit of TigerBeetle's and
/// FoundationDB's simulations: it keeps, beside what reads see, exactly what a power loss would
/// leave, and it fails or stops calls where a test says.
///
/// - Durability: a write survives `crash()` only after `dataSync`/`sync` on its file; a created,
///   removed or renamed entry only after `syncDirectory` on its parent (see `SimulatedDisk`).
/// - `crash(_:)` replaces the disk with what survives (`CrashOutcome`: nothing unsynced, all of
///   it, or a seeded mix of lost, whole, partial and torn sector writes) and starts a new boot.
/// - `failCall` / `setFaultHook` fail chosen calls with a chosen errno; `stopAfter(mutations:)`
///   lets N more mutating calls through and then fails everything with EIO, to cut a sequence
///   (a commit) at each of its steps.
/// - `map(length:)` behaves as a shared mmap: later writes show through; bytes past the end are 0.
///
/// Paths are taken from the root ("a/b" is "/a/b"); the root directory always exists.
/// Thread-safe: one mutex guards the disk, so each call is atomic with respect to the others.
public final class SimulatedFileSystem: FileSystem {
    /// A torn write tears at this granularity: each sector is written whole or not at all.
    public static let sectorBytes = SimulatedDisk.sectorBytes

    let disk = Mutex(SimulatedDisk())

    public init() {}

    /// Runs one call: counts it, applies faults and any stop, then `body` under the lock.
    func perform<Result: Sendable>(
        _ operation: FileOperation, path: String, isMutating: Bool,
        _ body: (inout SimulatedDisk) throws(IOError) -> Result
    ) throws(IOError) -> Result {
        try disk.withLock { (disk) throws(IOError) -> Result in
            try disk.faults.admit(operation, path: path, isMutating: isMutating)
            return try body(&disk)
        }
    }

    // MARK: FileSystem

    /// Opens or creates a file (counted as mutating when it may create or truncate).
    /// Errors as open(2): ENOENT, EEXIST, EISDIR, ENOTDIR. `permissions` are not modelled.
    public func open(_ path: String, options: OpenOptions, permissions: UInt32) throws(IOError) -> any File {
        let isMutating = options.contains(.create) || options.contains(.truncate)
        let (fileID, handleID, generation) = try perform(.open, path: path, isMutating: isMutating) {
            (disk) throws(IOError) in
            let fileID = try disk.openFile(path, options: options)
            let handleID = disk.makeID()
            disk.handles[handleID] = SimulatedDisk.Handle(fileID: fileID)
            return (fileID, handleID, disk.generation)
        }
        return SimulatedFile(system: self, path: path, fileID: fileID, handleID: handleID,
                             generation: generation,
                             canRead: options.contains(.read) || !options.contains(.write),
                             canWrite: options.contains(.write))
    }

    public func createDirectory(_ path: String, permissions: UInt32) throws(IOError) {
        try perform(.createDirectory, path: path, isMutating: true) { (disk) throws(IOError) in
            try disk.createDirectories(path)
        }
    }

    /// Live names, sorted by their bytes.
    public func listDirectory(_ path: String) throws(IOError) -> [String] {
        try perform(.listDirectory, path: path, isMutating: false) { (disk) throws(IOError) in
            switch try disk.lookup(SimulatedDisk.components(path), operation: "opendir", path: path) {
            case .directory(let id)?:
                return disk.directories[id]!.live.keys.sorted { Array($0.utf8).lexicographicallyPrecedes($1.utf8) }
            case .file?: throw IOError(operation: "opendir", path: path, errno: ENOTDIR)
            case nil: throw IOError(operation: "opendir", path: path, errno: ENOENT)
            }
        }
    }

    /// Whether `path` names a live file or directory. Neither counted nor failed.
    public func exists(_ path: String) -> Bool {
        disk.withLock { disk in
            (try? disk.lookup(SimulatedDisk.components(path), operation: "stat", path: path)) != nil
        }
    }

    public func rename(_ source: String, to destination: String) throws(IOError) {
        try perform(.rename, path: source, isMutating: true) { (disk) throws(IOError) in
            try disk.rename(source, to: destination)
        }
    }

    /// Unlinks a file (EISDIR for a directory). Open handles keep working on its bytes.
    public func remove(_ path: String) throws(IOError) {
        try perform(.remove, path: path, isMutating: true) { (disk) throws(IOError) in
            let (parentID, name) = try disk.parent(of: path, operation: "unlink")
            switch disk.directories[parentID]!.live[name] {
            case .file?: disk.directories[parentID]!.live[name] = nil
            case .directory?: throw IOError(operation: "unlink", path: path, errno: EISDIR)
            case nil: throw IOError(operation: "unlink", path: path, errno: ENOENT)
            }
        }
    }

    /// Makes the directory's current entries the ones a crash keeps (counted as mutating: it is a
    /// step of any durable sequence).
    public func syncDirectory(_ path: String) throws(IOError) {
        try perform(.syncDirectory, path: path, isMutating: true) { (disk) throws(IOError) in
            switch try disk.lookup(SimulatedDisk.components(path), operation: "open", path: path) {
            case .directory(let id)?: disk.directories[id]!.durable = disk.directories[id]!.live
            case .file?: throw IOError(operation: "open", path: path, errno: ENOTDIR)
            case nil: throw IOError(operation: "open", path: path, errno: ENOENT)
            }
        }
    }
}
