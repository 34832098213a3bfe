import XCTest
import EtcdProto
@testable import MVCC
@testable import EtcdServer

/// The answers of etcd 3.4.23's `serverWatchStream` (etcdserver/api/v3rpc/watch.go) and
/// `mvcc.watchStream` (mvcc/watcher.go), request by request.
final class WatchStreamTests: XCTestCase {
    var registry = WatcherRegistry(currentRevision: 10)
    var stream = WatchStreamState(key: streamKey(1), now: 0, progressInterval: 1000)

    func send(_ request: WatchRequest) -> [WatchResponse] {
        stream.handle(request, registry: &registry, header: watchHeaderTemplate)
    }

    func testCreateAnswersCreatedWithTheLoopRevisionAndAutoIDsFromZero() {
        XCTAssertEqual(send(createRequest("a")), [WatchResponse(header: watchHeader(10), watchId: 0, created: true)])
        XCTAssertEqual(send(createRequest("b")).map(\.watchId), [1])
        XCTAssertTrue(registry.isSynced(streamKey(1)))
    }

    func testAutoIDsSkipIDsTheClientChose() {
        // watchStream.Watch: `for ws.watchers[ws.nextID] != nil { ws.nextID++ }`.
        XCTAssertEqual(send(createRequest("a", id: 1)).map(\.watchId), [1])
        XCTAssertEqual(send(createRequest("a", id: 2)).map(\.watchId), [2])
        XCTAssertEqual(send(createRequest("a")).map(\.watchId), [0])
        XCTAssertEqual(send(createRequest("a")).map(\.watchId), [3])
        // A cancelled ID below nextID is not reused by the auto counter.
        _ = send(cancelRequest(0))
        XCTAssertEqual(send(createRequest("a")).map(\.watchId), [4])
    }

    func testDuplicateIDIsCreatedAndCanceledWithIDMinusOne() {
        _ = send(createRequest("a", id: 7))
        // recvLoop: a failed Watch gives id = InvalidWatchID, Created: true, Canceled: true,
        // CancelReason: err.Error() (mvcc.ErrWatcherDuplicateID).
        XCTAssertEqual(send(createRequest("b", id: 7)), [WatchResponse(
            header: watchHeader(10), watchId: -1, created: true, canceled: true,
            cancelReason: "mvcc: duplicate watch ID provided on the WatchStream")])
        XCTAssertEqual(registry.watcherCount, 1)
    }

    func testRangeEndNotAfterKeyIsRefusedAsEmptyRange() {
        for (key, end) in [("b", "a"), ("a", "a")] {
            XCTAssertEqual(send(createRequest(key, end)), [WatchResponse(
                header: watchHeader(10), watchId: -1, created: true, canceled: true,
                cancelReason: "mvcc: watcher range is empty")])
        }
        XCTAssertEqual(registry.watcherCount, 0)
    }

    func testEmptyKeyIsTheSmallestKeyAndWithNulRangeEndWatchesEverything() {
        _ = send(createRequest("", "\0"))    // etcdctl watch --prefix ""
        _ = send(createRequest(""))          // the key "\0" alone
        let everything = registry.match([putEvent("zzz", revision: 11)], through: 11)
        XCTAssertEqual(everything.map(\.watchID), [0])
        let nul = registry.match([Event(type: .put, kv: KeyValue(key: [0], createRevision: 12, modRevision: 12, version: 1))], through: 12)
        XCTAssertEqual(nul.map(\.watchID), [0, 1])
    }

    func testAuthorizationFailureIsCreatedAndCanceled() {
        let responses = stream.handle(createRequest("secret"), registry: &registry, header: watchHeaderTemplate) { key, _ in
            key == b("secret") ? "etcdserver: permission denied" : nil
        }
        XCTAssertEqual(responses, [WatchResponse(header: watchHeader(10), watchId: -1, created: true,
                                                 canceled: true, cancelReason: "etcdserver: permission denied")])
    }

    func testCancelAnswersCanceledAndUnknownIDsGetNoAnswer() {
        _ = send(createRequest("a"))
        XCTAssertEqual(send(cancelRequest(0)), [WatchResponse(header: watchHeader(10), watchId: 0, canceled: true)])
        // recvLoop sends nothing when watchStream.Cancel fails (ErrWatcherNotExist).
        XCTAssertEqual(send(cancelRequest(0)), [])
        XCTAssertEqual(send(cancelRequest(42)), [])
        XCTAssertEqual(registry.watcherCount, 0)
    }

    func testEmptyRequestIsIgnored() {
        XCTAssertEqual(send(WatchRequest()), [])
    }

