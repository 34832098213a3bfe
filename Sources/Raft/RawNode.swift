// The application's handle on a raft node: feed it ticks and messages, collect a Ready, advance.

import ProtoWire

/// A raft node driven by the caller, without threads or channels. etcd's `RawNode`.
///
/// The loop: `tick()` on every clock tick, `step(_:)` for every message from a peer,
/// `propose(_:)` for every command; whenever `hasReady`, take `ready()`, do what it says, then
/// `advance(_:)` with that same Ready.
public struct RawNode {
    public private(set) var raft: Raft
    private var previousSoftState: SoftState
    private var previousHardState: HardState

    public init(config: Config, storage: any RaftStorage) {
        raft = Raft(config: config, storage: storage)
        previousSoftState = SoftState(lead: raft.lead, raftState: raft.state)
        previousHardState = raft.hardState
    }

    public mutating func tick() {
        raft.tick()
    }

    /// Campaigns to become leader now, without waiting for the election timeout.
    public mutating func campaign() throws(RaftError) {
        try raft.step(Message(type: .hup))
    }

    /// Proposes `data` as a new log entry. Throws `proposalDropped` when no leader is known; a
    /// proposal that was accepted may still be lost (leader change) and must be retried by the
    /// application if its entry never appears committed.
    public mutating func propose(_ data: [UInt8]) throws(RaftError) {
        try raft.step(Message(type: .prop, from: raft.id, entries: [Entry(term: 0, index: 0, data: data)]))
    }

    /// Proposes a membership change: a `ConfChange` (one node, simple) or a `ConfChangeV2` (any
    /// number, through joint consensus when more than one). It takes effect when the application,
    /// applying the committed entry, calls `applyConfChange(_:)`. A leader that cannot admit it
    /// (another change pending, joint state mismatch, invalid on the configuration) logs an empty
    /// entry in its place, so the caller sees it committed without effect.
    public mutating func proposeConfChange(_ change: some ConfChangeConvertible) throws(RaftError) {
        let entry = Entry(term: 0, index: 0, type: type(of: change).entryType, data: change.serializedBytes())
        try raft.step(Message(type: .prop, from: raft.id, entries: [entry]))
    }

    /// Asks for a linearizable read. Raft answers with a `ReadState` carrying `context` in a
    /// later `Ready.readStates`, once this node's leader has confirmed with a quorum that it was
    /// still leading when the read arrived; the application then serves the read after applying
    /// up to `ReadState.index`. A read may go unanswered (no leader known, leader change, lost
    /// messages): the caller retries on its own timeout. `context` must be unique among pending
    /// reads (etcd uses a request ID) and non-empty, as heartbeats echo it to identify the read.
    public mutating func readIndex(context: [UInt8]) {
        precondition(!context.isEmpty, "a ReadIndex context must not be empty")
        try? raft.step(Message(type: .readIndex, from: raft.id, entries: [Entry(term: 0, index: 0, data: context)]))
    }

    /// Applies a committed conf change (V1 or V2; `Entry.decodedConfChange()` reads either);
    /// returns the configuration to record (etcd stores it in the next snapshot's metadata).
    public mutating func applyConfChange(_ change: some ConfChangeConvertible) -> ConfState {
        raft.applyConfChange(change)
    }

    /// Starts a brand-new cluster member, as etcd's `StartNode` does: the log begins with one
    /// committed `ConfChangeAddNode` entry per peer at term 1, which the application persists and
    /// applies (through `applyConfChange`) like any other. The configuration takes effect at once.
    ///
    /// Throws `nonEmptyStorage` if the storage already holds a log (restart instead), and
    /// `noPeers` for an empty peer list.
    public mutating func bootstrap(peers: [Peer]) throws(RaftError) {
        guard !peers.isEmpty else { throw .noPeers }
        guard raft.raftLog.lastIndex == 0 else { throw .nonEmptyStorage }
        raft.becomeFollower(term: 1, lead: noneNodeID)
        var entries: [Entry] = []
        for (position, peer) in peers.enumerated() {
            let change = ConfChange(type: .addNode, nodeID: peer.id, context: peer.context)
            entries.append(Entry(term: 1, index: UInt64(position) + 1, type: .confChange, data: change.serializedBytes()))
        }
        raft.raftLog.append(entries)
        raft.raftLog.committed = UInt64(entries.count)
        for peer in peers { _ = raft.applyConfChange(ConfChange(type: .addNode, nodeID: peer.id)) }
    }

    /// Delivers a message from a peer. Local message types (and termless peer messages) are
    /// refused with `stepLocalMessage`;
    /// responses from nodes this one does not track are refused with `stepPeerNotFound`.
    public mutating func step(_ message: Message) throws(RaftError) {
        if message.type.isLocal { throw .stepLocalMessage }
        // Every peer message but a forwarded proposal or read carries its sender's term; one
        // without would be taken for a local message (and a termless vote would trip an assertion).
        if message.term == 0 && message.type != .prop && message.type != .readIndex { throw .stepLocalMessage }
        if message.type.isResponse && raft.tracker.progress[message.from] == nil {
            throw .stepPeerNotFound
        }
        try raft.step(message)
    }

