/// What the server side of an HTTP/2 connection advertises and enforces: the SETTINGS it sends in
/// its preface, the connection-level receive window, and the header-list budget per request.
///
/// Receive windows here only pace the peer; they do not bound memory, because every received DATA
/// byte is handed to the caller (and the window re-opened) within the `receive` call that read it.
/// Memory is bounded by the caller reading the socket only as fast as it can process events.
public struct HTTP2Settings: Sendable, Equatable {
    /// SETTINGS_MAX_CONCURRENT_STREAMS. nghttp2 refuses (RST_STREAM REFUSED_STREAM) a stream
    /// opened beyond it while the SETTINGS frame is unacknowledged; after the peer acknowledged it,
    /// exceeding it is a connection error (GOAWAY PROTOCOL_ERROR).
    public var maxConcurrentStreams: UInt32
    /// SETTINGS_INITIAL_WINDOW_SIZE: how many bytes a client may send on one stream before it
    /// needs a WINDOW_UPDATE. At most 2^31-1.
    public var initialStreamWindowBytes: Int
    /// The connection-level receive window (opened with a WINDOW_UPDATE on stream 0 right after
    /// the SETTINGS frame). At least 65,535 (the protocol's initial value), at most 2^31-1.
    public var connectionWindowBytes: Int
    /// Largest header list (RFC 9113 size: name + value + 32 per field) accepted on one request;
    /// a larger one resets the stream with FRAME_SIZE_ERROR, as grpc-go does.
    public var maxHeaderListBytes: Int
    /// Most header and DATA bytes one `receive` call records before it pauses parsing and returns
    /// early (the caller drains events and feeds the rest). Bounds the session's receive storage
    /// even when HPACK makes decoded headers much larger than the input; one header block may
    /// overshoot it by up to `maxHeaderListBytes`.
    public var receiveBatchBytesMax: Int

    /// The largest flow-control window HTTP/2 allows.
    public static let windowBytesMax = Int(Int32.max)
    /// HTTP/2's initial window before any SETTINGS or WINDOW_UPDATE.
    public static let windowBytesInitial = 65_535

    public init(maxConcurrentStreams: UInt32 = UInt32.max,
                initialStreamWindowBytes: Int = 4 << 20,
                connectionWindowBytes: Int = 16 << 20,
                maxHeaderListBytes: Int = 16 << 20,
                receiveBatchBytesMax: Int = 1 << 20) {
        precondition((0...Self.windowBytesMax).contains(initialStreamWindowBytes),
                     "stream window outside 0...2^31-1")
        precondition((Self.windowBytesInitial...Self.windowBytesMax).contains(connectionWindowBytes),
                     "connection window outside 65535...2^31-1")
        precondition(maxHeaderListBytes > 0, "header list budget must be positive")
        precondition(receiveBatchBytesMax > 0, "receive batch budget must be positive")
        self.receiveBatchBytesMax = receiveBatchBytesMax
        self.maxConcurrentStreams = maxConcurrentStreams
        self.initialStreamWindowBytes = initialStreamWindowBytes
        self.connectionWindowBytes = connectionWindowBytes
        self.maxHeaderListBytes = maxHeaderListBytes
    }
}
