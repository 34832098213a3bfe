// The leader's table of followers, the configuration, and the votes of an election in progress.

/// Progress per node, the configuration, and the votes received. etcd's `tracker.ProgressTracker`.
///
/// Invariant: `progress` has an entry for exactly the voters of both halves, the learners and the
/// learners-next; `progress[id].isLearner` holds exactly for `config.learners`.
public struct ProgressTracker: Sendable {
    public internal(set) var config: TrackerConfig
    public internal(set) var progress: [NodeID: Progress] = [:]
    public internal(set) var votes: [NodeID: Bool] = [:]
    let maxInflight: Int

    /// An empty configuration; `Changer` (or `Raft.applyConfState`) fills it.
    init(maxInflight: Int) {
        self.config = TrackerConfig()
        self.maxInflight = maxInflight
    }

    /// The voters (both halves while joint). Read-only: configurations change through `Changer`.
    public var voters: JointConfig { config.voters }

    /// The learners, ascending.
    public var sortedLearners: [NodeID] { config.learners.sorted() }

    /// Node IDs with progress, ascending (deterministic iteration).
    public var sortedIDs: [NodeID] { progress.keys.sorted() }

    /// The configuration as raft persists it (in snapshots) and hands to the application.
    public var confState: ConfState {
        var state = ConfState(voters: config.voters.incoming.sortedVoters, learners: sortedLearners)
        state.votersOutgoing = config.voters.outgoing.sortedVoters
        state.learnersNext = config.learnersNext.sorted()
        state.autoLeave = config.autoLeave
        return state
    }

    /// Whether the only voter is one node (the leader, when one leads): it alone decides.
    public var isSingleton: Bool {
        config.voters.incoming.voters.count == 1 && !config.voters.isJoint
    }

    /// The largest index a quorum of voters (of both halves while joint) has stored.
    func committed() -> UInt64 {
        config.voters.committedIndex { progress[$0]?.match }
    }

    /// Whether a quorum of voters was heard from since the last check (the leader counts itself).
    func isQuorumActive() -> Bool {
        var active: [NodeID: Bool] = [:]
        for id in config.voters.voters { active[id] = progress[id]?.recentActive ?? false }
        return config.voters.voteResult(active) == .won
    }

    mutating func resetVotes() {
        votes = [:]
    }

    /// Records `id`'s vote; only its first vote in an election counts.
    mutating func recordVote(_ id: NodeID, granted: Bool) {
        if votes[id] == nil { votes[id] = granted }
    }

    /// (granted, rejected, outcome) among voters; a learner's vote (or a stranger's) never counts.
    func tallyVotes() -> (granted: Int, rejected: Int, result: VoteResult) {
        var granted = 0
        var rejected = 0
        for id in config.voters.voters {
            switch votes[id] {
            case true?: granted += 1
            case false?: rejected += 1
            case nil: break
            }
        }
        return (granted, rejected, config.voters.voteResult(votes))
    }
}