    func testWatchersPerStreamLimitRefusesCreate() {
        registry = WatcherRegistry(currentRevision: 10, limits: WatchLimits(watchersPerStreamMax: 2))
        _ = send(createRequest("a"))
        _ = send(createRequest("b"))
        XCTAssertEqual(send(createRequest("c")), [WatchResponse(
            header: watchHeader(10), watchId: -1, created: true, canceled: true,
            cancelReason: "etcdserver: too many requests")])
    }

    func testProgressRequestOnSyncedStreamAnswersAtOnceWithIDMinusOne() {
        _ = send(createRequest("a"))
        XCTAssertEqual(send(progressRequest), [WatchResponse(header: watchHeader(10), watchId: -1)])
        // Without watchers too (etcd 3.4 answers every progress request).
        var other = WatchStreamState(key: streamKey(2), now: 0, progressInterval: 1000)
        XCTAssertEqual(other.handle(progressRequest, registry: &registry, header: watchHeaderTemplate),
                       [WatchResponse(header: watchHeader(10), watchId: -1)])
    }

    func testProgressRequestWaitsUntilHistoryIsDelivered() throws {
        let store = KVStore()
        for i in 0..<5 { _ = store.write { $0.put(key: b("k\(i)"), value: b("v")) } }   // revisions 2...6
        registry = WatcherRegistry(currentRevision: store.currentRevision)
        _ = send(createRequest("k0", "k9", start: 2))
        XCTAssertFalse(registry.isSynced(streamKey(1)))
        XCTAssertEqual(send(progressRequest), [])
        XCTAssertEqual(send(progressRequest), [], "a second request while one is owed adds nothing")
        let deliveries = syncAll(&registry, store)
        let responses = deliveries.flatMap { WatchStreamState.responses(for: $0, header: watchHeaderTemplate, prevKV: { _, _ in nil }) }
        XCTAssertEqual(responses.map(\.watchId), [0, -1], "the events, then the one owed progress notification")
        XCTAssertEqual(responses[0].events.count, 5)
        XCTAssertEqual(responses[1], WatchResponse(header: watchHeader(6), watchId: -1))
    }

    func testCancellingTheLaggingWatcherReleasesTheOwedProgress() {
        _ = send(createRequest("a", start: 3))     // unsynced: 3 <= 10
        XCTAssertEqual(send(progressRequest), [])
        XCTAssertEqual(send(cancelRequest(0)), [WatchResponse(header: watchHeader(10), watchId: 0, canceled: true),
                                                WatchResponse(header: watchHeader(10), watchId: -1)])
    }

    func testCompactedStartIsCreatedThenCanceledWithCompactRevision() throws {
        let store = KVStore()
        for i in 0..<5 { _ = store.write { $0.put(key: b("k"), value: b("\(i)")) } }   // revisions 2...6
        try store.compact(5)
        registry = WatcherRegistry(currentRevision: store.currentRevision)
        // The create succeeds (recvLoop), the compaction shows when the watcher is synced
        // (watcherGroup.chooseAll: minRev < compactRev).
        XCTAssertEqual(send(createRequest("k", start: 4)), [WatchResponse(header: watchHeader(6), watchId: 0, created: true)])
        let responses = syncAll(&registry, store).flatMap {
            WatchStreamState.responses(for: $0, header: watchHeaderTemplate, prevKV: { _, _ in nil })
        }
        // sendLoop: Header revision is wresp.Revision, which chooseAll leaves 0; canceled is
        // `CompactRevision != 0`; no cancel reason. etcdctl watch -w json --rev=2 after a
        // compaction at 3 shows exactly that: a header without revision, CompactRevision 3.
        XCTAssertEqual(responses, [WatchResponse(header: watchHeader(0), watchId: 0, canceled: true, compactRevision: 5)])
        // As in etcd, the ID stays taken until the client cancels it.
        XCTAssertEqual(send(createRequest("k", id: 0)).map(\.watchId), [1])
        XCTAssertEqual(send(createRequest("k", id: 1)).map(\.cancelReason), [WatchStreamState.duplicateIDReason])
        XCTAssertEqual(send(cancelRequest(0)), [WatchResponse(header: watchHeader(6), watchId: 0, canceled: true)])
    }

    func testStartAtCompactedRevisionItselfIsServed() throws {
        let store = KVStore()
        for i in 0..<5 { _ = store.write { $0.put(key: b("k"), value: b("\(i)")) } }
        try store.compact(5)
        registry = WatcherRegistry(currentRevision: store.currentRevision)
        _ = send(createRequest("k", start: 5))
        let deliveries = syncAll(&registry, store)
        XCTAssertEqual(deliveries.count, 1)
        guard case .events(let events) = deliveries[0].content else { return XCTFail("\(deliveries)") }
        XCTAssertEqual(events.map { $0.kv!.modRevision }, [5, 6])
        XCTAssertEqual(deliveries[0].revision, 6)
    }

