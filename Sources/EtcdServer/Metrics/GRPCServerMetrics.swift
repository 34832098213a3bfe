import EtcdProto
import GRPC

/// go-grpc-prometheus's server counters, which etcd registers for every gRPC call: calls
/// started, calls handled (by status code), and messages received and sent, each by method.
///
/// Counting is one relaxed atomic add into an array indexed by method (and code); the event
/// loop calls these on every RPC, so nothing here hashes, locks or allocates.
final class GRPCServerMetrics: Sendable {
    private static let methodCount = EtcdMethod.allCases.count
    private static let codeCount = GRPCStatusCode.allCases.count

    private let started = AtomicCounters(count: methodCount)
    private let received = AtomicCounters(count: methodCount)
    private let sent = AtomicCounters(count: methodCount)
    private let handled = AtomicCounters(count: methodCount * codeCount)

    init() {
        precondition(MemoryLayout<EtcdMethod>.size == 1
                        && EtcdMethod.allCases.enumerated().allSatisfy { Self.ordinal($1) == $0 },
                     "EtcdMethod's layout no longer gives its declaration order")
        precondition(GRPCStatusCode.allCases.enumerated().allSatisfy { Int($1.rawValue) == $0 },
                     "gRPC status codes are no longer 0..<count")
    }

    /// The method's position in `EtcdMethod.allCases`. A payload-free enum of fewer than 256
    /// cases is one byte holding its case's declaration index; `init` checks that this holds,
    /// so the hot path needs neither a switch over 40 cases nor a hash of the raw string.
    @inline(__always)
    static func ordinal(_ method: EtcdMethod) -> Int {
        Int(unsafeBitCast(method, to: UInt8.self))
    }

    /// A call arrived (its headers were accepted and routed to `method`).
    @inline(__always)
    func callStarted(_ method: EtcdMethod) { started.add(1, at: Self.ordinal(method)) }

    /// A call ended with `code` (the status sent in its trailers).
    @inline(__always)
    func callHandled(_ method: EtcdMethod, code: GRPCStatusCode) {
        handled.add(1, at: Self.ordinal(method) * Self.codeCount + Int(code.rawValue))
    }

    /// A request message of `method` was received (one per unary call; each on a stream).
    @inline(__always)
    func messageReceived(_ method: EtcdMethod) { received.add(1, at: Self.ordinal(method)) }

    /// A response message of `method` was sent.
    @inline(__always)
    func messageSent(_ method: EtcdMethod) { sent.add(1, at: Self.ordinal(method)) }

    func startedCount(_ method: EtcdMethod) -> UInt64 { started.load(at: Self.ordinal(method)) }
    func receivedCount(_ method: EtcdMethod) -> UInt64 { received.load(at: Self.ordinal(method)) }
    func sentCount(_ method: EtcdMethod) -> UInt64 { sent.load(at: Self.ordinal(method)) }
    func handledCount(_ method: EtcdMethod, code: GRPCStatusCode) -> UInt64 {
        handled.load(at: Self.ordinal(method) * Self.codeCount + Int(code.rawValue))
    }
}

extension GRPCServerMetrics {
    /// Whether etcd 3.4 registers `method` with grpc-prometheus at start, which gives it every
    /// series at 0 before any call (the etcdserverpb services; etcd 3.4 has no AuthStatus, and
    /// it registers Election and Lock after grpc-prometheus has looked). Other methods' series
    /// appear once touched, as client_golang's do.
    static func isPreregistered(_ method: EtcdMethod) -> Bool {
        switch method.service {
        case .kv, .watch, .lease, .cluster, .maintenance, .auth: return method != .authStatus
        case .election, .lock: return false
        }
    }

    /// grpc-prometheus's `grpc_type` label.
    static func typeLabel(_ method: EtcdMethod) -> String {
        switch method.streamingKind {
        case .unary: return "unary"
        case .clientStreaming: return "client_stream"
        case .serverStreaming: return "server_stream"
        case .bidiStreaming: return "bidi_stream"
        }
    }

    /// grpc-go's name for a code (codes.Code.String()), the `grpc_code` label.
    static func codeLabel(_ code: GRPCStatusCode) -> String {
        switch code {
        case .ok: return "OK"
        case .cancelled: return "Canceled"
        case .unknown: return "Unknown"
        case .invalidArgument: return "InvalidArgument"
        case .deadlineExceeded: return "DeadlineExceeded"
        case .notFound: return "NotFound"
        case .alreadyExists: return "AlreadyExists"
        case .permissionDenied: return "PermissionDenied"
        case .resourceExhausted: return "ResourceExhausted"
        case .failedPrecondition: return "FailedPrecondition"
        case .aborted: return "Aborted"
        case .outOfRange: return "OutOfRange"
        case .unimplemented: return "Unimplemented"
        case .internal: return "Internal"
        case .unavailable: return "Unavailable"
        case .dataLoss: return "DataLoss"
        case .unauthenticated: return "Unauthenticated"
        }
    }

    /// Adds the four grpc_server_* families to `text`.
    func write(to text: inout ExpositionText) {
        typealias Sample = ExpositionText.Sample
        var startedSamples: [Sample] = [], receivedSamples: [Sample] = [], sentSamples: [Sample] = []
        var handledSamples: [Sample] = []
        for method in EtcdMethod.allCases {
            let always = Self.isPreregistered(method)
            let labels: [(name: String, value: String)] = [
                ("grpc_method", method.methodName), ("grpc_service", method.service.fullName),
                ("grpc_type", Self.typeLabel(method)),
            ]
            let (startedTotal, receivedTotal, sentTotal) = (startedCount(method), receivedCount(method), sentCount(method))
            if always || startedTotal > 0 { startedSamples.append(Sample(labels: labels, value: Double(startedTotal))) }
            if always || receivedTotal > 0 { receivedSamples.append(Sample(labels: labels, value: Double(receivedTotal))) }
            if always || sentTotal > 0 { sentSamples.append(Sample(labels: labels, value: Double(sentTotal))) }
            for code in GRPCStatusCode.allCases {
                let count = handledCount(method, code: code)
                guard always || count > 0 else { continue }
                handledSamples.append(Sample(labels: [("grpc_code", Self.codeLabel(code))] + labels, value: Double(count)))
            }
        }
        text.add("grpc_server_started_total", help: "Total number of RPCs started on the server.",
                 kind: .counter, samples: startedSamples)
        text.add("grpc_server_handled_total",
                 help: "Total number of RPCs completed on the server, regardless of success or failure.",
                 kind: .counter, samples: handledSamples)
        text.add("grpc_server_msg_received_total", help: "Total number of RPC stream messages received on the server.",
                 kind: .counter, samples: receivedSamples)
        text.add("grpc_server_msg_sent_total", help: "Total number of gRPC stream messages sent by the server.",
                 kind: .counter, samples: sentSamples)
    }
}
