/// Looking at flocks on the simulated disk, so tests can assert who holds what.
extension SimulatedFileSystem {
    /// Whether some open handle holds the exclusive lock on the file `path` names now. Not
    /// counted; false if no file is there.
    public func isLocked(_ path: String) -> Bool {
        disk.withLock { disk in
            guard case .file(let id)? = try? disk.lookup(SimulatedDisk.components(path), operation: "stat", path: path)
            else { return false }
            return disk.lockHolders[id] != nil
        }
    }
}
