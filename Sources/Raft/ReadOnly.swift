// ReadIndex: linearizable reads without writing to the log (Raft thesis §6.4; etcd's read_only.go,
// ReadOnlySafe mode only).
//
// The leader notes its commit index when a read arrives, then proves it is still the leader by a
// heartbeat round that carries the read's context. Once a quorum echoes that context back, no
// other leader can have committed anything this one does not know of at the time of the read,
// so any state machine that has applied up to the noted index may serve the read.

/// A read that may be served once the application has applied up to `index`. `requestContext`
/// is the caller's `readIndex(context:)` argument, returned unchanged so it can match the two.
public struct ReadState: Sendable, Equatable {
    public var index: UInt64
    public var requestContext: [UInt8]

    public init(index: UInt64, requestContext: [UInt8]) {
        self.index = index
        self.requestContext = requestContext
    }
}

/// One read waiting for a quorum to confirm the leadership it was issued under.
struct ReadIndexStatus {
    /// The MsgReadIndex: `from` says who asked (this node, or a follower to answer by message).
    var request: Message
    /// The leader's commit index when the read arrived.
    var index: UInt64
    /// Voters that echoed the read's context in a heartbeat response (this leader included).
    var acks: [NodeID: Bool] = [:]

    var context: [UInt8] { request.entries[0].data }
}

/// The leader's pending reads, in arrival order. A heartbeat round confirming one read also
/// confirms every read that arrived before it, so a round carrying the newest context serves
/// the whole batch (`lastPendingContext`).
///
/// Contexts identify reads: a context already pending is not queued twice (the caller makes
/// them unique, as etcd does with a request ID).
struct ReadOnly {
    private var pending: [[UInt8]: ReadIndexStatus] = [:]
    private var queue: [[UInt8]] = []

    var isEmpty: Bool { queue.isEmpty }

    /// Queues `request` (a MsgReadIndex with its context in `entries[0].data`) at `index`.
    mutating func addRequest(index: UInt64, _ request: Message) {
        let context = request.entries[0].data
        guard pending[context] == nil else { return }
        pending[context] = ReadIndexStatus(request: request, index: index)
        queue.append(context)
    }

    /// Records that `nodeID` acknowledged the heartbeat carrying `context`; returns the acks
    /// gathered for that read so far (nil if no such read is pending).
    mutating func receiveAck(from nodeID: NodeID, context: [UInt8]) -> [NodeID: Bool]? {
        guard pending[context] != nil else { return nil }
        pending[context]!.acks[nodeID] = true
        return pending[context]!.acks
    }

    /// The read confirmed by a quorum echoing `context`, with every read queued before it, in
    /// order; they leave the queue. Empty if `context` is not pending.
    mutating func advance(confirmed context: [UInt8]) -> [ReadIndexStatus] {
        guard let position = queue.firstIndex(of: context) else { return [] }
        let confirmed = queue[...position].map { pending.removeValue(forKey: $0)! }
        queue.removeFirst(position + 1)
        return confirmed
    }

    /// The context of the newest pending read, for the next heartbeat round (nil if none).
    var lastPendingContext: [UInt8]? { queue.last }
}
