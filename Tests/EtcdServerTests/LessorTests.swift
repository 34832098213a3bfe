import XCTest
import EtcdBasics
@testable import EtcdServer

/// The lessor as etcd 3.4's `lease/lessor.go` behaves, on a simulated monotonic clock: every
/// `now` below is nanoseconds, and nothing sleeps.
final class LessorTests: XCTestCase {
    private static let second: Int64 = 1_000_000_000
    /// etcd's "forever" as a lease's time-to-live reports it: `int64(time.Duration(math.MaxInt64).Seconds())`.
    private static let foreverSeconds: Int64 = 9_223_372_036
    private let second = LessorTests.second

    private func id(_ raw: Int64) -> LeaseID { LeaseID(raw) }
    private func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    /// A lessor that leads from `now` on, with nothing extended.
    private func primaryLessor(minTTL: Int64 = 2, now: Int64 = 0) -> Lessor {
        var lessor = Lessor(minTTL: minTTL)
        lessor.promote(extendNanoseconds: 0, now: now)
        return lessor
    }

    private func expiry(_ lessor: Lessor, _ raw: Int64) -> Int64? { lessor.leases[id(raw)]?.expiry }

    private func assertThrows(_ expected: EtcdError, file: StaticString = #filePath, line: UInt = #line,
                              _ body: () throws(EtcdError) -> Void) {
        do {
            try body()
            XCTFail("expected \(expected.message)", file: file, line: line)
        } catch {
            XCTAssertEqual(error, expected, file: file, line: line)
        }
    }

    // MARK: - Grant

    func testGrantRaisesATTLBelowTheMinimumToTheMinimum() throws {
        var lessor = Lessor(minTTL: 5)
        XCTAssertEqual(try lessor.grant(id(1), ttl: 1, now: 0).ttl, 5)
        XCTAssertEqual(try lessor.grant(id(2), ttl: 0, now: 0).ttl, 5)
        XCTAssertEqual(try lessor.grant(id(3), ttl: -7, now: 0).ttl, 5)
        XCTAssertEqual(try lessor.grant(id(4), ttl: 5, now: 0).ttl, 5)
        XCTAssertEqual(try lessor.grant(id(5), ttl: 6, now: 0).ttl, 6)
        XCTAssertEqual(lessor.leases[id(1)]?.ttl, 5, "the raised TTL is the one kept")
    }

    func testGrantRefusesATTLAboveTheMaximumAndGrantsTheMaximumItself() throws {
        var lessor = primaryLessor()
        assertThrows(.leaseTTLTooLarge) { () throws(EtcdError) in
            _ = try lessor.grant(id(1), ttl: LeaseLimits.ttlMaxSeconds + 1, now: 0)
        }
        XCTAssertFalse(lessor.contains(id(1)))
        XCTAssertEqual(LeaseLimits.ttlMaxSeconds, 9_000_000_000, "etcd's MaxLeaseTTL")
        XCTAssertEqual(try lessor.grant(id(1), ttl: LeaseLimits.ttlMaxSeconds, now: 0).ttl, 9_000_000_000)
    }

    func testGrantRefusesAnIDInUseAndKeepsTheExistingLease() throws {
        var lessor = primaryLessor()
        _ = try lessor.grant(id(7), ttl: 10, now: 0)
        assertThrows(.leaseExist) { () throws(EtcdError) in _ = try lessor.grant(id(7), ttl: 60, now: 5 * second) }
        XCTAssertEqual(lessor.leases[id(7)]?.ttl, 10)
        XCTAssertEqual(expiry(lessor, 7), 10 * second)
        XCTAssertEqual(lessor.count, 1)
    }

    func testGrantRefusesLeaseIDZeroAsNotFound() {
        var lessor = primaryLessor()
        assertThrows(.leaseNotFound) { () throws(EtcdError) in _ = try lessor.grant(.none, ttl: 10, now: 0) }
        XCTAssertEqual(lessor.count, 0)
    }

    func testGrantChecksTheIDBeforeTheTTLAndTheTTLBeforeAnExistingLease() throws {
        // etcd's Grant: zero ID, then TTL too large, then "exists".
        var lessor = primaryLessor()
        _ = try lessor.grant(id(1), ttl: 10, now: 0)
        assertThrows(.leaseNotFound) { () throws(EtcdError) in
            _ = try lessor.grant(.none, ttl: LeaseLimits.ttlMaxSeconds + 1, now: 0)
        }
        assertThrows(.leaseTTLTooLarge) { () throws(EtcdError) in
            _ = try lessor.grant(id(1), ttl: LeaseLimits.ttlMaxSeconds + 1, now: 0)
        }
    }

