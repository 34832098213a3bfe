// The six wire types and the field tag that carries one, as the protobuf encoding defines them.

/// How a field's value is laid out on the wire; the low three bits of every field tag.
///
/// Types 3 and 4 are the proto2 group markers. No etcd message uses them, but a decoder meets them
/// inside unknown fields and must step over them as protobuf does. Values 6 and 7 are invalid.
public enum WireType: UInt8, Sendable, Equatable {
    /// A base-128 varint: int32, int64, uint32, uint64, sint*, bool, enum.
    case varint = 0
    /// Eight little-endian bytes: fixed64, sfixed64, double.
    case fixed64 = 1
    /// A varint byte count, then that many bytes: bytes, string, messages, packed repeated scalars.
    case lengthDelimited = 2
    /// Opens a proto2 group; fields follow until the matching `endGroup`.
    case startGroup = 3
    /// Closes the group opened with the same field number.
    case endGroup = 4
    /// Four little-endian bytes: fixed32, sfixed32, float.
    case fixed32 = 5
}

/// A decoded field key: which field follows, and how its value is encoded.
///
/// Invariant: `FieldTag.fieldNumberRange` contains `fieldNumber`.
public struct FieldTag: Sendable, Equatable {
    /// The largest field number protobuf allows: 2^29 - 1.
    @inlinable
    public static var fieldNumberMax: Int { 0x1FFF_FFFF }
    /// Field numbers protobuf allows: 1 through 2^29 - 1.
    public static let fieldNumberRange: ClosedRange<Int> = 1...fieldNumberMax

    /// The field number the message declares.
    public let fieldNumber: Int
    /// The encoding of the value after the tag.
    public let wireType: WireType

    /// Builds a tag for writing; a field number outside `fieldNumberRange` is a programmer error.
    @inlinable
    public init(fieldNumber: Int, wireType: WireType) {
        precondition(fieldNumber >= 1 && fieldNumber <= FieldTag.fieldNumberMax, "protobuf field number out of range")
        self.fieldNumber = fieldNumber
        self.wireType = wireType
    }

    /// Splits a tag varint read off the wire.
    ///
    /// Throws `invalidFieldNumber` for 0 or a number above 2^29 - 1, and `invalidWireType` for 6 or 7,
    /// since nothing after such a tag can be decoded (or skipped) reliably.
    @inlinable
    public init(rawValue: UInt64) throws(ProtoDecodeError) {
        let number = rawValue >> 3
        guard number >= 1, number <= UInt64(FieldTag.fieldNumberMax) else {
            throw .invalidFieldNumber(number)
        }
        guard let wireType = WireType(rawValue: UInt8(truncatingIfNeeded: rawValue & 7)) else {
            throw .invalidWireType(UInt8(truncatingIfNeeded: rawValue & 7))
        }
        self.fieldNumber = Int(number)
        self.wireType = wireType
    }

    /// The tag as it is written on the wire: `fieldNumber << 3 | wireType`.
    @inlinable
    public var rawValue: UInt64 {
        UInt64(fieldNumber) << 3 | UInt64(wireType.rawValue)
    }
}
