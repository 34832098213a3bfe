import EtcdProto
import GRPC

/// How an answer reaches the client: as HTTP/1.1 bytes (`GatewaySession`) or as HTTP/2 frames
/// (`GatewayHTTP2Session`). The exchange decides what to say; the writer frames it.
protocol GatewayAnswerWriter: AnyObject {
    /// The status and header fields; `contentLength` nil means a body of unknown length
    /// follows in pieces (chunked, on HTTP/1.1).
    func writeHead(_ exchange: GatewayExchange, status: Int, fields: [(name: String, value: String)], contentLength: Int?)
    func writeBody(_ exchange: GatewayExchange, _ bytes: [UInt8])
    func writeEnd(_ exchange: GatewayExchange)
}

/// One HTTP request on the client port and its answer, whatever the HTTP version: where it
/// goes (`GatewayRequestRouting`), the gRPC call a gateway request becomes, and the answer as
/// etcd's handlers and grpc-gateway write it.
final class GatewayExchange {
    /// What one HTTP request asks for.
    enum Target {
        /// A gateway call: the gRPC method it becomes and how its messages read and write.
        case call(GatewayRoute)
        /// An endpoint the event loop answers from the server's state.
        case endpoint(HTTPEndpoint)
        /// Answered as soon as the head is read (404, 405, OPTIONS).
        case answered
        /// A plain-HTTP request naming a host --host-whitelist does not list: 421.
        case misdirected(host: String)
    }

    let call: GRPCCallID
    let method: String
    let path: String
    /// The target's query string, without its `?`.
    let query: Substring
    /// The Authorization header: grpc-gateway forwards it, and etcd reads the token from it.
    let authorization: String?
    let target: Target
    /// --cors, --host-whitelist, --enable-grpc-gateway (and what a metrics listener serves).
    let policy: HTTPAccessPolicy
    /// The CORS fields every answer to this request carries.
    let corsFields: [(name: String, value: String)]
    /// The request body so far (gateway calls only).
    private(set) var body: [UInt8] = []
    /// A unary call's JSON reply, written when the call finishes.
    private var reply: [UInt8]?
    /// A streamed answer's head went out.
    private(set) var hasSentHead = false
    /// The whole answer is written.
    private(set) var isAnswered = false
    var isBodyComplete = false
    /// The gRPC call began (its `.callStarted` went to the loop).
    private(set) var hasStartedCall = false
    /// A streaming request (Watch, LeaseKeepAlive) reads its body as JSON values arrive: where
    /// the next one starts, and whether the request side is over (body ended, or a value did not
    /// decode after the call began: grpc-gateway then stops sending and closes its side).
    private var streamOffset = 0
    private var isRequestStreamClosed = false

    /// `host` is the Host header (`:authority` on HTTP/2), `origin` the Origin header.
    init(call: GRPCCallID, method: String, target requestTarget: String, authorization: String?, origin: String?,
         host: String?, isTLS: Bool, policy: HTTPAccessPolicy) {
        self.call = call
        self.method = method
        if let question = requestTarget.firstIndex(of: "?") {
            path = String(requestTarget[..<question])
            query = requestTarget[requestTarget.index(after: question)...]
        } else {
            path = requestTarget
            query = ""
        }
        self.authorization = authorization
        self.policy = policy
        corsFields = policy.corsFields(origin: origin)
        if let refused = policy.refusesHost(host, isTLS: isTLS) {
            target = .misdirected(host: refused)
        } else {
            target = GatewayRequestRouting.target(method: method, path: path, servesGateway: policy.servesGateway)
        }
    }

    /// Adds a piece of the body; false when the body outgrew `limit` (the caller refuses it).
    /// A streaming request's limit applies to what it has not yet decoded.
    func appendBody(_ piece: some Collection<UInt8>, limit: Int) -> Bool {
        guard case .call = target else { return true }
        if streamOffset >= Self.streamTrimBytes {
            body.removeFirst(streamOffset)
            streamOffset = 0
        }
        guard body.count + piece.count <= limit else { return false }
        body.append(contentsOf: piece)
        return true
    }

    /// Decoded stream bytes kept before they are dropped from the front of the body.
    private static let streamTrimBytes = 64 * 1024

