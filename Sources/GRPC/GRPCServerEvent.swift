// What a gRPC client did on a connection, as `GRPCServerConnection` reports it to the server:
// calls starting, their messages, their half-close and their cancellation.

/// Identifies one call on one connection: its HTTP/2 stream. Unique for the connection's life
/// (HTTP/2 never reuses stream IDs).
public struct GRPCCallID: Hashable, Sendable, CustomStringConvertible {
    public let streamID: Int32
    public init(streamID: Int32) { self.streamID = streamID }
    public var description: String { "call#\(streamID)" }
}

/// One step of a call, reported in the order it happened on the wire.
///
/// After `.cancelled`, or after the server called `finish`, no more events arrive for that call
/// except those already queued before `finish`; the server ignores events for calls it no longer
/// tracks.
public enum GRPCServerEvent: Sendable {
    /// A new call: a request HEADERS with a gRPC content type (`application/grpc[+subtype]`).
    /// `timeoutNanoseconds` is the `grpc-timeout` header (nil if absent; may be ≤ 0, meaning
    /// already expired). `metadata` holds the other headers that are not pseudo-headers and not
    /// reserved by gRPC (grpc-go's rule, so `user-agent` is included), in received order, values
    /// as sent (`-bin` values are not base64-decoded).
    case callStarted(GRPCCallID, path: String, timeoutNanoseconds: Int64?, metadata: [(name: String, value: String)])
    /// One complete request message payload (prefix removed).
    case message(GRPCCallID, [UInt8])
    /// The client finished sending (END_STREAM): no more messages on this call.
    case halfClosed(GRPCCallID)
    /// The call ended before the server finished it: the client reset the stream, the connection
    /// layer failed the call itself (message too large, compressed, cut short; the right status was
    /// already sent), or the stream closed otherwise. Drop the call silently; `finish` is a no-op.
    case cancelled(GRPCCallID)
    /// A request that is not gRPC, on a connection that takes plain HTTP/2 requests too
    /// (`GRPCServerConnection.acceptsPlainHTTP`): its body follows as `.plainBody`, its end as
    /// `.halfClosed`, its reset as `.cancelled`; answer it with the `plainResponse` methods.
    case plainRequest(GRPCCallID, PlainHTTPRequestHead)
    case plainBody(GRPCCallID, [UInt8])
}

/// The head of a plain HTTP/2 request.
public struct PlainHTTPRequestHead: Sendable {
    public var method: String
    /// `:path`, query included.
    public var target: String
    /// The regular header fields, in received order.
    public var headers: [(name: String, value: String)]

    public init(method: String, target: String, headers: [(name: String, value: String)]) {
        self.method = method
        self.target = target
        self.headers = headers
    }
}
