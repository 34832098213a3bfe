import EtcdBasics
import EtcdProto

/// What the Cluster service decides before proposing a member change (etcd's `ClusterServer`
/// methods and `EtcdServer.AddMember` / `RemoveMember` / `UpdateMember` / `PromoteMember`,
/// up to `configure`). Pure: the caller supplies the membership as of the applied index, the
/// peers' activity, the clock and the raft progress, so every rule is testable without sockets.
///
/// What passes here is only proposed: the change is validated again when it applies
/// (`ClusterMembership.validate`), and that verdict (duplicate ID or peer URL, unknown member,
/// too many learners) is what the caller hears.
enum MemberChangeCheck {
    /// `MemberAdd`: the peer URLs must parse as etcd's `types.NewURLs` parses them (at least one;
    /// scheme http, https, unix or unixs; `host:port`; no path), else `memberBadURLs`. The new
    /// member's ID hashes the sorted canonical URLs and the Unix time in seconds, with no cluster
    /// token (etcd's `NewMember("", urls, "", now)`); it has no name or client URLs until it
    /// starts and publishes them. With `--strict-reconfig-check`, `mayAddMember` may refuse.
    static func add(_ request: MemberAddRequest, unixTime: Int64, membership: ClusterMembership,
                    localID: MemberID, activity: PeerActivity,
                    isStrictReconfigCheck: Bool) throws(EtcdError) -> MembershipConfChange {
        guard !request.peerURLs.isEmpty else { throw .memberBadURLs }
        var peerURLs: [String] = []
        for text in request.peerURLs {
            do {
                peerURLs.append(try EtcdURL(parsing: text).description)
            } catch {
                throw .memberBadURLs
            }
        }
        peerURLs.sort()
        let id = MemberIdentity.memberID(peerURLStrings: peerURLs, clusterToken: "", unixTime: unixTime)
        try membership.mayAddMember(isLearner: request.isLearner, localID: localID, activity: activity,
                                    isStrictReconfigCheck: isStrictReconfigCheck)
        return .add(ClusterMember(id: id, peerURLs: peerURLs, isLearner: request.isLearner))
    }

    /// `MemberRemove`: with `--strict-reconfig-check`, `mayRemoveMember` may refuse. An unknown
    /// ID is proposed all the same and refused on apply ("member not found"), as in etcd.
    static func remove(_ request: MemberRemoveRequest, membership: ClusterMembership, localID: MemberID,
                       activity: PeerActivity, isStrictReconfigCheck: Bool) throws(EtcdError) -> MembershipConfChange {
        let id = MemberID(request.id)
        try membership.mayRemoveMember(id, localID: localID, activity: activity,
                                       isStrictReconfigCheck: isStrictReconfigCheck)
        return .remove(id)
    }

    /// `MemberUpdate`: proposed without checks; the URLs are taken as given (etcd does not
    /// parse them here), and apply refuses an unknown member or a peer URL another member holds.
    static func update(_ request: MemberUpdateRequest, membership: ClusterMembership) -> MembershipConfChange {
        membership.memberUpdate(MemberID(request.id), peerURLs: request.peerURLs)
    }

    /// Where a `MemberPromote` goes.
    enum PromoteDecision: Equatable {
        /// This member leads and found the learner ready: propose the promotion.
        case propose(MembershipConfChange)
        /// Only the leader knows how far the learner got: etcd forwards the request to the
        /// leader's peer URL (`POST /members/promote/<id>`) and relays its answer.
        case forwardToLeader
    }

    /// `MemberPromote`: `matchIndexes` is the raft progress while this member leads, nil while
    /// it follows. A learner behind the leader is refused (`learnerNotReady`), as is, with
    /// `--strict-reconfig-check`, a promotion that would leave too few started voters.
    static func promote(_ request: MemberPromoteRequest, membership: ClusterMembership, localID: MemberID,
                        matchIndexes: [MemberID: UInt64]?,
                        isStrictReconfigCheck: Bool) throws(EtcdError) -> PromoteDecision {
        let id = MemberID(request.id)
        do throws(EtcdError) {
            try membership.mayPromoteMember(id, leaderID: localID, matchIndexes: matchIndexes,
                                            isStrictReconfigCheck: isStrictReconfigCheck)
        } catch {
            guard error == .notLeader else { throw error }
            return .forwardToLeader
        }
        return .propose(.promote(id))
    }
}
