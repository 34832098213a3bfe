import Glibc

/// The real disk: each method is one or a few POSIX calls (see `Syscall`), and every failure is
/// an `IOError` naming the C call, the path and the errno.
///
/// Paths are used as given (absolute, or relative to the process's working directory).
public struct PosixFileSystem: FileSystem {
    public init() {}

    /// `open(2)` with `O_CLOEXEC`; `permissions` (before the umask) apply to a created file.
    public func open(_ path: String, options: OpenOptions, permissions: UInt32) throws(IOError) -> any File {
        let descriptor = try Syscall.open(path, flags: Self.flags(for: options), permissions: permissions)
        return PosixFile(path: path, descriptor: descriptor)
    }

    /// `open(2)` flags for `options`: access mode from `.read`/`.write` (read-only if neither).
    static func flags(for options: OpenOptions) -> Int32 {
        var flags: Int32
        switch (options.contains(.read), options.contains(.write)) {
        case (_, false): flags = O_RDONLY
        case (false, true): flags = O_WRONLY
        case (true, true): flags = O_RDWR
        }
        if options.contains(.create) { flags |= O_CREAT }
        if options.contains(.exclusive) { flags |= O_EXCL }
        if options.contains(.truncate) { flags |= O_TRUNC }
        return flags
    }

    /// `mkdir(2)` on each missing component, parents first (like `mkdir -p`). An existing
    /// directory is fine; an existing non-directory fails with ENOTDIR. `permissions` (before the
    /// umask) apply to every directory created.
    public func createDirectory(_ path: String, permissions: UInt32) throws(IOError) {
        var prefix = path.hasPrefix("/") ? "/" : ""
        for component in path.split(separator: "/", omittingEmptySubsequences: true) {
            prefix += prefix.isEmpty || prefix.hasSuffix("/") ? String(component) : "/" + component
            do {
                try Syscall.mkdir(prefix, permissions: permissions)
            } catch where error.errno == EEXIST {
                guard let status = Syscall.fileStatus(prefix), status.st_mode & S_IFMT == S_IFDIR else {
                    throw IOError(operation: "mkdir", path: prefix, errno: ENOTDIR)
                }
            }
        }
    }

    /// `opendir(3)`/`readdir(3)`; names sorted by their bytes (so the order never depends on the
    /// file system).
    public func listDirectory(_ path: String) throws(IOError) -> [String] {
        try Syscall.readDirectory(path).sorted { Array($0.utf8).lexicographicallyPrecedes($1.utf8) }
    }

    /// `stat(2)` succeeds.
    public func exists(_ path: String) -> Bool {
        Syscall.fileStatus(path) != nil
    }

    /// `rename(2)`: atomic replacement; durable after `syncDirectory` on both parents.
    public func rename(_ source: String, to destination: String) throws(IOError) {
        try Syscall.rename(source, to: destination)
    }

    /// `unlink(2)`.
    public func remove(_ path: String) throws(IOError) {
        try Syscall.unlink(path)
    }

    /// `open(2)` with `O_RDONLY | O_DIRECTORY`, `fsync(2)`, `close(2)`.
    public func syncDirectory(_ path: String) throws(IOError) {
        let descriptor = try Syscall.open(path, flags: O_RDONLY | O_DIRECTORY, permissions: 0)
        do {
            try Syscall.fsync(descriptor, path: path)
        } catch {
            try? Syscall.close(descriptor, path: path)
            throw error
        }
        try Syscall.close(descriptor, path: path)
    }
}
