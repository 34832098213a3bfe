// Why a JSON request body could not be transcoded. grpc-gateway answers such a body with HTTP 400
// and `{"error":T,"message":T,"code":3}`, where T is the text Go's encoding/json or jsonpb gave;
// clients and scripts match on T, so `description` reproduces Go's words for each case.

/// A JSON request body the gateway refuses, with Go's text for it as `description`.
enum GatewayJSONError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The body ended inside a value (json.Decoder: `io.ErrUnexpectedEOF`).
    case unexpectedEOF
    /// A quoted number's text ended early (json.Unmarshal on it: "unexpected end of JSON input").
    case unexpectedEndOfInput
    /// A syntax error: `character` is Go's quoting of the offending byte (`'x'`), `context` the
    /// scanner's phrase ("looking for beginning of value").
    case invalidCharacter(character: String, context: String)
    /// A value of the wrong JSON kind, or a number out of range for its field:
    /// `value` is "number", "string", "bool", "array", "object" or "number 1.5".
    case cannotUnmarshal(value: String, goType: String)
    /// A bytes field whose string is not standard padded base64; `offset` is Go's.
    case illegalBase64(offset: Int)
    /// An enum given by a name it does not declare; `quotedName` is Go's `%q` of the name.
    case unknownEnumValue(quotedName: String, enumName: String)
    /// A repeated enum field given one name instead of an array (jsonpb: `invalid target "slice"`).
    case invalidEnumTarget(kind: String, enumName: String)
    /// Arrays and objects nested deeper than `GatewayJSONScanner.nestingDepthMax`.
    case exceededMaxDepth
    /// Messages nested deeper than `Limits.protoDecodeDepthMax` (nested transactions).
    case messageNestingTooDeep(max: Int)

    var description: String {
        switch self {
        case .unexpectedEOF:
            return "unexpected EOF"
        case .unexpectedEndOfInput:
            return "unexpected end of JSON input"
        case let .invalidCharacter(character, context):
            return "invalid character \(character) \(context)"
        case let .cannotUnmarshal(value, goType):
            return "json: cannot unmarshal \(value) into Go value of type \(goType)"
        case let .illegalBase64(offset):
            return "illegal base64 data at input byte \(offset)"
        case let .unknownEnumValue(quotedName, enumName):
            return "unknown value \(quotedName) for enum \(enumName)"
        case let .invalidEnumTarget(kind, enumName):
            return "invalid target \"\(kind)\" for enum \(enumName)"
        case .exceededMaxDepth:
            return "exceeded max depth"
        case let .messageNestingTooDeep(max):
            return "proto: messages nested deeper than \(max)"
        }
    }
}
