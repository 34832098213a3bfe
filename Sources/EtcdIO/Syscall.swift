import Glibc

/// Every system call EtcdIO makes, each wrapped once (the swift-system habit): the wrapper names
/// the C function it calls, retries on EINTR where retrying is correct, and turns a failure into
/// an `IOError` carrying the C function's name, the path it concerned and the errno.
///
/// Only `PosixFileSystem` and `PosixFile` call these.
enum Syscall {
    /// Runs `call` until it stops failing with EINTR; a result of -1 becomes an `IOError`.
    @inline(__always)
    private static func retryingInterrupts<R: BinaryInteger>(
        _ operation: String, _ path: String, _ call: () -> R
    ) throws(IOError) -> R {
        while true {
            let result = call()
            if result != -1 { return result }
            let code = Glibc.errno
            if code != EINTR { throw IOError(operation: operation, path: path, errno: code) }
        }
    }

    /// `open(2)` with `O_CLOEXEC` always added, so descriptors never leak into child processes.
    static func open(_ path: String, flags: Int32, permissions: UInt32) throws(IOError) -> Int32 {
        try retryingInterrupts("open", path) { Glibc.open(path, flags | O_CLOEXEC, mode_t(permissions)) }
    }

    /// `close(2)`. Not retried on EINTR: Linux releases the descriptor even then, and a retry
    /// could close a descriptor another thread has just been given.
    static func close(_ descriptor: Int32, path: String) throws(IOError) {
        if Glibc.close(descriptor) == -1, Glibc.errno != EINTR {
            throw IOError(operation: "close", path: path, errno: Glibc.errno)
        }
    }

    /// One `pread(2)`; may return fewer bytes than asked (0 at end of file).
    static func pread(_ descriptor: Int32, _ buffer: UnsafeMutableRawBufferPointer, at offset: Int64,
                      path: String) throws(IOError) -> Int {
        try retryingInterrupts("pread", path) {
            Glibc.pread(descriptor, buffer.baseAddress, buffer.count, off_t(offset))
        }
    }

    /// One `pwrite(2)`; may write fewer bytes than given.
    static func pwrite(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer, at offset: Int64,
                       path: String) throws(IOError) -> Int {
        try retryingInterrupts("pwrite", path) {
            Glibc.pwrite(descriptor, bytes.baseAddress, bytes.count, off_t(offset))
        }
    }

    /// `fdatasync(2)`.
    static func fdatasync(_ descriptor: Int32, path: String) throws(IOError) {
        _ = try retryingInterrupts("fdatasync", path) { Glibc.fdatasync(descriptor) }
    }

    /// `fsync(2)`; on a directory descriptor it makes the directory's entries durable.
    static func fsync(_ descriptor: Int32, path: String) throws(IOError) {
        _ = try retryingInterrupts("fsync", path) { Glibc.fsync(descriptor) }
    }

    /// `fstat(2)`, returning `st_size`.
    static func fstatSize(_ descriptor: Int32, path: String) throws(IOError) -> Int64 {
        var status = stat()
        _ = try retryingInterrupts("fstat", path) { Glibc.fstat(descriptor, &status) }
        return Int64(status.st_size)
    }

    /// `stat(2)`; nil when nothing is at `path` (or it cannot be reached).
    static func fileStatus(_ path: String) -> stat? {
        var status = stat()
        return stat(path, &status) == 0 ? status : nil
    }

    /// `ftruncate(2)`.
    static func ftruncate(_ descriptor: Int32, size: Int64, path: String) throws(IOError) {
        _ = try retryingInterrupts("ftruncate", path) { Glibc.ftruncate(descriptor, off_t(size)) }
    }

    /// `posix_fallocate(3)` over `[0, size)`. It reports failure by its return value, not errno.
    /// (Linux's `fallocate(2)` with `FALLOC_FL_KEEP_SIZE` is hidden by Glibc's module map.)
    static func posixFallocate(_ descriptor: Int32, size: Int64, path: String) throws(IOError) {
        while true {
            let code = Glibc.posix_fallocate(descriptor, 0, off_t(size))
            if code == 0 { return }
            if code != EINTR { throw IOError(operation: "posix_fallocate", path: path, errno: code) }
        }
    }

    /// `flock(2)` with `LOCK_EX | LOCK_NB`: throws EWOULDBLOCK when another open file
    /// description holds the lock.
    static func flockExclusiveNonBlocking(_ descriptor: Int32, path: String) throws(IOError) {
        _ = try retryingInterrupts("flock", path) { flock(descriptor, LOCK_EX | LOCK_NB) }
    }

    /// `mmap(2)` of `[0, length)` with `PROT_READ` and `MAP_SHARED`. `length` must be positive.
    static func mmapShared(_ descriptor: Int32, length: Int, path: String) throws(IOError) -> UnsafeRawBufferPointer {
        precondition(length > 0, "mmap of \(length) bytes")
        guard let address = Glibc.mmap(nil, length, PROT_READ, MAP_SHARED, descriptor, 0),
              address != MAP_FAILED else {
            throw IOError(operation: "mmap", path: path, errno: Glibc.errno)
        }
        return UnsafeRawBufferPointer(start: address, count: length)
    }

    /// `munmap(2)`. A failure means the region was not a mapping: a programmer error.
    static func munmap(_ region: UnsafeRawBufferPointer) {
        guard let address = region.baseAddress else { return }
        let result = Glibc.munmap(UnsafeMutableRawPointer(mutating: address), region.count)
        precondition(result == 0, "munmap failed: errno \(Glibc.errno)")
    }

    /// `mkdir(2)`.
    static func mkdir(_ path: String, permissions: UInt32) throws(IOError) {
        _ = try retryingInterrupts("mkdir", path) { Glibc.mkdir(path, mode_t(permissions)) }
    }

    /// `opendir(3)` / `readdir(3)` / `closedir(3)`: the names in a directory, without "." and "..",
    /// in the order the file system returns them.
    static func readDirectory(_ path: String) throws(IOError) -> [String] {
        guard let directory = Glibc.opendir(path) else {
            throw IOError(operation: "opendir", path: path, errno: Glibc.errno)
        }
        defer { Glibc.closedir(directory) }
        var names: [String] = []
        while true {
            Glibc.errno = 0
            guard let entry = Glibc.readdir(directory) else {
                if Glibc.errno != 0 { throw IOError(operation: "readdir", path: path, errno: Glibc.errno) }
                return names
            }
            let name = withUnsafePointer(to: entry.pointee.d_name) { tuple in
                tuple.withMemoryRebound(to: CChar.self, capacity: MemoryLayout.size(ofValue: tuple.pointee)) {
                    String(cString: $0)
                }
            }
            if name != "." && name != ".." { names.append(name) }
        }
    }

    /// `rename(2)`.
    static func rename(_ source: String, to destination: String) throws(IOError) {
        _ = try retryingInterrupts("rename", source) { Glibc.rename(source, destination) }
    }

    /// `unlink(2)`.
    static func unlink(_ path: String) throws(IOError) {
        _ = try retryingInterrupts("unlink", path) { Glibc.unlink(path) }
    }
}
