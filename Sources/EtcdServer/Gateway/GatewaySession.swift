import EtcdProto
import GRPC

/// HTTP/1.1 on the client port, as etcd serves it next to gRPC: the health, readiness, version
/// and metrics endpoints, and the JSON gateway (`POST /v3/...`), whose requests become gRPC calls
/// that the same handlers serve. Sans-I/O: bytes in through `receive`, call events out through
/// `drainEvents`, endpoint requests out through `takeEndpointRequests`, response bytes out
/// through `output`.
///
/// One request is answered at a time, in order (HTTP/1.1 pipelining): bytes of the next request
/// wait in the reader until the current answer is complete. A streaming answer (watch, lease
/// keep-alive, election observe) lasts until the call ends, as with etcd's gateway.
final class GatewaySession: ClientSession {
    enum Limit {
        /// Bytes of later requests held while one is answered. Clients pipeline little; one
        /// that sends more is refused rather than buffered without bound.
        static let queuedRequestBytesMax = 1024 * 1024
    }

    /// What one HTTP request asks for.
    enum Target {
        /// A gateway call: the gRPC method it becomes and how its messages read and write.
        case call(GatewayRoute)
        /// An endpoint the event loop answers from the server's state.
        case endpoint(HTTPEndpoint)
        /// Answered as soon as the head is read (404, 405, OPTIONS, refused bodies).
        case answered
    }

    /// An endpoint request for the event loop; it answers with `respond(_:status:contentType:body:)`.
    struct EndpointRequest {
        let call: GRPCCallID
        let endpoint: HTTPEndpoint
        /// The request target's query string (without `?`), e.g. `exclude=NOSPACE`.
        let query: Substring
    }

    /// The request being read or answered.
    private struct Exchange {
        let call: GRPCCallID
        let head: PeerHTTPRequestHead
        let target: Target
        var body: [UInt8] = []
        /// A unary call's JSON reply, written when the call finishes.
        var reply: [UInt8]?
        /// A streaming answer's status line and headers went out.
        var hasSentHead = false
        /// The whole answer is queued: the next request may be read.
        var isAnswered = false
        /// The request body was read to its end.
        var isBodyComplete = false
    }

    /// Endpoints that `--listen-metrics-urls` listeners serve: metrics and health only.
    private let servesGateway: Bool
    /// Largest request body accepted: the JSON of a request etcd would take (base64 makes
    /// bytes a third larger; field names and quoting add more).
    private let requestBodyBytesMax: Int
    private var reader = PeerHTTPReader(role: .server)
    private var exchange: Exchange?
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

