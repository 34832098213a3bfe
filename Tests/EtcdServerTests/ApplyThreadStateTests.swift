import EtcdProto
import XCTest

@testable import EtcdServer

/// The apply thread's bookkeeping between batches: confirmed reads are released once the
/// applied index reaches theirs, proposals a leader change discarded are answered instead of
/// left waiting, and each loop gets its replies in one burst.
final class ApplyThreadStateTests: XCTestCase {
    private func origin(loop: Int, stream: Int32) -> CallOrigin {
        CallOrigin(loop: loop, connection: 1, stream: stream)
    }

    private func pending(_ id: UInt64, expectedIndex: UInt64, stream: Int32?, loop: Int = 0) -> PendingRequest {
        PendingRequest(id: id, origin: stream.map { origin(loop: loop, stream: $0) },
                       request: .put(PutRequest(key: [UInt8(truncatingIfNeeded: id)])), expectedIndex: expectedIndex)
    }

    private func batch(pending: [PendingRequest] = [], reads: [(index: UInt64, waves: [ReadWave])] = []) -> CommittedBatch {
        CommittedBatch(pending: pending, entries: [], reads: reads)
    }

    /// One line per message, in posting order: what a loop was told.
    private func describe(_ messages: [LoopMessage]) -> [String] {
        messages.map { message in
            switch message {
            case .applied(let origin, let result):
                let outcome: String
                switch result {
                case .failure(let error): outcome = "failure(\(error.code), \(error.message))"
                case .put: outcome = "put"
                default: outcome = "\(result)"
                }
                return "applied loop=\(origin.loop) stream=\(origin.stream) \(outcome)"
            case .readIndex(let wave, let result):
                switch result {
                case .success: return "read wave=\(wave) ok"
                case .failure(let error): return "read wave=\(wave) failure(\(error.message))"
                }
            case .watchEvents(let events, let revision):
                return "watch events=\(events.count) through=\(revision)"
            case .watchRestore(let revision):
                return "watch restore \(revision)"
            case .leaseKeepAliveAnswered(let origin, _):
                return "keep-alive loop=\(origin.loop) stream=\(origin.stream)"
            case .shutdown:
                return "shutdown"
            }
        }
    }

    private func inboxes(_ count: Int) -> [Inbox<LoopMessage>] {
        (0..<count).map { _ in Inbox<LoopMessage>(capacity: 16) }
    }

    // MARK: - Reads

    func testReadsAreReleasedOnlyOnceTheirIndexIsAppliedInArrivalOrderAndOnlyOnce() {
        var state = ApplyThreadState(loopCount: 2, applied: 10)
        let loops = inboxes(2)
        state.register(batch(reads: [
            (index: 12, waves: [ReadWave(loop: 0, wave: 1), ReadWave(loop: 1, wave: 1)]),
            (index: 11, waves: [ReadWave(loop: 0, wave: 2)]),
            (index: 14, waves: [ReadWave(loop: 0, wave: 3)]),
        ]))

        state.releaseReads(upTo: 10)
        state.flush(to: loops)
        XCTAssertEqual(describe(loops[0].takeAll()), [], "nothing is applied up to a read index yet")
        XCTAssertEqual(describe(loops[1].takeAll()), [])

        state.releaseReads(upTo: 12)
        state.flush(to: loops)
        XCTAssertEqual(describe(loops[0].takeAll()), ["read wave=1 ok", "read wave=2 ok"])
        XCTAssertEqual(describe(loops[1].takeAll()), ["read wave=1 ok"])

        state.releaseReads(upTo: 13)
        state.flush(to: loops)
        XCTAssertEqual(describe(loops[0].takeAll()), [], "released reads are not released again")

        state.register(batch(reads: [(index: 13, waves: [ReadWave(loop: 1, wave: 2)])]))
        state.releaseReads(upTo: 14)
        state.flush(to: loops)
        XCTAssertEqual(describe(loops[0].takeAll()), ["read wave=3 ok"])
        XCTAssertEqual(describe(loops[1].takeAll()), ["read wave=2 ok"])

        state.releaseReads(upTo: 100)
        state.flush(to: loops)
        XCTAssertEqual(describe(loops[0].takeAll()) + describe(loops[1].takeAll()), [])
    }

    // MARK: - Lost proposals

