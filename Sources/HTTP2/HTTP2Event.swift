/// What an HTTP/2 server session observed while it parsed received bytes (or, for stream closes,
/// while it produced output).
///
/// Events are recorded by nghttp2 callbacks, which do nothing else; the owner of the session acts
/// on them afterwards through `HTTP2ServerSession.drainEvents(_:)`. Events carrying bytes refer to
/// storage inside the session (`HTTP2HeaderBlock`, a `Range` of received data) instead of owning
/// copies, so a busy connection does not allocate per frame; that storage stays valid until the
/// next `receive`.
public enum HTTP2Event: Sendable, Equatable {
    /// A complete request header block (HEADERS + CONTINUATION) opening a stream.
    /// `endStream`: the request has no body. `isOverLimit`: the header list exceeded
    /// `HTTP2Settings.maxHeaderListBytes`; its fields were dropped and `block` is empty.
    case requestHeaders(streamID: Int32, block: HTTP2HeaderBlock, endStream: Bool, isOverLimit: Bool)
    /// A trailing header block from the client (after DATA). Its fields are not kept.
    case trailers(streamID: Int32, endStream: Bool)
    /// Request body bytes, in order; `range` indexes the session's received-data storage
    /// (`HTTP2ServerSession.withReceivedData(_:_:)`). Consecutive chunks of one stream within one
    /// `receive` are merged into one event.
    case data(streamID: Int32, range: Range<Int>)
    /// The client sent END_STREAM on a DATA frame: no more body bytes on this stream.
    case endStream(streamID: Int32)
    /// The stream is gone (both sides ended it, or either side reset it). `errorCode` is
    /// `.noError` for a normal close, otherwise the RST_STREAM code (ours or the peer's).
    case streamClosed(streamID: Int32, errorCode: HTTP2ErrorCode)
}

/// A span of header fields inside the session's header storage; read it with
/// `HTTP2ServerSession.forEachHeaderField(in:_:)` before the next `receive`.
public struct HTTP2HeaderBlock: Sendable, Equatable {
    /// Indices into the session's field table.
    public let fields: Range<Int>
}

/// One header field to send. nghttp2 copies names and values when a frame is submitted.
/// Names must be lowercase (HTTP/2 requires it).
public struct HTTP2HeaderField: Sendable, Equatable {
    public var name: String
    public var value: String

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}
