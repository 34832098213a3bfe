import EtcdBasics
import Raft

extension ClusterMembership {
    /// The membership a member restarts with: the one recorded in the raft snapshot `storage`
    /// was loaded from (its data is etcd's v2 store JSON), or an empty one without a snapshot (a
    /// new member fills it from the bootstrap conf changes at indexes 1...n). The raft thread
    /// and the apply thread both start here and replay the same conf changes after it.
    ///
    /// Stops the process when the snapshot's data records no readable membership: neither
    /// thread could validate a later conf change the way the rest of the cluster did.
    static func restored(from storage: MemoryStorage, clusterID: ClusterID) -> ClusterMembership {
        guard let snapshot = try? storage.snapshot(), !snapshot.isEmpty else {
            return ClusterMembership(clusterID: clusterID)
        }
        do {
            return try ClusterMembership(v2StoreSnapshot: snapshot.data, clusterID: clusterID)
        } catch {
            fatalError("the snapshot at index \(snapshot.metadata.index) records no readable membership: \(error)")
        }
    }
}

extension ClusterMembership {
    /// The raft configuration this membership stands for: its voters and learners (swetcd makes
    /// single-step changes only, so there is never an outgoing joint half).
    var confState: ConfState {
        ConfState(voters: votingMembers.map(\.id.rawValue), learners: members.filter(\.isLearner).map(\.id.rawValue))
    }
}
