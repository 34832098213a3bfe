import Glibc

/// Decides, before each call reaches the simulated disk, whether it runs: counts calls, fires
/// scheduled faults, and stops the world once the allowed number of mutating calls is used up.
struct FaultState {
    /// A scheduled failure: the `callsToPass + 1`-th matching call fails with `errno`, and with
    /// `isRepeating` every matching call after it too.
    struct Fault {
        var operation: FileOperation
        var path: String?
        var callsToPass: Int
        var errno: Int32
        var isRepeating: Bool
    }

    var callCounts: [FileOperation: Int] = [:]
    var mutationCount = 0
    var scheduled: [Fault] = []
    /// Mutating calls still allowed before the world stops; nil when no stop is scheduled.
    var mutationsBeforeStop: Int?
    var isStopped = false
    var hook: (@Sendable (FileOperation, String, Int) -> Int32?)?

    /// Lets a call through or throws the error that stops it. `path` is as the caller gave it.
    /// A call refused by a fault or a stopped world has no effect on the disk.
    mutating func admit(_ operation: FileOperation, path: String, isMutating: Bool) throws(IOError) {
        callCounts[operation, default: 0] += 1
        if isStopped, operation != .close {
            throw IOError(operation: operation.systemCallName, path: path, errno: EIO)
        }
        if isMutating {
            if let remaining = mutationsBeforeStop {
                guard remaining > 0 else {
                    isStopped = true
                    mutationsBeforeStop = nil
                    throw IOError(operation: operation.systemCallName, path: path, errno: EIO)
                }
                mutationsBeforeStop = remaining - 1
            }
            mutationCount += 1
        }
        if let errno = firedFault(operation, path: path) {
            throw IOError(operation: operation.systemCallName, path: path, errno: errno)
        }
        if let hook, let errno = hook(operation, path, callCounts[operation]!) {
            throw IOError(operation: operation.systemCallName, path: path, errno: errno)
        }
    }

    /// The errno of the first scheduled fault this call triggers. Every matching fault counts
    /// the call; one-shot faults that fire are removed.
    private mutating func firedFault(_ operation: FileOperation, path: String) -> Int32? {
        var fired: Int32?
        var kept: [Fault] = []
        for var fault in scheduled {
            guard fault.operation == operation, fault.path.map({ Self.samePath($0, path) }) ?? true else {
                kept.append(fault)
                continue
            }
            if fault.callsToPass > 0 {
                fault.callsToPass -= 1
                kept.append(fault)
                continue
            }
            if fired == nil { fired = fault.errno }
            if fault.isRepeating { kept.append(fault) }
        }
        scheduled = kept
        return fired
    }

    static func samePath(_ left: String, _ right: String) -> Bool {
        SimulatedDisk.components(left) == SimulatedDisk.components(right)
    }
}
