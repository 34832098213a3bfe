// Why bytes on a peer connection are not acceptable HTTP/1.1.

/// A malformed or oversized HTTP/1.1 message on a peer connection. Operating errors: the caller
/// answers 400 where it still can (as Go's server does) and closes the connection.
public enum PeerHTTPError: Error, Sendable, Equatable {
    /// The request or status line plus header fields exceeded `PeerHTTPReader.headBytesMax`.
    case headTooLarge(limit: Int)
    case malformedRequestLine
    case malformedStatusLine
    case malformedHeaderField
    /// Not HTTP/1.0 or HTTP/1.1.
    case unsupportedVersion
    /// A Content-Length that is not a decimal number, or two that disagree.
    case invalidContentLength
    /// A Transfer-Encoding other than "chunked" (Go's server answers 501).
    case unsupportedTransferEncoding
    /// A chunk-size line that is not hex, too long, or not followed by CRLF where required.
    case malformedChunk
    /// The connection closed inside a message.
    case truncated
}