    init(servesGateway: Bool, maxRequestBytes: Int) {
        self.servesGateway = servesGateway
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
                guard var current = exchange else { continue }
                if case .call = current.target {
                    guard current.body.count + piece.count <= requestBodyBytesMax else {
                        refuseOversized(current)
                        return
                    }
                    current.body.append(contentsOf: piece)
                    exchange = current
                }
            case .end:
                guard var current = exchange else { continue }
                current.isBodyComplete = true
                exchange = current
                bodyComplete(current)
                _ = completeIfAnswered()
            case .responseHead:
                continue
            }
        }
    }

    private func begin(_ head: PeerHTTPRequestHead) {
        let call = GRPCCallID(streamID: nextStreamID)
        nextStreamID = nextStreamID >= Int32.max - 2 ? 1 : nextStreamID + 2
        if !head.isKeepAlive { closesAfterAnswer = true }
        let target = GatewayRequestRouting.target(method: head.method, path: head.path, servesGateway: servesGateway)
        exchange = Exchange(call: call, head: head, target: target)
        switch target {
        case .answered:
            answerRouting(head)
        case .endpoint(let endpoint):
            endpointRequests.append(EndpointRequest(call: call, endpoint: endpoint, query: head.query))
        case .call:
            break
        }
    }

    /// The request body is in: a gateway call starts with its decoded messages.
    private func bodyComplete(_ current: Exchange) {
        guard case .call(let route) = current.target else { return }
        let messages: [[UInt8]]
        // Watch and LeaseKeepAlive take a stream of requests: grpc-gateway reads the body as a
        // sequence of JSON objects, and hands a decode error back as is (UNKNOWN), where a
        // unary call's is INVALID_ARGUMENT.
        let isStream = EtcdMethod(path: route.method)?.streamingKind == .bidiStreaming
        do {
            messages = isStream
                ? try ProtoJSONDecoder.decodeStream(current.body, as: route.request)
                : [try ProtoJSONDecoder.decode(current.body, as: route.request)]
        } catch {
            writeError(GRPCStatus(isStream ? .unknown : .invalidArgument, error.description), for: current)
            return
        }
        var metadata: [(name: String, value: String)] = []
        // grpc-gateway forwards Authorization as metadata; etcd reads the token from it.
        if let token = current.head.headers.value(for: "Authorization") {
            metadata.append((name: "token", value: token))
        }
        events.append(.callStarted(current.call, path: route.method, timeoutNanoseconds: nil, metadata: metadata))
        for message in messages { events.append(.message(current.call, message)) }
        events.append(.halfClosed(current.call))
    }

    func drainEvents(_ body: (GRPCServerEvent) -> Void) {
        while !events.isEmpty {
            let batch = events
            events.removeAll(keepingCapacity: true)
            for event in batch { body(event) }
        }
    }

    /// Health, version and metrics requests waiting for the event loop.
    func takeEndpointRequests() -> [EndpointRequest] {
        defer { endpointRequests.removeAll() }
        return endpointRequests
    }

    // MARK: - Answers from the handlers

    func sendMessage(_ call: GRPCCallID, payloadSize: Int, write: (inout [UInt8]) -> Void) {
        guard var current = exchange, current.call == call, !current.isAnswered,
              case .call(let route) = current.target else { return }
        messageBytes.removeAll(keepingCapacity: true)
        write(&messageBytes)
        var json: [UInt8] = []
        json.reserveCapacity(messageBytes.count * 2 + 64)
        if route.isServerStreaming {
            json.append(contentsOf: #"{"result":"#.utf8)
            guard transcode(route, into: &json, for: &current) else { return }
            json.append(contentsOf: "}\n".utf8)
            if !current.hasSentHead {
                current.hasSentHead = true
                writeHead(status: 200, for: current, contentType: Self.jsonType, contentLength: nil,
                          extra: [Self.grpcMetadataHeader])
            }
            writeChunk(json, for: current)
        } else {
            guard transcode(route, into: &json, for: &current) else { return }
            current.reply = json
        }
        exchange = current
    }

    /// The reply message as JSON; false (and the call failed) if the handler's bytes do not
    /// decode, which would be a bug in the handler, not the client's fault.
    private func transcode(_ route: GatewayRoute, into json: inout [UInt8], for current: inout Exchange) -> Bool {
        do {
            try ProtoJSONEncoder.encode(messageBytes, as: route.response, into: &json)
            return true
        } catch {
            exchange = current
            finish(current.call, status: GRPCStatus(.internal, "swetcd: cannot write the reply as JSON: \(error)"))
            return false
        }
    }

    func finish(_ call: GRPCCallID, status: GRPCStatus) {
        guard let current = exchange, current.call == call, !current.isAnswered else { return }
        switch current.target {
        case .call(let route):
            if current.hasSentHead {
                if status.code != .ok { writeChunk(Self.streamErrorBody(status), for: current) }
                writeLastChunk(for: current)
                markAnswered()
            } else if status.code != .ok {
                writeError(status, for: current)
            } else if route.isServerStreaming {
                writeHead(status: 200, for: current, contentType: Self.jsonType, contentLength: nil,
                          extra: [Self.grpcMetadataHeader])
                writeLastChunk(for: current)
                markAnswered()
            } else {
                let body = current.reply ?? Array("{}".utf8)
                writeHead(status: 200, for: current, contentType: Self.jsonType, contentLength: body.count,
                          extra: [Self.grpcMetadataHeader])
                pendingOutput.append(contentsOf: body)
                markAnswered()
            }
        case .endpoint(let endpoint):
            // A health check's read failed or timed out (the loop answers success itself).
            let answer = HealthReport.failed(.linearizableRead, reason: "QGET ERROR:" + status.message).answer(for: endpoint)
            respond(call, status: answer.status, contentType: answer.contentType, body: answer.body)
            return
        case .answered:
            break
        }
        if completeIfAnswered() { readRequests() }
    }

    /// The event loop's answer to an endpoint request.
    func respond(_ call: GRPCCallID, status: Int, contentType: String, body: [UInt8]) {
        guard let current = exchange, current.call == call, !current.isAnswered else { return }
        writeHead(status: status, for: current, contentType: contentType, contentLength: body.count, extra: [])
        if current.head.method != "HEAD" { pendingOutput.append(contentsOf: body) }
        markAnswered()
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
        if let current = exchange, !current.isAnswered, case .call = current.target, current.isBodyComplete {
            events.append(.cancelled(current.call))
        }
        exchange = nil
    }

    /// Ends the exchange once its answer is queued and its body read; the caller then reads
    /// the next request (unless it is the reading loop itself, which goes on by itself).
    private func completeIfAnswered() -> Bool {
        guard let current = exchange, current.isAnswered, current.isBodyComplete else { return false }
        exchange = nil
        return true
    }

    private func markAnswered() {
        exchange?.isAnswered = true
    }
}

// MARK: - Writing answers

