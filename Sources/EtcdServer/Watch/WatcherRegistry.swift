import EtcdProto
import MVCC

/// Every watcher of one event loop, grouped as etcd's `watchableStore` groups them, and what each
/// needs next. A pure state machine: it reads no store, sends nothing and owns no thread; the
/// loop feeds it applied events and history records and sends what it returns.
///
/// A watcher is in exactly one phase:
/// - **synced**: it has seen every event up to `currentRevision`; `match` feeds it live events.
///   Indexed by key and range (`WatcherGroup`), so matching costs what the matches cost.
/// - **unsynced**: it still needs history from `minRevision` (≤ `currentRevision`) on;
///   `nextHistoryRead` / `applyHistory` catch it up in bounded steps, then it becomes synced.
/// - **victim**: its stream cannot take more output (`streamBlocked`). It gets nothing, keeps the
///   next revision it needs, and on `streamUnblocked` becomes unsynced (or synced when it has
///   missed nothing). No event is ever dropped: what it missed is read back from history.
/// - **compacted**: it needed history that compaction removed; it was cancelled with a
///   `compact_revision` response. As in etcd, its watch ID stays taken until the client cancels
///   it or the stream ends.
///
/// Invariants: `minRevision` is the first revision the watcher has not been given (or its
/// start revision, if later); an unsynced watcher has `minRevision <= currentRevision`; for a
/// synced watcher every event up to `currentRevision` at or after its `minRevision` was delivered.
public struct WatcherRegistry: Sendable {
    enum Phase: Sendable, Equatable { case synced, unsynced, victim, compacted }

    struct Watcher: Sendable {
        let options: WatcherOptions
        var minRevision: Int64
        var phase: Phase
        /// No events were sent since the last progress tick (etcd's `serverWatchStream.progress`).
        var isProgressIdle = true
    }

    struct Stream: Sendable {
        var watchIDs: Set<Int64> = []
        /// Watchers of the stream that are unsynced or victims. A stream-wide progress
        /// notification waits until this is 0.
        var lagging = 0
        var isBlocked = false
        /// A progress request arrived while some watcher lagged: answer once none does.
        var owesProgress = false
    }

    /// The revision of the last applied batch this loop has matched: every synced watcher has
    /// seen everything up to it.
    public internal(set) var currentRevision: Int64
    public let limits: WatchLimits

    var watchers: [WatcherKey: Watcher] = [:]
    var streams: [WatchStreamKey: Stream] = [:]
    var synced = WatcherGroup()
    var unsynced: Set<WatcherKey> = []
    /// Index entries the last `match` looked at (its cost, for tests and metrics).
    public internal(set) var lastMatchVisits = 0

    /// An empty registry for a loop whose store is at `currentRevision`.
    public init(currentRevision: Int64, limits: WatchLimits = .standard) {
        self.currentRevision = currentRevision
        self.limits = limits
    }

    /// The number of watchers on the loop (compacted ones not yet cancelled included).
    public var watcherCount: Int { watchers.count }
    /// The number of watchers on `stream`.
    public func watcherCount(on stream: WatchStreamKey) -> Int { streams[stream]?.watchIDs.count ?? 0 }
    /// Whether `watcher` exists (in any phase).
    public func contains(_ watcher: WatcherKey) -> Bool { watchers[watcher] != nil }
    /// Whether some watcher waits for history.
    public var hasUnsynced: Bool { !unsynced.isEmpty }
    /// The watch IDs on `stream`, ascending.
    public func watchIDs(on stream: WatchStreamKey) -> [Int64] { (streams[stream]?.watchIDs ?? []).sorted() }
    /// Whether every watcher of `stream` has seen everything up to `currentRevision`.
    public func isSynced(_ stream: WatchStreamKey) -> Bool { (streams[stream]?.lagging ?? 0) == 0 }

