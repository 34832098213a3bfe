import EtcdBasics

/// Leases by deadline, earliest first: a binary min-heap with one entry per lease and each
/// lease's position kept, so a renewal moves its lease in place (etcd's `LeaseExpiredNotifier`).
/// Its size is the number of leases, however often they are renewed. The lessor keeps one for
/// expiries and one for checkpoint times.
struct LeaseExpiryQueue: Sendable {
    private struct Item: Sendable {
        let lease: LeaseID
        var deadline: Int64
    }

    private var heap: [Item] = []
    private var positions: [LeaseID: Int] = [:]

    var count: Int { heap.count }
    var isEmpty: Bool { heap.isEmpty }

    /// The earliest entry, if any.
    var first: (lease: LeaseID, deadline: Int64)? {
        heap.first.map { ($0.lease, $0.deadline) }
    }

    /// Sets `lease`'s deadline (monotonic nanoseconds), adding it if new.
    mutating func set(_ lease: LeaseID, deadline: Int64) {
        if let position = positions[lease] {
            let earlier = deadline < heap[position].deadline
            heap[position].deadline = deadline
            if earlier { siftUp(position) } else { siftDown(position) }
        } else {
            heap.append(Item(lease: lease, deadline: deadline))
            positions[lease] = heap.count - 1
            siftUp(heap.count - 1)
        }
    }

    /// Takes `lease` out; nothing happens if it is not queued.
    mutating func remove(_ lease: LeaseID) {
        guard let position = positions.removeValue(forKey: lease) else { return }
        let last = heap.removeLast()
        guard position < heap.count else { return }
        heap[position] = last
        positions[last.lease] = position
        siftDown(position)
        siftUp(position)
    }

    mutating func removeAll() {
        heap.removeAll()
        positions.removeAll()
    }

    private mutating func siftUp(_ start: Int) {
        var child = start
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child].deadline < heap[parent].deadline else { return }
            swapAt(child, parent)
            child = parent
        }
    }

    private mutating func siftDown(_ start: Int) {
        var parent = start
        while true {
            let left = 2 * parent + 1
            guard left < heap.count else { return }
            let right = left + 1
            let child = right < heap.count && heap[right].deadline < heap[left].deadline ? right : left
            guard heap[child].deadline < heap[parent].deadline else { return }
            swapAt(child, parent)
            parent = child
        }
    }

    private mutating func swapAt(_ a: Int, _ b: Int) {
        heap.swapAt(a, b)
        positions[heap[a].lease] = a
        positions[heap[b].lease] = b
    }
}
