import Synchronization

/// A Prometheus histogram with fixed upper bounds (client_golang's): each observation counts in
/// the first bucket whose bound it does not exceed (or in none but `+Inf`), and adds to the sum.
///
/// Observing is lock-free and allocation-free: one atomic add on a bucket and a
/// compare-and-swap loop on the sum (a Double kept as its bit pattern); the count is the sum of
/// the buckets. A scrape may see a bucket and the sum a moment apart; Prometheus tolerates that, as client_golang's own scrapes can.
final class Histogram: Sendable {
    /// The buckets' upper bounds, ascending; `+Inf` is implicit.
    let upperBounds: [Double]
    /// Per-bucket (not cumulative) counts; the last slot counts observations above every bound.
    private let buckets: AtomicCounters
    private let sumBits = Atomic<UInt64>(0)

    init(upperBounds: [Double]) {
        precondition(!upperBounds.isEmpty && zip(upperBounds, upperBounds.dropFirst()).allSatisfy { $0 < $1 },
                     "histogram bounds must be ascending")
        self.upperBounds = upperBounds
        buckets = AtomicCounters(count: upperBounds.count + 1)
    }

    /// client_golang's ExponentialBuckets: `count` bounds from `start`, each `factor` times the last.
    static func exponentialBounds(start: Double, factor: Double, count: Int) -> [Double] {
        precondition(start > 0 && factor > 1 && count > 0, "exponential buckets need start > 0, factor > 1")
        var bounds: [Double] = []
        var bound = start
        for _ in 0..<count {
            bounds.append(bound)
            bound *= factor
        }
        return bounds
    }

    /// Records one observation (seconds, for the duration histograms).
    func observe(_ value: Double) {
        var index = 0
        while index < upperBounds.count && value > upperBounds[index] { index += 1 }
        buckets.add(1, at: index)
        var old = sumBits.load(ordering: .relaxed)
        while true {
            let new = (Double(bitPattern: old) + value).bitPattern
            let (exchanged, original) = sumBits.compareExchange(expected: old, desired: new, ordering: .relaxed)
            if exchanged { break }
            old = original
        }
    }

    /// Records a duration measured in monotonic nanoseconds.
    func observe(nanoseconds: Int64) {
        observe(Double(max(nanoseconds, 0)) / 1e9)
    }

    /// What a scrape shows: cumulative bucket counts (one per bound, then `+Inf`), sum, count.
    var snapshot: Snapshot {
        var cumulative: [UInt64] = []
        cumulative.reserveCapacity(buckets.count)
        var running: UInt64 = 0
        for index in 0..<buckets.count {
            running &+= buckets.load(at: index)
            cumulative.append(running)
        }
        // `count` is the +Inf bucket, so the two never disagree within a scrape.
        return Snapshot(cumulativeCounts: cumulative, sum: Double(bitPattern: sumBits.load(ordering: .relaxed)),
                        count: running)
    }

    struct Snapshot: Equatable {
        /// Bucket `i` counts observations <= `upperBounds[i]`; the last is `+Inf`.
        var cumulativeCounts: [UInt64]
        var sum: Double
        var count: UInt64
    }
}
