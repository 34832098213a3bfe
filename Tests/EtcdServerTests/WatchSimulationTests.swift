import XCTest
import EtcdProto
@testable import MVCC
@testable import EtcdServer

/// Seeded simulation of one event loop's watch core against a real in-memory `KVStore`: random
/// writes applied in batches that reach the loop late, watchers created at random start
/// revisions on several streams, streams blocked and unblocked (victims), history reads done
/// late, compactions, snapshot restores, cancels and progress requests. Every watcher's
/// received events are checked against the events computed from the write history: ordered,
/// unique, complete, every revision's events in one response, and every progress notification
/// truthful (the watcher had everything up to its revision).
final class WatchSimulationTests: XCTestCase {
    struct Watched {
        var options: WatcherOptions
        var received: [Event] = []
        var lastDeliveredRevision: Int64 = 0
        var compactRevision: Int64?
    }

    struct Simulation {
        var rng: SplitMix
        let store = KVStore()
        var registry: WatcherRegistry
        var streams: [WatchStreamState]
        var history: [Event] = []
        /// Applied batches not yet handed to the loop.
        var pendingBatches: [(events: [Event], through: Int64)] = []
        var pendingReads: [WatchHistoryRead] = []
        var watched: [WatcherKey: Watched] = [:]
        var cancelled: [WatcherKey: Watched] = [:]
        var now: Int64 = 0
        var liveEvents = 0
        var historyEvents = 0
        var progressChecked = 0
        let keys = ["a", "aa", "ab", "b", "ba", "c", "ca", "cb", "d"].map(b)

        init(seed: UInt64) {
            rng = SplitMix(seed: seed)
            let limits = WatchLimits(watchersPerSyncMax: 3, historyRevisionsPerReadMax: 4)
            registry = WatcherRegistry(currentRevision: store.currentRevision, limits: limits)
            streams = (1...4).map { WatchStreamState(key: streamKey($0), now: 0, progressInterval: 50) }
        }

        func expected(_ options: WatcherOptions, through revision: Int64) -> [Event] {
            history.filter {
                let rev = $0.kv!.modRevision
                return rev >= options.startRevision && rev <= revision
                    && options.interval.contains($0.kv!.key) && options.accepts($0)
            }
        }

        mutating func write() {
            // As etcd's txn checks demand, no two operations of a transaction touch the same key.
            var operations: [(interval: KeyInterval, isDelete: Bool)] = []
            for _ in 0...rng.below(3) {
                let key = keys[rng.below(keys.count)]
                let isDelete = rng.below(4) == 0
                let interval = isDelete && rng.below(2) == 0 ? KeyInterval(key: key, rangeEnd: key + [0xff]) : .key(key)
                if operations.contains(where: { overlaps($0.interval, interval) }) { continue }
                operations.append((interval, isDelete))
            }
            let result = store.write { txn in
                for operation in operations {
                    if operation.isDelete {
                        _ = txn.deleteRange(operation.interval)
                    } else if case .key(let key) = operation.interval {
                        txn.put(key: key, value: b("\(rng.below(100))"))
                    }
                }
            }
            history += result.events
            if !result.events.isEmpty { pendingBatches.append((result.events, result.revision)) }
        }

        func overlaps(_ a: KeyInterval, _ b: KeyInterval) -> Bool {
            keys.contains { a.contains($0) && b.contains($0) }
        }

        mutating func flushBatches() {
            guard !pendingBatches.isEmpty else { return }
            // One applied batch may carry several writes: hand them over together.
            let events = pendingBatches.flatMap(\.events)
            let through = pendingBatches.last!.through
            pendingBatches = []
            deliver(registry.match(events, through: through), live: true)
        }

