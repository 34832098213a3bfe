import XCTest

@testable import EtcdServer

/// The event loop's small parts: the deadline heap and the cross-thread inbox.
final class LoopPartsTests: XCTestCase {
    func testDeadlineHeapPopsOnlyExpiredEntriesInDeadlineOrder() {
        var heap = DeadlineHeap()
        let deadlines: [Int64] = [50, 10, 40, 30, 20, 60, 10]
        for (offset, deadline) in deadlines.enumerated() {
            heap.insert(.init(deadline: deadline, connection: UInt64(offset), stream: Int32(offset)))
        }
        XCTAssertEqual(heap.earliest, 10)
        var popped: [Int64] = []
        while let entry = heap.popExpired(now: 40) { popped.append(entry.deadline) }
        XCTAssertEqual(popped, [10, 10, 20, 30, 40])
        XCTAssertEqual(heap.count, 2)
        XCTAssertEqual(heap.earliest, 50)
        XCTAssertNil(heap.popExpired(now: 49))
    }

    func testInboxRefusesPastCapacityButAlwaysTakesReplies() {
        let inbox = Inbox<Int>(capacity: 2)
        XCTAssertTrue(inbox.post(1))
        XCTAssertTrue(inbox.post(2))
        XCTAssertFalse(inbox.post(3), "a full inbox refuses new work")
        inbox.post(contentsOf: [4, 5])
        XCTAssertEqual(inbox.takeAll(), [1, 2, 4, 5])
        XCTAssertEqual(inbox.takeAll(), [])
    }

    func testInboxWakesABlockedConsumer() {
        let inbox = Inbox<Int>(capacity: 8)
        let consumer = PosixThread(name: "test-consumer") {
            let items = inbox.waitForItems()
            precondition(items == [7], "consumer saw \(items)")
        }
        inbox.post(7)
        consumer.join()
    }
}
