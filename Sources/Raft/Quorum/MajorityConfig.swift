// Majority quorums: what a set of voters has committed and how an election among them stands.

/// How an election stands.
public enum VoteResult: Sendable, Equatable {
    /// Not decided yet: more votes could still go either way.
    case pending
    /// A majority refused.
    case lost
    /// A majority granted.
    case won
}

/// A set of voters decided by simple majority. etcd's `quorum.MajorityConfig`.
public struct MajorityConfig: Sendable, Equatable, CustomStringConvertible {
    public var voters: Set<NodeID>

    public init(_ voters: Set<NodeID>) {
        self.voters = voters
    }

    /// The voters in ascending order, so every walk over them is deterministic.
    public var sortedVoters: [NodeID] { voters.sorted() }

    /// `(1 2 3)`: the voters ascending, as etcd prints a majority configuration.
    public var description: String {
        "(" + sortedVoters.map(String.init).joined(separator: " ") + ")"
    }

    /// The largest index that a majority has acknowledged (`acked` nil counts as 0).
    /// An empty configuration commits everything (`UInt64.max`), as etcd's does, so that a joint
    /// configuration's empty half never holds the other back. O(n log n).
    public func committedIndex(acked: (NodeID) -> UInt64?) -> UInt64 {
        guard !voters.isEmpty else { return .max }
        let indexes = voters.map { acked($0) ?? 0 }.sorted(by: >)
        return indexes[voters.count / 2]
    }

    /// The election's outcome given `votes` (true granted, false refused, absent not yet heard).
    public func voteResult(_ votes: [NodeID: Bool]) -> VoteResult {
        guard !voters.isEmpty else { return .won }
        var granted = 0
        var missing = 0
        for id in voters {
            switch votes[id] {
            case true?: granted += 1
            case false?: break
            case nil: missing += 1
            }
        }
        let quorum = voters.count / 2 + 1
        if granted >= quorum { return .won }
        if granted + missing >= quorum { return .pending }
        return .lost
    }
}