        mutating func create() {
            let stream = rng.below(streams.count)
            let key = keys[rng.below(keys.count)]
            let rangeEnd: [UInt8] = [[], [0], key + [0xff], keys[rng.below(keys.count)]][rng.below(4)]
            let start: Int64 = rng.below(3) == 0 ? 0 : Int64(1 + rng.below(Int(store.currentRevision) + 2))
            let filters: [WatchCreateRequest.FilterType] = [[], [], [.noPut], [.noDelete]][rng.below(4)]
            let request = WatchRequest(requestUnion: .createRequest(WatchCreateRequest(
                key: key, rangeEnd: rangeEnd, startRevision: start, progressNotify: rng.below(2) == 0,
                filters: filters, watchId: rng.below(4) == 0 ? Int64(rng.below(8)) : 0)))
            let responses = streams[stream].handle(request, registry: &registry, header: watchHeaderTemplate)
            precondition(responses.count == 1)
            let response = responses[0]
            XCTAssertTrue(response.created)
            guard !response.canceled else { return }
            let options = WatcherOptions(
                interval: KeyInterval(key: key, rangeEnd: rangeEnd),
                startRevision: start == 0 ? response.header!.revision + 1 : start,
                filtersPuts: filters.contains(.noPut), filtersDeletes: filters.contains(.noDelete))
            watched[WatcherKey(stream: streamKey(Int32(stream + 1)), watchID: response.watchId)] = Watched(options: options)
        }

        mutating func cancel() {
            guard let key = watched.keys.sorted().randomElement(using: &rng) else { return }
            let responses = streams[Int(key.stream.stream) - 1].handle(cancelRequest(key.watchID), registry: &registry,
                                                                         header: watchHeaderTemplate)
            XCTAssertEqual(responses.first?.canceled, true)
            cancelled[key] = watched.removeValue(forKey: key)
            for response in responses.dropFirst() { checkProgress(key.stream, response) }
        }

        mutating func deliver(_ deliveries: [WatchDelivery], live: Bool) {
            for delivery in deliveries {
                let key = delivery.watcher
                switch delivery.content {
                case .events(let events):
                    guard var w = watched[key] else { return XCTFail("events for unknown watcher \(key)") }
                    XCTAssertNil(w.compactRevision)
                    let revisions = events.map { $0.kv!.modRevision }
                    // Every revision in one delivery: this one starts after the last one ended.
                    XCTAssertGreaterThan(revisions.first!, w.lastDeliveredRevision, "\(key) split or repeated a revision")
                    XCTAssertEqual(revisions, revisions.sorted())
                    if live { XCTAssertEqual(Set(revisions), [delivery.revision]) }
                    XCTAssertGreaterThanOrEqual(delivery.revision, revisions.last!)
                    w.received += events
                    if live { liveEvents += events.count } else { historyEvents += events.count }
                    w.lastDeliveredRevision = revisions.last!
                    watched[key] = w
                case .compacted(let compactRevision):
                    XCTAssertNotNil(watched[key])
                    watched[key]?.compactRevision = compactRevision
                case .progress:
                    checkProgress(delivery.stream, WatchStreamState.responses(
                        for: delivery, header: watchHeaderTemplate, prevKV: { _, _ in nil })[0])
                }
            }
        }

        /// A progress notification promises the watcher (or, with -1, every watcher of the
        /// stream) got everything up to its revision.
        mutating func checkProgress(_ stream: WatchStreamKey, _ response: WatchResponse) {
            let revision = response.header!.revision
            progressChecked += 1
            for (key, w) in watched where key.stream == stream && w.compactRevision == nil
                && (response.watchId == -1 || response.watchId == key.watchID) {
                XCTAssertEqual(w.received, expected(w.options, through: revision), "\(key) progress \(response.watchId) at \(revision) lied; start \(w.options.startRevision) phase \(String(describing: registry.watchers[key]?.phase)) min \(String(describing: registry.watchers[key]?.minRevision)) loop \(registry.currentRevision) got \(w.received.map { $0.kv!.modRevision }) want \(expected(w.options, through: revision).map { $0.kv!.modRevision })")
            }
        }

