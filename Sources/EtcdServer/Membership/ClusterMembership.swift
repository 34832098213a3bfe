import EtcdBasics

/// The cluster's membership as the apply thread knows it (etcd's `RaftCluster`): the members by
/// ID, the IDs removed for good, the cluster ID and the cluster version.
///
/// A value: it changes only through `apply(_:)`, `updateAttributes` and `setVersion`, which
/// return the backend writes that make the change durable (`MembershipWrite`, performed by
/// `MembershipBackend`), so the logic here touches no file and tests run it directly.
///
/// Where it starts: a new member starts empty and fills as raft applies the bootstrap conf
/// changes (one `add` per `--initial-cluster` member; etcd validates those against its still
/// empty v2 store, so pre-filling would refuse them as `idExists`). A restarted member starts
/// from the raft snapshot's membership (`init(v2StoreSnapshot:clusterID:)`) and replays the
/// conf changes after it, writing to the backend only those past its consistent index; the
/// backend's copy (`MembershipBackend.recover`) is the membership at that consistent index.
///
/// Invariants: no ID is both a member and removed; at most `learnersMax` members are learners
/// among those added through validated changes.
struct ClusterMembership: Equatable, Sendable {
    /// etcd 3.4 allows one learner at a time (`maxLearners`).
    static let learnersMax = 1

    private(set) var clusterID: ClusterID
    private(set) var membersByID: [MemberID: ClusterMember]
    /// Members removed from the cluster; their IDs are refused forever after.
    private(set) var removed: Set<MemberID>
    /// The cluster version (`"3.4.0"`), nil until the leader first decides it.
    private(set) var version: String?

    init(clusterID: ClusterID, members: [ClusterMember] = [], removed: Set<MemberID> = [], version: String? = nil) {
        var byID: [MemberID: ClusterMember] = [:]
        for member in members {
            precondition(byID.updateValue(member, forKey: member.id) == nil, "member \(member.id) listed twice")
            precondition(!removed.contains(member.id), "member \(member.id) is both present and removed")
        }
        self.clusterID = clusterID
        membersByID = byID
        self.removed = removed
        self.version = version
    }

    /// Every member, ordered by ID (the order etcd's `MemberList` answers in).
    var members: [ClusterMember] { membersByID.values.sorted { $0.id < $1.id } }

    /// The members that vote, ordered by ID.
    var votingMembers: [ClusterMember] { members.filter { !$0.isLearner } }

    func member(_ id: MemberID) -> ClusterMember? { membersByID[id] }

    func isRemoved(_ id: MemberID) -> Bool { removed.contains(id) }

    /// Every member's peer URLs, sorted (etcd's `PeerURLs`).
    var peerURLs: [String] { membersByID.values.flatMap(\.peerURLs).sorted() }

    /// Every member's client URLs, sorted (etcd's `ClientURLs`).
    var clientURLs: [String] { membersByID.values.flatMap(\.clientURLs).sorted() }

    var learnerCount: Int { membersByID.values.count { $0.isLearner } }
}

// MARK: - Changes

extension ClusterMembership {
    /// Applies a conf change that passed `validate` (etcd's `applyConfChange`, membership half):
    /// adds the member, promotes the learner, removes the member (its ID is then refused
    /// forever), or replaces the member's raft attributes. Returns the backend write.
    ///
    /// Precondition: `validate(change)` did not throw on this membership (the apply thread
    /// validates each committed change just before applying it, as etcd does).
    mutating func apply(_ change: MembershipConfChange) -> MembershipWrite {
        switch change {
        case .add(let member):
            precondition(membersByID[member.id] == nil && !removed.contains(member.id), "add of member \(member.id) not validated")
            membersByID[member.id] = member
            return .saveMember(member)
        case .promote(let id):
            guard var member = membersByID[id] else { preconditionFailure("promote of unknown member \(id)") }
            member.isLearner = false
            membersByID[id] = member
            return .saveMember(member)
        case .remove(let id):
            membersByID[id] = nil
            removed.insert(id)
            return .removeMember(id)
        case .update(let id, let peerURLs, let isLearner):
            guard var member = membersByID[id] else { preconditionFailure("update of unknown member \(id)") }
            member.peerURLs = peerURLs
            member.isLearner = isLearner
            membersByID[id] = member
            return .saveMember(member)
        }
    }

    /// Records what a member published about itself on start (etcd's `UpdateAttributes`).
    /// Returns nil, changing nothing, for a member removed meanwhile.
    ///
    /// Precondition: `id` is a member or was one (only members publish, through the log).
    mutating func updateAttributes(of id: MemberID, name: String, clientURLs: [String]) -> MembershipWrite? {
        guard var member = membersByID[id] else {
            precondition(removed.contains(id), "attributes published for unknown member \(id)")
            return nil
        }
        member.name = name
        member.clientURLs = clientURLs
        membersByID[id] = member
        return .saveMember(member)
    }

    /// The change a `MemberUpdate` proposes: new peer URLs, the learner flag kept. (etcd 3.4.23
    /// proposes `isLearner` false here, so updating a learner's URLs makes it a voter in etcd's
    /// membership while raft keeps it a learner; swetcd keeps the flag. An entry an etcd peer
    /// proposed is still applied as written, so all members agree.)
    func memberUpdate(_ id: MemberID, peerURLs: [String]) -> MembershipConfChange {
        .update(id: id, peerURLs: peerURLs, isLearner: membersByID[id]?.isLearner ?? false)
    }

    /// Sets the cluster version the leader decided (etcd's `SetVersion`).
    mutating func setVersion(_ version: String) -> MembershipWrite {
        self.version = version
        return .saveClusterVersion(version)
    }
}
