/// A WAL segment's file name, `%016x-%016x.wal`: its sequence number (0, 1, 2, … with no gaps)
/// and the raft index of the first entry it may hold. Names sort lexically in log order.
public struct SegmentName: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var sequence: UInt64
    public var index: UInt64

    public init(sequence: UInt64, index: UInt64) {
        self.sequence = sequence
        self.index = index
    }

    /// Parses `name`; nil unless it is exactly 16 hex digits, '-', 16 hex digits, ".wal"
    /// (lower-case, as etcd writes them).
    public init?(fileName name: String) {
        let utf8 = Array(name.utf8)
        guard utf8.count == 37, utf8[16] == UInt8(ascii: "-"), Array(utf8[33...]) == Array(".wal".utf8),
              let sequence = Self.parseHex(utf8[0..<16]), let index = Self.parseHex(utf8[17..<33])
        else { return nil }
        self.init(sequence: sequence, index: index)
    }

    /// The file name etcd would give this segment.
    public var fileName: String { Self.hex16(sequence) + "-" + Self.hex16(index) + ".wal" }

    public var description: String { fileName }

    public static func < (lhs: SegmentName, rhs: SegmentName) -> Bool {
        (lhs.sequence, lhs.index) < (rhs.sequence, rhs.index)
    }

    static func parseHex(_ digits: ArraySlice<UInt8>) -> UInt64? {
        var value: UInt64 = 0
        for digit in digits {
            let nibble: UInt8
            switch digit {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = digit - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = digit - UInt8(ascii: "a") + 10
            default: return nil
            }
            value = value << 4 | UInt64(nibble)
        }
        return value
    }

    static func hex16(_ value: UInt64) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8](repeating: 0, count: 16)
        for position in 0..<16 { out[15 - position] = digits[Int((value >> (4 * UInt64(position))) & 0xF)] }
        return String(decoding: out, as: UTF8.self)
    }

    /// The WAL segments among `names` in log order, checked to be numbered without gaps (etcd's
    /// readWALNames + isValidSeq). Names that are not segments are ignored, as etcd ignores them.
    public static func segments(in names: [String]) throws(WALError) -> [SegmentName] {
        let segments = names.compactMap { SegmentName(fileName: $0) }.sorted()
        for (previous, next) in zip(segments, segments.dropFirst()) where next.sequence != previous.sequence + 1 {
            throw .badSegmentName(next.fileName)
        }
        return segments
    }

    /// The position in `segments` of the last one whose first index is at most `index`: where
    /// reading must start to find everything after a snapshot at `index` (etcd's searchIndex).
    public static func searchIndex(_ segments: [SegmentName], for index: UInt64) -> Int? {
        segments.lastIndex { $0.index <= index }
    }
}