    func testAFollowersGrantNeverExpiresWhileThePrimarysExpiresTTLLater() throws {
        var follower = Lessor(minTTL: 2)
        let held = try follower.grant(id(1), ttl: 10, now: 100 * second)
        XCTAssertNil(held.expiry)
        XCTAssertEqual(follower.remainingSeconds(id(1), now: 100 * second), Self.foreverSeconds)

        var primary = primaryLessor()
        let granted = try primary.grant(id(1), ttl: 10, now: 100 * second)
        XCTAssertEqual(granted.expiry, 110 * second)
        XCTAssertEqual(primary.leases[id(1)], granted, "the lease returned is the lease kept")
        XCTAssertEqual(primary.remainingSeconds(id(1), now: 100 * second), 10)
    }

    // MARK: - Minimum TTL

    func testMinimumTTLWithEtcdsDefaultTimingIsTwoSeconds() {
        // 100 ms heartbeat, 1000 ms election: 10 ticks, 15 ticks of 100 ms = 1.5 s, rounded up.
        XCTAssertEqual(LeaseLimits.ttlMinSeconds(heartbeatMilliseconds: 100, electionMilliseconds: 1000), 2)
    }

    func testMinimumTTLIsOneAndAHalfElectionTimeoutsInWholeTicksRoundedUpToSeconds() {
        // ceil(((3 * (election / heartbeat)) / 2) * heartbeat ms), integer divisions as etcd's.
        let cases: [(heartbeat: Int64, election: Int64, seconds: Int64)] = [
            (100, 500, 1),     // 5 ticks → 7 ticks → 700 ms
            (300, 1000, 2),    // 3 ticks (1000 / 300) → 4 ticks → 1200 ms
            (50, 2000, 3),     // 40 ticks → 60 ticks → exactly 3000 ms
            (1000, 1000, 1),   // 1 tick → 1 tick (3 / 2) → 1000 ms
            (100, 1050, 2),    // the 50 ms beyond whole ticks do not count: 10 ticks → 1500 ms
            (500, 5000, 8),    // 10 ticks → 15 ticks → 7500 ms
            (10, 100, 1),      // 150 ms
            (250, 1100, 2),    // 4 ticks → 6 ticks → 1500 ms
        ]
        for c in cases {
            XCTAssertEqual(LeaseLimits.ttlMinSeconds(heartbeatMilliseconds: c.heartbeat, electionMilliseconds: c.election),
                           c.seconds, "heartbeat \(c.heartbeat) ms, election \(c.election) ms")
        }
    }

    // MARK: - Keys

    func testAKeyPutUnderAnotherLeaseLeavesTheFirst() throws {
        var lessor = Lessor(minTTL: 2)
        _ = try lessor.grant(id(1), ttl: 10, now: 0)
        _ = try lessor.grant(id(2), ttl: 10, now: 0)
        lessor.keyPut(bytes("k"), lease: id(1))
        XCTAssertEqual(lessor.lease(of: bytes("k")), id(1))
        lessor.keyPut(bytes("k"), lease: id(2))
        XCTAssertEqual(lessor.lease(of: bytes("k")), id(2))
        XCTAssertEqual(lessor.leases[id(1)]?.keys, [])
        XCTAssertEqual(try lessor.revoke(id(1)), [], "the key is no longer the first lease's to delete")
        XCTAssertEqual(lessor.lease(of: bytes("k")), id(2))
        XCTAssertEqual(try lessor.revoke(id(2)), [bytes("k")])
    }

    func testAKeyPutAgainUnderTheSameLeaseStaysAttached() throws {
        var lessor = Lessor(minTTL: 2)
        _ = try lessor.grant(id(1), ttl: 10, now: 0)
        lessor.keyPut(bytes("k"), lease: id(1))
        lessor.keyPut(bytes("k"), lease: id(1))
        XCTAssertEqual(lessor.lease(of: bytes("k")), id(1))
        XCTAssertEqual(try lessor.revoke(id(1)), [bytes("k")])
    }

    func testAKeyPutWithoutALeaseLeavesItsLease() throws {
        var lessor = Lessor(minTTL: 2)
        _ = try lessor.grant(id(1), ttl: 10, now: 0)
        lessor.keyPut(bytes("k"), lease: id(1))
        lessor.keyPut(bytes("other"), lease: id(1))
        lessor.keyPut(bytes("k"), lease: .none)
        XCTAssertEqual(lessor.lease(of: bytes("k")), .none)
        XCTAssertEqual(try lessor.revoke(id(1)), [bytes("other")])
    }

