import EtcdBasics
import Glibc
import Synchronization

/// Unique IDs for the requests this member proposes, in etcd's layout (pkg/idutil): the low 16
/// bits of the member ID in the top 16 bits, then the low 40 bits of the start time in
/// milliseconds, then an 8-bit counter that carries into the time part. IDs from different
/// members never collide, and a restarted member starts past every ID it used before (unless
/// the clock went back), so the apply thread can match an applied entry to the call waiting
/// for it by ID alone.
final class RequestIDGenerator: Sendable {
    private let prefix: UInt64
    private let suffix: Atomic<UInt64>

    private static let suffixBits: UInt64 = 48
    private static let counterBits: UInt64 = 8

    init(memberID: MemberID, unixMilliseconds: UInt64 = RequestIDGenerator.nowMilliseconds()) {
        prefix = memberID.rawValue << Self.suffixBits
        let timeBits = Self.suffixBits - Self.counterBits
        let time = unixMilliseconds & ((1 << timeBits) - 1)
        suffix = Atomic(time << Self.counterBits)
    }

    /// The next ID; safe from any thread.
    func next() -> UInt64 {
        let value = suffix.wrappingAdd(1, ordering: .relaxed).newValue
        return prefix | (value & ((1 << Self.suffixBits) - 1))
    }

    static func nowMilliseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return UInt64(now.tv_sec) * 1000 + UInt64(now.tv_nsec) / 1_000_000
    }
}
