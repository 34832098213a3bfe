import EtcdBasics

import Synchronization

/// The member's `Lessor`, shared by the threads that need it: the apply thread changes it as
/// entries apply, the event loops renew leases and read them, the raft thread takes expired
/// leases on the leader. Every access is one short critical section on the lessor.
final class LeaseTable: Sendable {
    private let lessor: Mutex<Lessor>

    init(minTTL: Int64, checkpointing: LeaseCheckpointing? = nil) {
        lessor = Mutex(Lessor(minTTL: minTTL, checkpointing: checkpointing))
    }

    func withLessor<Result: Sendable, Failure: Error>(_ body: (inout Lessor) throws(Failure) -> Result) throws(Failure) -> Result {
        try lessor.withLock { (lessor: inout Lessor) throws(Failure) -> Result in try body(&lessor) }
    }

    func contains(_ id: LeaseID) -> Bool { lessor.withLock { $0.contains(id) } }

    /// The keys attached to lease `id` (none for an unknown lease).
    func keys(of id: LeaseID) -> [[UInt8]] { lessor.withLock { Array($0.leases[id]?.keys ?? []) } }
}
