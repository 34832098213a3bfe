import XCTest
import EtcdBasics
@testable import EtcdServer

/// The leader's expiry queue: one entry per lease, earliest deadline first, however the
/// deadlines move.
final class LeaseExpiryQueueTests: XCTestCase {
    /// SplitMix64: a tiny deterministic generator, so a failure replays exactly from its seed.
    private struct SplitMix64 {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
    }

    /// The reference: every lease's deadline, and the minimum found by looking at them all.
    private struct Reference {
        var deadlines: [LeaseID: Int64] = [:]
        var earliest: Int64? { deadlines.values.min() }
    }

    func testAnEmptyQueueHasNoFirst() {
        let queue = LeaseExpiryQueue()
        XCTAssertNil(queue.first)
        XCTAssertTrue(queue.isEmpty)
        XCTAssertEqual(queue.count, 0)
    }

    func testFirstIsTheEarliestDeadlineAsDeadlinesMoveBothWays() {
        var queue = LeaseExpiryQueue()
        queue.set(LeaseID(1), deadline: 30)
        queue.set(LeaseID(2), deadline: 10)
        queue.set(LeaseID(3), deadline: 20)
        XCTAssertEqual(queue.first?.lease, LeaseID(2))
        XCTAssertEqual(queue.first?.deadline, 10)

        queue.set(LeaseID(2), deadline: 40)            // a renewal pushes it back
        XCTAssertEqual(queue.first?.lease, LeaseID(3))
        queue.set(LeaseID(1), deadline: 5)             // an earlier deadline moves it forward
        XCTAssertEqual(queue.first?.lease, LeaseID(1))
        XCTAssertEqual(queue.first?.deadline, 5)
        XCTAssertEqual(queue.count, 3, "one entry per lease, however often it is set")
    }

    func testRemovingTakesOnlyThatLeaseAndAnUnqueuedOneIsANoOp() {
        var queue = LeaseExpiryQueue()
        queue.set(LeaseID(1), deadline: 10)
        queue.set(LeaseID(2), deadline: 20)
        queue.remove(LeaseID(7))
        XCTAssertEqual(queue.count, 2)
        queue.remove(LeaseID(1))
        XCTAssertEqual(queue.first?.lease, LeaseID(2))
        XCTAssertEqual(queue.count, 1)
        queue.remove(LeaseID(2))
        XCTAssertTrue(queue.isEmpty)
        queue.set(LeaseID(1), deadline: 3)
        XCTAssertEqual(queue.first?.deadline, 3, "a removed lease can come back")
    }

    func testRemoveAllEmptiesTheQueue() {
        var queue = LeaseExpiryQueue()
        for raw in Int64(1)...10 { queue.set(LeaseID(raw), deadline: raw) }
        queue.removeAll()
        XCTAssertTrue(queue.isEmpty)
        XCTAssertNil(queue.first)
        queue.set(LeaseID(4), deadline: 1)
        XCTAssertEqual(queue.count, 1)
    }

    func testRandomSetsAndRemovesAlwaysAgreeWithASortedReference() {
        for seed: UInt64 in [1, 2, 0xE7CD] {
            var generator = SplitMix64(state: seed)
            var queue = LeaseExpiryQueue()
            var reference = Reference()
            for step in 0..<4_000 {
                // Few leases and few distinct deadlines: updates of queued leases and ties are common.
                let lease = LeaseID(Int64(generator.below(150)))
                switch generator.below(100) {
                case 0..<60:
                    let deadline = Int64(generator.below(500))
                    queue.set(lease, deadline: deadline)
                    reference.deadlines[lease] = deadline
                case 60..<90:
                    queue.remove(lease)
                    reference.deadlines[lease] = nil
                case 90..<99:
                    // Take the earliest, as the expiry check does.
                    if let (first, _) = queue.first {
                        queue.remove(first)
                        reference.deadlines[first] = nil
                    }
                default:
                    if generator.below(10) == 0 {
                        queue.removeAll()
                        reference.deadlines.removeAll()
                    }
                }
                let context = "seed \(seed), step \(step)"
                XCTAssertEqual(queue.count, reference.deadlines.count, context)
                XCTAssertEqual(queue.isEmpty, reference.deadlines.isEmpty, context)
                XCTAssertEqual(queue.first?.deadline, reference.earliest, context)
                if let (first, deadline) = queue.first {
                    XCTAssertEqual(reference.deadlines[first], deadline, "first names a lease with that deadline; \(context)")
                }
            }
            // Draining in order yields every lease once, in the reference's sorted order.
            var drained: [Int64] = []
            while let (first, deadline) = queue.first {
                XCTAssertEqual(reference.deadlines.removeValue(forKey: first), deadline, "seed \(seed)")
                drained.append(deadline)
                queue.remove(first)
            }
            XCTAssertEqual(drained, drained.sorted(), "seed \(seed)")
            XCTAssertTrue(reference.deadlines.isEmpty, "seed \(seed)")
        }
    }
}
