import Dispatch
import EtcdBasics
import Synchronization
import XCTest

@testable import EtcdServer

/// Request IDs in etcd's layout (pkg/idutil): member bits on top, then start time in
/// milliseconds, then a counter. The apply thread matches applied entries to waiting calls by
/// these IDs alone, so they must never repeat.
final class RequestIDGeneratorTests: XCTestCase {
    private let startMilliseconds: UInt64 = 1_700_000_000_123

    func testIDsCarryTheMemberInTheTop16BitsAndTheStartTimeBelow() {
        let generator = RequestIDGenerator(memberID: MemberID(0x8e9e_05c5_2164_694d), unixMilliseconds: startMilliseconds)
        let first = generator.next()
        XCTAssertEqual(first >> 48, 0x694d, "the low 16 bits of the member ID")
        XCTAssertEqual((first >> 8) & 0xff_ffff_ffff, startMilliseconds & 0xff_ffff_ffff, "40 bits of milliseconds")
        XCTAssertEqual(first & 0xff, 1, "the counter starts after 0")
        XCTAssertEqual(first, 0x694d << 48 | (startMilliseconds & 0xff_ffff_ffff) << 8 | 1)
    }

    func testOneHundredThousandIDsAreUniqueAndIncreasing() {
        let generator = RequestIDGenerator(memberID: MemberID(0xabcd), unixMilliseconds: startMilliseconds)
        var previous: UInt64 = 0
        var seen = Set<UInt64>()
        for call in 0..<100_000 {
            let id = generator.next()
            XCTAssertGreaterThan(id, previous, "call \(call)")
            XCTAssertEqual(id >> 48, 0xabcd, "call \(call): the counter carried into the member bits")
            previous = id
            seen.insert(id)
        }
        XCTAssertEqual(seen.count, 100_000)
    }

    func testTheCounterWrapsWithinTheSuffixAndNeverTouchesTheMemberBits() {
        // The last representable millisecond: the 48-bit suffix overflows after 255 calls.
        let generator = RequestIDGenerator(memberID: MemberID(0x0001_0000_0000_0007), unixMilliseconds: (1 << 40) - 1)
        var seen = Set<UInt64>()
        for _ in 0..<600 {
            let id = generator.next()
            XCTAssertEqual(id >> 48, 7)
            seen.insert(id)
        }
        XCTAssertEqual(seen.count, 600)
    }

    func testAMemberRestartedAMillisecondLaterStartsPastItsEarlierIDs() {
        let before = RequestIDGenerator(memberID: MemberID(3), unixMilliseconds: startMilliseconds)
        let earlier = (0..<255).map { _ in before.next() }
        let after = RequestIDGenerator(memberID: MemberID(3), unixMilliseconds: startMilliseconds + 1)
        XCTAssertGreaterThan(after.next(), earlier.max()!)
    }

    func testMembersSharingTheStartTimeNeverCollide() {
        let one = RequestIDGenerator(memberID: MemberID(0x1111), unixMilliseconds: startMilliseconds)
        let two = RequestIDGenerator(memberID: MemberID(0x2222), unixMilliseconds: startMilliseconds)
        let ids = (0..<1000).flatMap { _ in [one.next(), two.next()] }
        XCTAssertEqual(Set(ids).count, 2000)
    }

    func testConcurrentCallersGetDistinctIDs() {
        let generator = RequestIDGenerator(memberID: MemberID(9), unixMilliseconds: startMilliseconds)
        let perThread = 10_000
        let threads = 4
        let collected = Mutex<[UInt64]>([])
        DispatchQueue.concurrentPerform(iterations: threads) { _ in
            var mine: [UInt64] = []
            mine.reserveCapacity(perThread)
            for _ in 0..<perThread { mine.append(generator.next()) }
            collected.withLock { $0.append(contentsOf: mine) }
        }
        XCTAssertEqual(Set(collected.withLock { $0 }).count, perThread * threads)
    }
}
