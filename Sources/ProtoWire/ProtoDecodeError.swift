// Why decoding stopped. Every malformed input ends in one of these; none of them crash.
//
// etcd answers an undecodable request with gRPC status INTERNAL and the text of the error its
// gogo-protobuf generated `Unmarshal` returned, so clients (and their tests) see those exact words.
// The cases below are gogo's failures, checked in gogo's order by `ProtoReader`, and `description`
// is gogo's text. Three of them name where they happened (a message, or one of its fields); the
// reader cannot know that, so the generic decode entry points fill it in on the way out, once,
// innermost message first (`attributed(to:)`), as Go hands a nested message's error up unchanged.

/// A reason the bytes handed to a decoder are not a valid encoding of the expected message.
///
/// These are operating errors (a client sent bad bytes), so they are thrown, never trapped on.
/// `description` is the text etcd's gogo-protobuf decoder gives for the same bytes.
public enum ProtoDecodeError: Error, Sendable, Equatable {
    /// The input ended inside a tag or a value, or a length ran past the enclosing message.
    /// gogo: `io.ErrUnexpectedEOF`.
    case truncated
    /// A varint did not end within 10 bytes. gogo: `ErrIntOverflow…`. (Bits past the 64th in a
    /// 10th byte are dropped, not refused, as gogo does.)
    case integerOverflow
    /// A length prefix that reads as a negative 64-bit integer. gogo: `ErrInvalidLength…`.
    case negativeLength
    /// A tag whose field number, taken as gogo takes it (`Int32(truncatingIfNeeded: tag >> 3)`), is
    /// zero or negative. `rawTag` is the whole tag varint, which gogo prints as the "wire type".
    case illegalTag(fieldNumber: Int32, rawTag: UInt64, message: String?)
    /// An end-group marker (wire type 4) where a field must start.
    case endGroupOutsideGroup(message: String?)
    /// A tag with wire type 6 or 7 where a field starts. Until attributed to its message it is not
    /// known whether the message declares the field: `attributed(to:)` turns it into
    /// `wrongWireType` if it does and `illegalWireType` if not, which is what gogo reports.
    case undefinedWireType(fieldNumber: Int, wireType: UInt8)
    /// Wire type 6 or 7 on a field being skipped (unknown to the message, or inside a group).
    case illegalWireType(UInt8)
    /// A field the message declares arrived with a wire type its declaration does not allow.
    /// `field` is the field's Go name once attributed.
    case wrongWireType(fieldNumber: Int, wireType: UInt8, field: String?)
    /// Messages nested deeper than the decoder's limit (`Limits.protoDecodeDepthMax`). gogo has no
    /// such limit; this is swetcd's own refusal of hostile nesting.
    case depthLimitExceeded(max: Int)
}

extension ProtoDecodeError {
    /// This error as `Message`'s decoder reports it: names `Message` or its field where gogo's
    /// text needs one and no nested message has already done so.
    ///
    /// The decode entry points (`ProtoReader.readMessage`, `init(serializedBytes:)`) call this on
    /// every error a message's decoder throws, so an error carries the innermost message's names.
    /// Errors that name nothing pass through unchanged.
    public func attributed<Message: ProtoMessage>(to message: Message.Type) -> ProtoDecodeError {
        switch self {
        case let .illegalTag(fieldNumber, rawTag, nil):
            return .illegalTag(fieldNumber: fieldNumber, rawTag: rawTag, message: Message.goTypeName)
        case .endGroupOutsideGroup(nil):
            return .endGroupOutsideGroup(message: Message.goTypeName)
        case let .undefinedWireType(fieldNumber, wireType):
            guard let name = Message.goFieldName(fieldNumber) else { return .illegalWireType(wireType) }
            return .wrongWireType(fieldNumber: fieldNumber, wireType: wireType, field: name)
        case let .wrongWireType(fieldNumber, wireType, nil):
            // A declared field always has a name; the number stands in should a table miss one.
            let name = Message.goFieldName(fieldNumber) ?? String(fieldNumber)
            return .wrongWireType(fieldNumber: fieldNumber, wireType: wireType, field: name)
        default:
            return self
        }
    }
}

extension ProtoDecodeError: CustomStringConvertible {
    /// gogo-protobuf's text for this failure, which etcd puts after "grpc: error unmarshalling
    /// request: " in its INTERNAL status. Unattributed errors print "?" where a name belongs.
    public var description: String {
        switch self {
        case .truncated:
            return "unexpected EOF"
        case .integerOverflow:
            return "proto: integer overflow"
        case .negativeLength:
            return "proto: negative length found during unmarshaling"
        case let .illegalTag(fieldNumber, rawTag, message):
            return "proto: \(message ?? "?"): illegal tag \(fieldNumber) (wire type \(rawTag))"
        case let .endGroupOutsideGroup(message):
            return "proto: \(message ?? "?"): wiretype end group for non-group"
        case let .undefinedWireType(fieldNumber, wireType):
            return "proto: wrong wireType = \(wireType) for field \(fieldNumber)"
        case let .illegalWireType(wireType):
            return "proto: illegal wireType \(wireType)"
        case let .wrongWireType(fieldNumber, wireType, field):
            return "proto: wrong wireType = \(wireType) for field \(field ?? String(fieldNumber))"
        case let .depthLimitExceeded(max):
            return "proto: messages nested deeper than \(max)"
        }
    }
}
