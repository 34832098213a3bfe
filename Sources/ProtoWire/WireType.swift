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
/// Invariant: `fieldNumber` is positive (at most `FieldTag.fieldNumberMax` for tags built to write;
/// a tag read off the wire may carry any positive `Int32`, as gogo's decoder accepts).
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

    /// Splits a tag varint read where a field starts, checking it as etcd's gogo decoder does and
    /// in its order.
    ///
    /// The field number is `rawValue >> 3` truncated to 32 signed bits (so a huge number may alias
    /// a small one, as in gogo). Throws `endGroupOutsideGroup` for wire type 4, then `illegalTag`
    /// for a field number that is not positive, then `undefinedWireType` for wire type 6 or 7.
    @inlinable
    public init(rawValue: UInt64) throws(ProtoDecodeError) {
        let wireTypeBits = UInt8(truncatingIfNeeded: rawValue & 7)
        if wireTypeBits == WireType.endGroup.rawValue {
            throw .endGroupOutsideGroup(message: nil)
        }
        let number = Int32(truncatingIfNeeded: rawValue >> 3)
        guard number > 0 else {
            throw .illegalTag(fieldNumber: number, rawTag: rawValue, message: nil)
        }
        guard let wireType = WireType(rawValue: wireTypeBits) else {
            throw .undefinedWireType(fieldNumber: Int(number), wireType: wireTypeBits)
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
