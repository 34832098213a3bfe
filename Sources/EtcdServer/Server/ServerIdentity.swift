import EtcdBasics
import EtcdProto

/// Who this member is and which cluster it belongs to: what every ResponseHeader carries.
struct ServerIdentity: Sendable {
    let clusterID: ClusterID
    let memberID: MemberID
    /// The member's name (`--name`).
    let name: String
    /// The raft thread's published term and leader (headers carry the current term).
    let raft: RaftStatus
    let peerURLs: [String]
    let clientURLs: [String]

    /// The same member under the IDs its WAL records (a restart: etcd takes them from there, not
    /// from the --initial-cluster flags).
    func with(memberID: MemberID, clusterID: ClusterID) -> ServerIdentity {
        ServerIdentity(clusterID: clusterID, memberID: memberID, name: name, raft: raft,
                       peerURLs: peerURLs, clientURLs: clientURLs)
    }

    /// Fills the identity fields of a header whose revision the applier already set (creating
    /// the header if the response has none yet: etcd always sends one).
    @inline(__always)
    func fill(_ header: inout ResponseHeader?) {
        var filled = header ?? ResponseHeader()
        filled.clusterId = clusterID.rawValue
        filled.memberId = memberID.rawValue
        filled.raftTerm = raft.term.load(ordering: .relaxed)
        header = filled
    }
}
