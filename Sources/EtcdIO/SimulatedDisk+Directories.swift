import Glibc

/// Namespace changes on the simulated disk: they change live entries only; `syncDirectory`
/// makes them durable.
extension SimulatedDisk {
    /// The file `path` names after open(2)'s rules for `options`, created if asked.
    mutating func openFile(_ path: String, options: OpenOptions) throws(IOError) -> Int {
        let components = Self.components(path)
        let fileID: Int
        switch try lookup(components, operation: "open", path: path) {
        case .directory?:
            throw IOError(operation: "open", path: path, errno: EISDIR)
        case .file(let id)?:
            if options.contains(.create) && options.contains(.exclusive) {
                throw IOError(operation: "open", path: path, errno: EEXIST)
            }
            fileID = id
        case nil:
            guard options.contains(.create) else { throw IOError(operation: "open", path: path, errno: ENOENT) }
            let (parentID, name) = try parent(of: path, operation: "open")
            fileID = makeID()
            files[fileID] = FileNode()
            directories[parentID]!.live[name] = .file(fileID)
        }
        if options.contains(.truncate) { resize(fileID: fileID, to: 0) }
        return fileID
    }

    /// mkdir -p: creates each missing directory on the way; a file in the way is ENOTDIR.
    mutating func createDirectories(_ path: String) throws(IOError) {
        var directoryID = Self.rootID
        var prefix = ""
        for name in Self.components(path) {
            prefix += "/" + name
            switch directories[directoryID]!.live[name] {
            case .directory(let id)?:
                directoryID = id
            case .file?:
                throw IOError(operation: "mkdir", path: prefix, errno: ENOTDIR)
            case nil:
                let id = makeID()
                directories[id] = DirectoryNode()
                directories[directoryID]!.live[name] = .directory(id)
                directoryID = id
            }
        }
    }

    /// rename(2): moves the entry (a directory moves with its subtree), replacing a file or an
    /// empty directory at `destination`.
    mutating func rename(_ source: String, to destination: String) throws(IOError) {
        func failure(_ errno: Int32) -> IOError { IOError(operation: "rename", path: source, errno: errno) }
        let (sourceParent, sourceName) = try parent(of: source, operation: "rename")
        guard let moving = directories[sourceParent]!.live[sourceName] else { throw failure(ENOENT) }
        let (destinationParent, destinationName) = try parent(of: destination, operation: "rename")
        let replaced = directories[destinationParent]!.live[destinationName]
        if replaced == moving { return }
        switch (moving, replaced) {
        case (.directory, _):
            let sourceComponents = Self.components(source)
            if Self.components(destination).starts(with: sourceComponents) { throw failure(EINVAL) }
            if case .file? = replaced { throw failure(ENOTDIR) }
            if case .directory(let id)? = replaced, !directories[id]!.live.isEmpty { throw failure(ENOTEMPTY) }
        case (.file, .directory?):
            throw failure(EISDIR)
        case (.file, _):
            break
        }
        directories[sourceParent]!.live[sourceName] = nil
        directories[destinationParent]!.live[destinationName] = moving
    }

    /// The durable bytes of the file `path` names through durable entries: what a crash that
    /// loses every unsynced change would leave there. Nil if it would not be there.
    func durableContents(_ path: String) -> [UInt8]? {
        var entry = Entry.directory(Self.rootID)
        for name in Self.components(path) {
            guard case .directory(let id) = entry, let next = directories[id]!.durable[name] else { return nil }
            entry = next
        }
        guard case .file(let id) = entry else { return nil }
        return files[id]!.durable
    }
}
