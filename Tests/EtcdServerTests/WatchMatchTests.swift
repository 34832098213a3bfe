import XCTest
import EtcdProto
import MVCC
@testable import EtcdServer

/// Matching live events to synced watchers: which watchers get what, and what it costs.
final class WatchMatchTests: XCTestCase {
    let s = streamKey(1)

    func add(_ registry: inout WatcherRegistry, _ id: Int64, _ interval: KeyInterval, start: Int64? = nil,
             noPut: Bool = false, noDelete: Bool = false) {
        registry.add(WatcherKey(stream: s, watchID: id),
                     WatcherOptions(interval: interval, startRevision: start ?? registry.currentRevision + 1,
                                    filtersPuts: noPut, filtersDeletes: noDelete))
    }

    func testKeyPrefixRangeAndFromKeyWatchersGetTheirKeysOnly() {
        var registry = WatcherRegistry(currentRevision: 1)
        add(&registry, 1, .key(b("foo")))
        add(&registry, 2, KeyInterval(key: b("foo"), rangeEnd: b("fop")))       // prefix "foo"
        add(&registry, 3, .between(b("a"), b("foo")))                             // excludes "foo"
        add(&registry, 4, .from(b("g")))
        add(&registry, 5, .between(b("foo"), b("foo\0")))                         // a range of one key
        let deliveries = registry.match([putEvent("foo", revision: 2), putEvent("foo1", revision: 2),
                                         putEvent("b", revision: 2), putEvent("zz", revision: 2),
                                         putEvent("fop", revision: 2)], through: 2)
        var got: [Int64: [String]] = [:]
        for delivery in deliveries {
            guard case .events(let events) = delivery.content else { return XCTFail() }
            XCTAssertEqual(delivery.revision, 2)
            XCTAssertNil(got[delivery.watchID], "one delivery per watcher per revision")
            got[delivery.watchID] = events.map { String(decoding: $0.kv!.key, as: UTF8.self) }
        }
        XCTAssertEqual(got, [1: ["foo"], 2: ["foo", "foo1"], 3: ["b"], 4: ["zz"], 5: ["foo"]], "\"fop\" is in none")
        XCTAssertEqual(deliveries.map(\.watchID), [1, 2, 3, 4, 5], "watchers in key order")
    }

    func testOneDeliveryPerRevisionAndHeaderIsTheEventsRevision() {
        var registry = WatcherRegistry(currentRevision: 1)
        add(&registry, 1, .from(b("")))
        let deliveries = registry.match([putEvent("a", revision: 2), putEvent("b", revision: 2),
                                         deleteEvent("a", revision: 3), putEvent("c", revision: 4)], through: 5)
        XCTAssertEqual(deliveries.map(\.revision), [2, 3, 4])
        XCTAssertEqual(deliveries.map { d -> Int in if case .events(let e) = d.content { return e.count }; return -1 }, [2, 1, 1])
        XCTAssertEqual(registry.currentRevision, 5, "the batch's last revision, even without an event there")
    }

    func testFiltersDropTheirKind() {
        var registry = WatcherRegistry(currentRevision: 1)
        add(&registry, 1, .key(b("k")), noPut: true)
        add(&registry, 2, .key(b("k")), noDelete: true)
        add(&registry, 3, .key(b("k")), noPut: true, noDelete: true)
        let deliveries = registry.match([putEvent("k", revision: 2), deleteEvent("k", revision: 3)], through: 3)
        XCTAssertEqual(deliveries.map { "\($0.watchID)@\($0.revision)" }, ["2@2", "1@3"])
    }

    func testFutureStartRevisionIsSyncedAndSkipsEarlierEvents() {
        var registry = WatcherRegistry(currentRevision: 1)
        add(&registry, 1, .key(b("k")), start: 4)
        XCTAssertTrue(registry.isSynced(s))
        XCTAssertEqual(registry.match([putEvent("k", revision: 2)], through: 2), [])
        XCTAssertEqual(registry.match([putEvent("k", revision: 3)], through: 3), [])
        XCTAssertEqual(registry.match([putEvent("k", revision: 4)], through: 4).map(\.revision), [4])
    }

    func testUnsyncedAndBlockedWatchersGetNoLiveEvents() {
        var registry = WatcherRegistry(currentRevision: 5)
        add(&registry, 1, .key(b("k")), start: 3)            // unsynced
        add(&registry, 2, .key(b("k")))
        registry.add(WatcherKey(stream: streamKey(2), watchID: 1),
                     WatcherOptions(interval: .key(b("k")), startRevision: 6))
        registry.streamBlocked(streamKey(2))
        XCTAssertEqual(registry.match([putEvent("k", revision: 6)], through: 6).map(\.watcher),
                       [WatcherKey(stream: s, watchID: 2)])
    }

