// The consensus state machine: roles, terms, votes and timers. Message handling is in
// Raft+Step.swift, log replication in Raft+Replication.swift.
//
// etcd swaps `step` and `tick` function pointers when the role changes; here the role is `state`
// and `step`/`tick` switch on it, which is the same dispatch without stored closures.

/// A node's role.
public enum StateType: Sendable, Equatable, CustomStringConvertible {
    case follower
    case candidate
    case leader
    case preCandidate

    public var description: String {
        switch self {
        case .follower: "StateFollower"
        case .candidate: "StateCandidate"
        case .leader: "StateLeader"
        case .preCandidate: "StatePreCandidate"
        }
    }
}

/// Why a proposal or message was refused. Operating conditions the caller handles.
public enum RaftError: Error, Sendable, Equatable {
    /// No leader is known (or forwarding is disabled, or this node was removed): retry later.
    case proposalDropped
    /// Local-only message types cannot be stepped in from outside.
    case stepLocalMessage
    /// A response from a node this one does not track.
    case stepPeerNotFound
    /// `bootstrap` on storage that already holds a log.
    case nonEmptyStorage
    /// `bootstrap` without any peer.
    case noPeers
}

/// The raft state machine of one node. Pure: input is `tick()` or `step(_:)`, output is
/// `messages` and the log's unstable and committed entries, which `RawNode` packs into a `Ready`.
public struct Raft {
    public let id: NodeID
    /// Invariant: never decreases.
    public internal(set) var term: UInt64 = 0
    /// Whom this node voted for in `term` (`noneNodeID` if nobody).
    public internal(set) var vote: NodeID = noneNodeID
    public internal(set) var raftLog: RaftLog
    public internal(set) var tracker: ProgressTracker
    public internal(set) var state: StateType = .follower
    /// The leader of `term` as far as this node knows.
    public internal(set) var lead: NodeID = noneNodeID
    /// Leaders only: the node leadership is being handed to (`noneNodeID` if none). While set,
    /// proposals are dropped; cleared on any term or role change, or after an election timeout.
    public internal(set) var leadTransferee: NodeID = noneNodeID
    /// Messages to send, in order; drained by `RawNode.ready()`.
    var messages: [Message] = []

    let maxMsgSizeBytes: UInt64
    let maxUncommittedBytes: UInt64
    /// Payload bytes of entries this leader appended that are not yet committed (an estimate:
    /// reset on every term change, reduced as entries are handed out committed).
    var uncommittedBytes: UInt64 = 0
    let checkQuorum: Bool
    let preVote: Bool
    let disableProposalForwarding: Bool
    let stepDownOnRemoval: Bool
    let heartbeatTimeout: Int
    let electionTimeout: Int

    /// The index of the last conf change this leader appended; no new one is admitted until the
    /// application has applied past it. Reset to 0 on term change, lastIndex on taking office.
    var pendingConfIndex: UInt64 = 0

    /// Reads waiting for a heartbeat round to confirm this leader (ReadOnly.swift).
    var readOnly = ReadOnly()
    /// Reads that arrived before this leader committed an entry of its own term: its commit
    /// index may still lag the previous leader's, so they wait for that first commit.
    var pendingReadIndexMessages: [Message] = []
    /// Confirmed reads for the application; drained by `RawNode.ready()`.
    var readStates: [ReadState] = []

    /// Ticks since the last election timeout reset (followers, candidates) or since the last
    /// CheckQuorum round (leaders).
    var electionElapsed = 0
    /// Ticks since the last heartbeat (leaders only).
    var heartbeatElapsed = 0
    /// Drawn from `[electionTimeout, 2 * electionTimeout)` on every reset.
    var randomizedElectionTimeout = 0
    var random: SeededRandom

    /// A node over `storage`: its hard state and voters come from `storage.initialState()`.
    public init(config: Config, storage: any RaftStorage) {
        config.validate()
        id = config.id
        raftLog = RaftLog(storage: storage, maxNextEntriesBytes: config.maxCommittedSizePerReadyBytes)
        let hardState: HardState
        let confState: ConfState
        do {
            (hardState, confState) = try storage.initialState()
        } catch {
            preconditionFailure("raft storage failed reading its initial state: \(error)")
        }
        tracker = ProgressTracker(maxInflight: config.maxInflightMsgs)
        maxMsgSizeBytes = config.maxSizePerMsgBytes
        maxUncommittedBytes = config.maxUncommittedEntriesBytes
        checkQuorum = config.checkQuorum
        preVote = config.preVote
        disableProposalForwarding = config.disableProposalForwarding
        stepDownOnRemoval = config.stepDownOnRemoval
        heartbeatTimeout = config.heartbeatTick
        electionTimeout = config.electionTick
        random = SeededRandom(seed: config.seed)
        applyConfState(confState)
        if !hardState.isEmpty { loadState(hardState) }
        if config.applied > 0 { raftLog.applied(to: config.applied) }
        becomeFollower(term: term, lead: noneNodeID)
    }

