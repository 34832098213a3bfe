import Glibc

/// An open file on a `SimulatedFileSystem`. It names an inode, not a path: it keeps working on the
/// file's bytes after the path is renamed or removed, as a descriptor does. After the file
/// system's `crash`, every call throws EBADF except `close`, which succeeds.
public final class SimulatedFile: File {
    public let path: String
    let system: SimulatedFileSystem
    let fileID: Int
    let handleID: Int
    /// The boot that opened this handle; a crash starts a new one.
    let generation: Int
    let canRead: Bool
    let canWrite: Bool

    init(system: SimulatedFileSystem, path: String, fileID: Int, handleID: Int, generation: Int,
         canRead: Bool, canWrite: Bool) {
        self.system = system
        self.path = path
        self.fileID = fileID
        self.handleID = handleID
        self.generation = generation
        self.canRead = canRead
        self.canWrite = canWrite
    }

    /// A handle dropped without `close` releases its lock, as a closed descriptor would.
    deinit {
        let (generation, handleID, fileID) = (generation, handleID, fileID)
        system.disk.withLock { disk in
            guard disk.generation == generation, disk.handles.removeValue(forKey: handleID) != nil else { return }
            if disk.lockHolders[fileID] == handleID { disk.lockHolders[fileID] = nil }
        }
    }

    /// Runs one call on this handle: stale handles fail with EBADF, closed ones are a
    /// programmer error, then the file system's fault and stop checks apply.
    private func perform<Result: Sendable>(
        _ operation: FileOperation, isMutating: Bool,
        _ body: (inout SimulatedDisk) throws(IOError) -> Result
    ) throws(IOError) -> Result {
        let (generation, handleID, path) = (generation, handleID, path)
        return try system.disk.withLock { (disk) throws(IOError) -> Result in
            guard disk.generation == generation else {
                throw IOError(operation: operation.systemCallName, path: path, errno: EBADF)
            }
            precondition(disk.handles[handleID] != nil, "\(path): used after close")
            try disk.faults.admit(operation, path: path, isMutating: isMutating)
            return try body(&disk)
        }
    }

    private func failure(_ operation: FileOperation, _ errno: Int32) -> IOError {
        IOError(operation: operation.systemCallName, path: path, errno: errno)
    }

    /// Fills `buffer` from `offset` unless the file ends first (a short count means end of file).
    public func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) throws(IOError) -> Int {
        guard canRead else { throw failure(.read, EBADF) }
        guard offset >= 0 else { throw failure(.read, EINVAL) }
        let fileID = fileID
        return try perform(.read, isMutating: false) { disk in
            let contents = disk.files[fileID]!.contents
            guard offset < contents.count else { return 0 }
            let count = min(buffer.count, contents.count - Int(offset))
            contents.withUnsafeBytes {
                buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[Int(offset)..<(Int(offset) + count)]))
            }
            return count
        }
    }

    public func write(_ bytes: UnsafeRawBufferPointer, at offset: Int64) throws(IOError) {
        guard canWrite else { throw failure(.write, EBADF) }
        guard offset >= 0 else { throw failure(.write, EINVAL) }
        let fileID = fileID
        try perform(.write, isMutating: true) { disk in disk.write(fileID: fileID, bytes, at: Int(offset)) }
    }

    /// Makes the file's bytes and size durable. A failed call (injected) syncs nothing.
    public func dataSync() throws(IOError) {
        let fileID = fileID
        try perform(.dataSync, isMutating: true) { disk in disk.sync(fileID: fileID) }
    }

    public func sync() throws(IOError) {
        let fileID = fileID
        try perform(.sync, isMutating: true) { disk in disk.sync(fileID: fileID) }
    }

    public func size() throws(IOError) -> Int64 {
        let fileID = fileID
        return try perform(.size, isMutating: false) { disk in Int64(disk.files[fileID]!.contents.count) }
    }

    public func truncate(to size: Int64) throws(IOError) {
        guard canWrite, size >= 0 else { throw failure(.truncate, EINVAL) }
        let fileID = fileID
        try perform(.truncate, isMutating: true) { disk in disk.resize(fileID: fileID, to: Int(size)) }
    }

    /// Grows a shorter file to `size` with zeros (as `PosixFile.preallocate` does); never shrinks.
    public func preallocate(size: Int64) throws(IOError) {
        guard canWrite else { throw failure(.preallocate, EBADF) }
        let fileID = fileID
        try perform(.preallocate, isMutating: true) { disk in
            if size > disk.files[fileID]!.contents.count { disk.resize(fileID: fileID, to: Int(size)) }
        }
    }

    /// An flock held by one handle at a time; another handle gets EWOULDBLOCK, as with two open
    /// file descriptions on Linux.
    public func lockExclusive() throws(IOError) {
        let (fileID, handleID) = (fileID, handleID)
        try perform(.lock, isMutating: false) { (disk) throws(IOError) in
            if let holder = disk.lockHolders[fileID], holder != handleID { throw failure(.lock, EWOULDBLOCK) }
            disk.lockHolders[fileID] = handleID
        }
    }

    /// A region with its own copy of the first `length` bytes that every later write and resize
    /// of this file updates (until `unmap` or a crash); bytes past the file's end read as zero.
    public func map(length: Int) throws(IOError) -> MappedRegion {
        precondition(length >= 0, "map of negative length \(length)")
        let fileID = fileID
        let mapped = try perform(.map, isMutating: false) { disk in
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: length, alignment: 4096)
            buffer.initializeMemory(as: UInt8.self, repeating: 0)
            let contents = disk.files[fileID]!.contents
            let count = min(length, contents.count)
            contents.withUnsafeBytes {
                UnsafeMutableRawBufferPointer(rebasing: buffer[0..<count]).copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[0..<count]))
            }
            let mappingID = disk.makeID()
            disk.mappings[mappingID] = SimulatedDisk.Mapping(fileID: fileID, buffer: buffer)
            return MappingHandle(id: mappingID, bytes: UnsafeRawBufferPointer(buffer))
        }
        let system = system
        return MappedRegion(bytes: mapped.bytes, release: { bytes in
            system.disk.withLock { _ = $0.mappings.removeValue(forKey: mapped.id) }
            UnsafeMutableRawBufferPointer(mutating: bytes).deallocate()
        })
    }

    /// Releases the handle and its lock. Closing twice is a programmer error; closing a handle
    /// from before a crash succeeds and does nothing.
    public func close() throws(IOError) {
        let (generation, handleID, fileID, path) = (generation, handleID, fileID, path)
        try system.disk.withLock { (disk) throws(IOError) in
            guard disk.generation == generation else { return }
            precondition(disk.handles[handleID] != nil, "\(path): closed twice")
            try disk.faults.admit(.close, path: path, isMutating: false)
            disk.handles[handleID] = nil
            if disk.lockHolders[fileID] == handleID { disk.lockHolders[fileID] = nil }
        }
    }
}

/// A new mapping's id and bytes, carried out of the disk's lock.
private struct MappingHandle: @unchecked Sendable {
    // @unchecked: the pointer is only read through the MappedRegion built from it; the memory
    // lives until that region's release deallocates it.
    let id: Int
    let bytes: UnsafeRawBufferPointer
}