        mutating func step() {
            switch rng.below(40) {
            case 0..<14: write()
            case 14..<19: flushBatches()
            case 19..<23: create()
            case 23: cancel()
            case 24: registry.streamBlocked(streamKey(Int32(1 + rng.below(streams.count))))
            case 25, 26: deliver(registry.streamUnblocked(streamKey(Int32(1 + rng.below(streams.count)))), live: false)
            case 27, 28: if let read = registry.nextHistoryRead() { pendingReads.append(read) }
            case 29..<32:
                guard !pendingReads.isEmpty else { return }
                let read = pendingReads.removeFirst()
                let records = historyRecords(store, from: read.fromRevision, through: read.throughRevision)
                deliver(registry.applyHistory(read, records: records, compactedRevision: store.compactedRevision), live: false)
            case 32:
                let stream = rng.below(streams.count)
                for response in streams[stream].handle(progressRequest, registry: &registry, header: watchHeaderTemplate) {
                    checkProgress(streamKey(Int32(stream + 1)), response)
                }
            case 33, 34:
                now += 30
                for i in streams.indices {
                    for response in streams[i].progressTimer(now: now, registry: &registry, header: watchHeaderTemplate) {
                        checkProgress(streamKey(Int32(i + 1)), response)
                    }
                }
            case 35:
                // A snapshot install: the loop skips the batches in flight.
                pendingBatches = []
                registry.restore(currentRevision: store.currentRevision)
            case 36:
                let low = max(store.compactedRevision, 1) + 1
                if store.currentRevision - low > 10 {
                    try! store.compact(low + Int64(rng.below(Int(store.currentRevision - low) / 2)))
                }
            default:
                write()
            }
        }

        mutating func finish() {
            flushBatches()
            for i in streams.indices { deliver(registry.streamUnblocked(streamKey(Int32(i + 1))), live: false) }
            pendingReads = []
            deliver(syncAll(&registry, store), live: false)
            XCTAssertFalse(registry.hasUnsynced)
            for (key, w) in watched.sorted(by: { $0.key < $1.key }) {
                let all = expected(w.options, through: store.currentRevision)
                if let compactRevision = w.compactRevision {
                    XCTAssertEqual(w.received, Array(all.prefix(w.received.count)), "\(key) before compaction")
                    XCTAssertGreaterThan(compactRevision, w.options.startRevision)
                } else {
                    XCTAssertEqual(w.received.map { $0.kv!.modRevision }, all.map { $0.kv!.modRevision }, "\(key) from \(w.options.startRevision) compacted \(store.compactedRevision) phase \(String(describing: registry.watchers[key]?.phase)) \(w.options.interval)")
                    XCTAssertEqual(w.received, all)
                }
            }
            for (key, w) in cancelled {
                let all = expected(w.options, through: store.currentRevision)
                XCTAssertEqual(w.received, Array(all.prefix(w.received.count)), "cancelled \(key)")
            }
        }
    }

    func testEveryWatcherGetsEveryEventOnceInOrder() {
        var (live, fromHistory, progress, compactedWatchers) = (0, 0, 0, 0)
        for seed in 1...30 as ClosedRange<UInt64> {
            var simulation = Simulation(seed: seed)
            for _ in 0..<600 { simulation.step() }
            simulation.finish()
            live += simulation.liveEvents
            fromHistory += simulation.historyEvents
            progress += simulation.progressChecked
            compactedWatchers += simulation.watched.values.filter { $0.compactRevision != nil }.count
        }
        // The simulation must have exercised something.
        print("watch simulation: \(live) live events, \(fromHistory) from history, \(progress) progress notifications, \(compactedWatchers) compacted watchers")
        XCTAssertGreaterThan(live, 1_000)
        XCTAssertGreaterThan(fromHistory, 1_000)
        XCTAssertGreaterThan(progress, 100)
        XCTAssertGreaterThan(compactedWatchers, 0)
    }
}

extension SplitMix: RandomNumberGenerator {}