    /// Whether the call takes a stream of requests (Watch, LeaseKeepAlive).
    var isClientStreaming: Bool {
        guard case .call(let route) = target else { return false }
        return EtcdMethod(path: route.method)?.streamingKind == .bidiStreaming
    }

    // MARK: - The call a gateway request becomes

    /// The gRPC events of a gateway call whose body is complete, or nil after answering a body
    /// that does not decode.
    func callEvents(writer: GatewayAnswerWriter) -> [GRPCServerEvent]? {
        guard case .call(let route) = target else { return nil }
        if isClientStreaming { return streamEvents(isComplete: true, writer: writer) }
        let message: [UInt8]
        do {
            message = try ProtoJSONDecoder.decode(body, as: route.request)
        } catch {
            answerError(GRPCStatus(.invalidArgument, error.description), writer: writer)
            return nil
        }
        return [start(route), .message(call, message), .halfClosed(call)]
    }

    /// The events of a streaming request's values decoded so far (all of them once
    /// `isComplete`): grpc-gateway reads the body as a sequence of JSON values and sends each
    /// as it comes, so a watch starts before the body ends. A first value that does not decode
    /// is refused as grpc-gateway refuses it (UNKNOWN: the decoder's error as is, where a unary
    /// call's is INVALID_ARGUMENT); a later one ends the request side.
    func streamEvents(isComplete: Bool, writer: GatewayAnswerWriter) -> [GRPCServerEvent] {
        guard case .call(let route) = target, !isRequestStreamClosed, !isAnswered else { return [] }
        var events: [GRPCServerEvent] = []
        while true {
            let step: ProtoJSONDecoder.StreamStep
            do {
                step = try ProtoJSONDecoder.decodeNext(body, from: streamOffset, isComplete: isComplete, as: route.request)
            } catch {
                isRequestStreamClosed = true
                guard hasStartedCall else {
                    answerError(GRPCStatus(.unknown, error.description), writer: writer)
                    return []
                }
                return events + [.halfClosed(call)]
            }
            switch step {
            case .message(let message, let end):
                if !hasStartedCall { events.append(start(route)) }
                events.append(.message(call, message))
                streamOffset = end
            case .needsMoreBytes:
                return events
            case .endOfBody:
                // An empty body still opens the stream (a watch with no watchers stays open).
                if !hasStartedCall { events.append(start(route)) }
                isRequestStreamClosed = true
                return events + [.halfClosed(call)]
            }
        }
    }

    /// The call's start: its method, and the token the Authorization header carries.
    private func start(_ route: GatewayRoute) -> GRPCServerEvent {
        hasStartedCall = true
        var metadata: [(name: String, value: String)] = []
        if let authorization { metadata.append((name: "token", value: authorization)) }
        return .callStarted(call, path: route.method, timeoutNanoseconds: nil, metadata: metadata)
    }

