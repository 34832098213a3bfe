/// The file-system seam. Every byte swetcd keeps on disk (the bbolt backend, the WAL, snapshots)
/// goes through these two protocols, so tests can swap the POSIX implementation for a simulated
/// disk that loses unsynced writes, tears pages and fails calls at chosen points.
///
/// Durability contract (what the simulated disk enforces and the POSIX one provides): bytes
/// written with `write` survive a crash only once a later `dataSync`/`sync` on that file has
/// returned; a created, removed or renamed directory entry survives only once `syncDirectory` on
/// its parent has returned.

/// An operating error from the file system: which call failed, on what, and the errno.
public struct IOError: Error, Sendable, Equatable, CustomStringConvertible {
    public let operation: String
    public let path: String
    public let errno: Int32

    public init(operation: String, path: String, errno: Int32) {
        self.operation = operation
        self.path = path
        self.errno = errno
    }

    public var description: String { "\(operation) \(path): errno \(errno)" }
}

/// How `FileSystem.open` opens a file.
public struct OpenOptions: OptionSet, Sendable {
    public let rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }

    public static let read = OpenOptions(rawValue: 1 << 0)
    public static let write = OpenOptions(rawValue: 1 << 1)
    /// Create the file if it does not exist.
    public static let create = OpenOptions(rawValue: 1 << 2)
    /// With `create`: fail if the file exists.
    public static let exclusive = OpenOptions(rawValue: 1 << 3)
    /// Truncate to zero length on open.
    public static let truncate = OpenOptions(rawValue: 1 << 4)

    public static let readWrite: OpenOptions = [.read, .write]
}

/// A directory tree of files. Implementations: `PosixFileSystem` (the real disk) and
/// `SimulatedFileSystem` (tests: in memory, with crash and fault injection).
public protocol FileSystem: Sendable {
    /// Opens (or creates) a file. `permissions` apply when it is created (etcd uses 0600 for
    /// data files, 0700 for directories).
    func open(_ path: String, options: OpenOptions, permissions: UInt32) throws(IOError) -> any File
    /// Creates a directory and any missing parents (like `mkdir -p`).
    func createDirectory(_ path: String, permissions: UInt32) throws(IOError)
    /// Names in a directory (not "." or ".."), sorted.
    func listDirectory(_ path: String) throws(IOError) -> [String]
    /// Whether a file or directory exists at `path`.
    func exists(_ path: String) -> Bool
    /// Atomically replaces `destination` with `source` (rename(2)).
    func rename(_ source: String, to destination: String) throws(IOError)
    /// Removes a file.
    func remove(_ path: String) throws(IOError)
    /// Makes the directory's entries (creations, renames, removals) durable (fsync on the dir).
    func syncDirectory(_ path: String) throws(IOError)
}

/// An open file. Offsets are absolute (pread/pwrite): a `File` has no cursor, so it may be used
/// from several threads at once for reads.
public protocol File: AnyObject, Sendable {
    var path: String { get }
    /// Reads up to `buffer.count` bytes at `offset`; returns how many were read (0 at EOF).
    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) throws(IOError) -> Int
    /// Writes all of `bytes` at `offset` (looping over short writes), extending the file if needed.
    func write(_ bytes: UnsafeRawBufferPointer, at offset: Int64) throws(IOError)
    /// fdatasync: the file's data (and the size, if it changed) is durable when this returns.
    func dataSync() throws(IOError)
    /// fsync: data and all metadata durable.
    func sync() throws(IOError)
    /// Current size in bytes.
    func size() throws(IOError) -> Int64
    /// Sets the size (shrinks or zero-extends).
    func truncate(to size: Int64) throws(IOError)
    /// Reserves space so later writes up to `size` cannot fail for lack of it
    /// (posix_fallocate; WAL segments are preallocated this way, as etcd's are). A shorter file
    /// grows to `size` with zeros; existing bytes are kept and the file never shrinks.
    func preallocate(size: Int64) throws(IOError)
    /// Takes an exclusive advisory lock (flock LOCK_EX|LOCK_NB); throws (EWOULDBLOCK) if another
    /// process holds it. Released by `close`.
    func lockExclusive() throws(IOError)
    /// Maps the first `length` bytes read-only. The mapping reflects later writes to the file
    /// (as a shared mmap does), and stays valid until `unmap`.
    func map(length: Int) throws(IOError) -> MappedRegion
    /// Closes the descriptor. Further calls are programmer errors.
    func close() throws(IOError)
}

/// A read-only view of a file's bytes from `map(length:)`.
public final class MappedRegion: @unchecked Sendable {
    // @unchecked: the region is immutable through this type; the memory is owned by the mapping
    // until `unmap`, after which `bytes` must not be touched (callers guarantee no reader remains,
    // which is the invariant bbolt's remap protocol maintains).
    public let bytes: UnsafeRawBufferPointer
    private let release: @Sendable (UnsafeRawBufferPointer) -> Void
    private var isUnmapped = false

    public init(bytes: UnsafeRawBufferPointer, release: @escaping @Sendable (UnsafeRawBufferPointer) -> Void) {
        self.bytes = bytes
        self.release = release
    }

    /// Releases the mapping. Idempotent.
    public func unmap() {
        guard !isUnmapped else { return }
        isUnmapped = true
        release(bytes)
    }

    deinit { unmap() }
}