    private mutating func loadState(_ state: HardState) {
        precondition(state.commit >= raftLog.committed && state.commit <= raftLog.lastIndex,
                     "hard state commit \(state.commit) is out of range [\(raftLog.committed), \(raftLog.lastIndex)]")
        raftLog.committed = state.commit
        term = state.term
        vote = state.vote
    }

    public var hardState: HardState {
        HardState(term: term, vote: vote, commit: raftLog.committed)
    }

    /// Whether this node may become leader (it is a voter in the configuration).
    var isPromotable: Bool {
        tracker.voters.contains(id)
    }

    // MARK: Role changes

    mutating func becomeFollower(term newTerm: UInt64, lead newLead: NodeID) {
        reset(term: newTerm)
        lead = newLead
        state = .follower
    }

    mutating func becomeCandidate() {
        precondition(state != .leader, "invalid transition [leader -> candidate]")
        reset(term: term + 1)
        vote = id
        state = .candidate
    }

    /// A pre-candidate keeps its term and vote: it only asks whether it could win.
    mutating func becomePreCandidate() {
        precondition(state != .leader, "invalid transition [leader -> pre-candidate]")
        tracker.resetVotes()
        lead = noneNodeID
        state = .preCandidate
    }

    /// Takes office: every follower is probed from our last index, and an empty entry of the new
    /// term is appended so that earlier-term entries can commit through it (Raft §5.4.2, §8).
    mutating func becomeLeader() {
        precondition(state != .follower, "invalid transition [follower -> leader]")
        reset(term: term)
        lead = id
        state = .leader
        tracker.progress[id]?.becomeReplicate()
        // Entries of earlier terms may hold conf changes we cannot see as pending; be conservative.
        pendingConfIndex = raftLog.lastIndex
        let appended = appendEntries([Entry()])
        precondition(appended, "a new leader's empty entry cannot be refused")
    }

    /// Starts a new term (or stays in this one): clears the vote on a term change, the leader,
    /// timers and votes, and resets every follower's progress.
    mutating func reset(term newTerm: UInt64) {
        if newTerm != term {
            term = newTerm
            vote = noneNodeID
        }
        lead = noneNodeID
        electionElapsed = 0
        heartbeatElapsed = 0
        abortLeaderTransfer()
        resetRandomizedElectionTimeout()
        tracker.resetVotes()
        uncommittedBytes = 0
        pendingConfIndex = 0
        // Reads not yet confirmed are dropped with the term they were issued in (the caller
        // retries on timeout, as etcd's server does). etcd 3.4 keeps the postponed ones; a node
        // that is no longer leader could never answer them, so they would only linger.
        readOnly = ReadOnly()
        pendingReadIndexMessages.removeAll()
        let lastIndex = raftLog.lastIndex
        for nodeID in tracker.sortedIDs {
            let isLearner = tracker.progress[nodeID]!.isLearner
            var fresh = Progress(match: 0, next: lastIndex + 1, inflightCapacity: tracker.maxInflight)
            fresh.isLearner = isLearner
            if nodeID == id { fresh.match = lastIndex }
            tracker.progress[nodeID] = fresh
        }
    }

    mutating func resetRandomizedElectionTimeout() {
        randomizedElectionTimeout = electionTimeout + Int.random(in: 0..<electionTimeout, using: &random)
    }

    var isPastElectionTimeout: Bool {
        electionElapsed >= randomizedElectionTimeout
    }

    // MARK: Ticks

    /// Advances logical time by one tick.
    public mutating func tick() {
        switch state {
        case .leader: tickHeartbeat()
        case .follower, .candidate, .preCandidate: tickElection()
        }
    }

    private mutating func tickElection() {
        electionElapsed += 1
        if isPromotable && isPastElectionTimeout {
            electionElapsed = 0
            try? step(Message(type: .hup, from: id))
        }
    }

    private mutating func tickHeartbeat() {
        heartbeatElapsed += 1
        electionElapsed += 1
        if electionElapsed >= electionTimeout {
            electionElapsed = 0
            if checkQuorum { try? step(Message(type: .checkQuorum, from: id)) }
            // A transfer not done within an election timeout failed: lead on.
            if state == .leader && leadTransferee != noneNodeID { abortLeaderTransfer() }
        }
        guard state == .leader else { return }
        if heartbeatElapsed >= heartbeatTimeout {
            heartbeatElapsed = 0
            try? step(Message(type: .beat, from: id))
        }
    }

    // MARK: Sending

    /// Queues `message` from this node (unless it names another sender: a forwarded
    /// MsgTransferLeader keeps its transferee there). Vote messages and their responses carry
    /// their own term (a pre-vote asks about a future term); every other non-proposal message
    /// gets ours.
    mutating func send(_ message: Message) {
        var message = message
        if message.from == noneNodeID { message.from = id }
        switch message.type {
        case .vote, .voteResp, .preVote, .preVoteResp:
            precondition(message.term != 0, "term should be set when sending \(message.type.name)")
        default:
            precondition(message.term == 0, "term should not be set when sending \(message.type.name)")
            if message.type != .prop && message.type != .readIndex { message.term = term }
        }
        messages.append(message)
    }
}