    /// Compaction at C removes a tombstone written at C (mvcc keyIndex.compact: "remove any
    /// tombstone"), yet a watch from C is not compacted (`minRev < compactRev`), so it never
    /// sees that delete. etcd 3.4.23 does the same: put k, del k (3), put j, compact 3, then
    /// `etcdctl watch --rev=3 k` prints nothing. We keep etcd's answer.
    func testStartAtCompactRevisionMissesATombstoneThereAsEtcdDoes() throws {
        let store = KVStore()
        _ = store.write { $0.put(key: b("k"), value: b("1")) }      // 2
        _ = store.write { _ = $0.deleteRange(.key(b("k"))) }        // 3
        _ = store.write { $0.put(key: b("j"), value: b("1")) }      // 4
        try store.compact(3)
        registry = WatcherRegistry(currentRevision: store.currentRevision)
        _ = send(createRequest("k", start: 3))
        _ = send(createRequest("", "\0", start: 3))
        let deliveries = syncAll(&registry, store)
        XCTAssertEqual(deliveries.map(\.watchID), [1])
        guard case .events(let events) = deliveries.first?.content else { return XCTFail() }
        XCTAssertEqual(events.map { $0.kv!.key }, [b("j")])
        XCTAssertTrue(registry.isSynced(streamKey(1)))
    }

    func testProgressTimerNotifiesIdleSyncedWatchersOnly() {
        _ = send(createRequest("a", progressNotify: true))     // 0: synced, idle
        _ = send(createRequest("b", progressNotify: true))     // 1: gets events
        _ = send(createRequest("c"))                           // 2: did not ask
        _ = send(createRequest("d", start: 5, progressNotify: true))  // 3: unsynced
        XCTAssertEqual(stream.progressTimer(now: 999, registry: &registry, header: watchHeaderTemplate), [])
        _ = registry.match([putEvent("b", revision: 11)], through: 11)
        XCTAssertEqual(stream.progressTimer(now: 1000, registry: &registry, header: watchHeaderTemplate),
                       [WatchResponse(header: watchHeader(11), watchId: 0)])
        XCTAssertEqual(stream.progressDeadline, 2000)
        // 1 was elided once because it got events; at the next tick it is idle again.
        XCTAssertEqual(stream.progressTimer(now: 2500, registry: &registry, header: watchHeaderTemplate).map(\.watchId), [0, 1])
        XCTAssertEqual(stream.progressDeadline, 3500)
    }

    func testFilteredOutEventsAreNotSentAndDoNotCountAsActivity() {
        _ = send(createRequest("a", progressNotify: true, filters: [.noPut]))
        XCTAssertEqual(registry.match([putEvent("a", revision: 11)], through: 11), [])
        XCTAssertEqual(registry.match([deleteEvent("a", revision: 12)], through: 12).count, 1)
        _ = send(createRequest("b", progressNotify: true, filters: [.noDelete]))
        XCTAssertEqual(registry.match([deleteEvent("b", revision: 13)], through: 13), [])
        XCTAssertEqual(stream.progressTimer(now: 1000, registry: &registry, header: watchHeaderTemplate).map(\.watchId), [1])
    }

    func testPrevKVIsLookedUpAtTheRevisionBeforeExceptForCreations() {
        let store = KVStore()
        _ = store.write { $0.put(key: b("a"), value: b("1")) }      // 2: creation
        _ = store.write { $0.put(key: b("a"), value: b("2")) }      // 3
        _ = store.write { _ = $0.deleteRange(.key(b("a"))) }        // 4
        registry = WatcherRegistry(currentRevision: store.currentRevision)
        _ = send(createRequest("a", start: 2, prevKV: true))
        var lookups: [Int64] = []
        let responses = syncAll(&registry, store).flatMap {
            WatchStreamState.responses(for: $0, header: watchHeaderTemplate) { key, revision in
                lookups.append(revision)
                return try? store.range(key: key, options: RangeOptions(revision: revision)).kvs.first
            }
        }
        XCTAssertEqual(lookups, [2, 3])
        XCTAssertEqual(responses.count, 1)
        XCTAssertEqual(responses[0].events.map { $0.prevKv?.value }, [nil, b("1"), b("2")])
        XCTAssertEqual(responses[0].events.map(\.type), [.put, .put, .delete])
        XCTAssertEqual(responses[0].events[2].kv, KeyValue(key: b("a"), modRevision: 4))
    }
}
