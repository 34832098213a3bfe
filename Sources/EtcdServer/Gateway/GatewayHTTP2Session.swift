import GRPC

/// gRPC over HTTP/2 on a TLS client connection, with etcd's HTTP handlers next to it: etcd's TLS
/// listener hands HTTP/2 requests without a gRPC content type to its HTTP mux (health,
/// version, metrics, the JSON gateway), which is what `curl https://…/health` reaches, as curl
/// negotiates HTTP/2. gRPC calls pass straight through to the wrapped connection.
final class GatewayHTTP2Session: ClientSession, HTTPEndpointSession {
    private let grpc: GRPCServerConnection
    /// The plain requests being answered, by stream.
    private var exchanges: [Int32: GatewayExchange] = [:]
    private var endpointRequests: [EndpointRequest] = []
    private let requestBodyBytesMax: Int
    private let policy: HTTPAccessPolicy
    /// Scratch for a reply message's protobuf bytes before they become JSON.
    private var messageBytes: [UInt8] = []

    init(configuration: GRPCServerConfiguration, policy: HTTPAccessPolicy, maxRequestBytes: Int) {
        self.policy = policy
        grpc = GRPCServerConnection(configuration: configuration)
        grpc.acceptsPlainHTTP = true
        requestBodyBytesMax = maxRequestBytes * 2 + 64 * 1024
    }

    func receive(_ bytes: UnsafeRawBufferPointer) -> Bool {
        grpc.receive(bytes)
    }

    func drainEvents(_ body: (GRPCServerEvent) -> Void) {
        grpc.drainEvents { event in
            switch event {
            case .plainRequest(let call, let head):
                let header = { (name: String) in head.headers.first { $0.name == name }?.value }
                // Only TLS connections take plain HTTP/2 requests: the host is not checked.
                let exchange = GatewayExchange(call: call, method: head.method, target: head.target,
                                               authorization: header("authorization"), origin: header("origin"),
                                               host: nil, isTLS: true, policy: policy)
                exchanges[call.streamID] = exchange
                switch exchange.target {
                case .answered, .misdirected: exchange.answerRouting(writer: self)
                case .endpoint(let endpoint):
                    endpointRequests.append(EndpointRequest(call: call, endpoint: endpoint, query: exchange.query))
                case .call: break
                }
            case .plainBody(let call, let bytes):
                guard let exchange = exchanges[call.streamID] else { return }
                if !exchange.appendBody(bytes, limit: requestBodyBytesMax) {
                    exchange.answerError(GRPCStatus(.resourceExhausted, "grpc: received message larger than max (\(exchange.body.count + bytes.count) vs. \(requestBodyBytesMax))"),
                                         writer: self)
                    // A stream that already began: its call ends with the answer.
                    if exchange.hasStartedCall { body(.cancelled(call)) }
                } else if exchange.isClientStreaming {
                    for callEvent in exchange.streamEvents(isComplete: false, writer: self) { body(callEvent) }
                }
            case .halfClosed(let call) where exchanges[call.streamID] != nil:
                guard let exchange = exchanges[call.streamID] else { return }
                exchange.isBodyComplete = true
                for callEvent in exchange.callEvents(writer: self) ?? [] { body(callEvent) }
            case .cancelled(let call) where exchanges[call.streamID] != nil:
                guard let exchange = exchanges.removeValue(forKey: call.streamID) else { return }
                if exchange.hasStartedCall, !exchange.isAnswered { body(.cancelled(call)) }
            default:
                body(event)
            }
        }
    }

    func takeEndpointRequests() -> [EndpointRequest] {
        defer { endpointRequests.removeAll() }
        return endpointRequests
    }

    func sendMessage(_ call: GRPCCallID, payloadSize: Int, write: (inout [UInt8]) -> Void) {
        guard let exchange = exchanges[call.streamID] else {
            grpc.sendMessage(call, payloadSize: payloadSize, write: write)
            return
        }
        messageBytes.removeAll(keepingCapacity: true)
        write(&messageBytes)
        exchange.message(messageBytes, writer: self)
    }

    func finish(_ call: GRPCCallID, status: GRPCStatus) {
        guard let exchange = exchanges[call.streamID] else {
            grpc.finish(call, status: status)
            return
        }
        exchange.finish(status, writer: self)
    }

    func respond(_ call: GRPCCallID, status: Int, contentType: String, body: [UInt8]) {
        exchanges[call.streamID]?.respond(status: status, contentType: contentType, body: body, writer: self)
    }

    func pendingOutboundBytes(_ call: GRPCCallID) -> Int { grpc.pendingOutboundBytes(call) }
    func output(into buffer: inout [UInt8], limitBytes: Int) { grpc.output(into: &buffer, limitBytes: limitBytes) }
    var wantsWrite: Bool { grpc.wantsWrite }
    var isFinished: Bool { grpc.isFinished }
    func goAway() { grpc.goAway() }

    func connectionLost() {
        grpc.connectionLost()
        exchanges.removeAll()
    }
}

extension GatewayHTTP2Session: GatewayAnswerWriter {
    func writeHead(_ exchange: GatewayExchange, status: Int, fields: [(name: String, value: String)], contentLength: Int?) {
        var headers = (exchange.corsFields + fields).map { (name: $0.name.lowercased(), value: $0.value) }
        headers.append((name: "date", value: HTTPDate.now()))
        if let contentLength { headers.append((name: "content-length", value: String(contentLength))) }
        grpc.startPlainResponse(exchange.call, status: status, headers: headers)
    }

    func writeBody(_ exchange: GatewayExchange, _ bytes: [UInt8]) {
        grpc.appendPlainBody(exchange.call, bytes)
    }

    func writeEnd(_ exchange: GatewayExchange) {
        grpc.endPlainResponse(exchange.call)
        exchanges[exchange.call.streamID] = nil
    }
}