    func testADeletedKeyLeavesItsLease() throws {
        var lessor = Lessor(minTTL: 2)
        _ = try lessor.grant(id(1), ttl: 10, now: 0)
        lessor.keyPut(bytes("k"), lease: id(1))
        lessor.keyPut(bytes("other"), lease: id(1))
        lessor.keyDeleted(bytes("k"))
        XCTAssertEqual(lessor.lease(of: bytes("k")), .none)
        lessor.keyDeleted(bytes("never-put"))
        XCTAssertEqual(try lessor.revoke(id(1)), [bytes("other")])
    }

    func testAKeyPutUnderALeaseThatDoesNotExistIsAttachedToNothing() throws {
        var lessor = Lessor(minTTL: 2)
        lessor.keyPut(bytes("k"), lease: id(9))
        XCTAssertEqual(lessor.lease(of: bytes("k")), .none)
        _ = try lessor.grant(id(9), ttl: 10, now: 0)
        XCTAssertEqual(lessor.leases[id(9)]?.keys, [], "a later grant of that ID does not pick the key up")
        XCTAssertEqual(try lessor.revoke(id(9)), [])
    }

    func testRevokeReturnsTheKeysInByteOrderAndForgetsThem() throws {
        var lessor = Lessor(minTTL: 2)
        _ = try lessor.grant(id(1), ttl: 10, now: 0)
        _ = try lessor.grant(id(2), ttl: 10, now: 0)
        let keys: [[UInt8]] = [[0xFF], bytes("b"), bytes("ab"), bytes("a"), [0x00], bytes("B"), [0x61, 0x00], [0xC3, 0xA9]]
        for key in keys { lessor.keyPut(key, lease: id(1)) }
        lessor.keyPut(bytes("kept"), lease: id(2))

        let revoked = try lessor.revoke(id(1))
        // Byte order, as Go sorts strings: shorter prefix first, 0xFF last.
        XCTAssertEqual(revoked, [[0x00], bytes("B"), bytes("a"), [0x61, 0x00], bytes("ab"), bytes("b"), [0xC3, 0xA9], [0xFF]])
        for key in keys { XCTAssertEqual(lessor.lease(of: key), .none) }
        XCTAssertFalse(lessor.contains(id(1)))
        XCTAssertEqual(lessor.count, 1)
        XCTAssertEqual(lessor.lease(of: bytes("kept")), id(2), "another lease's keys are untouched")
        assertThrows(.leaseNotFound) { () throws(EtcdError) in _ = try lessor.revoke(id(1)) }
    }

    func testRevokingALeaseThatDoesNotExistThrowsNotFound() {
        var lessor = Lessor(minTTL: 2)
        assertThrows(.leaseNotFound) { () throws(EtcdError) in _ = try lessor.revoke(id(42)) }
        assertThrows(.leaseNotFound) { () throws(EtcdError) in _ = try lessor.revoke(.none) }
    }

    func testARevokedLeaseNoLongerExpires() throws {
        var lessor = primaryLessor()
        _ = try lessor.grant(id(1), ttl: 5, now: 0)
        _ = try lessor.grant(id(2), ttl: 5, now: 0)
        _ = try lessor.revoke(id(1))
        XCTAssertEqual(lessor.takeExpired(now: 60 * second, limit: 10), [id(2)])
    }

    // MARK: - Renew

    func testRenewingOnALessorThatDoesNotLeadAnswersNotPrimary() throws {
        var lessor = Lessor(minTTL: 2)
        _ = try lessor.grant(id(1), ttl: 10, now: 0)
        XCTAssertEqual(lessor.renew(id(1), now: 0), .notPrimary)
        XCTAssertEqual(lessor.renew(id(99), now: 0), .notPrimary, "not primary comes before not found")
        lessor.promote(extendNanoseconds: 0, now: 0)
        XCTAssertEqual(lessor.renew(id(1), now: second), .renewed(ttl: 10))
        lessor.demote()
        XCTAssertEqual(lessor.renew(id(1), now: 2 * second), .notPrimary)
    }

    func testRenewingOnThePrimaryMovesTheExpiryToNowPlusTheTTL() throws {
        var lessor = primaryLessor()
        _ = try lessor.grant(id(1), ttl: 10, now: 0)
        XCTAssertEqual(lessor.renew(id(1), now: 7 * second), .renewed(ttl: 10))
        XCTAssertEqual(expiry(lessor, 1), 17 * second)
        XCTAssertEqual(lessor.remainingSeconds(id(1), now: 7 * second), 10)
        XCTAssertEqual(lessor.takeExpired(now: 17 * second - 1, limit: 10), [])
        XCTAssertEqual(lessor.takeExpired(now: 17 * second, limit: 10), [id(1)])
    }

