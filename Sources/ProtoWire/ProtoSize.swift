// Encoded sizes, computed without encoding. Each function mirrors the ProtoWriter method of the same
// name: same arguments, same proto3 default-skipping, so `encodedSize` can be written field by field.

/// Byte counts of encoded values and fields.
public enum ProtoSize {
    /// Bytes a base-128 varint of `value` takes: 1 through 10.
    @inlinable
    public static func varint(_ value: UInt64) -> Int {
        // Significant bits (at least 1, for zero), seven per byte, rounded up.
        let bits = 64 - (value | 1).leadingZeroBitCount
        return (bits + 6) / 7
    }

    /// Bytes the tag of `field` takes (the wire type never changes its length).
    @inlinable
    public static func tag(field: Int) -> Int {
        varint(UInt64(field) << 3)
    }

    /// A varint field written even when zero (oneof members).
    @inlinable
    public static func varintField(field: Int, _ value: UInt64) -> Int {
        tag(field: field) + varint(value)
    }

    /// A length-delimited field of `byteCount` payload bytes, written even when empty.
    @inlinable
    public static func lengthDelimitedField(field: Int, byteCount: Int) -> Int {
        tag(field: field) + varint(UInt64(byteCount)) + byteCount
    }

    /// An int64 field; 0 is not written.
    @inlinable
    public static func int64(field: Int, _ value: Int64) -> Int {
        value == 0 ? 0 : varintField(field: field, UInt64(bitPattern: value))
    }

    /// A uint64 field; 0 is not written.
    @inlinable
    public static func uint64(field: Int, _ value: UInt64) -> Int {
        value == 0 ? 0 : varintField(field: field, value)
    }

    /// An int32 field; 0 is not written, and negatives take 10 bytes (sign-extended to 64 bits).
    @inlinable
    public static func int32(field: Int, _ value: Int32) -> Int {
        value == 0 ? 0 : varintField(field: field, UInt64(bitPattern: Int64(value)))
    }

    /// A uint32 field; 0 is not written.
    @inlinable
    public static func uint32(field: Int, _ value: UInt32) -> Int {
        value == 0 ? 0 : varintField(field: field, UInt64(value))
    }

    /// A sint64 (zigzag) field; 0 is not written.
    @inlinable
    public static func sint64(field: Int, _ value: Int64) -> Int {
        value == 0 ? 0 : varintField(field: field, ZigZag.encode(value))
    }

    /// A bool field; false is not written.
    @inlinable
    public static func bool(field: Int, _ value: Bool) -> Int {
        value ? tag(field: field) + 1 : 0
    }

    /// An enum field; the zero case is not written.
    @inlinable
    public static func enumValue<E: ProtoEnum>(field: Int, _ value: E) -> Int {
        int32(field: field, value.rawValue)
    }

    /// A fixed64 field; 0 is not written.
    @inlinable
    public static func fixed64(field: Int, _ value: UInt64) -> Int {
        value == 0 ? 0 : tag(field: field) + 8
    }

    /// A fixed32 field; 0 is not written.
    @inlinable
    public static func fixed32(field: Int, _ value: UInt32) -> Int {
        value == 0 ? 0 : tag(field: field) + 4
    }

    /// A bytes field; empty is not written.
    @inlinable
    public static func bytes(field: Int, _ value: [UInt8]) -> Int {
        value.isEmpty ? 0 : lengthDelimitedField(field: field, byteCount: value.count)
    }

    /// A string field; empty is not written.
    @inlinable
    public static func string(field: Int, _ value: String) -> Int {
        value.isEmpty ? 0 : lengthDelimitedField(field: field, byteCount: value.utf8.count)
    }

    /// A proto2 optional bool: nil is not written, false and true are.
    @inlinable
    public static func optionalBool(field: Int, _ value: Bool?) -> Int {
        value == nil ? 0 : tag(field: field) + 1
    }

    /// A singular message field: absent (nil) is not written, present-but-empty is.
    @inlinable
    public static func message<M: ProtoMessage>(field: Int, _ value: M?) -> Int {
        guard let value else { return 0 }
        return lengthDelimitedField(field: field, byteCount: value.encodedSize)
    }

    /// A message that is always written (a oneof member or a repeated element).
    @inlinable
    public static func message<M: ProtoMessage>(field: Int, _ value: M) -> Int {
        lengthDelimitedField(field: field, byteCount: value.encodedSize)
    }

    /// A repeated message field: one tagged, length-prefixed entry per element.
    @inlinable
    public static func messages<M: ProtoMessage>(field: Int, _ values: [M]) -> Int {
        var size = 0
        for value in values {
            size += lengthDelimitedField(field: field, byteCount: value.encodedSize)
        }
        return size
    }

    /// A repeated string field; every element is written, empty ones included.
    @inlinable
    public static func strings(field: Int, _ values: [String]) -> Int {
        var size = 0
        for value in values {
            size += lengthDelimitedField(field: field, byteCount: value.utf8.count)
        }
        return size
    }

    /// A repeated bytes field; every element is written, empty ones included.
    @inlinable
    public static func repeatedBytes(field: Int, _ values: [[UInt8]]) -> Int {
        var size = 0
        for value in values {
            size += lengthDelimitedField(field: field, byteCount: value.count)
        }
        return size
    }

    /// The payload of a packed repeated enum: the elements' varints back to back.
    @inlinable
    public static func packedEnumPayload<E: ProtoEnum>(_ values: [E]) -> Int {
        var size = 0
        for value in values {
            size += varint(UInt64(bitPattern: Int64(value.rawValue)))
        }
        return size
    }

    /// A packed repeated enum field (proto3's default for repeated scalars); empty is not written.
    @inlinable
    public static func packedEnums<E: ProtoEnum>(field: Int, _ values: [E]) -> Int {
        values.isEmpty ? 0 : lengthDelimitedField(field: field, byteCount: packedEnumPayload(values))
    }
}
