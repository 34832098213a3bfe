import EtcdProto
import Synchronization

/// How applied changes reach the event loops' watchers: after each applied batch the apply
/// thread posts its events (revision order) to every loop that serves Watch streams, before the
/// batch's replies, so a client sees a watch event no later than the answer to its own write on
/// the same loop.
///
/// A loop starts being fed when its first Watch stream opens (`startFeeding`), then reads the
/// store's revision: a batch applied before the flag was seen is already in the store it read;
/// one posted after may overlap what it read, and the loop drops what it has seen.
final class WatchFanout: Sendable {
    private final class LoopFlag: Sendable {
        let isFed = Atomic<Bool>(false)
    }

    private let flags: [LoopFlag]
    private let inboxes: Mutex<[Inbox<LoopMessage>]> = Mutex([])

    init(loopCount: Int) {
        flags = (0..<loopCount).map { _ in LoopFlag() }
    }

    func connect(_ loopInboxes: [Inbox<LoopMessage>]) {
        inboxes.withLock { $0 = loopInboxes }
    }

    /// Loop `index` serves watchers from now on.
    func startFeeding(loop index: Int) {
        flags[index].isFed.store(true, ordering: .sequentiallyConsistent)
    }

    /// Apply thread: `events` of revisions up to `revision`, to every fed loop.
    func publish(_ events: [Event], through revision: Int64) {
        guard !events.isEmpty else { return }
        let inboxes = inboxes.withLock { $0 }
        for (index, inbox) in inboxes.enumerated() where flags[index].isFed.load(ordering: .sequentiallyConsistent) {
            inbox.post(contentsOf: [.watchEvents(events, through: revision)])
        }
    }

    /// Apply thread: the store was replaced (a leader's snapshot) and is now at `revision`.
    func storeReplaced(currentRevision revision: Int64) {
        let inboxes = inboxes.withLock { $0 }
        for (index, inbox) in inboxes.enumerated() where flags[index].isFed.load(ordering: .sequentiallyConsistent) {
            inbox.post(contentsOf: [.watchRestore(currentRevision: revision)])
        }
    }
}