    func testRenewingAnUnknownLeaseAnswersNotFound() {
        var lessor = primaryLessor()
        XCTAssertEqual(lessor.renew(id(3), now: 0), .notFound)
    }

    func testALeaseThatHasExpiredButIsNotYetRevokedCannotBeRenewed() throws {
        var lessor = primaryLessor()
        _ = try lessor.grant(id(1), ttl: 5, now: 0)
        _ = try lessor.grant(id(2), ttl: 5, now: 0)
        XCTAssertEqual(lessor.renew(id(1), now: 5 * second - 1), .renewed(ttl: 5), "one nanosecond left still renews")
        // etcd: expired() is Remaining() <= 0, so the deadline itself is too late.
        XCTAssertEqual(lessor.renew(id(2), now: 5 * second), .expiring)
        XCTAssertEqual(lessor.takeExpired(now: 5 * second, limit: 10), [id(2)], "still there, waiting for its revoke")
        XCTAssertEqual(lessor.renew(id(2), now: 6 * second), .expiring, "the caller waits for the revoke")
        _ = try lessor.revoke(id(2))
        XCTAssertEqual(lessor.renew(id(2), now: 6 * second), .notFound, "revoked: not found")
    }

    func testAnExpiringLeaseSurvivesOnTheNextLeaderWhenTheRevokeIsLost() throws {
        // etcd: a renew waiting on an expired lease gets ErrNotPrimary when the lessor is
        // demoted first, and is retried on the new leader, whose promotion extended the lease.
        var oldLeader = primaryLessor()
        _ = try oldLeader.grant(id(1), ttl: 5, now: 0)
        XCTAssertEqual(oldLeader.renew(id(1), now: 5 * second), .expiring)
        oldLeader.demote()
        XCTAssertEqual(oldLeader.renew(id(1), now: 5 * second), .notPrimary)
        var newLeader = Lessor(minTTL: 2)
        newLeader.restore([(id: id(1), ttl: 5, remainingTTL: 0)])
        newLeader.promote(extendNanoseconds: second, now: 6 * second)
        XCTAssertEqual(newLeader.renew(id(1), now: 6 * second), .renewed(ttl: 5))
    }

    func testRenewingDropsACheckpointedRemainingTTL() throws {
        var lessor = primaryLessor()
        _ = try lessor.grant(id(1), ttl: 10, now: 0)
        _ = lessor.checkpoint(id(1), remainingTTL: 4, now: 0)
        XCTAssertEqual(lessor.renew(id(1), now: 6 * second), .renewed(ttl: 10))
        XCTAssertEqual(expiry(lessor, 1), 16 * second, "the whole TTL, not the checkpointed 4 s")
        XCTAssertEqual(lessor.leases[id(1)]?.remainingTTL, 0)

        lessor.demote()
        lessor.promote(extendNanoseconds: 0, now: 20 * second)
        XCTAssertEqual(expiry(lessor, 1), 30 * second, "a later promotion counts the whole TTL too")
    }

    func testACheckpointDoesNotMoveTheCurrentDeadline() throws {
        var lessor = primaryLessor()
        _ = try lessor.grant(id(1), ttl: 10, now: 0)
        _ = lessor.checkpoint(id(1), remainingTTL: 3, now: 0)
        XCTAssertEqual(expiry(lessor, 1), 10 * second)
        _ = lessor.checkpoint(id(99), remainingTTL: 3, now: 0)
        XCTAssertFalse(lessor.contains(id(99)), "a checkpoint of an unknown lease creates nothing")
    }

    // MARK: - Expiry

    func testALeaseExpiresAtItsDeadlineAndNotBefore() throws {
        var lessor = primaryLessor()
        _ = try lessor.grant(id(1), ttl: 5, now: 0)
        XCTAssertEqual(lessor.takeExpired(now: 0, limit: 10), [])
        XCTAssertEqual(lessor.takeExpired(now: 5 * second - 1, limit: 10), [])
        XCTAssertEqual(lessor.takeExpired(now: 5 * second, limit: 10), [id(1)])
    }

