// Joint quorums: two majority configurations that must both agree, the heart of joint consensus
// (Raft thesis §4.3). While a configuration changes from C_old to C_new, every decision needs a
// majority of C_new (incoming) and a majority of C_old (outgoing), so neither half can act alone.

/// The voters of a configuration, possibly in transition. etcd's `quorum.JointConfig`.
///
/// Outside a transition `outgoing` is empty, and an empty majority configuration agrees to
/// everything, so a joint configuration then behaves exactly as `incoming` alone.
public struct JointConfig: Sendable, Equatable, CustomStringConvertible {
    /// The configuration being moved to (etcd's `Voters[0]`); the only one outside a transition.
    public var incoming: MajorityConfig
    /// The configuration being left (etcd's `Voters[1]`); empty unless joint.
    public var outgoing: MajorityConfig

    public init(incoming: MajorityConfig = MajorityConfig([]), outgoing: MajorityConfig = MajorityConfig([])) {
        self.incoming = incoming
        self.outgoing = outgoing
    }

    /// Whether a transition is in progress (the outgoing half has voters).
    public var isJoint: Bool { !outgoing.voters.isEmpty }

    /// Every voter of either half (etcd's `IDs()`): whom a candidate asks for votes. Outside a
    /// transition this is `incoming`'s own set (no copy). For membership, use `contains(_:)`.
    public var voters: Set<NodeID> { isJoint ? incoming.voters.union(outgoing.voters) : incoming.voters }

    /// Whether `id` votes in either half. Unlike `voters.contains`, builds no union while joint.
    public func contains(_ id: NodeID) -> Bool {
        incoming.voters.contains(id) || outgoing.voters.contains(id)
    }

    /// `voters` ascending, so every walk over them is deterministic.
    public var sortedVoters: [NodeID] { voters.sorted() }

    /// `(1 2 3)&&(1 2)` while joint, `(1 2 3)` otherwise, as etcd prints it.
    public var description: String {
        isJoint ? "\(incoming)&&\(outgoing)" : incoming.description
    }

    /// The largest index both halves have committed: the smaller of the two. O(n log n).
    public func committedIndex(acked: (NodeID) -> UInt64?) -> UInt64 {
        min(incoming.committedIndex(acked: acked), outgoing.committedIndex(acked: acked))
    }

    /// The election's outcome: won only when both halves are won, lost as soon as either is lost,
    /// pending otherwise.
    public func voteResult(_ votes: [NodeID: Bool]) -> VoteResult {
        let incomingResult = incoming.voteResult(votes)
        let outgoingResult = outgoing.voteResult(votes)
        if incomingResult == outgoingResult { return incomingResult }
        if incomingResult == .lost || outgoingResult == .lost { return .lost }
        return .pending
    }
}
