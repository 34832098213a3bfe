// The bounded window of MsgApp a leader has in flight to one follower.

/// The last index of each append message sent to a follower and not yet acknowledged.
///
/// Bounded by `capacity` (`Config.maxInflightMsgs`): when full, the leader stops sending to that
/// follower until acknowledgements free slots. Invariant: indexes are ascending.
public struct Inflights: Sendable, Equatable {
    public let capacity: Int
    private var buffer: [UInt64] = []
    private var start = 0

    public init(capacity: Int) {
        precondition(capacity > 0, "inflight capacity must be positive")
        self.capacity = capacity
    }

    public var count: Int { buffer.count - start }
    public var isFull: Bool { count == capacity }

    /// Records a message whose last entry is `index`. Adding to a full window is a programmer error.
    public mutating func add(_ index: UInt64) {
        precondition(!isFull, "cannot add into a full inflights window")
        precondition(count == 0 || buffer[buffer.count - 1] < index, "inflight indexes must ascend")
        buffer.append(index)
    }

    /// Frees every message whose last index is at most `index` (they are acknowledged).
    public mutating func freeLE(_ index: UInt64) {
        while start < buffer.count && buffer[start] <= index { start += 1 }
        compact()
    }

    /// Frees the oldest message (a heartbeat response shows the follower is alive).
    public mutating func freeFirstOne() {
        if start < buffer.count { start += 1 }
        compact()
    }

    public mutating func reset() {
        buffer.removeAll(keepingCapacity: true)
        start = 0
    }

    /// Keeps the array from growing: drop freed slots once they are half the storage.
    private mutating func compact() {
        if start > 0 && start * 2 >= buffer.count {
            buffer.removeFirst(start)
            start = 0
        }
    }
}
