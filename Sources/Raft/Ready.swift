// What the application must do after raft moved: persist, send, apply.

/// Volatile state worth telling the application about: who leads, and our role.
public struct SoftState: Sendable, Equatable {
    public var lead: NodeID
    public var raftState: StateType

    public init(lead: NodeID, raftState: StateType) {
        self.lead = lead
        self.raftState = raftState
    }
}

/// A batch of work, to be done in this order before calling `RawNode.advance(_:)`:
/// 1. persist `snapshot` (if set; before the entries, which follow it), `hardState` (if set)
///    and `entries` — one fdatasync when `mustSync`;
/// 2. send `messages` (only after step 1: they may promise what step 1 stores);
/// 3. apply `snapshot` to the state machine (if set), then `committedEntries`.
public struct Ready: Sendable, Equatable {
    /// Set when the leader or our role changed since the last Ready.
    public var softState: SoftState?
    /// Set when term, vote or commit changed since the last Ready.
    public var hardState: HardState?
    /// A snapshot from the leader that replaces the log up to its index: persist it and load it
    /// into the state machine before anything in `entries` or `committedEntries` (which, if any,
    /// come after it). Its `metadata.confState` is the configuration from then on.
    public var snapshot: Snapshot?
    /// Entries to append to stable storage (they may replace stored entries from their first index).
    public var entries: [Entry] = []
    /// Entries a quorum stores, to apply in order.
    public var committedEntries: [Entry] = []
    /// Messages to deliver to peers. A `MsgSnap` carries storage's last snapshot; like etcd's
    /// server, send instead one of the state machine as applied now (index, its term, current
    /// configuration, data): a stored snapshot may predate the member it goes to, which refuses
    /// a snapshot whose configuration leaves it out. Report the outcome with `reportSnapshot`.
    public var messages: [Message] = []
    /// Reads confirmed since the last Ready: each may be served once the application has applied
    /// up to its `index` (which may take committed entries of this or a later Ready).
    public var readStates: [ReadState] = []

    /// Whether the hard state, entries or snapshot must reach disk with an fsync before messages
    /// go out (a term or vote change, new entries, a snapshot; a commit index change alone need
    /// not be synced).
    public var mustSync: Bool

    public var containsUpdates: Bool {
        softState != nil || hardState != nil || snapshot != nil || !entries.isEmpty || !committedEntries.isEmpty
            || !messages.isEmpty || !readStates.isEmpty
    }
}
