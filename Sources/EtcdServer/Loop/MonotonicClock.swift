import Glibc

/// Nanoseconds on CLOCK_MONOTONIC: the event loops' only clock, used for call deadlines.
/// (Layers below EtcdServer never read a clock; they are given ticks.)
@inline(__always)
func monotonicNanoseconds() -> Int64 {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec)
}