    func testExpiredLeasesAreHandedOutAtMostLimitAtATimeEarliestFirst() throws {
        var lessor = primaryLessor(minTTL: 1)
        // Deadlines: 5 → 3 s, 4 → 4 s, 3 → 5 s, 2 → 6 s, 1 → 7 s; 6 is not due.
        for raw in Int64(1)...5 { _ = try lessor.grant(id(raw), ttl: 8 - raw, now: 0) }
        _ = try lessor.grant(id(6), ttl: 100, now: 0)
        let now = 50 * second
        XCTAssertEqual(lessor.takeExpired(now: now, limit: 2), [id(5), id(4)])
        XCTAssertEqual(lessor.takeExpired(now: now, limit: 2), [id(3), id(2)])
        XCTAssertEqual(lessor.takeExpired(now: now, limit: 2), [id(1)])
        XCTAssertEqual(lessor.takeExpired(now: now, limit: 2), [])
    }

    func testAnExpiredLeaseIsHandedOutAgainEveryRetryIntervalUntilRevoked() throws {
        XCTAssertEqual(LeaseLimits.expiredRetryNanoseconds, 3 * second, "etcd's expiredLeaseRetryInterval")
        let retry = LeaseLimits.expiredRetryNanoseconds
        var lessor = primaryLessor()
        _ = try lessor.grant(id(1), ttl: 5, now: 0)
        // Handed out half a second after its deadline: the retry counts from then.
        let first = 5 * second + second / 2
        XCTAssertEqual(lessor.takeExpired(now: first, limit: 10), [id(1)])
        XCTAssertEqual(lessor.takeExpired(now: first + retry - 1, limit: 10), [])
        XCTAssertEqual(lessor.takeExpired(now: first + retry, limit: 10), [id(1)])
        XCTAssertEqual(lessor.takeExpired(now: first + 2 * retry - 1, limit: 10), [])
        XCTAssertEqual(lessor.takeExpired(now: first + 2 * retry, limit: 10), [id(1)])
        _ = try lessor.revoke(id(1))
        XCTAssertEqual(lessor.takeExpired(now: first + 10 * retry, limit: 10), [])
    }

    func testARenewedLeaseDoesNotExpireAtItsOldDeadline() throws {
        var lessor = primaryLessor()
        _ = try lessor.grant(id(1), ttl: 5, now: 0)
        XCTAssertEqual(lessor.renew(id(1), now: 4 * second), .renewed(ttl: 5))
        XCTAssertEqual(lessor.takeExpired(now: 5 * second, limit: 10), [])
        XCTAssertEqual(lessor.takeExpired(now: 9 * second - 1, limit: 10), [])
        XCTAssertEqual(lessor.takeExpired(now: 9 * second, limit: 10), [id(1)])
    }

    func testALessorThatDoesNotLeadExpiresNothing() throws {
        var follower = Lessor(minTTL: 2)
        _ = try follower.grant(id(1), ttl: 2, now: 0)
        XCTAssertEqual(follower.takeExpired(now: 1_000_000 * second, limit: 10), [])

        var former = primaryLessor()
        _ = try former.grant(id(1), ttl: 2, now: 0)
        former.demote()
        XCTAssertEqual(former.takeExpired(now: 1_000_000 * second, limit: 10), [])
    }

    func testDemotingHoldsEveryLeaseForever() throws {
        var lessor = primaryLessor()
        _ = try lessor.grant(id(1), ttl: 5, now: 0)
        _ = try lessor.grant(id(2), ttl: 50, now: 0)
        XCTAssertEqual(lessor.takeExpired(now: 5 * second, limit: 10), [id(1)])
        lessor.demote()
        XCTAssertFalse(lessor.isPrimary)
        XCTAssertNil(expiry(lessor, 1))
        XCTAssertNil(expiry(lessor, 2))
        XCTAssertEqual(lessor.remainingSeconds(id(1), now: 6 * second), Self.foreverSeconds)
        XCTAssertEqual(Self.foreverSeconds, Int64.max / second)
        XCTAssertEqual(lessor.takeExpired(now: 100 * second, limit: 10), [], "not even the retry of lease 1")

        lessor.promote(extendNanoseconds: 0, now: 200 * second)
        XCTAssertEqual(expiry(lessor, 1), 205 * second, "leading again starts every deadline afresh")
        XCTAssertEqual(expiry(lessor, 2), 250 * second)
        XCTAssertEqual(lessor.takeExpired(now: 204 * second, limit: 10), [], "the old retry deadline is gone")
    }

    // MARK: - Promote