    func testProposalsPassedOverByTheAppliedIndexFailWithEtcdsTimeout() {
        var state = ApplyThreadState(loopCount: 1, applied: 0)
        let loops = inboxes(1)
        state.register(batch(pending: [
            pending(1, expectedIndex: 3, stream: 1),   // applied at 3: answered by the applier
            pending(2, expectedIndex: 4, stream: 3),   // index 4 held another leader's entry
            pending(3, expectedIndex: 0, stream: 5),   // index unknown: never judged lost
            pending(4, expectedIndex: 6, stream: 7),   // not reached yet
        ]))
        XCTAssertEqual(Set(state.waiters.keys), [1, 2, 3, 4])

        _ = state.waiters.removeValue(forKey: 1)      // what applying entry 3 does
        state.applied = 5
        state.failLostProposals()
        state.flush(to: loops)
        XCTAssertEqual(describe(loops[0].takeAll()),
                       ["applied loop=0 stream=3 failure(unavailable, etcdserver: request timed out)"])
        XCTAssertEqual(Set(state.waiters.keys), [3, 4], "the lost proposal no longer waits")

        state.failLostProposals()
        state.flush(to: loops)
        XCTAssertEqual(describe(loops[0].takeAll()), [], "each lost proposal is answered once")

        state.applied = 6
        _ = state.waiters.removeValue(forKey: 4)      // entry 6 was ours after all
        state.failLostProposals()
        state.flush(to: loops)
        XCTAssertEqual(describe(loops[0].takeAll()), [], "an answered proposal is not failed")
        XCTAssertEqual(Set(state.waiters.keys), [3], "a proposal without an expected index keeps waiting")
    }

    func testForwardedProposalsAreForgottenAfterTheirLifetime() {
        var state = ApplyThreadState(loopCount: 1, applied: 0, forwardedProposalLifetimeNanoseconds: 100)
        state.register(batch(pending: [pending(1, expectedIndex: 0, stream: 1), pending(2, expectedIndex: 5, stream: 3)]),
                       now: 1_000)
        state.register(batch(pending: [pending(3, expectedIndex: 0, stream: 5)]), now: 1_050)
        XCTAssertEqual(state.abandonForwardedProposals(now: 1_099), 0, "not yet due")
        _ = state.waiters.removeValue(forKey: 3)      // its entry applied
        XCTAssertEqual(state.abandonForwardedProposals(now: 1_200), 1, "only the one still waiting counts")
        XCTAssertEqual(Set(state.waiters.keys), [2], "a proposal with a known index is left to failLostProposals")
    }

    func testALostProposalNobodyWaitsForIsDroppedSilently() {
        var state = ApplyThreadState(loopCount: 1, applied: 0)
        let loops = inboxes(1)
        state.register(batch(pending: [pending(9, expectedIndex: 2, stream: nil)]))
        state.applied = 2
        state.failLostProposals()
        state.flush(to: loops)
        XCTAssertEqual(describe(loops[0].takeAll()), [])
        XCTAssertTrue(state.waiters.isEmpty)
    }

    func testManyLostProposalsAreEachAnsweredOnce() {
        var state = ApplyThreadState(loopCount: 1, applied: 0)
        let loops = [Inbox<LoopMessage>(capacity: 1)]   // replies are posted past capacity
        let count = 3000
        state.register(batch(pending: (1...count).map { pending(UInt64($0), expectedIndex: UInt64($0), stream: Int32($0)) }))
        for applied in stride(from: 500, through: count, by: 500) {
            state.applied = UInt64(applied)
            state.failLostProposals()
        }
        state.flush(to: loops)
        let streams = loops[0].takeAll().compactMap { message -> Int32? in
            guard case .applied(let origin, .failure(let error)) = message, error == .timeout else { return nil }
            return origin.stream
        }
        XCTAssertEqual(streams, (1...Int32(count)).map { $0 })
        XCTAssertTrue(state.waiters.isEmpty)
    }

    // MARK: - Replies

    func testFlushPostsEachLoopItsOwnRepliesInOrderOnce() {
        var state = ApplyThreadState(loopCount: 3, applied: 0)
        let loops = inboxes(3)
        state.reply(origin(loop: 2, stream: 1), .failure(.timeout))
        state.reply(origin(loop: 0, stream: 3), .put(PutResponse()))
        state.reply(origin(loop: 2, stream: 5), .put(PutResponse()))

        state.flush(to: loops)
        XCTAssertEqual(describe(loops[0].takeAll()), ["applied loop=0 stream=3 put"])
        XCTAssertEqual(describe(loops[1].takeAll()), [])
        XCTAssertEqual(describe(loops[2].takeAll()), [
            "applied loop=2 stream=1 failure(unavailable, etcdserver: request timed out)",
            "applied loop=2 stream=5 put",
        ])

        state.flush(to: loops)
        XCTAssertEqual(describe(loops[0].takeAll()) + describe(loops[2].takeAll()), [], "replies are sent once")
    }

    func testPhysicalCompactionRepliesWaitUntilReleased() {
        var state = ApplyThreadState(loopCount: 1, applied: 0)
        let loops = inboxes(1)
        state.physicalCompactionReplies.append((origin(loop: 0, stream: 9), .compaction(CompactionResponse())))
        state.flush(to: loops)
        XCTAssertEqual(describe(loops[0].takeAll()), [])

        state.releasePhysicalCompactionReplies()
        state.flush(to: loops)
        XCTAssertEqual(describe(loops[0].takeAll()).count, 1)
        state.releasePhysicalCompactionReplies()
        state.flush(to: loops)
        XCTAssertEqual(describe(loops[0].takeAll()), [])
    }
}
