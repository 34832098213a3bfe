/// etcd's `--unsafe-no-fsync`: another file system with every fsync, fdatasync and directory
/// sync dropped, for test clusters that trade durability for speed. Writes still reach the page
/// cache, so a process crash loses nothing; a power loss or kernel crash may lose anything
/// written since the kernel last flushed, and may leave a torn WAL tail or backend page.
public struct UnsyncedFileSystem: FileSystem {
    private let base: any FileSystem

    public init(_ base: any FileSystem) {
        self.base = base
    }

    public func open(_ path: String, options: OpenOptions, permissions: UInt32) throws(IOError) -> any File {
        UnsyncedFile(try base.open(path, options: options, permissions: permissions))
    }

    public func createDirectory(_ path: String, permissions: UInt32) throws(IOError) {
        try base.createDirectory(path, permissions: permissions)
    }

    public func listDirectory(_ path: String) throws(IOError) -> [String] { try base.listDirectory(path) }

    public func exists(_ path: String) -> Bool { base.exists(path) }

    public func rename(_ source: String, to destination: String) throws(IOError) {
        try base.rename(source, to: destination)
    }

    public func remove(_ path: String) throws(IOError) { try base.remove(path) }

    public func syncDirectory(_ path: String) throws(IOError) {}
}

/// A file of `UnsyncedFileSystem`: the base file, without its syncs.
final class UnsyncedFile: File {
    private let base: any File

    init(_ base: any File) {
        self.base = base
    }

    var path: String { base.path }

    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) throws(IOError) -> Int {
        try base.read(into: buffer, at: offset)
    }

    func write(_ bytes: UnsafeRawBufferPointer, at offset: Int64) throws(IOError) {
        try base.write(bytes, at: offset)
    }

    func dataSync() throws(IOError) {}

    func sync() throws(IOError) {}

    func size() throws(IOError) -> Int64 { try base.size() }

    func truncate(to size: Int64) throws(IOError) { try base.truncate(to: size) }

    func preallocate(size: Int64) throws(IOError) { try base.preallocate(size: size) }

    func lockExclusive() throws(IOError) { try base.lockExclusive() }

    func map(length: Int) throws(IOError) -> MappedRegion { try base.map(length: length) }

    func close() throws(IOError) { try base.close() }
}