    /// Adds a watcher (etcd's `watchableStore.watch`). One starting after `currentRevision` is
    /// synced at once and ignores events before its start; one starting at or before it is
    /// unsynced and catches up from history first. On a blocked stream it starts as a victim.
    /// The watcher must be new; limits are the caller's to check (`WatchStreamState` does).
    public mutating func add(_ key: WatcherKey, _ options: WatcherOptions) {
        precondition(watchers[key] == nil, "watcher \(key) added twice")
        let isBlocked = streams[key.stream]?.isBlocked ?? false
        let phase: Phase = isBlocked ? .victim : (options.startRevision > currentRevision ? .synced : .unsynced)
        watchers[key] = Watcher(options: options, minRevision: options.startRevision, phase: phase)
        ServerMetrics.shared.watchers.add(1)
        streams[key.stream, default: Stream()].watchIDs.insert(key.watchID)
        enter(key, phase, options)
    }

    /// Removes a watcher in any phase (etcd's `cancelWatcher`). Returns false if there was none.
    @discardableResult
    public mutating func remove(_ key: WatcherKey) -> Bool {
        guard let watcher = watchers.removeValue(forKey: key) else { return false }
        ServerMetrics.shared.watchers.add(-1)
        leave(key, watcher.phase, watcher.options)
        streams[key.stream]?.watchIDs.remove(key.watchID)
        if let stream = streams[key.stream], stream.watchIDs.isEmpty, !stream.owesProgress, !stream.isBlocked {
            streams[key.stream] = nil
        }
        return true
    }

    /// Removes every watcher of a stream that ended.
    public mutating func removeStream(_ stream: WatchStreamKey) {
        for id in watchIDs(on: stream) { remove(WatcherKey(stream: stream, watchID: id)) }
        streams[stream] = nil
    }

    // MARK: - Phases

    /// Puts `key` into the set of `phase` (the watcher record already says `phase`).
    mutating func enter(_ key: WatcherKey, _ phase: Phase, _ options: WatcherOptions) {
        switch phase {
        case .synced: synced.add(key, options.interval)
        case .unsynced: unsynced.insert(key)
        case .victim, .compacted: break
        }
        if phase == .unsynced || phase == .victim { streams[key.stream, default: Stream()].lagging += 1 }
    }

    /// Takes `key` out of the set of `phase`.
    mutating func leave(_ key: WatcherKey, _ phase: Phase, _ options: WatcherOptions) {
        switch phase {
        case .synced:
            let removed = synced.remove(key, options.interval)
            precondition(removed, "synced watcher \(key) missing from the synced group")
        case .unsynced:
            precondition(unsynced.remove(key) != nil, "unsynced watcher \(key) missing from the unsynced set")
        case .victim, .compacted: break
        }
        if phase == .unsynced || phase == .victim { streams[key.stream]!.lagging -= 1 }
    }

    /// Moves `key` to `phase`, keeping the groups and the stream's counts in step.
    mutating func move(_ key: WatcherKey, to phase: Phase) {
        guard let watcher = watchers[key], watcher.phase != phase else { return }
        leave(key, watcher.phase, watcher.options)
        watchers[key]!.phase = phase
        enter(key, phase, watcher.options)
    }

    /// The phase a watcher that has been given everything before `minRevision` belongs in.
    func caughtUpPhase(_ minRevision: Int64) -> Phase {
        minRevision > currentRevision ? .synced : .unsynced
    }

    /// The stream-wide progress notification `stream` owes, if it owes one and is now synced.
    mutating func owedProgress(_ stream: WatchStreamKey) -> WatchDelivery? {
        guard let entry = streams[stream], entry.owesProgress, entry.lagging == 0 else { return nil }
        streams[stream]!.owesProgress = false
        if entry.watchIDs.isEmpty && !entry.isBlocked { streams[stream] = nil }
        return WatchDelivery(stream: stream, watchID: invalidWatchID, revision: currentRevision, content: .progress)
    }
}