    /// A snapshot of the node's state for status reports (etcd's `BasicStatus`).
    public var status: Status {
        Status(id: raft.id, hardState: raft.hardState, softState: softState,
               applied: raft.raftLog.applied, lastIndex: raft.raftLog.lastIndex,
               leadTransferee: raft.leadTransferee)
    }

    private var softState: SoftState {
        SoftState(lead: raft.lead, raftState: raft.state)
    }

    public var hasReady: Bool {
        softState != previousSoftState
            || (raft.hardState != previousHardState && !raft.hardState.isEmpty)
            || !raft.messages.isEmpty
            || raft.raftLog.unstableSnapshot != nil
            || !raft.raftLog.unstableEntries.isEmpty
            || raft.raftLog.hasNextCommittedEntries
            || !raft.readStates.isEmpty
    }

    /// The work accumulated since the last call. Messages are handed over (not returned again).
    public mutating func ready() -> Ready {
        let currentSoft = softState
        let currentHard = raft.hardState
        let hardChanged = currentHard != previousHardState && !currentHard.isEmpty
        let entries = raft.raftLog.unstableEntries
        let snapshot = raft.raftLog.unstableSnapshot
        let ready = Ready(
            softState: currentSoft != previousSoftState ? currentSoft : nil,
            hardState: hardChanged ? currentHard : nil,
            snapshot: snapshot,
            entries: entries,
            committedEntries: raft.raftLog.nextCommittedEntries(),
            messages: raft.messages,
            readStates: raft.readStates,
            mustSync: !entries.isEmpty || snapshot != nil || currentHard.term != previousHardState.term
                || currentHard.vote != previousHardState.vote)
        raft.messages.removeAll()
        raft.readStates.removeAll()
        previousSoftState = currentSoft
        if hardChanged { previousHardState = currentHard }
        return ready
    }

    /// Tells raft the application has persisted `ready.snapshot`, `ready.entries` and
    /// `ready.hardState`, sent the messages, and applied the snapshot and `ready.committedEntries`.
    public mutating func advance(_ ready: Ready) {
        if let last = ready.committedEntries.last {
            raft.raftLog.applied(to: last.index)
            raft.reduceUncommittedBytes(ready.committedEntries)
            raft.proposeLeaveJointIfDue()
        } else if let snapshot = ready.snapshot {
            // Applying the snapshot applied everything up to its index.
            raft.raftLog.applied(to: snapshot.metadata.index)
        }
        if let last = ready.entries.last {
            raft.raftLog.stable(to: last.index, term: last.term)
        }
        if let snapshot = ready.snapshot {
            raft.raftLog.stableSnap(to: snapshot.metadata.index)
        }
    }

    /// Hands leadership to `transferee` (etcd's `TransferLeader`): the leader catches it up, then
    /// tells it to campaign at once. A follower forwards the request to its leader. Best effort:
    /// the transfer is dropped without a known leader, for a learner, and aborted if it does not
    /// complete within an election timeout; watch `status.softState.lead` to see it happen.
    /// Proposals are refused with `proposalDropped` while a transfer is under way.
    public mutating func transferLeader(to transferee: NodeID) {
        try? raft.step(Message(type: .transferLeader, from: transferee))
    }

    /// Tells the leader that the last message to `id` could not be delivered (etcd's
    /// `ReportUnreachable`): a follower it was streaming appends to is probed again.
    public mutating func reportUnreachable(_ id: NodeID) {
        try? raft.step(Message(type: .unreachable, from: id))
    }

    /// Tells the leader how sending a snapshot (a `MsgSnap` from a Ready) to `id` ended (etcd's
    /// `ReportSnapshot`). The application must report every snapshot it sends, or the follower
    /// stays paused in snapshot state until it answers by itself.
    public mutating func reportSnapshot(_ id: NodeID, status: SnapshotStatus) {
        var message = Message(type: .snapStatus, from: id)
        message.reject = status == .failure
        try? raft.step(message)
    }
}

/// What a node reports about itself: etcd's `BasicStatus` (what `Status` RPCs and metrics show).
public struct Status: Sendable, Equatable {
    public var id: NodeID
    /// Term, vote and commit index.
    public var hardState: HardState
    /// Leader and role.
    public var softState: SoftState
    /// The highest index the application has applied (as acknowledged through `advance`).
    public var applied: UInt64
    public var lastIndex: UInt64
    /// The node a leader is handing leadership to, `noneNodeID` if none.
    public var leadTransferee: NodeID
}

/// A member named when a cluster is bootstrapped; `context` is opaque to raft (etcd puts the
/// member's JSON there).
public struct Peer: Sendable, Equatable {
    public var id: NodeID
    public var context: [UInt8]

    public init(id: NodeID, context: [UInt8] = []) {
        self.id = id
        self.context = context
    }
}
