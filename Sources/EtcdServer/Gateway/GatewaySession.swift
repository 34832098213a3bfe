import EtcdProto
import GRPC

/// HTTP/1.1 on the client port, as etcd serves it next to gRPC: the health, readiness, version
/// and metrics endpoints, and the JSON gateway (`POST /v3/...`), whose requests become gRPC calls
/// that the same handlers serve (see GatewayExchange). Sans-I/O: bytes in through `receive`,
/// call events out through `drainEvents`, endpoint requests out through
/// `takeEndpointRequests`, response bytes out through `output`.
///
/// One request is answered at a time, in order (HTTP/1.1 pipelining): bytes of the next request
/// wait in the reader until the current answer is complete. A streaming answer (watch, lease
/// keep-alive, election observe) lasts until the call ends, as with etcd's gateway.
final class GatewaySession: ClientSession, HTTPEndpointSession {
    enum Limit {
        /// Bytes of later requests held while one is answered. Clients pipeline little; one
        /// that sends more is refused rather than buffered without bound.
        static let queuedRequestBytesMax = 1024 * 1024
    }

    /// --cors, --host-whitelist, --enable-grpc-gateway; a metrics listener's own.
    private let policy: HTTPAccessPolicy
    private let isTLS: Bool
    /// Largest request body accepted: the JSON of a request etcd would take (base64 makes
    /// bytes a third larger; field names and quoting add more).
    private let requestBodyBytesMax: Int
    private var reader = PeerHTTPReader(role: .server)
    private var exchange: GatewayExchange?
    /// The current request's HTTP minor version (0: no chunking, close after the answer).
    private var minorVersion = 1
    private var nextStreamID: Int32 = 1
    private var events: [GRPCServerEvent] = []
    private var endpointRequests: [EndpointRequest] = []
    private var pendingOutput: [UInt8] = []
    /// Scratch for a reply message's protobuf bytes before they become JSON.
    private var messageBytes: [UInt8] = []
    /// Close once the current answer is out (Connection: close, HTTP/1.0, refused requests,
    /// shutdown).
    private var closesAfterAnswer = false
    private var isClosed = false
    /// The answer being written has a chunked body.
    private var isChunked = false

    init(policy: HTTPAccessPolicy, isTLS: Bool, maxRequestBytes: Int) {
        self.policy = policy
        self.isTLS = isTLS
        self.requestBodyBytesMax = maxRequestBytes * 2 + 64 * 1024
    }

    // MARK: - Input

    func receive(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard !isClosed else { return false }
        reader.append(bytes)
        readRequests()
        if reader.bufferedByteCount > Limit.queuedRequestBytesMax + requestBodyBytesMax { isClosed = true }
        return !isClosed
    }

    /// Reads heads and bodies while no answer is outstanding.
    private func readRequests() {
        while !isClosed {
            if let current = exchange {
                guard !current.isBodyComplete else { return }
            } else if closesAfterAnswer {
                return
            }
            let event: PeerHTTPReader.Event?
            do {
                event = try reader.next()
            } catch {
                refuseMalformed(error)
                return
            }
            guard let event else { return }
            switch event {
            case .requestHead(let head):
                begin(head)
            case .body(let piece):
                guard let current = exchange else { continue }
                if !current.appendBody(piece, limit: requestBodyBytesMax) {
                    refuseOversized(current)
                    return
                }
                if current.isClientStreaming { events.append(contentsOf: current.streamEvents(isComplete: false, writer: self)) }
            case .end:
                guard let current = exchange else { continue }
                current.isBodyComplete = true
                if let callEvents = current.callEvents(writer: self) { events.append(contentsOf: callEvents) }
                _ = completeIfAnswered()
            case .responseHead:
                continue
            }
        }
    }

    private func begin(_ head: PeerHTTPRequestHead) {
        let call = GRPCCallID(streamID: nextStreamID)
        nextStreamID = nextStreamID >= Int32.max - 2 ? 1 : nextStreamID + 2
        minorVersion = head.minorVersion
        if !head.isKeepAlive { closesAfterAnswer = true }
        let current = GatewayExchange(call: call, method: head.method, target: head.target,
                                      authorization: head.headers.value(for: "Authorization"),
                                      origin: head.headers.value(for: "Origin"), host: head.headers.value(for: "Host"),
                                      isTLS: isTLS, policy: policy)
        exchange = current
        switch current.target {
        case .answered, .misdirected:
            current.answerRouting(writer: self)
        case .endpoint(let endpoint):
            endpointRequests.append(EndpointRequest(call: call, endpoint: endpoint, query: current.query))
        case .call:
            break
        }
    }

    func drainEvents(_ body: (GRPCServerEvent) -> Void) {
        while !events.isEmpty {
            let batch = events
            events.removeAll(keepingCapacity: true)
            for event in batch { body(event) }
        }
    }

    func takeEndpointRequests() -> [EndpointRequest] {
        defer { endpointRequests.removeAll() }
        return endpointRequests
    }

    // MARK: - Answers from the handlers

