// The leader's table of followers, the configuration, and the votes of an election in progress.

/// Progress per node, the voter configuration, and the votes received. etcd's `tracker.ProgressTracker`.
public struct ProgressTracker: Sendable {
    public internal(set) var voters: MajorityConfig
    public internal(set) var progress: [NodeID: Progress] = [:]
    public internal(set) var votes: [NodeID: Bool] = [:]
    let maxInflight: Int

    init(voters: Set<NodeID>, maxInflight: Int) {
        self.voters = MajorityConfig(voters)
        self.maxInflight = maxInflight
    }

    /// Node IDs with progress, ascending (deterministic iteration).
    public var sortedIDs: [NodeID] { progress.keys.sorted() }

    /// The largest index a quorum of voters has stored.
    func committed() -> UInt64 {
        voters.committedIndex { progress[$0]?.match }
    }

    /// Whether a quorum of voters was heard from since the last check (the leader counts itself).
    func isQuorumActive() -> Bool {
        var active: [NodeID: Bool] = [:]
        for id in voters.voters { active[id] = progress[id]?.recentActive ?? false }
        return voters.voteResult(active) == .won
    }

    mutating func resetVotes() {
        votes = [:]
    }

    /// Records `id`'s vote; only its first vote in an election counts.
    mutating func recordVote(_ id: NodeID, granted: Bool) {
        if votes[id] == nil { votes[id] = granted }
    }

    /// (granted, rejected, outcome) among voters.
    func tallyVotes() -> (granted: Int, rejected: Int, result: VoteResult) {
        var granted = 0
        var rejected = 0
        for id in voters.voters {
            switch votes[id] {
            case true?: granted += 1
            case false?: rejected += 1
            case nil: break
            }
        }
        return (granted, rejected, voters.voteResult(votes))
    }
}
