/// The checks grpc-go's HTTP/2 framer (golang.org/x/net/http2, `readMetaFrame`) runs on every
/// field of a request's header block. A block that fails any of them is a stream error,
/// RST_STREAM(PROTOCOL_ERROR), before gRPC sees the request:
///
/// - a value may not hold a control byte other than HTAB (0x00–0x08, 0x0A–0x1F, 0x7F), so CR
///   and LF cannot split a field (`httpguts.ValidHeaderFieldValue`);
/// - a regular field's name must be a non-empty HTTP token in lower case
///   (`validWireHeaderFieldName`);
/// - pseudo-header fields come first, each at most once, and only the request ones
///   (`:method`, `:scheme`, `:authority`, `:path`, `:protocol`).
///
/// `:authority` values are not checked beyond that: grpc-go serves a request whose authority is
/// a whole URL, which etcdctl's `--cluster` commands send.
struct HeaderFieldValidity {
    private var hasRegularField = false
    private var seenPseudo: Set<String> = []
    private(set) var isMalformed = false

    mutating func check(name: UnsafeBufferPointer<UInt8>, value: UnsafeBufferPointer<UInt8>) {
        guard !isMalformed else { return }
        if value.contains(where: { ($0 < 0x20 && $0 != 0x09) || $0 == 0x7F }) {
            isMalformed = true
            return
        }
        if name.first == UInt8(ascii: ":") {
            let pseudo = String(decoding: name, as: UTF8.self)
            if hasRegularField || !Self.requestPseudoFields.contains(pseudo) || !seenPseudo.insert(pseudo).inserted {
                isMalformed = true
            }
            return
        }
        hasRegularField = true
        if name.isEmpty || !name.allSatisfy(Self.isLowerCaseTokenByte) { isMalformed = true }
    }

    static let requestPseudoFields: Set<String> = [":method", ":scheme", ":authority", ":path", ":protocol"]

    /// RFC 7230 `tchar`, upper-case letters excluded (HTTP/2 field names are lower case).
    static func isLowerCaseTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"),
             UInt8(ascii: "'"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."),
             UInt8(ascii: "^"), UInt8(ascii: "_"), UInt8(ascii: "`"), UInt8(ascii: "|"), UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }
}
