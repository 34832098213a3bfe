import EtcdProto
import GRPC
import MVCC

/// An event loop's Watch streams: the loop's `WatcherRegistry` (every watcher of every stream
/// on its connections) and each stream's protocol state. Confined to the loop's thread.
struct LoopWatches {
    enum Limit {
        /// A stream with more queued output than this stops taking live events (its watchers
        /// become victims and catch up from history once it drains below the low mark).
        static let streamQueuedBytesHigh = 1024 * 1024
        static let streamQueuedBytesLow = 256 * 1024
        /// History reads per loop turn (each at most `WatchLimits.historyRevisionsPerReadMax`
        /// revisions), so catching watchers up never starves the loop's other work...
        static let historyReadsPerTurn = 4
        /// ...and no further read starts in a turn once the turn's reads took this long.
        static let historyNanosecondsPerTurn: Int64 = 5_000_000
    }

    var registry: WatcherRegistry
    var streams: [WatchStreamKey: WatchStreamState] = [:]
    /// Streams whose output passed the high mark.
    var blocked: Set<WatchStreamKey> = []
    /// Whether the apply thread feeds this loop its batches.
    var isFed = false
    /// The earliest progress deadline among the streams (monotonic ns), nil without streams.
    var nextTimerNanoseconds: Int64?

    init(currentRevision: Int64) {
        registry = WatcherRegistry(currentRevision: currentRevision)
    }

    /// Whether the loop must not sleep: watchers wait for history, or streams to unblock.
    var hasWorkNow: Bool { registry.hasUnsynced || !blocked.isEmpty }
}

extension EventLoop {
    /// One request on a Watch stream (the first arrives through `dispatch`).
    func watchRequest(_ payload: [UInt8], call: GRPCCallID, on connection: ClientConnection) {
        let request: WatchRequest
        do {
            request = try services.decode(WatchRequest.self, from: payload)
        } catch {
            connection.calls[call.streamID] = nil
            watchStreamEnded(WatchStreamKey(connection: connection.id, stream: call.streamID))
            finish(call, on: connection, status: error)
            return
        }
        let key = WatchStreamKey(connection: connection.id, stream: call.streamID)
        if case .createRequest(let create)? = request.requestUnion,
           let refusal = watchCreateRefusal(create, call: call, on: connection) {
            send([refusal], on: key)
            return
        }
        // Everything already applied is in this loop's inbox (the apply thread posts a batch's
        // events before any of its replies): take it in first, so a watch from "now" starts
        // after every write a client has been told about, as etcd's does.
        if case .createRequest? = request.requestUnion, watches.isFed {
            for message in inbox.takeAll() { handle(message) }
        }
        if watches.streams[key] == nil {
            startFeedingWatches()
            // etcd draws each stream's interval once: the configured one (its default when 0,
            // raised to its minimum) plus up to a tenth.
            let configured = services.watchProgressIntervalNanoseconds
            let interval = configured > 0
                ? max(configured, WatchLimits.progressIntervalMinMilliseconds * 1_000_000)
                : WatchLimits.progressIntervalDefaultMilliseconds * 1_000_000
            let stream = WatchStreamState(key: key, now: monotonicNanoseconds(),
                                          progressInterval: interval + Int64.random(in: 0...(interval / 10)))
            watches.streams[key] = stream
            ServerMetrics.shared.watchStreams.add(1)
            watches.nextTimerNanoseconds = min(watches.nextTimerNanoseconds ?? .max, stream.progressDeadline)
        }
        var stream = watches.streams[key]!
        let responses = stream.handle(request, registry: &watches.registry, header: services.header(revision: 0))
        watches.streams[key] = stream
        send(responses, on: key)
    }

    /// The apply thread applied `events` (up to `revision`): hand each synced watcher its share.
    func watchBatchApplied(_ events: [Event], through revision: Int64) {
        let seen = watches.registry.currentRevision
        guard revision > seen else { return }
        // A batch may overlap what the loop read from the store when it started being fed
        // (events are in revision order).
        let firstFresh = events.firstIndex { WatcherRegistry.revision(of: $0) > seen } ?? events.endIndex
        let fresh = firstFresh == events.startIndex ? events : Array(events[firstFresh...])
        deliver(watches.registry.match(fresh, through: revision))
    }