    func testPromotionGivesEveryLeaseNowPlusExtendPlusItsTTLOrCheckpointedRemainder() throws {
        var lessor = Lessor(minTTL: 2)
        _ = try lessor.grant(id(1), ttl: 5, now: 0)
        _ = try lessor.grant(id(2), ttl: 10, now: 0)
        _ = try lessor.grant(id(3), ttl: 60, now: 0)
        _ = lessor.checkpoint(id(3), remainingTTL: 20, now: 0)
        lessor.promote(extendNanoseconds: 2 * second, now: 100 * second)
        XCTAssertTrue(lessor.isPrimary)
        XCTAssertEqual(expiry(lessor, 1), 107 * second)
        XCTAssertEqual(expiry(lessor, 2), 112 * second)
        XCTAssertEqual(expiry(lessor, 3), 122 * second)
        XCTAssertEqual(lessor.takeExpired(now: 107 * second - 1, limit: 10), [])
        XCTAssertEqual(lessor.takeExpired(now: 122 * second, limit: 10), [id(1), id(2), id(3)])
    }

    func testFewerLeasesThanTheRevokeRateAreNotSpread() throws {
        XCTAssertEqual(LeaseLimits.revokesPerSecondMax, 1_000, "etcd's leaseRevokeRate")
        var lessor = Lessor(minTTL: 2)
        for raw in 1...Int64(LeaseLimits.revokesPerSecondMax - 1) { _ = try lessor.grant(id(raw), ttl: 10, now: 0) }
        lessor.promote(extendNanoseconds: second, now: 0)
        XCTAssertEqual(Set(lessor.leases.values.map(\.expiry)), [11 * second])
    }

    /// The deadlines etcd's Promote gives `count` leases of one TTL: the first
    /// `promotedExpiriesPerSecondMax` keep theirs, the k-th after them (1-based k over all)
    /// is pushed back k / 750 seconds.
    func testAPileUpOfOneTTLIsSpreadToAtMost750ExpiriesPerSecond() throws {
        XCTAssertEqual(LeaseLimits.promotedExpiriesPerSecondMax, 750, "etcd's 3 * leaseRevokeRate / 4")
        let target = Int64(LeaseLimits.promotedExpiriesPerSecondMax)
        var lessor = Lessor(minTTL: 2)
        for raw in Int64(1)...3_000 { _ = try lessor.grant(id(raw), ttl: 10, now: 0) }
        let now = 40 * second
        lessor.promote(extendNanoseconds: second, now: now)

        let base = now + second + 10 * second
        let deadlines = lessor.leases.values.map { $0.expiry! }.sorted()
        var expected: [Int64] = []
        for k in Int64(1)...3_000 {
            expected.append(k <= target ? base : base + second * k / target)
        }
        XCTAssertEqual(deadlines.count, 3_000)
        XCTAssertEqual(deadlines, expected)
        XCTAssertEqual(deadlines.filter { $0 == base }.count, 750, "the first 750 keep their deadline")
        XCTAssertEqual(deadlines.last, base + 4 * second)
        XCTAssertEqual(maxExpiriesInOneSecond(deadlines), 750)

        // The expiry queue follows: at the base deadline exactly 750 are due, none before it.
        XCTAssertEqual(lessor.takeExpired(now: base - 1, limit: 10_000), [])
        XCTAssertEqual(lessor.takeExpired(now: base, limit: 10_000).count, 750)
        XCTAssertEqual(lessor.takeExpired(now: base + 2 * second - 1, limit: 10_000).count, 749)
    }

    func testAPileUpFarLaterIsSpreadInItsOwnWindow() throws {
        var lessor = Lessor(minTTL: 2)
        for raw in Int64(1)...1_000 { _ = try lessor.grant(id(raw), ttl: 10, now: 0) }
        for raw in Int64(1_001)...2_000 { _ = try lessor.grant(id(raw), ttl: 100, now: 0) }
        lessor.promote(extendNanoseconds: 0, now: 0)
        let deadlines = lessor.leases.values.map { $0.expiry! }.sorted()
        XCTAssertEqual(deadlines.filter { $0 == 10 * second }.count, 750)
        XCTAssertEqual(deadlines.filter { $0 == 100 * second }.count, 750, "a new window counts afresh")
        XCTAssertEqual(deadlines.filter { $0 > 10 * second && $0 < 100 * second }.count, 250)
        XCTAssertEqual(deadlines.last, 100 * second + second * 1_000 / 750)
        XCTAssertEqual(maxExpiriesInOneSecond(deadlines), 750)
    }

