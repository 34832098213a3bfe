// Why decoding stopped. Every malformed input ends in one of these; none of them crash.

/// A reason the bytes handed to a decoder are not a valid encoding of the expected message.
///
/// These are operating errors (a client sent bad bytes), so they are thrown, never trapped on. The
/// gRPC layer maps any of them to the status etcd's server returns for an undecodable request.
public enum ProtoDecodeError: Error, Sendable, Equatable {
    /// The input ended inside a tag, a varint, a fixed-width value or a group.
    case truncated
    /// A varint ran longer than 10 bytes or carried bits beyond the 64th.
    case varintOverflow
    /// A length prefix declared more bytes than remain in the enclosing message.
    case lengthExceedsInput(declared: UInt64, remaining: Int)
    /// A tag named field 0 or a field above 2^29 - 1.
    case invalidFieldNumber(UInt64)
    /// A tag used wire type 6 or 7, which protobuf does not define.
    case invalidWireType(UInt8)
    /// A field this message knows arrived with a wire type its declaration does not allow.
    case wrongWireType(fieldNumber: Int, wireType: WireType)
    /// An end-group marker appeared outside a group, or closed a group with another field number.
    case unmatchedEndGroup(fieldNumber: Int)
    /// Messages or groups nested deeper than the decoder's limit (`Limits.protoDecodeDepthMax`).
    case depthLimitExceeded(max: Int)
}

extension ProtoDecodeError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .truncated:
            return "protobuf: unexpected end of input"
        case .varintOverflow:
            return "protobuf: varint overflows 64 bits"
        case let .lengthExceedsInput(declared, remaining):
            return "protobuf: length \(declared) exceeds the \(remaining) bytes remaining"
        case let .invalidFieldNumber(number):
            return "protobuf: invalid field number \(number)"
        case let .invalidWireType(wireType):
            return "protobuf: invalid wire type \(wireType)"
        case let .wrongWireType(fieldNumber, wireType):
            return "protobuf: field \(fieldNumber) has unexpected wire type \(wireType.rawValue)"
        case let .unmatchedEndGroup(fieldNumber):
            return "protobuf: unmatched end group for field \(fieldNumber)"
        case let .depthLimitExceeded(max):
            return "protobuf: messages nested deeper than \(max)"
        }
    }
}
