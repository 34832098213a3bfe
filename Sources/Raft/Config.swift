// How a raft node is set up: its identity, its timing in ticks, its limits, its seed.

/// A raft node's parameters. etcd's `raft.Config` (the subset this module implements).
public struct Config: Sendable {
    /// This node's ID; never `noneNodeID`.
    public var id: NodeID
    /// Ticks a follower waits without hearing from a leader before it campaigns; the actual timeout
    /// is drawn uniformly from `[electionTick, 2 * electionTick)`. Must exceed `heartbeatTick`
    /// (etcd recommends ten times as many).
    public var electionTick: Int
    /// Ticks between a leader's heartbeats.
    public var heartbeatTick: Int
    /// The index the application has already applied (restarts); 0 for a new node.
    public var applied: UInt64 = 0
    /// Maximum encoded bytes of entries in one append message (etcd server: 1 MiB).
    public var maxSizePerMsgBytes: UInt64 = 1024 * 1024
    /// Maximum encoded bytes of committed entries in one `Ready`.
    public var maxCommittedSizePerReadyBytes: UInt64 = 1024 * 1024 * 1024
    /// Maximum payload bytes (entry data) a leader holds uncommitted before it refuses proposals
    /// with `proposalDropped`; etcd's `MaxUncommittedEntriesSize`. Unlimited by default, as in
    /// etcd 3.4's server.
    public var maxUncommittedEntriesBytes: UInt64 = .max
    /// Maximum append messages in flight to one follower in replicate state (etcd server: 512).
    public var maxInflightMsgs: Int = 512
    /// A leader steps down when it has not heard from a quorum within an election timeout, and
    /// followers that heard from a leader recently ignore higher-term vote requests.
    public var checkQuorum = false
    /// Candidates first run a pre-election that does not raise terms, so a node rejoining from a
    /// partition does not disrupt a healthy leader.
    public var preVote = false
    /// Followers drop proposals instead of forwarding them to the leader.
    public var disableProposalForwarding = false
    /// A leader that applies its own removal steps down into the next term instead of leading
    /// on (etcd-io/raft's `StepDownOnRemoval`; etcd 3.4's server stops the member instead).
    public var stepDownOnRemoval = false
    /// Seed of the generator that randomizes election timeouts.
    public var seed: UInt64

    public init(id: NodeID, electionTick: Int = 10, heartbeatTick: Int = 1, seed: UInt64) {
        self.id = id
        self.electionTick = electionTick
        self.heartbeatTick = heartbeatTick
        self.seed = seed
    }

    /// Checks the parameters; a bad configuration is the caller's programmer error.
    func validate() {
        precondition(id != noneNodeID, "cannot use none as id")
        precondition(heartbeatTick > 0, "heartbeat tick must be greater than 0")
        precondition(electionTick > heartbeatTick, "election tick must be greater than heartbeat tick")
        precondition(maxInflightMsgs > 0, "max inflight messages must be greater than 0")
    }
}