    func testSpreadLeasesCountFromTheirCheckpointedRemainder() throws {
        var lessor = Lessor(minTTL: 2)
        for raw in Int64(1)...1_000 {
            _ = try lessor.grant(id(raw), ttl: 60, now: 0)
            _ = lessor.checkpoint(id(raw), remainingTTL: 10, now: 0)
        }
        lessor.promote(extendNanoseconds: 0, now: 0)
        let deadlines = lessor.leases.values.map { $0.expiry! }.sorted()
        XCTAssertEqual(deadlines.first, 10 * second)
        XCTAssertEqual(deadlines.filter { $0 == 10 * second }.count, 750)
        XCTAssertEqual(deadlines.last, 10 * second + second * 1_000 / 750)
    }

    /// etcd's TestLessorRenewExtendPileup at etcd's real revoke rate: ten times the rate of
    /// 10 s leases and as many 11 s leases (which overlap the first spill-over), restored and
    /// promoted; each of the 20 seconds after the TTL sees between half and all of the rate.
    func testARestoredPileUpExpiresAtBetweenHalfAndAllOfTheRevokeRateEachSecond() {
        let rate = Int64(LeaseLimits.revokesPerSecondMax)
        var stored: [(id: LeaseID, ttl: Int64, remainingTTL: Int64)] = []
        for i in 1...(10 * rate) {
            stored.append((LeaseID(2 * i), 10, 0))
            stored.append((LeaseID(2 * i + 1), 11, 0))
        }
        var lessor = Lessor(minTTL: 2)
        lessor.restore(stored)
        lessor.promote(extendNanoseconds: 0, now: 0)

        var perSecond: [Int64: Int] = [:]
        for lease in lessor.leases.values {
            // etcd's test rounds up slightly for the baseline TTL.
            perSecond[Int64(Double(lease.expiry!) / 1e9 + 0.1), default: 0] += 1
        }
        for s in Int64(10)..<30 {
            let count = perSecond[s, default: 0]
            XCTAssertLessThanOrEqual(count, Int(rate), "second \(s)")
            XCTAssertGreaterThanOrEqual(count, Int(rate) / 2, "second \(s)")
        }
        XCTAssertEqual(maxExpiriesInOneSecond(lessor.leases.values.map { $0.expiry! }.sorted()), 750)
    }

    /// The most deadlines in any half-open one-second window [d, d + 1 s) starting at a deadline.
    private func maxExpiriesInOneSecond(_ sorted: [Int64]) -> Int {
        var most = 0
        var end = 0
        for start in sorted.indices {
            while end < sorted.count && sorted[end] < sorted[start] + second { end += 1 }
            most = max(most, end - start)
        }
        return most
    }

    // MARK: - Leader change

    func testLeasesKeptAliveOnTheOldLeaderOutliveTheElectionOnTheNewOne() throws {
        // Every member applies the same grants; only the leader (A) sees keep-alives.
        var a = Lessor(minTTL: 2)
        var b = Lessor(minTTL: 2)
        let ttls: [Int64: Int64] = [1: 5, 2: 10, 3: 30]
        for (raw, ttl) in ttls.sorted(by: { $0.key < $1.key }) {
            _ = try a.grant(id(raw), ttl: ttl, now: 0)
            _ = try b.grant(id(raw), ttl: ttl, now: 0)
            a.keyPut(bytes("key\(raw)"), lease: id(raw))
            b.keyPut(bytes("key\(raw)"), lease: id(raw))
        }
        a.promote(extendNanoseconds: 0, now: 0)
        var now: Int64 = 0
        while now < 20 * second {
            now += 2 * second
            for raw in ttls.keys {
                XCTAssertEqual(a.renew(id(raw), now: now), .renewed(ttl: ttls[raw]!))
                XCTAssertEqual(b.renew(id(raw), now: now), .notPrimary, "a follower does not renew")
            }
            XCTAssertEqual(a.takeExpired(now: now, limit: 10), [])
        }
        a.demote()
        XCTAssertEqual(a.takeExpired(now: 100 * second, limit: 10), [])
        XCTAssertEqual(a.renew(id(1), now: now), .notPrimary)

        // B restarts from the stored leases (say it was down), then wins an election 3 s later.
        b.restore(a.leases.values.sorted { $0.id.rawValue < $1.id.rawValue }
            .map { (id: $0.id, ttl: $0.ttl, remainingTTL: $0.remainingTTL) })
        for raw in ttls.keys { b.keyPut(bytes("key\(raw)"), lease: id(raw)) }
        let promoted = now + 3 * second
        let extend = second
        b.promote(extendNanoseconds: extend, now: promoted)

        for raw in ttls.keys.sorted() {
            let deadline = promoted + extend + ttls[raw]! * second
            XCTAssertEqual(b.takeExpired(now: deadline - 1, limit: 10), [], "lease \(raw) must outlive the election")
            XCTAssertEqual(b.takeExpired(now: deadline, limit: 10), [id(raw)])
            XCTAssertEqual(try b.revoke(id(raw)), [bytes("key\(raw)")])
        }
    }

