import CShim
import Glibc
import Synchronization

/// A bounded multi-producer queue that wakes its single consumer through an eventfd.
///
/// Work crosses threads only through these (DESIGN.md: "bounded queues plus a wake-up"). The
/// consumer is an event loop (it polls `wakeFD` with epoll) or the apply thread (it blocks in
/// `waitForItems`). A producer that finds the queue full gets `false` and must answer its
/// client with an error rather than grow memory.
final class Inbox<Item: Sendable>: Sendable {
    private let state = Mutex<[Item]>([])
    /// Nonblocking eventfd: producers write 1 to it when they add to an empty queue.
    let wakeFD: Int32
    let capacity: Int

    init(capacity: Int) {
        precondition(capacity > 0)
        self.capacity = capacity
        wakeFD = eventfd(0, Int32(EFD_NONBLOCK | EFD_CLOEXEC))
        precondition(wakeFD >= 0, "eventfd failed: errno \(errno)")
    }

    deinit { close(wakeFD) }

    /// Appends `item`; returns false (dropping it) when the queue holds `capacity` items.
    @discardableResult
    func post(_ item: Item) -> Bool {
        let shouldWake: Bool? = state.withLock { items in
            guard items.count < capacity else { return nil }
            items.append(item)
            return items.count == 1
        }
        guard let shouldWake else { return false }
        if shouldWake { wake() }
        return true
    }

    /// Appends every item in `batch`, even past `capacity`. Only for replies to requests that
    /// were already admitted (and so already bounded): dropping a reply would leave a client
    /// waiting forever.
    func post(contentsOf batch: [Item]) {
        guard !batch.isEmpty else { return }
        let shouldWake = state.withLock { items in
            let wasEmpty = items.isEmpty
            items.append(contentsOf: batch)
            return wasEmpty
        }
        if shouldWake { wake() }
    }

    /// Removes and returns everything queued, in order.
    func takeAll() -> [Item] {
        state.withLock { items in
            var taken: [Item] = []
            swap(&taken, &items)
            return taken
        }
    }

    /// Clears the eventfd counter after a wake-up was observed.
    func acknowledgeWake() {
        var counter: UInt64 = 0
        _ = read(wakeFD, &counter, 8)
    }

    /// Blocks (polling the eventfd) until at least one item is queued, then takes them all.
    func waitForItems() -> [Item] {
        while true {
            let items = takeAll()
            if !items.isEmpty { return items }
            var descriptor = pollfd(fd: wakeFD, events: Int16(POLLIN), revents: 0)
            _ = poll(&descriptor, 1, -1)
            acknowledgeWake()
        }
    }

    /// Like `waitForItems`, but returns (possibly empty) after `timeoutMilliseconds` at most,
    /// for consumers that also keep time (the raft thread's ticks, the apply thread's batch
    /// interval). A negative timeout waits indefinitely.
    func waitForItems(timeoutMilliseconds: Int32) -> [Item] {
        let items = takeAll()
        if !items.isEmpty || timeoutMilliseconds == 0 { return items }
        var descriptor = pollfd(fd: wakeFD, events: Int16(POLLIN), revents: 0)
        _ = poll(&descriptor, 1, timeoutMilliseconds)
        acknowledgeWake()
        return takeAll()
    }

    private func wake() {
        var one: UInt64 = 1
        _ = write(wakeFD, &one, 8)
    }
}
