import EtcdProto
import GRPC

/// One client TCP connection, owned by exactly one event loop: its socket, its session (gRPC over
/// HTTP/2, or HTTP/1.1 for the JSON gateway and the health and metrics endpoints), the calls in
/// flight on it and the bytes waiting for the socket to take them.
final class ClientConnection {
    /// What the loop remembers about a call between its HEADERS and its reply.
    struct Call {
        let method: EtcdMethod?
        /// CLOCK_MONOTONIC deadline from grpc-timeout, if the client set one.
        let deadline: Int64?
        /// The client sent `hasleader: true`: refuse with "no leader" while none is known.
        var requiresLeader = false
        /// Whether the call's request message arrived (a unary call half-closed without one is
        /// answered with grpc-go's EOF error).
        var hasRequest = false
        /// True once a request was handed to raft or the apply thread and its reply has not come back.
        var isAwaitingApply = false
        /// True while a linearizable read waits for its ReadIndex wave.
        var isAwaitingRead = false
        /// When etcd's request timeout ends the wait (set when it comes before `deadline`).
        var serverDeadline: Int64?
        /// A Maintenance.Snapshot stream being sent on this call.
        var snapshot: SnapshotStream?
        /// A LeaseKeepAlive stream's keep-alives out with the leader (`LeaseForwarder`).
        var leaseForwardsPending = 0
        /// The client closed its side of a LeaseKeepAlive stream: it ends once nothing is pending.
        var isHalfClosed = false
        /// The `token` metadata (an auth token), if the client sent one.
        var token: String?
        /// Who the call runs as, once auth checked it (its write carries this into the log).
        var authCaller: AuthCaller?
        /// A Lock or Election RPC in progress (see EventLoop+Recipes), whether one of its
        /// requests is out, and whether it has a watch open on this call's stream.
        var recipe: (any Recipe)?
        /// A `/health` or `/readyz` check waiting for its linearizable read.
        var isHealthCheck = false
        var isRecipeStepPending = false
        var hasRecipeWatch = false
    }

    let id: UInt64
    let fd: Int32
    /// gRPC over HTTP/2 until the first bytes show HTTP/1.1 (see `EventLoop.receive`).
    var session: any ClientSession
    /// The session's side that serves etcd's HTTP endpoints (HTTP/1.1, or plain HTTP/2
    /// requests on TLS), answered by the loop (see EventLoop+HTTP).
    var endpoints: (any HTTPEndpointSession)?
    /// The connection speaks HTTP/1.1 (whose answers the loop paces; see EventLoop.flush).
    var isHTTP1 = false
    /// Accepted on a --listen-metrics-urls listener: HTTP/1.1 only, metrics and health only.
    let isMetricsOnly: Bool
    /// Whether the first bytes decided between HTTP/2 and HTTP/1.1; until then they collect
    /// in `firstBytes`.
    var isProtocolKnown = false
    var firstBytes: [UInt8] = []
    var calls: [Int32: Call] = [:]

    /// Encoded HTTP/2 bytes the socket has not taken yet; `outputOffset` is how many of them
    /// were already written.
    var output: [UInt8] = []
    var outputOffset = 0
    /// Whether EPOLLOUT is registered (the socket refused part of a write).
    var isWaitingForWritable = false
    /// Whether EPOLLIN is withheld because too much output is queued (back-pressure).
    var isReadPaused = false
    /// Set when the session asked to close (bad preface, GOAWAY done, peer EOF).
    var isClosing = false
    /// Whether a read has already been accepted by the session (the preface was valid).
    var hasReceivedBytes = false
    /// The TLS session of a connection accepted on an https listener: socket bytes go through
    /// it both ways.
    var tls: TLSSession?

    init(id: UInt64, fd: Int32, configuration: GRPCServerConfiguration, isMetricsOnly: Bool) {
        self.id = id
        self.fd = fd
        self.isMetricsOnly = isMetricsOnly
        self.session = GRPCServerConnection(configuration: configuration)
        output.reserveCapacity(isMetricsOnly ? 4 * 1024 : 64 * 1024)
    }

    /// Switches the connection to HTTP/1.1.
    func speakHTTP1(policy: HTTPAccessPolicy, maxRequestBytes: Int) {
        let gateway = GatewaySession(policy: isMetricsOnly ? .metricsOnly : policy, isTLS: tls != nil,
                                     maxRequestBytes: maxRequestBytes)
        endpoints = gateway
        session = gateway
        isHTTP1 = true
    }

    /// On TLS, HTTP/2 carries plain HTTP requests next to gRPC (as etcd's TLS listener does).
    func serveHTTPOverHTTP2(configuration: GRPCServerConfiguration, policy: HTTPAccessPolicy, maxRequestBytes: Int) {
        let mixed = GatewayHTTP2Session(configuration: configuration, policy: policy, maxRequestBytes: maxRequestBytes)
        endpoints = mixed
        session = mixed
    }

    var pendingOutputBytes: Int { output.count - outputOffset }
    /// Streams of calls sending snapshots (kept small: one per `etcdctl snapshot save`).
    var snapshotStreams: Set<Int32> = []
}
