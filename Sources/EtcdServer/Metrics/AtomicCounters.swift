import Synchronization

/// A fixed number of `UInt64` counters, each an atomic at a stable address, for metrics whose
/// series are known when they are created (histogram buckets, gRPC method × code).
///
/// Every operation is one relaxed atomic; nothing allocates after `init`. Relaxed is enough:
/// a scrape reads each counter on its own and never needs two of them to agree.
final class AtomicCounters: @unchecked Sendable {
    // @unchecked: `slots` is allocated and initialised in `init`, freed in `deinit`, and in
    // between only ever touched through `Atomic`'s own operations.
    private let slots: UnsafeMutablePointer<Atomic<UInt64>>
    let count: Int

    init(count: Int) {
        precondition(count > 0, "AtomicCounters needs at least one slot")
        self.count = count
        slots = .allocate(capacity: count)
        for index in 0..<count { (slots + index).initialize(to: Atomic<UInt64>(0)) }
    }

    deinit {
        slots.deinitialize(count: count)
        slots.deallocate()
    }

    @inline(__always)
    func add(_ amount: UInt64, at index: Int) {
        precondition(index >= 0 && index < count, "metric slot \(index) out of 0..<\(count)")
        slots[index].wrappingAdd(amount, ordering: .relaxed)
    }

    @inline(__always)
    func load(at index: Int) -> UInt64 {
        precondition(index >= 0 && index < count, "metric slot \(index) out of 0..<\(count)")
        return slots[index].load(ordering: .relaxed)
    }

    @inline(__always)
    func store(_ value: UInt64, at index: Int) {
        precondition(index >= 0 && index < count, "metric slot \(index) out of 0..<\(count)")
        slots[index].store(value, ordering: .relaxed)
    }

    /// Claims slot `index` for `value` if it still holds `expected`; returns what it held.
    @inline(__always)
    func compareExchange(expected: UInt64, desired: UInt64, at index: Int) -> (exchanged: Bool, original: UInt64) {
        precondition(index >= 0 && index < count, "metric slot \(index) out of 0..<\(count)")
        return slots[index].compareExchange(expected: expected, desired: desired, ordering: .relaxed)
    }
}
