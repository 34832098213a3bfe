import HTTP2

/// What a gRPC server takes from a request's header block, and the verdict on it, decided as
/// grpc-go 1.33 (etcd 3.4's) decides it in `decodeHeader` / `processHeaderField` and the start of
/// `processUnaryRPC` / `processStreamingRPC`:
///
/// - `content-type` must be `application/grpc`, optionally followed by `+subtype` or `;subtype`
///   (case-sensitive). Otherwise the request is not gRPC: RST_STREAM(PROTOCOL_ERROR), no response.
/// - A malformed `grpc-timeout` on a gRPC request: RST_STREAM(PROTOCOL_ERROR).
/// - A `grpc-encoding` other than empty or `identity` (the server installs no decompressor, as
///   etcd's does not): a trailers-only response, UNIMPLEMENTED
///   `grpc: Decompressor is not installed for grpc-encoding "gzip"`. (grpc-go reaches this check
///   after routing, so for an unknown method it would say "unknown service" instead.)
/// - A field grpc-go's HTTP/2 framer refuses (`HeaderFieldValidity`): RST_STREAM(PROTOCOL_ERROR).
/// - `:method` is not checked, as grpc-go does not check it.
public struct GRPCRequestHead: Sendable {
    public var path: String
    public var timeoutNanoseconds: Int64?
    public var metadata: [(name: String, value: String)]
    /// The content type to answer with: `application/grpc` or `application/grpc+subtype`, echoing
    /// the request's subtype as grpc-go does.
    public var responseContentType: String
}

/// The outcome of checking a request's header block.
public enum GRPCRequestVerdict: Sendable {
    /// A call to start.
    case accepted(GRPCRequestHead)
    /// Not a (well-formed) gRPC request: reset the stream with this code, send nothing else.
    case reset(HTTP2ErrorCode)
    /// A gRPC request the server refuses up front: answer trailers-only with this status.
    case refused(GRPCStatus, responseContentType: String)
}

/// Accumulates header fields one at a time (as borrowed bytes, without allocating for the ones it
/// does not keep) and then judges them. Later duplicates of single-valued headers win, as in grpc-go.
public struct GRPCRequestHeadParser {
    private var path = ""
    private var contentSubtype: String?
    private var hasGRPCContentType = false
    private var timeoutNanoseconds: Int64?
    private var isTimeoutMalformed = false
    private var encoding: String?
    private var metadata: [(name: String, value: String)] = []
    private var validity = HeaderFieldValidity()

    public static let baseContentType = "application/grpc"

    public init() {}

    /// Takes one received header field.
    public mutating func add(name: UnsafeBufferPointer<UInt8>, value: UnsafeBufferPointer<UInt8>) {
        validity.check(name: name, value: value)
        if name.first == UInt8(ascii: ":") {
            if Self.equals(name, ":path") { path = String(decoding: value, as: UTF8.self) }
            return
        }
        if Self.equals(name, "content-type") {
            if let subtype = Self.contentSubtype(value) {
                hasGRPCContentType = true
                contentSubtype = subtype
            }
        } else if Self.equals(name, "grpc-timeout") {
            if let nanoseconds = GRPCTimeout.nanoseconds(parsing: value) {
                timeoutNanoseconds = nanoseconds
            } else {
                isTimeoutMalformed = true
            }
        } else if Self.equals(name, "grpc-encoding") {
            encoding = String(decoding: value, as: UTF8.self)
        } else if !Self.isReserved(name) {
            metadata.append((String(decoding: name, as: UTF8.self), String(decoding: value, as: UTF8.self)))
        }
    }

    /// Convenience for tests and callers holding strings.
    public mutating func add(name: String, value: String) {
        var name = name
        var value = value
        name.withUTF8 { nameBytes in value.withUTF8 { add(name: nameBytes, value: $0) } }
    }

    /// Whether the request names a gRPC content type (`application/grpc[+subtype]`).
    public var isGRPC: Bool { hasGRPCContentType }

    /// The verdict on the fields added so far.
    public func verdict() -> GRPCRequestVerdict {
        guard !validity.isMalformed, hasGRPCContentType, !isTimeoutMalformed else { return .reset(.protocolError) }
        let responseContentType = contentSubtype.map { $0.isEmpty ? Self.baseContentType : Self.baseContentType + "+" + $0 }
            ?? Self.baseContentType
        if let encoding, !encoding.isEmpty, encoding != "identity" {
            let status = GRPCStatus(.unimplemented,
                                    "grpc: Decompressor is not installed for grpc-encoding \(goQuoted(encoding))")
            return .refused(status, responseContentType: responseContentType)
        }
        return .accepted(GRPCRequestHead(path: path, timeoutNanoseconds: timeoutNanoseconds,
                                         metadata: metadata, responseContentType: responseContentType))
    }

    /// grpc-go's `ContentSubtype`: "" for exactly `application/grpc`, the rest after `+` or `;`,
    /// nil when the value is not a gRPC content type.
    static func contentSubtype(_ value: UnsafeBufferPointer<UInt8>) -> String? {
        let base = baseContentType.utf8
        guard value.count >= base.count, value.prefix(base.count).elementsEqual(base) else { return nil }
        if value.count == base.count { return "" }
        let separator = value[base.count]
        guard separator == UInt8(ascii: "+") || separator == UInt8(ascii: ";") else { return nil }
        return String(decoding: value[(base.count + 1)...], as: UTF8.self)
    }

    /// Headers grpc-go keeps out of metadata (`isReservedHeader`, minus the whitelisted `user-agent`).
    static func isReserved(_ name: UnsafeBufferPointer<UInt8>) -> Bool {
        equals(name, "content-type") || equals(name, "grpc-message-type") || equals(name, "grpc-encoding")
            || equals(name, "grpc-message") || equals(name, "grpc-status") || equals(name, "grpc-timeout")
            || equals(name, "grpc-status-details-bin") || equals(name, "te")
    }

    static func equals(_ bytes: UnsafeBufferPointer<UInt8>, _ literal: StaticString) -> Bool {
        bytes.count == literal.utf8CodeUnitCount
            && bytes.elementsEqual(UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    }
}

/// A string quoted the way Go's `%q` quotes it, for the ASCII cases that matter in error messages.
func goQuoted(_ string: String) -> String {
    var quoted = "\""
    for scalar in string.unicodeScalars {
        switch scalar {
        case "\"": quoted += "\\\""
        case "\\": quoted += "\\\\"
        case "\n": quoted += "\\n"
        case "\r": quoted += "\\r"
        case "\t": quoted += "\\t"
        case _ where scalar.value < 0x20 || scalar.value == 0x7f:
            let hex = String(scalar.value, radix: 16)
            quoted += "\\x" + (hex.count < 2 ? "0" + hex : hex)
        default: quoted.unicodeScalars.append(scalar)
        }
    }
    return quoted + "\""
}
