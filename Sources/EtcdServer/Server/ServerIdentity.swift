import EtcdBasics
import EtcdProto

/// Who this member is and which cluster it belongs to: what every ResponseHeader carries.
struct ServerIdentity: Sendable {
    let clusterID: ClusterID
    let memberID: MemberID
    /// The member's name (`--name`).
    let name: String
    /// The raft term. A lone member boots at term 1 and elects itself at term 2, which is the term
    /// a fresh single-member etcd reports; issue 4's raft node will own this value.
    let term: Term
    let peerURLs: [String]
    let clientURLs: [String]

    /// Fills the identity fields of a header whose revision the applier already set (creating
    /// the header if the response has none yet: etcd always sends one).
    @inline(__always)
    func fill(_ header: inout ResponseHeader?) {
        var filled = header ?? ResponseHeader()
        filled.clusterId = clusterID.rawValue
        filled.memberId = memberID.rawValue
        filled.raftTerm = term.rawValue
        header = filled
    }
}
