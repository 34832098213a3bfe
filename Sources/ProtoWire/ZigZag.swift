// ZigZag: the mapping sint32/sint64 use so that small negative numbers make short varints.

/// Maps signed integers to unsigned ones so that values near zero, of either sign, stay small:
/// 0 -> 0, -1 -> 1, 1 -> 2, -2 -> 3, ...
public enum ZigZag {
    /// Encodes a signed 64-bit value for a sint64 varint.
    @inlinable
    public static func encode(_ value: Int64) -> UInt64 {
        UInt64(bitPattern: (value << 1) ^ (value >> 63))
    }

    /// Decodes a sint64 varint back to its signed value.
    @inlinable
    public static func decode(_ value: UInt64) -> Int64 {
        Int64(bitPattern: value >> 1) ^ -Int64(bitPattern: value & 1)
    }

    /// Encodes a signed 32-bit value for a sint32 varint.
    @inlinable
    public static func encode(_ value: Int32) -> UInt32 {
        UInt32(bitPattern: (value << 1) ^ (value >> 31))
    }

    /// Decodes a sint32 varint back to its signed value.
    @inlinable
    public static func decode(_ value: UInt32) -> Int32 {
        Int32(bitPattern: value >> 1) ^ -Int32(bitPattern: value & 1)
    }
}