    /// Once per turn: history for watchers behind, streams that drained, progress timers.
    func serviceWatchers() {
        guard !watches.streams.isEmpty || watches.registry.hasUnsynced else { return }
        let historyDeadline = monotonicNanoseconds() + LoopWatches.Limit.historyNanosecondsPerTurn
        for _ in 0..<LoopWatches.Limit.historyReadsPerTurn {
            guard monotonicNanoseconds() < historyDeadline, watches.registry.hasUnsynced,
                  let read = watches.registry.nextHistoryRead() else { break }
            var records: [WatchHistoryRecord] = []
            let store = services.kv
            let compacted = store.lock.withReadLock { () -> Int64 in
                store.store.forEachRecord(mainRevisions: read.fromRevision...read.throughRevision) { revision, kv, isTombstone in
                    records.append(WatchHistoryRecord(revision: revision, kv: kv, isTombstone: isTombstone))
                }
                return store.store.compactedRevision
            }
            deliver(watches.registry.applyHistory(read, records: records, compactedRevision: compacted))
        }
        for key in watches.blocked {
            guard let connection = connections[key.connection] else {
                watches.blocked.remove(key)
                continue
            }
            if connection.session.pendingOutboundBytes(GRPCCallID(streamID: key.stream)) < LoopWatches.Limit.streamQueuedBytesLow {
                watches.blocked.remove(key)
                deliver(watches.registry.streamUnblocked(key))
            }
        }
        let now = monotonicNanoseconds()
        if let next = watches.nextTimerNanoseconds, next <= now {
            var earliest = Int64.max
            for key in Array(watches.streams.keys) {
                var stream = watches.streams[key]!
                if stream.progressDeadline <= now {
                    let responses = stream.progressTimer(now: now, registry: &watches.registry, header: services.header(revision: 0))
                    watches.streams[key] = stream
                    send(responses, on: key)
                }
                earliest = min(earliest, stream.progressDeadline)
            }
            watches.nextTimerNanoseconds = watches.streams.isEmpty ? nil : earliest
        }
    }

    /// The stream ended (the client cancelled it, or its connection closed).
    func watchStreamEnded(_ key: WatchStreamKey) {
        guard watches.streams.removeValue(forKey: key) != nil else { return }
        ServerMetrics.shared.watchStreams.add(-1)
        watches.registry.removeStream(key)
        watches.blocked.remove(key)
        if watches.streams.isEmpty { watches.nextTimerNanoseconds = nil }
    }

    /// From the first Watch stream on: the apply thread posts this loop its batches. The store's
    /// revision is read after the flag is set, so nothing falls in between (see WatchFanout).
    private func startFeedingWatches() {
        guard !watches.isFed else { return }
        watches.isFed = true
        services.watchFanout.startFeeding(loop: index)
        let kv = services.kv
        let revision = kv.lock.withReadLock { kv.store.currentRevision }
        if revision > watches.registry.currentRevision {
            watches.registry.restore(currentRevision: revision)
        }
    }

    private func deliver(_ deliveries: [WatchDelivery]) {
        guard !deliveries.isEmpty else { return }
        let header = services.header(revision: 0)
        let kv = services.kv
        var responsesByStream: [WatchStreamKey: [WatchResponse]] = [:]
        var order: [WatchStreamKey] = []
        for delivery in deliveries {
            let responses = WatchStreamState.responses(for: delivery, header: header,
                                                       fragmentBytes: services.watchFragmentBytes) { key, revision in
                kv.lock.withReadLock {
                    try? kv.store.range(key: key, options: RangeOptions(revision: revision)).kvs.first
                }
            }
            if responsesByStream[delivery.stream] == nil { order.append(delivery.stream) }
            responsesByStream[delivery.stream, default: []] += responses
        }
        for key in order { send(responsesByStream[key]!, on: key) }
    }

    private func send(_ responses: [WatchResponse], on key: WatchStreamKey) {
        guard !responses.isEmpty, let connection = connections[key.connection],
              let state = connection.calls[key.stream] else { return }
        let call = GRPCCallID(streamID: key.stream)
        if state.recipe != nil {
            // A Lock or Election recipe's own watch: its events drive the recipe.
            for response in responses { recipeWatched(response, call: call, on: connection) }
            return
        }
        for response in responses {
            connection.session.sendMessage(call, payloadSize: response.encodedSize) { response.encode(appendingTo: &$0) }
            ServerMetrics.shared.grpcSent(.watch)
        }
        markDirty(connection)
        if !watches.blocked.contains(key),
           connection.session.pendingOutboundBytes(call) > LoopWatches.Limit.streamQueuedBytesHigh {
            watches.blocked.insert(key)
            watches.registry.streamBlocked(key)
        }
    }
}