    // MARK: - Restore

    func testRestoreReplacesEveryLeaseHeldForeverWithTTLsRaisedAndNoKeys() throws {
        var lessor = primaryLessor(minTTL: 5)
        _ = try lessor.grant(id(1), ttl: 10, now: 0)
        _ = try lessor.grant(id(9), ttl: 10, now: 0)
        lessor.keyPut(bytes("k"), lease: id(1))
        lessor.keyPut(bytes("gone"), lease: id(9))

        lessor.restore([(id: id(1), ttl: 1, remainingTTL: 0), (id: id(2), ttl: 30, remainingTTL: 12)])
        XCTAssertFalse(lessor.isPrimary)
        XCTAssertEqual(lessor.count, 2)
        XCTAssertFalse(lessor.contains(id(9)))
        XCTAssertEqual(lessor.leases[id(1)], Lessor.Lease(id: id(1), ttl: 5, remainingTTL: 0, expiry: nil))
        XCTAssertEqual(lessor.leases[id(2)], Lessor.Lease(id: id(2), ttl: 30, remainingTTL: 12, expiry: nil))
        XCTAssertEqual(lessor.remainingSeconds(id(1), now: 0), Self.foreverSeconds)
        XCTAssertEqual(lessor.lease(of: bytes("k")), .none, "keys come back only through keyPut")
        XCTAssertEqual(lessor.lease(of: bytes("gone")), .none)
        XCTAssertEqual(lessor.takeExpired(now: 1_000 * second, limit: 10), [])

        lessor.keyPut(bytes("k"), lease: id(1))
        XCTAssertEqual(lessor.lease(of: bytes("k")), id(1))
        lessor.promote(extendNanoseconds: 0, now: 0)
        XCTAssertEqual(expiry(lessor, 1), 5 * second)
        XCTAssertEqual(expiry(lessor, 2), 12 * second, "the stored remainder counts on promotion")
    }

    // MARK: - Reading

    func testRemainingSecondsTruncateTowardZeroAsGoDoes() throws {
        var lessor = primaryLessor()
        _ = try lessor.grant(id(1), ttl: 10, now: 0)
        XCTAssertEqual(lessor.remainingSeconds(id(1), now: 0), 10)
        XCTAssertEqual(lessor.remainingSeconds(id(1), now: 1), 9)
        XCTAssertEqual(lessor.remainingSeconds(id(1), now: second / 2), 9)
        XCTAssertEqual(lessor.remainingSeconds(id(1), now: 10 * second - 1), 0)
        XCTAssertEqual(lessor.remainingSeconds(id(1), now: 10 * second), 0)
        XCTAssertEqual(lessor.remainingSeconds(id(1), now: 10 * second + second / 2), 0, "-0.5 s truncates to 0")
        XCTAssertEqual(lessor.remainingSeconds(id(1), now: 11 * second + second / 2), -1, "-1.5 s truncates to -1")
        XCTAssertNil(lessor.remainingSeconds(id(2), now: 0))
    }

    func testLeaseIDsComeEarliestExpiryFirstWithIDsBreakingTies() throws {
        var follower = Lessor(minTTL: 2)
        for raw: Int64 in [5, 3, 9, 1] { _ = try follower.grant(id(raw), ttl: 100 - raw, now: 0) }
        XCTAssertEqual(follower.leaseIDsByExpiry(), [id(1), id(3), id(5), id(9)], "all forever: by ID")

        var lessor = primaryLessor()
        _ = try lessor.grant(id(5), ttl: 30, now: 0)
        _ = try lessor.grant(id(3), ttl: 10, now: 0)
        _ = try lessor.grant(id(9), ttl: 10, now: 0)
        _ = try lessor.grant(id(1), ttl: 20, now: 0)
        _ = try lessor.grant(id(2), ttl: 10, now: 0)
        XCTAssertEqual(lessor.leaseIDsByExpiry(), [id(2), id(3), id(9), id(1), id(5)])
        XCTAssertEqual(lessor.renew(id(2), now: 9 * second), .renewed(ttl: 10))
        XCTAssertEqual(lessor.leaseIDsByExpiry(), [id(3), id(9), id(2), id(1), id(5)], "renewed to 19 s")
    }
}
