import EtcdBasics
import HTTP2

/// Limits and flow-control windows of one gRPC server connection.
public struct GRPCServerConfiguration: Sendable, Equatable {
    /// Largest request message payload accepted, in bytes; a larger one fails the call with
    /// RESOURCE_EXHAUSTED before any of it is buffered. etcd sets `--max-request-bytes` + 512 KiB.
    public var maxReceiveMessageBytes: Int
    /// Advertised as SETTINGS_MAX_CONCURRENT_STREAMS; streams beyond it are refused by nghttp2
    /// (see `HTTP2Settings.maxConcurrentStreams`). etcd's default is 2^32-1 (`--max-concurrent-streams`).
    public var maxConcurrentStreams: Int
    /// Per-stream receive window. Larger than etcd's largest request, so a Put of any allowed size
    /// streams in without waiting for a WINDOW_UPDATE round trip.
    public var initialStreamWindowBytes: Int
    /// Connection receive window, shared by all streams: several full-size requests in flight.
    public var connectionWindowBytes: Int
    /// Largest request header list accepted (grpc-go's server default: 16 MiB).
    public var maxHeaderListBytes: Int
    /// Most header and DATA bytes parsed per step of `receive` before events are processed
    /// (`HTTP2Settings.receiveBatchBytesMax`).
    public var receiveBatchBytesMax: Int

    public static let maxReceiveMessageBytesDefault = Limits.maxRequestBytesDefault + Limits.grpcOverheadBytes
    public static let maxConcurrentStreamsDefault = Int(UInt32.max)
    public static let initialStreamWindowBytesDefault = 4 << 20
    public static let connectionWindowBytesDefault = 16 << 20
    public static let maxHeaderListBytesDefault = 16 << 20
    public static let receiveBatchBytesMaxDefault = 1 << 20

    public init(maxReceiveMessageBytes: Int = maxReceiveMessageBytesDefault,
                maxConcurrentStreams: Int = maxConcurrentStreamsDefault,
                initialStreamWindowBytes: Int = initialStreamWindowBytesDefault,
                connectionWindowBytes: Int = connectionWindowBytesDefault,
                maxHeaderListBytes: Int = maxHeaderListBytesDefault,
                receiveBatchBytesMax: Int = receiveBatchBytesMaxDefault) {
        precondition(maxReceiveMessageBytes >= 0, "negative message limit")
        precondition((0...Int(UInt32.max)).contains(maxConcurrentStreams), "max concurrent streams outside 0...2^32-1")
        self.maxReceiveMessageBytes = maxReceiveMessageBytes
        self.maxConcurrentStreams = maxConcurrentStreams
        self.initialStreamWindowBytes = initialStreamWindowBytes
        self.connectionWindowBytes = connectionWindowBytes
        self.maxHeaderListBytes = maxHeaderListBytes
        self.receiveBatchBytesMax = receiveBatchBytesMax
    }

    /// The HTTP/2 session settings these translate to (validated there).
    public var http2Settings: HTTP2Settings {
        HTTP2Settings(maxConcurrentStreams: UInt32(maxConcurrentStreams),
                      initialStreamWindowBytes: initialStreamWindowBytes,
                      connectionWindowBytes: connectionWindowBytes,
                      maxHeaderListBytes: maxHeaderListBytes,
                      receiveBatchBytesMax: receiveBatchBytesMax)
    }
}
