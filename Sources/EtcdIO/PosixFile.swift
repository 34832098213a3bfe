import Glibc
import Synchronization

/// An open file descriptor on the real disk. Safe to share between threads: it has no cursor
/// (every read and write names its offset), and the descriptor never changes until `close`.
public final class PosixFile: File {
    public let path: String
    /// The descriptor from `open(2)`; valid until `close`.
    public let descriptor: Int32
    private let isClosed = Atomic<Bool>(false)

    init(path: String, descriptor: Int32) {
        self.path = path
        self.descriptor = descriptor
    }

    /// A file dropped without `close` still gives its descriptor back (and with it its flock).
    deinit {
        if !isClosed.load(ordering: .relaxed) { try? Syscall.close(descriptor, path: path) }
    }

    private func checkOpen() {
        precondition(!isClosed.load(ordering: .relaxed), "\(path): used after close")
    }

    /// `pread(2)` in a loop: fills `buffer` unless the file ends first, so a short count means
    /// end of file.
    public func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) throws(IOError) -> Int {
        checkOpen()
        var done = 0
        while done < buffer.count {
            let rest = UnsafeMutableRawBufferPointer(rebasing: buffer[done...])
            let count = try Syscall.pread(descriptor, rest, at: offset + Int64(done), path: path)
            if count == 0 { break }
            done += count
        }
        return done
    }

    /// `pwrite(2)` in a loop until every byte is written.
    public func write(_ bytes: UnsafeRawBufferPointer, at offset: Int64) throws(IOError) {
        checkOpen()
        var done = 0
        while done < bytes.count {
            let rest = UnsafeRawBufferPointer(rebasing: bytes[done...])
            let count = try Syscall.pwrite(descriptor, rest, at: offset + Int64(done), path: path)
            // pwrite returns 0 only for an empty buffer; anything else would spin forever.
            guard count > 0 else { throw IOError(operation: "pwrite", path: path, errno: EIO) }
            done += count
        }
    }

    /// `fdatasync(2)`.
    public func dataSync() throws(IOError) {
        checkOpen()
        try Syscall.fdatasync(descriptor, path: path)
    }

    /// `fsync(2)`.
    public func sync() throws(IOError) {
        checkOpen()
        try Syscall.fsync(descriptor, path: path)
    }

    /// `fstat(2)`'s `st_size`.
    public func size() throws(IOError) -> Int64 {
        checkOpen()
        return try Syscall.fstatSize(descriptor, path: path)
    }

    /// `ftruncate(2)`.
    public func truncate(to size: Int64) throws(IOError) {
        checkOpen()
        try Syscall.ftruncate(descriptor, size: size, path: path)
    }

    /// `posix_fallocate(3)` over `[0, size)`: blocks are reserved and, as with etcd's
    /// `Preallocate(f, size, extendFile: true)` (what its WAL uses), a file shorter than `size`
    /// grows to `size` with zeros. Bytes already in the file are unchanged; a larger file is
    /// not shrunk.
    public func preallocate(size: Int64) throws(IOError) {
        checkOpen()
        guard size > 0 else { return }
        try Syscall.posixFallocate(descriptor, size: size, path: path)
    }

    /// `flock(2)` with `LOCK_EX | LOCK_NB`. flock locks belong to the open file description, so a
    /// second `open` of the same file, even in this process, is refused (EWOULDBLOCK) while the
    /// first holds the lock; calling it again on the same file succeeds.
    public func lockExclusive() throws(IOError) {
        checkOpen()
        try Syscall.flockExclusiveNonBlocking(descriptor, path: path)
    }

    /// `mmap(2)` with `PROT_READ` and `MAP_SHARED`; `unmap` calls `munmap(2)`. The region sees
    /// later writes through this or any descriptor. Touching a page wholly past the file's end
    /// raises SIGBUS (bbolt never reads past its file's size), so map what you will read.
    /// A zero length maps nothing and returns an empty region.
    public func map(length: Int) throws(IOError) -> MappedRegion {
        checkOpen()
        precondition(length >= 0, "map of negative length \(length)")
        guard length > 0 else {
            return MappedRegion(bytes: UnsafeRawBufferPointer(start: nil, count: 0), release: { _ in })
        }
        let bytes = try Syscall.mmapShared(descriptor, length: length, path: path)
        return MappedRegion(bytes: bytes, release: { Syscall.munmap($0) })
    }

    /// `close(2)`; releases the flock. Mappings stay valid until unmapped.
    public func close() throws(IOError) {
        let wasClosed = isClosed.exchange(true, ordering: .relaxed)
        precondition(!wasClosed, "\(path): closed twice")
        try Syscall.close(descriptor, path: path)
    }
}