    /// A victim misses live events while its stream is blocked and gets them from history once
    /// it is unblocked: late, but all of them, once each.
    func testBlockedStreamCatchesUpFromHistoryAfterUnblock() {
        let store = KVStore()
        var registry = WatcherRegistry(currentRevision: store.currentRevision)
        add(&registry, 1, .from(b("k")))
        func write(_ key: String) -> [WatchDelivery] {
            let result = store.write { $0.put(key: b(key), value: b("v")) }
            return registry.match(result.events, through: result.revision)
        }
        XCTAssertEqual(write("k1").map(\.revision), [2])
        registry.streamBlocked(s)
        XCTAssertFalse(registry.isSynced(s))
        XCTAssertEqual(write("k2"), [])
        XCTAssertEqual(write("k3"), [])
        XCTAssertNil(registry.nextHistoryRead(), "a victim does not read history while blocked")
        XCTAssertEqual(registry.streamUnblocked(s), [])
        let caughtUp = syncAll(&registry, store)
        XCTAssertEqual(caughtUp.count, 1)
        guard case .events(let events) = caughtUp.first?.content else { return XCTFail() }
        XCTAssertEqual(events.map { $0.kv!.key }, [b("k2"), b("k3")])
        XCTAssertTrue(registry.isSynced(s))
        XCTAssertEqual(write("k4").map(\.revision), [5])
    }

    func testAStreamCatchesUpItsWatchersInStepsOfItsHistoryBudget() {
        // Three watchers of one stream, each 10 revisions of 100 KiB behind: one read may hand
        // the stream about 256 KiB, so the first watcher gets its whole window (a watcher's
        // events are never split, as etcd groups them) and the others wait for later reads;
        // in the end each has every event once, in order.
        let store = KVStore()
        let limits = WatchLimits(historyBytesPerStreamMax: 256 * 1024)
        var registry = WatcherRegistry(currentRevision: store.currentRevision, limits: limits)
        let big = String(repeating: "x", count: 100 * 1024)
        for n in 0..<10 { _ = store.write { $0.put(key: b("k\(n)"), value: b(big)) } }
        registry.restore(currentRevision: store.currentRevision)
        for id in 1...3 { add(&registry, Int64(id), .from(b("k")), start: 2) }
        let read = registry.nextHistoryRead()!
        let first = registry.applyHistory(read, records: historyRecords(store, from: read.fromRevision, through: read.throughRevision),
                                          compactedRevision: store.compactedRevision)
        XCTAssertEqual(first.map(\.watchID), [1])
        XCTAssertEqual(first.first?.revision, 11)
        guard case .events(let events)? = first.first?.content else { return XCTFail() }
        XCTAssertEqual(events.map { $0.kv!.modRevision }, Array(2...11))
        var received: [Int64: [Int64]] = [1: Array(2...11)]
        for delivery in syncAll(&registry, store) {
            guard case .events(let events) = delivery.content else { continue }
            received[delivery.watchID, default: []] += events.map { $0.kv!.modRevision }
        }
        for id: Int64 in 1...3 { XCTAssertEqual(received[id], Array(2...11), "watcher \(id)") }
        XCTAssertTrue(registry.isSynced(s))
    }

    func testOneHistoryReadHandsOutAtMostItsBudgetAcrossStreams() {
        // Three streams, one watcher each, 10 revisions of 100 KiB behind; one read may hand
        // out about 256 KiB in all: the first stream's watcher gets its window, the others
        // wait for later reads, and in the end each has every event once, in order.
        let store = KVStore()
        let limits = WatchLimits(historyBytesPerReadMax: 256 * 1024)
        var registry = WatcherRegistry(currentRevision: store.currentRevision, limits: limits)
        let big = String(repeating: "x", count: 100 * 1024)
        for n in 0..<10 { _ = store.write { $0.put(key: b("k\(n)"), value: b(big)) } }
        registry.restore(currentRevision: store.currentRevision)
        for n: Int32 in 1...3 {
            registry.add(WatcherKey(stream: streamKey(n), watchID: 0), WatcherOptions(interval: .from(b("k")), startRevision: 2))
        }
        let read = registry.nextHistoryRead()!
        let first = registry.applyHistory(read, records: historyRecords(store, from: read.fromRevision, through: read.throughRevision),
                                          compactedRevision: store.compactedRevision)
        XCTAssertEqual(first.map(\.stream), [streamKey(1)])
        var received: [Int32: [Int64]] = [:]
        for delivery in first + syncAll(&registry, store) {
            guard case .events(let events) = delivery.content else { continue }
            received[delivery.stream.stream, default: []] += events.map { $0.kv!.modRevision }
        }
        for n: Int32 in 1...3 { XCTAssertEqual(received[n], Array(2...11), "stream \(n)") }
    }

