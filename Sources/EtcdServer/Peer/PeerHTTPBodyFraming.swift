// How the end of an HTTP/1.1 body is found (RFC 9112 §6.3), for the cases peers produce.

/// Where a message's body ends.
public enum PeerHTTPBodyFraming: Sendable, Equatable {
    /// No body (a request without Content-Length or Transfer-Encoding; 1xx, 204, 304 responses).
    case none
    /// Exactly this many bytes (pipeline POSTs, error answers).
    case contentLength(UInt64)
    /// `Transfer-Encoding: chunked` (stream responses, snapshot POSTs).
    case chunked
    /// Until the server closes the connection (a response with neither header).
    case untilClose

    /// The framing of a request with these headers.
    public static func ofRequest(_ head: PeerHTTPRequestHead) throws(PeerHTTPError) -> Self {
        try framing(head.headers, default: .none)
    }

    /// The framing of a response with this head (to a request that was not HEAD).
    public static func ofResponse(_ head: PeerHTTPResponseHead) throws(PeerHTTPError) -> Self {
        if head.status < 200 || head.status == 204 || head.status == 304 { return .none }
        return try framing(head.headers, default: .untilClose)
    }

    private static func framing(_ headers: PeerHTTPHeaders, default fallback: Self) throws(PeerHTTPError) -> Self {
        let codings = headers.values(for: PeerHeader.transferEncoding)
        if !codings.isEmpty {
            // Go accepts only "chunked" (alone); anything else is 501 Not Implemented.
            guard codings.count == 1, PeerHTTPHeadParsing.lowercased(codings[0].utf8) == "chunked" else {
                throw .unsupportedTransferEncoding
            }
            return .chunked
        }
        let lengths = headers.values(for: PeerHeader.contentLength)
        guard let first = lengths.first else { return fallback }
        guard lengths.allSatisfy({ $0 == first }), !first.isEmpty, first.utf8.count <= 19,
              first.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let length = UInt64(first)
        else { throw .invalidContentLength }
        return length == 0 ? .none : .contentLength(length)
    }
}