    func sendMessage(_ call: GRPCCallID, payloadSize: Int, write: (inout [UInt8]) -> Void) {
        guard let current = exchange, current.call == call else { return }
        messageBytes.removeAll(keepingCapacity: true)
        write(&messageBytes)
        current.message(messageBytes, writer: self)
        if completeIfAnswered() { readRequests() }
    }

    func finish(_ call: GRPCCallID, status: GRPCStatus) {
        guard let current = exchange, current.call == call else { return }
        current.finish(status, writer: self)
        if completeIfAnswered() { readRequests() }
    }

    func respond(_ call: GRPCCallID, status: Int, contentType: String, body: [UInt8]) {
        guard let current = exchange, current.call == call else { return }
        current.respond(status: status, contentType: contentType, body: body, writer: self)
        if completeIfAnswered() { readRequests() }
    }

    func pendingOutboundBytes(_ call: GRPCCallID) -> Int {
        exchange?.call == call ? pendingOutput.count : 0
    }

    // MARK: - Output and lifetime

    func output(into buffer: inout [UInt8], limitBytes: Int) {
        buffer.append(contentsOf: pendingOutput)
        pendingOutput.removeAll(keepingCapacity: pendingOutput.capacity <= 256 * 1024)
    }

    var wantsWrite: Bool { !pendingOutput.isEmpty }

    var isFinished: Bool {
        isClosed || (closesAfterAnswer && exchange == nil && pendingOutput.isEmpty)
    }

    func goAway() {
        closesAfterAnswer = true
    }

    func connectionLost() {
        isClosed = true
        if let current = exchange, !current.isAnswered, current.hasStartedCall {
            events.append(.cancelled(current.call))
        }
        exchange = nil
    }

    /// Ends the exchange once its answer is written and its body read; the caller then reads
    /// the next request (unless it is the reading loop itself, which goes on by itself).
    private func completeIfAnswered() -> Bool {
        guard let current = exchange, current.isAnswered, current.isBodyComplete else { return false }
        exchange = nil
        return true
    }

    // MARK: - Refusals

    /// A request that is not HTTP/1.1: Go's server answers 400 and closes.
    private func refuseMalformed(_ error: PeerHTTPError) {
        let text: String
        switch error {
        case .headTooLarge: text = "431 Request Header Fields Too Large"
        case .unsupportedTransferEncoding: text = "501 Not Implemented"
        case .unsupportedVersion: text = "505 HTTP Version Not Supported"
        default: text = "400 Bad Request"
        }
        pendingOutput.append(contentsOf: Array(("HTTP/1.1 " + text + "\r\nContent-Type: text/plain; charset=utf-8\r\n"
            + "Connection: close\r\n\r\n" + text).utf8))
        exchange = nil
        closesAfterAnswer = true
        isClosed = true
    }

    /// A body larger than any request etcd would take: refused as gRPC refuses the message
    /// the gateway would have sent it, and the connection closes (the rest is not read).
    private func refuseOversized(_ current: GatewayExchange) {
        closesAfterAnswer = true
        current.answerError(GRPCStatus(.resourceExhausted, "grpc: received message larger than max (\(current.body.count) vs. \(requestBodyBytesMax))"),
                            writer: self)
        exchange = nil
    }
}

extension GatewaySession: GatewayAnswerWriter {
    func writeHead(_ exchange: GatewayExchange, status: Int, fields: [(name: String, value: String)], contentLength: Int?) {
        let isHTTP10 = minorVersion == 0
        // HTTP/1.0 has no chunks: a body of unknown length ends when the connection does.
        if contentLength == nil && isHTTP10 { closesAfterAnswer = true }
        isChunked = contentLength == nil && !isHTTP10
        var head = GatewayResponseHead(status: status)
        head.add(exchange.corsFields)
        head.add(fields)
        if let contentLength {
            head.add("Content-Length", String(contentLength))
        } else if !isHTTP10 {
            head.add("Transfer-Encoding", "chunked")
        }
        if closesAfterAnswer { head.add("Connection", "close") }
        head.encode(minorVersion: minorVersion, appendingTo: &pendingOutput)
    }

    func writeBody(_ exchange: GatewayExchange, _ bytes: [UInt8]) {
        guard !bytes.isEmpty else { return }
        if isChunked {
            PeerChunkedEncoder.encodeChunk(bytes, appendingTo: &pendingOutput)
        } else {
            pendingOutput.append(contentsOf: bytes)
        }
    }

    func writeEnd(_ exchange: GatewayExchange) {
        if isChunked { PeerChunkedEncoder.encodeEnd(appendingTo: &pendingOutput) }
    }
}

/// A session that serves the endpoints the event loop answers itself.
protocol HTTPEndpointSession: AnyObject {
    /// Health, version and metrics requests waiting for the event loop.
    func takeEndpointRequests() -> [EndpointRequest]
    /// The event loop's answer to one of them.
    func respond(_ call: GRPCCallID, status: Int, contentType: String, body: [UInt8])
}

/// An endpoint request for the event loop.
struct EndpointRequest {
    let call: GRPCCallID
    let endpoint: HTTPEndpoint
    /// The request target's query string (without `?`), e.g. `exclude=NOSPACE`.
    let query: Substring
}
