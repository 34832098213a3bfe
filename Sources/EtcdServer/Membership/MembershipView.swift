import EtcdBasics
import Synchronization

/// The membership as of the apply thread's applied index, for the other threads to read: the
/// Cluster service answers `MemberList` from it and runs the strict-reconfiguration checks
/// against it, the router asks it whether this member is a learner, Status reports the same.
///
/// The apply thread is the only writer (`publish`); readers get a consistent copy. The
/// learner flag is kept apart in an atomic because every RPC consults it.
final class MembershipView: Sendable {
    /// This member's ID (the one the WAL records).
    let localID: MemberID
    private let current: Mutex<ClusterMembership>
    private let isLocalLearnerFlag: Atomic<Bool>
    private let isLocalRemovedFlag = Atomic<Bool>(false)
    /// What to run once a committed conf change removes this member (set by the composition
    /// root: etcd stops the server then).
    private let removalHandler = Mutex<(@Sendable () -> Void)?>(nil)

    init(localID: MemberID, membership: ClusterMembership) {
        self.localID = localID
        current = Mutex(membership)
        isLocalLearnerFlag = Atomic(membership.member(localID)?.isLearner == true)
    }

    /// A copy of the membership as of the last publish.
    var membership: ClusterMembership { current.withLock { $0 } }

    /// Whether this member is a learner now (etcd's `IsMemberExist(ID) && IsLearner()`): it then
    /// serves only Status and serializable Range.
    var isLocalLearner: Bool { isLocalLearnerFlag.load(ordering: .relaxed) }

    /// Whether a committed conf change removed this member ("the member has been permanently
    /// removed from the cluster").
    var isLocalRemoved: Bool { isLocalRemovedFlag.load(ordering: .relaxed) }

    /// Makes `membership` the one readers see. Apply thread only.
    func publish(_ membership: ClusterMembership) {
        isLocalLearnerFlag.store(membership.member(localID)?.isLearner == true, ordering: .relaxed)
        current.withLock { $0 = membership }
    }

    /// Runs `handler` once this member is removed from the cluster (at once if it already was).
    /// The apply thread calls it after the batch that removed the member has been answered, so
    /// the caller of the removal hears back before the server stops.
    func onLocalMemberRemoved(_ handler: @escaping @Sendable () -> Void) {
        let isRemoved = removalHandler.withLock { stored in
            stored = handler
            return isLocalRemovedFlag.load(ordering: .relaxed)
        }
        if isRemoved { handler() }
    }

    /// Records that this member was removed and runs the handler, once. Apply thread only.
    func localMemberRemoved() {
        let handler = removalHandler.withLock { stored -> (@Sendable () -> Void)? in
            guard !isLocalRemovedFlag.exchange(true, ordering: .relaxed) else { return nil }
            return stored
        }
        handler?()
    }
}
