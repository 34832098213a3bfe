import EtcdBasics

/// What the peer transport knows about the other members when a member change is asked for:
/// the input of etcd's `--strict-reconfig-check` health checks, gathered by the caller.
struct PeerActivity: Equatable, Sendable {
    /// Peers with a working stream now (etcd's `transport.ActiveSince(id)` is set).
    var connected: Set<MemberID>
    /// Peers whose stream has been up for at least `healthIntervalSeconds` (etcd's
    /// `isConnectedSince(transport, now - HealthInterval, id)`). A subset of `connected`.
    var connectedForHealthInterval: Set<MemberID>

    /// etcd's `HealthInterval`: how long a peer must have been connected to count as healthy.
    static let healthIntervalSeconds = 5

    init(connected: Set<MemberID>, connectedForHealthInterval: Set<MemberID>) {
        precondition(connectedForHealthInterval.isSubset(of: connected), "a peer connected for a while is connected")
        self.connected = connected
        self.connectedForHealthInterval = connectedForHealthInterval
    }
}

extension ClusterMembership {
    /// etcd's `readyPercent`: a learner whose log matches less than this fraction of the
    /// leader's is not promoted.
    static let learnerReadyFraction = 0.9

    // MARK: Quorum of started members (etcd's IsReadyTo*)

    /// Whether a new voter can be added without the started voters falling short of the
    /// quorum of the grown cluster. A cluster of one started voter may always grow (restoring
    /// a cluster from one member's data goes that way).
    var isReadyToAddVotingMember: Bool {
        let voters = votingMembers
        let memberCount = voters.count + 1
        let startedCount = voters.count { $0.isStarted }
        if startedCount == 1 && memberCount == 2 { return true }
        return startedCount >= memberCount / 2 + 1
    }

    /// Whether removing `id` leaves the other voters with a started quorum.
    func isReadyToRemoveVotingMember(_ id: MemberID) -> Bool {
        let others = votingMembers.filter { $0.id != id }
        return others.count { $0.isStarted } >= others.count / 2 + 1
    }

    /// Whether promoting a learner keeps a started quorum, counting the learner as a started
    /// voter. (`id` is not consulted, as in etcd: the learner is assumed to be in sync.)
    func isReadyToPromoteMember(_ id: MemberID) -> Bool {
        let voters = votingMembers
        let memberCount = voters.count + 1
        let startedCount = voters.count { $0.isStarted } + 1
        return startedCount >= memberCount / 2 + 1
    }

    // MARK: The server's checks before proposing (etcd's mayAddMember / mayRemoveMember / mayPromoteMember)

    /// Refuses a `MemberAdd` that could cost the cluster its quorum: a voter while too few
    /// voters have started (`memberNotEnoughStarted`), or any member while this member is not
    /// connected to every voter for a health interval (`unhealthy`). No check without
    /// `--strict-reconfig-check`.
    func mayAddMember(isLearner: Bool, localID: MemberID, activity: PeerActivity,
                      isStrictReconfigCheck: Bool) throws(EtcdError) {
        guard isStrictReconfigCheck else { return }
        if !isLearner && !isReadyToAddVotingMember { throw .memberNotEnoughStarted }
        let voters = votingMembers
        guard healthyVoterCount(localID: localID, activity: activity) == voters.count else { throw .unhealthy }
    }

    /// Refuses a `MemberRemove` of a voter that could cost the cluster its quorum: too few
    /// started voters would remain (`memberNotEnoughStarted`), or, unless the member is down
    /// anyway, the healthy voters left would not form a quorum (`unhealthy`). Removing a
    /// learner is never refused.
    func mayRemoveMember(_ id: MemberID, localID: MemberID, activity: PeerActivity,
                         isStrictReconfigCheck: Bool) throws(EtcdError) {
        guard isStrictReconfigCheck else { return }
        if membersByID[id]?.isLearner == true { return }
        guard isReadyToRemoveVotingMember(id) else { throw .memberNotEnoughStarted }
        // A member that is down is not part of the active quorum: removing it costs nothing.
        if id != localID && !activity.connected.contains(id) { return }
        let voterCount = votingMembers.count
        let healthy = healthyVoterCount(localID: localID, activity: activity)
        if healthy - 1 < 1 + (voterCount - 1) / 2 { throw .unhealthy }
    }

    /// Refuses a `MemberPromote` of a learner that is behind the leader (`learnerNotReady`;
    /// checked with or without strict checking) or that would leave too few started voters
    /// (`memberNotEnoughStarted`). Only the leader knows how far the learner got: elsewhere
    /// `matchIndexes` is nil and the answer `notLeader` (the caller then forwards to the
    /// leader, as etcd does).
    ///
    /// `matchIndexes` is the leader's raft progress: each member's match index, the leader's
    /// own included. A learner the progress does not list passes this check (validation on
    /// apply refuses it later if it is not a learner at all).
    func mayPromoteMember(_ id: MemberID, leaderID: MemberID, matchIndexes: [MemberID: UInt64]?,
                          isStrictReconfigCheck: Bool) throws(EtcdError) {
        guard let matchIndexes else { throw .notLeader }
        if let learnerMatch = matchIndexes[id] {
            let leaderMatch = matchIndexes[leaderID] ?? 0
            if Double(learnerMatch) < Double(leaderMatch) * Self.learnerReadyFraction { throw .learnerNotReady }
        }
        guard isStrictReconfigCheck else { return }
        guard isReadyToPromoteMember(id) else { throw .memberNotEnoughStarted }
    }

    /// Voters this member has been connected to for a health interval, itself included.
    private func healthyVoterCount(localID: MemberID, activity: PeerActivity) -> Int {
        votingMembers.count { $0.id == localID || activity.connectedForHealthInterval.contains($0.id) }
    }
}
