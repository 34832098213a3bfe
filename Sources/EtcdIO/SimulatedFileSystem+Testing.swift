import Glibc

/// What tests use to crash the simulated disk, fail its calls and look inside it.
extension SimulatedFileSystem {
    /// Power loss and reboot: the disk keeps what `outcome` says survives (by default only what
    /// was synced). Every `File` opened before becomes stale (its calls throw EBADF; `close`
    /// succeeds), flocks are released, existing mappings stop following the files (they stay
    /// readable until unmapped), and scheduled faults, the fault hook and any stop are cleared.
    /// Call and mutation counts carry on.
    public func crash(_ outcome: CrashOutcome = .loseUnsynced) {
        let oldHook = disk.withLock { disk in
            defer { disk.crash(outcome) }
            return disk.faults.hook
        }
        _ = oldHook   // released here, outside the lock (it may hold the last reference to a file)
    }

    /// A second file system holding the same directories and files, durable and unsynced state
    /// alike, but no open handles, mappings, locks, faults or stop; counts start at zero. Build a
    /// state once, then clone it for each crash point or seed.
    public func clone() -> SimulatedFileSystem {
        let copy = SimulatedFileSystem()
        let (directories, files, nextID) = disk.withLock { ($0.directories, $0.files, $0.peekNextID) }
        copy.disk.withLock { $0.restore(directories: directories, files: files, nextID: nextID) }
        return copy
    }

    /// Fails the `number`-th call of `operation` from now (1: the next one), counting only calls
    /// on `path` when given, with `errno`; with `repeating`, every matching call after it fails
    /// too (a disk that has died). A failed call has no effect. Several faults may be pending.
    public func failCall(_ operation: FileOperation, number: Int = 1, path: String? = nil,
                         errno: Int32 = EIO, repeating: Bool = false) {
        precondition(number >= 1, "failCall number \(number): calls are counted from 1")
        disk.withLock {
            $0.faults.scheduled.append(FaultState.Fault(operation: operation, path: path, callsToPass: number - 1,
                                                        errno: errno, isRepeating: repeating))
        }
    }

    /// Asks `hook` before every counted call (after scheduled faults): given the operation, the
    /// path and how many calls of that operation there have been including this one, it returns
    /// an errno to fail the call with, or nil to let it run. Runs under the disk's lock: it must
    /// not call back into this file system. Nil removes the hook.
    public func setFaultHook(_ hook: (@Sendable (FileOperation, String, Int) -> Int32?)?) {
        let oldHook = disk.withLock { disk in
            defer { disk.faults.hook = hook }
            return disk.faults.hook
        }
        _ = oldHook   // released outside the lock: it may hold the last reference to a file

    }

    /// Removes every scheduled fault and the hook (a pending stop stays).
    public func clearFaults() {
        let oldHook = disk.withLock { disk in
            defer {
                disk.faults.scheduled = []
                disk.faults.hook = nil
            }
            return disk.faults.hook
        }
        _ = oldHook   // released outside the lock: it may hold the last reference to a file
    }

    /// Lets `mutations` more mutating calls (write, dataSync, sync, truncate, preallocate,
    /// rename, remove, createDirectory, syncDirectory, and open with create or truncate) run,
    /// then stops the world: that call and every later one (except `close`) fails with EIO and
    /// does nothing, until `crash`. Loop `mutations` over 0..<steps to cut a sequence at each
    /// step; `mutationCount` before and after one uncut run gives `steps`.
    public func stopAfter(mutations: Int) {
        precondition(mutations >= 0, "stopAfter(mutations: \(mutations))")
        disk.withLock { $0.faults.mutationsBeforeStop = mutations }
    }

    /// Whether a stop set by `stopAfter(mutations:)` has happened (until the next `crash`).
    public var isStopped: Bool {
        disk.withLock { $0.faults.isStopped }
    }

    /// How many calls of `operation` were made since this file system was created, including
    /// failed ones.
    public func callCount(of operation: FileOperation) -> Int {
        disk.withLock { $0.faults.callCounts[operation] ?? 0 }
    }

    /// How many mutating calls were let through since this file system was created (see
    /// `stopAfter(mutations:)` for which calls mutate).
    public var mutationCount: Int {
        disk.withLock { $0.faults.mutationCount }
    }

    /// The bytes a read of the file at `path` sees now; nil if no file is there. Not counted.
    public func contents(of path: String) -> [UInt8]? {
        disk.withLock { disk in
            guard case .file(let id)? = try? disk.lookup(SimulatedDisk.components(path), operation: "stat", path: path)
            else { return nil }
            return disk.files[id]!.contents
        }
    }

    /// The bytes at `path` after a crash that loses everything unsynced (nil if the file would
    /// not be there). Not counted.
    public func durableContents(of path: String) -> [UInt8]? {
        disk.withLock { $0.durableContents(path) }
    }
}
