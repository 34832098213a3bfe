import Glibc

/// The state behind a `SimulatedFileSystem`, guarded by its mutex: files and directories as
/// inodes, each holding what a crash would keep beside what reads see now.
///
/// Durability model (the `FileSystem` contract, enforced):
/// - A file's `contents` is what reads see; `durable` is what survives a crash. `unsynced` lists
///   the writes and resizes since the last `dataSync`/`sync`, in order.
///   Invariant: replaying `unsynced` onto `durable` gives `contents`.
/// - A directory's `live` entries are what lookups see; `durable` entries are what survives.
///   `syncDirectory` copies one directory's live entries to its durable ones. Entries name
///   inodes, so renaming a directory moves its whole subtree, as on a real file system.
/// - Live mappings are updated on every write and resize, as a shared mmap is.
struct SimulatedDisk {
    enum Entry: Equatable {
        case file(Int)
        case directory(Int)
    }

    enum UnsyncedChange {
        case write(offset: Int, bytes: [UInt8])
        case resize(Int)
    }

    struct FileNode {
        var contents: [UInt8] = []
        var durable: [UInt8] = []
        var unsynced: [UnsyncedChange] = []
    }

    struct DirectoryNode {
        var live: [String: Entry] = [:]
        var durable: [String: Entry] = [:]
    }

    /// A shared mapping's private copy of a file's first `buffer.count` bytes, kept current.
    struct Mapping {
        var fileID: Int
        var buffer: UnsafeMutableRawBufferPointer
    }

    /// An open handle's bookkeeping.
    struct Handle {
        var fileID: Int
    }

    static let rootID = 0
    /// Torn writes tear at this granularity: a sector is written whole or not at all.
    static let sectorBytes = 512

    var files: [Int: FileNode] = [:]
    var directories: [Int: DirectoryNode] = [rootID: DirectoryNode()]
    var mappings: [Int: Mapping] = [:]
    var handles: [Int: Handle] = [:]
    /// Which handle holds each file's flock.
    var lockHolders: [Int: Int] = [:]
    /// Bumped by every crash; handles from an earlier boot are stale.
    var generation = 0
    private var nextID = 1
    var faults = FaultState()

    mutating func makeID() -> Int {
        defer { nextID += 1 }
        return nextID
    }

    var peekNextID: Int { nextID }

    /// Takes over another disk's namespace and files (for `SimulatedFileSystem.clone`).
    mutating func restore(directories: [Int: DirectoryNode], files: [Int: FileNode], nextID: Int) {
        self.directories = directories
        self.files = files
        self.nextID = nextID
    }

    // MARK: Paths

    /// The components of `path`, with "", "." and ".." resolved (paths are from the root,
    /// whether or not they start with "/").
    static func components(_ path: String) -> [String] {
        var result: [String] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            switch part {
            case ".": continue
            case "..": _ = result.popLast()
            default: result.append(String(part))
            }
        }
        return result
    }

    /// The live entry at `components`, or nil if it does not exist.
    /// Throws ENOTDIR when a file sits where a directory is needed, ENOENT for a missing parent.
    func lookup(_ components: [String], operation: String, path: String) throws(IOError) -> Entry? {
        var entry = Entry.directory(Self.rootID)
        for (position, name) in components.enumerated() {
            guard case .directory(let id) = entry else {
                throw IOError(operation: operation, path: path, errno: ENOTDIR)
            }
            guard let next = directories[id]!.live[name] else {
                if position == components.count - 1 { return nil }
                throw IOError(operation: operation, path: path, errno: ENOENT)
            }
            entry = next
        }
        return entry
    }

    /// The directory holding the last component of `path`, and that component's name.
    /// The root itself has no parent: EBUSY, as rename(2) of "/" gives.
    func parent(of path: String, operation: String) throws(IOError) -> (id: Int, name: String) {
        var components = Self.components(path)
        guard let name = components.popLast() else {
            throw IOError(operation: operation, path: path, errno: EBUSY)
        }
        switch try lookup(components, operation: operation, path: path) {
        case .directory(let id)?: return (id, name)
        case .file?: throw IOError(operation: operation, path: path, errno: ENOTDIR)
        case nil: throw IOError(operation: operation, path: path, errno: ENOENT)
        }
    }

    // MARK: File contents

    /// Applies a write to `contents` and to every live mapping of the file.
    mutating func write(fileID: Int, _ bytes: UnsafeRawBufferPointer, at offset: Int) {
        guard bytes.count > 0 else { return }
        let end = offset + bytes.count
        files[fileID]!.unsynced.append(.write(offset: offset, bytes: Array(bytes)))
        Self.apply(bytes, at: offset, to: &files[fileID]!.contents)
        for mapping in mappings.values where mapping.fileID == fileID && offset < mapping.buffer.count {
            let count = min(end, mapping.buffer.count) - offset
            UnsafeMutableRawBufferPointer(rebasing: mapping.buffer[offset..<(offset + count)])
                .copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[0..<count]))
        }
    }

    /// Sets the file's size, zero-filling growth; mappings see zeros past the new end.
    mutating func resize(fileID: Int, to size: Int) {
        let oldSize = files[fileID]!.contents.count
        guard size != oldSize else { return }
        files[fileID]!.unsynced.append(.resize(size))
        Self.resize(&files[fileID]!.contents, to: size)
        guard size < oldSize else { return }
        for mapping in mappings.values where mapping.fileID == fileID && size < mapping.buffer.count {
            let end = min(oldSize, mapping.buffer.count)
            UnsafeMutableRawBufferPointer(rebasing: mapping.buffer[size..<end]).initializeMemory(as: UInt8.self, repeating: 0)
        }
    }

    /// Makes everything written to the file so far survive a crash.
    mutating func sync(fileID: Int) {
        files[fileID]!.durable = files[fileID]!.contents
        files[fileID]!.unsynced = []
    }

    static func apply(_ bytes: UnsafeRawBufferPointer, at offset: Int, to target: inout [UInt8]) {
        let end = offset + bytes.count
        if target.count < end { target.append(contentsOf: repeatElement(0, count: end - target.count)) }
        target.withUnsafeMutableBytes {
            UnsafeMutableRawBufferPointer(rebasing: $0[offset..<end]).copyMemory(from: bytes)
        }
    }

    static func resize(_ target: inout [UInt8], to size: Int) {
        if size < target.count {
            target.removeSubrange(size...)
        } else {
            target.append(contentsOf: repeatElement(0, count: size - target.count))
        }
    }
}