    func testARevisionLargerThanTheBudgetStillGoesWhole() {
        let store = KVStore()
        var registry = WatcherRegistry(currentRevision: store.currentRevision,
                                       limits: WatchLimits(historyBytesPerStreamMax: 1024))
        _ = store.write { txn in
            txn.put(key: b("a"), value: b(String(repeating: "x", count: 4096)))
            txn.put(key: b("b"), value: b(String(repeating: "y", count: 4096)))
        }
        registry.restore(currentRevision: store.currentRevision)
        add(&registry, 1, .from(b("")), start: 2)
        let delivered = syncAll(&registry, store)
        guard case .events(let events)? = delivered.first?.content else { return XCTFail() }
        XCTAssertEqual(events.count, 2, "a txn's events are never split between responses")
        XCTAssertTrue(registry.isSynced(s))
    }

    func testVictimThatMissedNothingIsSyncedAgainWithoutHistory() {
        var registry = WatcherRegistry(currentRevision: 1)
        add(&registry, 1, .key(b("k")))
        registry.streamBlocked(s)
        add(&registry, 2, .key(b("k")))          // created while blocked: a victim too
        _ = registry.streamUnblocked(s)
        XCTAssertFalse(registry.hasUnsynced)
        XCTAssertEqual(registry.match([putEvent("k", revision: 2)], through: 2).map(\.watchID), [1, 2])
    }

    func testRemovedWatchersAreGoneFromTheIndex() {
        var registry = WatcherRegistry(currentRevision: 1)
        add(&registry, 1, .between(b("a"), b("c")))
        add(&registry, 2, .between(b("a"), b("c")))
        add(&registry, 3, .key(b("b")))
        registry.remove(WatcherKey(stream: s, watchID: 1))
        registry.remove(WatcherKey(stream: s, watchID: 3))
        XCTAssertEqual(registry.match([putEvent("b", revision: 2)], through: 2).map(\.watchID), [2])
        registry.removeStream(s)
        XCTAssertEqual(registry.watcherCount, 0)
        XCTAssertEqual(registry.match([putEvent("b", revision: 3)], through: 3), [])
    }

    /// The cost claim: with thousands of watchers on distinct keys and ranges, matching a key
    /// looks at a number of index entries that grows with its matches and the log of the
    /// number of ranges, not with the number of watchers.
    func testMatchingCostGrowsWithMatchesNotWatchers() {
        for watcherCount in [500, 4_000] {
            var registry = WatcherRegistry(currentRevision: 1)
            for i in 0..<watcherCount {
                let key = b("key\(100_000 + i)")
                add(&registry, Int64(2 * i), .key(key))
                add(&registry, Int64(2 * i + 1), .between(key, key + b("5")))     // key..., key4...
            }
            add(&registry, -1, .from(b("key")))                                     // matches everything
            let probe = b("key\(100_000 + watcherCount / 2)")
            let deliveries = registry.match([Event(type: .put, kv: KeyValue(key: probe, createRevision: 2, modRevision: 2, version: 1))], through: 2)
            XCTAssertEqual(deliveries.count, 3)
            let logBound = Int((log2(Double(2 * watcherCount))).rounded(.up))
            // A treap's expected depth is about 2 ln n ≈ 1.39 log2 n; allow a generous constant.
            XCTAssertLessThanOrEqual(registry.lastMatchVisits, 1 + 4 * 3 * logBound,
                                     "\(watcherCount) watchers: \(registry.lastMatchVisits) visits")
        }
    }

    /// The range index against a plain scan, on random ranges, inserts and removals.
    func testRangeTreeStabsMatchAScan() {
        var rng = SplitMix(seed: 42)
        var tree = KeyRangeTree<Int>()
        var model: [(start: [UInt8], end: [UInt8]?, id: Int)] = []
        func randomKey() -> [UInt8] { (0..<Int(rng.next() % 3 + 1)).map { _ in UInt8(97 + rng.next() % 4) } }
        for id in 0..<2_000 {
            if !model.isEmpty && rng.next() % 3 == 0 {
                let victim = model.remove(at: Int(rng.next() % UInt64(model.count)))
                XCTAssertTrue(tree.remove(start: victim.start, end: victim.end))
                continue
            }
            let start = randomKey()
            let end: [UInt8]? = rng.next() % 4 == 0 ? nil : randomKey()
            guard tree.find(start: start, end: end) == nil else { continue }
            tree.insert(start: start, end: end, value: id)
            model.append((start, end, id))
            let probe = randomKey()
            var got: [Int] = []
            tree.stab(probe) { got.append($0) }
            let want = model.filter {
                compareBytes($0.start, probe) <= 0 && ($0.end.map { compareBytes(probe, $0) < 0 } ?? true)
            }.map(\.id)
            XCTAssertEqual(got.sorted(), want.sorted(), "probe \(probe)")
            XCTAssertEqual(tree.count, model.count)
        }
    }
}

/// A small deterministic generator for the Watch tests.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}
