import Synchronization

/// Conf changes proposed on behalf of a thread that is not an event loop (the peer server
/// promoting a learner for a follower), waiting for the apply thread's answer by request ID.
final class ExternalWaiters: Sendable {
    enum Limit {
        /// Waiters at once; a promote forwarded while this many wait is refused.
        static let waitersMax = 64
    }

    private let waiting = Mutex<[UInt64: Inbox<ApplyResult>]>([:])

    /// Registers `id`; nil when too many wait already.
    func register(_ id: UInt64) -> Inbox<ApplyResult>? {
        waiting.withLock { waiting in
            guard waiting.count < Limit.waitersMax else { return nil }
            let inbox = Inbox<ApplyResult>(capacity: 1)
            waiting[id] = inbox
            return inbox
        }
    }

    func cancel(_ id: UInt64) {
        _ = waiting.withLock { $0.removeValue(forKey: id) }
    }

    /// Hands `result` to whoever waits for `id` (apply thread; nothing when nobody does).
    func complete(_ id: UInt64, _ result: ApplyResult) {
        guard let inbox = waiting.withLock({ $0.removeValue(forKey: id) }) else { return }
        inbox.post(result)
    }
}
