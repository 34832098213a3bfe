/// The `grpc-timeout` request header: how long the client is willing to wait, e.g. `"100m"`
/// (100 ms) or `"5S"`.
///
/// The format is up to 8 digits followed by one unit letter: `H` hours, `M` minutes, `S` seconds,
/// `m` milliseconds, `u` microseconds, `n` nanoseconds. Parsing follows grpc-go's `decodeTimeout`
/// (what etcd 3.4's server accepts), including its leniencies: the number may carry a `+` or `-`
/// sign (a negative timeout means "already expired"), and hour values too large for an `Int64` of
/// nanoseconds are clamped instead of rejected.
public enum GRPCTimeout {
    /// Longest accepted value in bytes: 8 digits plus the unit, as the gRPC spec allows.
    public static let valueBytesMax = 9

    /// Nanoseconds for a `grpc-timeout` value, or nil when it is malformed (grpc-go then resets the
    /// stream with PROTOCOL_ERROR). O(n) in the value's length, at most `valueBytesMax`.
    public static func nanoseconds<Bytes: BidirectionalCollection>(parsing value: Bytes) -> Int64? where Bytes.Element == UInt8 {
        guard value.count >= 2, value.count <= valueBytesMax, let last = value.last,
              let unit = unitNanoseconds(last) else { return nil }
        var digits = value.dropLast()[...]
        var isNegative = false
        if let sign = digits.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
            isNegative = sign == UInt8(ascii: "-")
            digits = digits.dropFirst()
        }
        guard !digits.isEmpty else { return nil }
        var count: Int64 = 0
        for digit in digits {
            guard digit >= UInt8(ascii: "0"), digit <= UInt8(ascii: "9") else { return nil }
            count = count * 10 + Int64(digit - UInt8(ascii: "0"))  // at most 8 digits: no overflow
        }
        let (product, overflow) = count.multipliedReportingOverflow(by: unit)
        if overflow { return isNegative ? Int64.min : Int64.max }
        return isNegative ? -product : product
    }

    /// Nanoseconds for a `grpc-timeout` value given as a string (see `nanoseconds(parsing:)` on bytes).
    public static func nanoseconds(parsing value: String) -> Int64? {
        nanoseconds(parsing: Array(value.utf8))
    }

    private static func unitNanoseconds(_ unit: UInt8) -> Int64? {
        switch unit {
        case UInt8(ascii: "H"): return 3_600_000_000_000
        case UInt8(ascii: "M"): return 60_000_000_000
        case UInt8(ascii: "S"): return 1_000_000_000
        case UInt8(ascii: "m"): return 1_000_000
        case UInt8(ascii: "u"): return 1_000
        case UInt8(ascii: "n"): return 1
        default: return nil
        }
    }
}