extension GatewaySession {
    static let jsonType = "application/json"
    static let textType = "text/plain; charset=utf-8"
    /// What grpc-gateway adds to every answer that came from a gRPC call (the call's
    /// content-type, forwarded as metadata).
    static let grpcMetadataHeader = (name: "Grpc-Metadata-Content-Type", value: "application/grpc")

    private func writeHead(status: Int, for exchange: Exchange, contentType: String?, contentLength: Int?,
                           extra: [(name: String, value: String)]) {
        let isHTTP10 = exchange.head.minorVersion == 0
        if contentLength == nil && isHTTP10 { closesAfterAnswer = true }
        var head = GatewayResponseHead(status: status)
        head.add(extra)
        if let contentType { head.add("Content-Type", contentType) }
        if let contentLength {
            head.add("Content-Length", String(contentLength))
        } else if !isHTTP10 {
            head.add("Transfer-Encoding", "chunked")
        }
        if closesAfterAnswer { head.add("Connection", "close") }
        head.encode(minorVersion: exchange.head.minorVersion, appendingTo: &pendingOutput)
    }

    private func writeChunk(_ bytes: [UInt8], for exchange: Exchange) {
        if exchange.head.minorVersion == 0 {
            pendingOutput.append(contentsOf: bytes)
        } else {
            PeerChunkedEncoder.encodeChunk(bytes, appendingTo: &pendingOutput)
        }
    }

    private func writeLastChunk(for exchange: Exchange) {
        if exchange.head.minorVersion != 0 { PeerChunkedEncoder.encodeEnd(appendingTo: &pendingOutput) }
    }

    /// grpc-gateway's error answer: the gRPC code's HTTP status and
    /// `{"error":…,"message":…,"code":…}`.
    private func writeError(_ status: GRPCStatus, for exchange: Exchange) {
        let body = Self.errorBody(status)
        writeHead(status: GatewayStatusMapping.httpStatus(for: status.code), for: exchange,
                  contentType: Self.jsonType, contentLength: body.count, extra: [])
        pendingOutput.append(contentsOf: body)
        markAnswered()
        if !exchange.isBodyComplete {
            // The rest of the body is not read: the connection cannot carry another request.
            closesAfterAnswer = true
        }
    }

    static func errorBody(_ status: GRPCStatus) -> [UInt8] {
        let message = JSONText.string(status.message)
        return Array((#"{"error":"# + message + #","message":"# + message + #","code":"#
            + String(status.code.rawValue) + "}").utf8)
    }

    /// grpc-gateway's error on a stream that already answered: one last JSON object.
    static func streamErrorBody(_ status: GRPCStatus) -> [UInt8] {
        let http = GatewayStatusMapping.httpStatus(for: status.code)
        return Array((#"{"error":{"grpc_code":"# + String(status.code.rawValue) + #","http_code":"# + String(http)
            + #","message":"# + JSONText.string(status.message) + #","http_status":"#
            + JSONText.string(GatewayResponseHead.reason(for: http)) + "}}").utf8)
    }

    /// Answers that need nothing from the server: OPTIONS (CORS preflight), unknown paths and
    /// methods, as etcd's mux and grpc-gateway answer them.
    private func answerRouting(_ head: PeerHTTPRequestHead) {
        guard let current = exchange else { return }
        let (status, body): (Int, String)
        switch GatewayRequestRouting.refusal(method: head.method, path: head.path, servesGateway: servesGateway) {
        case .preflight: (status, body) = (200, "")
        case .methodNotAllowed(let allow):
            var head = GatewayResponseHead(status: 405)
            if let allow { head.add("Allow", allow) }
            let text = Array("Method Not Allowed\n".utf8)
            head.add("Content-Type", Self.textType)
            head.add("X-Content-Type-Options", "nosniff")
            head.add("Content-Length", String(text.count))
            if closesAfterAnswer { head.add("Connection", "close") }
            head.encode(minorVersion: current.head.minorVersion, appendingTo: &pendingOutput)
            pendingOutput.append(contentsOf: text)
            markAnswered()
            return
        case .notFound(let text): (status, body) = (404, text)
        }
        let bytes = Array(body.utf8)
        var response = GatewayResponseHead(status: status)
        if status != 200 {
            response.add("Content-Type", Self.textType)
            response.add("X-Content-Type-Options", "nosniff")
        }
        response.add("Content-Length", String(bytes.count))
        if closesAfterAnswer { response.add("Connection", "close") }
        response.encode(minorVersion: current.head.minorVersion, appendingTo: &pendingOutput)
        pendingOutput.append(contentsOf: bytes)
        markAnswered()
    }

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
    private func refuseOversized(_ current: Exchange) {
        closesAfterAnswer = true
        writeError(GRPCStatus(.resourceExhausted, "grpc: received message larger than max (\(current.body.count) vs. \(requestBodyBytesMax))"),
                   for: current)
        exchange = nil
    }
}