    /// One reply message of the call, as protobuf bytes.
    func message(_ bytes: [UInt8], writer: GatewayAnswerWriter) {
        guard !isAnswered, case .call(let route) = target else { return }
        var json: [UInt8] = []
        json.reserveCapacity(bytes.count * 2 + 64)
        if route.isServerStreaming { json.append(contentsOf: #"{"result":"#.utf8) }
        do {
            try ProtoJSONEncoder.encode(bytes, as: route.response, into: &json)
        } catch {
            // The handler's bytes do not decode: a bug in the handler, not the client's fault.
            finish(GRPCStatus(.internal, "swetcd: cannot write the reply as JSON: \(error)"), writer: writer)
            return
        }
        guard route.isServerStreaming else {
            reply = json
            return
        }
        // One message, one chunk: clients such as etcd3gw parse each chunk as a document.
        json.append(contentsOf: "}\n".utf8)
        if !hasSentHead {
            hasSentHead = true
            writer.writeHead(self, status: 200, fields: Self.gatewayFields, contentLength: nil)
        }
        writer.writeBody(self, json)
    }

    /// The call ended with `status`.
    func finish(_ status: GRPCStatus, writer: GatewayAnswerWriter) {
        guard !isAnswered else { return }
        switch target {
        case .call(let route):
            if hasSentHead {
                if status.code != .ok { writer.writeBody(self, Self.streamErrorBody(status)) }
                writer.writeEnd(self)
                isAnswered = true
            } else if status.code != .ok {
                answerError(status, writer: writer)
            } else if route.isServerStreaming {
                writer.writeHead(self, status: 200, fields: Self.gatewayFields, contentLength: nil)
                writer.writeEnd(self)
                isAnswered = true
            } else {
                let body = reply ?? Array("{}".utf8)
                writer.writeHead(self, status: 200, fields: Self.gatewayFields, contentLength: body.count)
                writer.writeBody(self, body)
                writer.writeEnd(self)
                isAnswered = true
            }
        case .endpoint(let endpoint):
            // A health check's read failed or timed out (the loop answers success itself).
            let answer = HealthReport.failed(.linearizableRead, reason: "QGET ERROR:" + status.message).answer(for: endpoint)
            respond(status: answer.status, contentType: answer.contentType, body: answer.body, writer: writer)
        case .answered, .misdirected:
            break
        }
    }

    /// The event loop's answer to an endpoint request.
    func respond(status: Int, contentType: String, body: [UInt8], writer: GatewayAnswerWriter) {
        guard !isAnswered else { return }
        var fields = [(name: "Content-Type", value: contentType)]
        if status >= 400 { fields.append((name: "X-Content-Type-Options", value: "nosniff")) }
        let sent = method == "HEAD" ? [] : body
        writer.writeHead(self, status: status, fields: fields, contentLength: body.count)
        writer.writeBody(self, sent)
        writer.writeEnd(self)
        isAnswered = true
    }

    /// Answers a request that needs nothing from the server: OPTIONS (CORS preflight), unknown
    /// paths and methods, as etcd's mux and grpc-gateway answer them.
    func answerRouting(writer: GatewayAnswerWriter) {
        guard !isAnswered else { return }
        var fields: [(name: String, value: String)] = []
        let status: Int
        let text: String
        if case .misdirected(let host) = target {
            // etcd answers before adding CORS fields, with Go's http.Error.
            let body = HTTPAccessPolicy.misdirectedText(host: host) + "\n"
            writer.writeHead(self, status: 421, fields: [(name: "Content-Type", value: Self.textType),
                                                         (name: "X-Content-Type-Options", value: "nosniff")],
                             contentLength: body.utf8.count)
            writer.writeBody(self, Array(body.utf8))
            writer.writeEnd(self)
            isAnswered = true
            return
        }
        guard case .answered = target else { return }
        switch GatewayRequestRouting.refusal(method: method, path: path, servesGateway: policy.servesGateway) {
        case .preflight:
            (status, text) = (200, "")
        case .methodNotAllowed(let allow):
            if let allow { fields.append((name: "Allow", value: allow)) }
            (status, text) = (405, "Method Not Allowed\n")
        case .notFound(let body):
            (status, text) = (404, body)
        }
        if status != 200 {
            fields.append((name: "Content-Type", value: Self.textType))
            fields.append((name: "X-Content-Type-Options", value: "nosniff"))
        }
        writer.writeHead(self, status: status, fields: fields, contentLength: text.utf8.count)
        writer.writeBody(self, Array(text.utf8))
        writer.writeEnd(self)
        isAnswered = true
    }

    /// grpc-gateway's error answer: the gRPC code's HTTP status and
    /// `{"error":…,"message":…,"code":…}`.
    func answerError(_ status: GRPCStatus, writer: GatewayAnswerWriter) {
        guard !isAnswered else { return }
        let body = Self.errorBody(status)
        writer.writeHead(self, status: GatewayStatusMapping.httpStatus(for: status.code),
                         fields: [(name: "Content-Type", value: Self.jsonType)], contentLength: body.count)
        writer.writeBody(self, body)
        writer.writeEnd(self)
        isAnswered = true
    }
}

extension GatewayExchange {
    static let jsonType = "application/json"
    static let textType = "text/plain; charset=utf-8"
    /// What grpc-gateway adds to an answer that came from a gRPC call: the call's content type
    /// forwarded as metadata, then its own.
    static let gatewayFields: [(name: String, value: String)] = [
        (name: "Grpc-Metadata-Content-Type", value: "application/grpc"),
        (name: "Content-Type", value: jsonType),
    ]

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
}
