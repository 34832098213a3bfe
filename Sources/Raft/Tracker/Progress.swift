// What a leader knows about one follower's log, and how it is sending to it.

/// The mode a leader is in towards one follower.
public enum ProgressState: Sendable, Equatable, CustomStringConvertible {
    /// Unknown match: send one append at a time and wait for the answer.
    case probe
    /// Follower is keeping up: stream appends optimistically, up to the inflight limit.
    case replicate
    /// A snapshot is on its way to the follower: send nothing until it reports back (an append
    /// response covering the snapshot, or `MsgSnapStatus`).
    case snapshot

    public var description: String {
        switch self {
        case .probe: "StateProbe"
        case .replicate: "StateReplicate"
        case .snapshot: "StateSnapshot"
        }
    }
}

/// A leader's view of one follower. etcd's `tracker.Progress`.
///
/// Invariant: `match < next`.
public struct Progress: Sendable, Equatable {
    /// The highest index known to be in the follower's log.
    public internal(set) var match: UInt64
    /// The next index to send.
    public internal(set) var next: UInt64
    public internal(set) var state: ProgressState = .probe
    /// In probe state: an append is outstanding, so send nothing more until it is answered or a
    /// heartbeat response arrives.
    public internal(set) var probeSent = false
    /// Heard from since the last CheckQuorum round.
    public internal(set) var recentActive = false
    public internal(set) var inflights: Inflights
    public internal(set) var isLearner = false
    /// In snapshot state: the index of the snapshot sent; 0 otherwise (or when it failed).
    public internal(set) var pendingSnapshot: UInt64 = 0

    init(match: UInt64, next: UInt64, inflightCapacity: Int) {
        self.match = match
        self.next = next
        self.inflights = Inflights(capacity: inflightCapacity)
    }

    private mutating func resetState(_ newState: ProgressState) {
        probeSent = false
        state = newState
        inflights.reset()
        pendingSnapshot = 0
    }

    /// Back to one append at a time. Leaving snapshot state, the follower is assumed to hold the
    /// snapshot sent (unless `pendingSnapshot` was cleared because it failed), so probe after it.
    mutating func becomeProbe() {
        let sentSnapshot = state == .snapshot ? pendingSnapshot : 0
        resetState(.probe)
        next = max(match + 1, sentSnapshot + 1)
    }

    /// A snapshot of `index` was sent: hold everything else until the follower reports back.
    mutating func becomeSnapshot(_ index: UInt64) {
        resetState(.snapshot)
        pendingSnapshot = index
    }

    mutating func becomeReplicate() {
        resetState(.replicate)
        next = match + 1
    }

    /// The follower acknowledged entries through `index`. Returns whether `match` moved.
    mutating func maybeUpdate(_ index: UInt64) -> Bool {
        var updated = false
        if match < index {
            match = index
            updated = true
            probeSent = false
        }
        next = max(next, index + 1)
        return updated
    }

    /// In replicate state, entries through `index` are sent: assume they will arrive.
    mutating func optimisticUpdate(_ index: UInt64) {
        next = index + 1
    }

    /// The follower refused an append at `rejected`; it suggests probing at `hint` next.
    /// Returns false for a stale refusal (one for an append we already moved past).
    mutating func maybeDecrease(rejected: UInt64, hint: UInt64) -> Bool {
        if state == .replicate {
            if rejected <= match { return false }
            next = match + 1
            return true
        }
        if next - 1 != rejected { return false }
        next = max(min(rejected, hint + 1), 1)
        probeSent = false
        return true
    }

    /// The follower answered a heartbeat: it is alive, so a probe may go out again and, if the
    /// window is full, its oldest append is taken as lost so that one more can be sent.
    mutating func heartbeatAcknowledged() {
        recentActive = true
        probeSent = false
        if state == .replicate && inflights.isFull { inflights.freeFirstOne() }
    }

    /// Whether the leader must hold further appends to this follower.
    public var isPaused: Bool {
        switch state {
        case .probe: probeSent
        case .replicate: inflights.isFull
        case .snapshot: true
        }
    }
}
