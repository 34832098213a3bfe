import EtcdBasics
import Raft

/// What a raft `ConfChange` asks of the membership, decoded from its type and JSON context the
/// way etcd 3.4 reads them (`ConfigChangeContext` for adds and promotions, `Member` for
/// updates, no context for removals), and encoded back the way etcd's Cluster service proposes
/// them, so entries cross between swetcd and etcd members unchanged.
enum MembershipConfChange: Equatable, Sendable {
    /// `MemberAdd`: a new voter or learner (the member's `isLearner`), with its peer URLs and,
    /// for the members of the initial cluster, its name.
    case add(ClusterMember)
    /// `MemberPromote`: the learner becomes a voter.
    case promote(MemberID)
    /// `MemberRemove`.
    case remove(MemberID)
    /// `MemberUpdate`: the member's raft attributes become `peerURLs` and `isLearner` (name and
    /// client URLs are not touched).
    case update(id: MemberID, peerURLs: [String], isLearner: Bool)

    /// The member the change is about (the conf change's `NodeID`).
    var memberID: MemberID {
        switch self {
        case .add(let member): member.id
        case .promote(let id), .remove(let id), .update(let id, _, _): id
        }
    }

    /// Decodes a committed conf change. Throws when the context does not decode or names a
    /// member other than `NodeID` (etcd panics on both: only a broken proposer writes them).
    init(_ change: ConfChange) throws(JSONDecodeError) {
        let id = MemberID(change.nodeID)
        switch change.type {
        case .addNode, .addLearnerNode:
            let context = try JSONObjectReader(parsing: change.context)
            let member = try ClusterMember(context)
            try Self.check(member.id, matches: id)
            self = try context.bool("isPromote") ? .promote(id) : .add(member)
        case .removeNode:
            self = .remove(id)
        case .updateNode:
            let member = try ClusterMember(decodingJSON: change.context)
            try Self.check(member.id, matches: id)
            self = .update(id: id, peerURLs: member.peerURLs, isLearner: member.isLearner)
        }
    }

    private static func check(_ contextID: MemberID, matches nodeID: MemberID) throws(JSONDecodeError) {
        guard contextID == nodeID else {
            throw JSONDecodeError(offset: 0, reason: "context names member \(contextID), the conf change \(nodeID)")
        }
    }

    /// The conf change to propose, as etcd's server builds it: `AddNode` (`AddLearnerNode` for a
    /// learner) with the member's JSON; `AddNode` with `{"id":…,"peerURLs":null,"isPromote":true}`
    /// for a promotion; `RemoveNode` without context; `UpdateNode` with the member's JSON
    /// holding only `id`, `peerURLs` and `isLearner`. `requestID` is the conf change's `ID`.
    func confChange(requestID: UInt64) -> ConfChange {
        let nodeID = memberID.rawValue
        switch self {
        case .add(let member):
            return ConfChange(id: requestID, type: member.isLearner ? .addLearnerNode : .addNode, nodeID: nodeID,
                              context: Array(member.json.utf8))
        case .promote(let id):
            return ConfChange(id: requestID, type: .addNode, nodeID: nodeID,
                              context: Array("{\"id\":\(id.rawValue),\"peerURLs\":null,\"isPromote\":true}".utf8))
        case .remove:
            return ConfChange(id: requestID, type: .removeNode, nodeID: nodeID)
        case .update(let id, let peerURLs, let isLearner):
            let member = ClusterMember(id: id, peerURLs: peerURLs, isLearner: isLearner)
            return ConfChange(id: requestID, type: .updateNode, nodeID: nodeID, context: Array(member.json.utf8))
        }
    }
}
