import Synchronization

/// A Prometheus counter: a total that only goes up (restarting from 0 with the process).
final class Counter: Sendable {
    private let total = Atomic<UInt64>(0)

    init() {}

    /// Adds one; safe from any thread, one relaxed atomic.
    @inline(__always)
    func increment() { total.wrappingAdd(1, ordering: .relaxed) }

    @inline(__always)
    func add(_ amount: UInt64) { total.wrappingAdd(amount, ordering: .relaxed) }

    var value: UInt64 { total.load(ordering: .relaxed) }
}

/// A Prometheus gauge holding an integer that goes up and down (in-flight proposals,
/// watchers). Values that live elsewhere are read at scrape time instead (see `MetricsScrape`).
final class Gauge: Sendable {
    private let current = Atomic<Int64>(0)

    init() {}

    @inline(__always)
    func add(_ amount: Int64) { current.wrappingAdd(amount, ordering: .relaxed) }

    @inline(__always)
    func set(_ value: Int64) { current.store(value, ordering: .relaxed) }

    var value: Int64 { current.load(ordering: .relaxed) }
}
