import XCTest
import EtcdBasics
import EtcdProto
@testable import EtcdServer

/// Lease checkpointing as etcd 3.4's lessor does it (`scheduleCheckpointIfNeeded`,
/// `findDueScheduledCheckpoints`, the zero checkpoint on `Renew`), on a simulated clock.
final class LessorCheckpointTests: XCTestCase {
    private let second: Int64 = 1_000_000_000
    private let interval: Int64 = 60 * 1_000_000_000

    private func id(_ raw: Int64) -> LeaseID { LeaseID(raw) }

    private func lessor(checkpointing: Bool = true, primary: Bool = true) -> Lessor {
        var lessor = Lessor(minTTL: 2, checkpointing: checkpointing
            ? LeaseCheckpointing(intervalNanoseconds: interval, persists: false) : nil)
        if primary { lessor.promote(extendNanoseconds: 0, now: 0) }
        return lessor
    }

    private func checkpoint(_ raw: Int64, _ remaining: Int64) -> LeaseCheckpoint {
        LeaseCheckpoint(id: raw, remainingTTL: remaining)
    }

    func testWithoutCheckpointingNothingIsEverDue() throws {
        var lessor = lessor(checkpointing: false)
        _ = try lessor.grant(id(1), ttl: 3600, now: 0)
        XCTAssertEqual(lessor.takeCheckpoints(now: 3000 * second, limit: 10), [])
    }

    func testALeaseLongerThanTheIntervalIsCheckpointedOneIntervalAfterItsGrantWithItsSecondsLeftRoundedUp() throws {
        var lessor = lessor()
        _ = try lessor.grant(id(1), ttl: 600, now: 0)
        XCTAssertEqual(lessor.takeCheckpoints(now: interval - 1, limit: 10), [], "not before the interval")
        XCTAssertEqual(lessor.takeCheckpoints(now: interval + second / 2, limit: 10), [checkpoint(1, 540)],
                       "539.5 s left round up to 540, as etcd's math.Ceil")
        XCTAssertEqual(lessor.takeCheckpoints(now: 2 * interval, limit: 10), [], "taken once; the next is scheduled as it applies")
    }

    func testALeaseNoLongerThanTheIntervalIsNeverCheckpointed() throws {
        var lessor = lessor()
        _ = try lessor.grant(id(1), ttl: 60, now: 0)
        _ = try lessor.grant(id(2), ttl: 30, now: 0)
        XCTAssertEqual(lessor.takeCheckpoints(now: 50 * second, limit: 10), [])
        XCTAssertEqual(lessor.takeCheckpoints(now: 3 * interval, limit: 10), [])
    }

    func testApplyingACheckpointOnThePrimarySchedulesTheNextOneIntervalLater() throws {
        var lessor = lessor()
        _ = try lessor.grant(id(1), ttl: 600, now: 0)
        XCTAssertEqual(lessor.takeCheckpoints(now: interval, limit: 10), [checkpoint(1, 540)])
        XCTAssertNotNil(lessor.checkpoint(id(1), remainingTTL: 540, now: interval + second))
        XCTAssertEqual(lessor.takeCheckpoints(now: 2 * interval, limit: 10), [])
        XCTAssertEqual(lessor.takeCheckpoints(now: 2 * interval + second, limit: 10), [checkpoint(1, 479)])
    }

    func testACheckpointAppliedOnAFollowerIsWhatItsPromotionCountsFrom() throws {
        var leader = lessor()
        var follower = lessor(primary: false)
        _ = try leader.grant(id(1), ttl: 600, now: 0)
        _ = try follower.grant(id(1), ttl: 600, now: 0)
        let due = leader.takeCheckpoints(now: interval, limit: 10)
        XCTAssertEqual(due, [checkpoint(1, 540)])
        XCTAssertEqual(follower.checkpoint(id(1), remainingTTL: due[0].remainingTTL, now: interval)?.remainingTTL, 540)
        XCTAssertEqual(follower.takeCheckpoints(now: 10 * interval, limit: 10), [], "only the primary proposes")

        follower.promote(extendNanoseconds: 2 * second, now: 100 * second)
        XCTAssertEqual(follower.leases[id(1)]?.expiry, (100 + 2 + 540) * second,
                       "540 s from the checkpoint, not the whole 600 s TTL again")
    }

    func testRenewingALeaseWithACheckpointedRemainderOwesTheOthersAZeroCheckpoint() throws {
        var lessor = lessor()
        _ = try lessor.grant(id(1), ttl: 600, now: 0)
        _ = try lessor.grant(id(2), ttl: 600, now: 0)
        _ = lessor.checkpoint(id(1), remainingTTL: 540, now: interval)
        XCTAssertEqual(lessor.renew(id(1), now: interval + second), .renewed(ttl: 600))
        XCTAssertEqual(lessor.renew(id(2), now: interval + second), .renewed(ttl: 600))
        XCTAssertEqual(lessor.takeCheckpoints(now: interval + second, limit: 10), [checkpoint(1, 0)],
                       "a zero for lease 1 only: lease 2 had no remainder to forget")
        XCTAssertEqual(lessor.takeCheckpoints(now: interval + second, limit: 10), [], "owed once")
        XCTAssertEqual(lessor.renew(id(1), now: interval + 2 * second), .renewed(ttl: 600))
        XCTAssertEqual(lessor.takeCheckpoints(now: interval + 2 * second, limit: 10), [], "the remainder is gone already")
    }

    func testAtMostLimitCheckpointsAreTakenAtATimeEarliestFirst() throws {
        var lessor = lessor()
        for raw: Int64 in 1...5 { _ = try lessor.grant(id(raw), ttl: 600, now: Int64(6 - raw) * second) }
        XCTAssertEqual(lessor.takeCheckpoints(now: interval + 10 * second, limit: 2).map(\.id), [5, 4])
        XCTAssertEqual(lessor.takeCheckpoints(now: interval + 10 * second, limit: 2).map(\.id), [3, 2])
        XCTAssertEqual(lessor.takeCheckpoints(now: interval + 10 * second, limit: 2).map(\.id), [1])
    }

    func testRevokedExpiredAndDemotedLeasesAreNotCheckpointed() throws {
        var lessor = lessor()
        _ = try lessor.grant(id(1), ttl: 600, now: 0)
        _ = try lessor.grant(id(2), ttl: 70, now: 0)
        _ = try lessor.revoke(id(1))
        XCTAssertEqual(lessor.takeCheckpoints(now: 80 * second, limit: 10), [], "1 revoked, 2 expired at 70 s")
        _ = try lessor.revoke(id(2)) // as the leader's expiry check would

        _ = try lessor.grant(id(3), ttl: 600, now: 100 * second)
        lessor.demote()
        XCTAssertEqual(lessor.takeCheckpoints(now: 10 * interval, limit: 10), [], "a demoted lessor proposes nothing")
        lessor.promote(extendNanoseconds: 0, now: 20 * interval)
        XCTAssertEqual(lessor.takeCheckpoints(now: 21 * interval, limit: 10), [checkpoint(3, 540)],
                       "promotion schedules every long lease again")
    }
}
