import HTTP2

/// The gRPC server side of one client connection, sans I/O: the event loop feeds it socket bytes
/// (`receive`), drains what clients asked for (`takeEvents` / `drainEvents`), answers
/// (`sendMessage`, `finish`) and writes out what `output(into:)` yields.
///
/// It sits on an `HTTP2ServerSession` and adds gRPC's rules: which requests are gRPC calls
/// (`GRPCRequestHeadParser`), message framing and its limits (`GRPCMessageReader`), and responses
/// as grpc-go shapes them (HEADERS `:status 200` + `content-type`, length-prefixed DATA, trailers
/// `grpc-status` + `grpc-message`; trailers-only when no message was sent). When the connection
/// layer itself fails a call (message too large, compressed, cut short) it sends the status grpc-go
/// would and reports `.cancelled` so the server forgets the call.
///
/// Owned by one event loop thread; not Sendable. Work per call is proportional to the bytes it
/// receives or produces; nothing blocks, sleeps or reads a clock.
public final class GRPCServerConnection {
    public let configuration: GRPCServerConfiguration
    let session: HTTP2ServerSession

    /// Calls whose stream is still open. A call leaves when its stream closes.
    private var calls: [Int32: GRPCServerCall] = [:]
    /// Whether requests without a gRPC content type are reported as `.plainRequest` rather
    /// than reset. etcd's TLS client port passes such HTTP/2 requests to its HTTP handlers
    /// (health, metrics, the JSON gateway); its plaintext port does not.
    public var acceptsPlainHTTP = false
    /// Plain requests whose stream is open, and whether their response ended.
    private var plainStreams: [Int32: Bool] = [:]
    /// Events not yet handed out; at most a few per frame of input, so bounded by input size.
    private var events: [GRPCServerEvent] = []
    private var spareEvents: [GRPCServerEvent] = []

    public init(configuration: GRPCServerConfiguration = GRPCServerConfiguration()) {
        self.configuration = configuration
        self.session = HTTP2ServerSession(settings: configuration.http2Settings)
    }

    // MARK: Input

    /// Feeds bytes read from the socket. Returns false when the connection must be closed (after
    /// flushing whatever `output(into:)` still yields): a bad client preface, another fatal error,
    /// or nothing more to read after `goAway`. After a protocol violation nghttp2 queues GOAWAY and
    /// this still returns true; `isFinished` turns true once `output` has written the GOAWAY.
    public func receive(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var offset = 0
        repeat {
            // The session may stop early to bound its storage; act on what it saw, then go on.
            let consumed = session.receive(UnsafeRawBufferPointer(rebasing: bytes[offset...]))
            processSessionEvents()
            guard let consumed else { return false }
            precondition(consumed > 0 || offset == bytes.count, "HTTP/2 session made no progress")
            offset += consumed
        } while offset < bytes.count
        return session.wantsRead
    }

    /// Events produced since the last take, in order. Allocates a fresh array per call; the event
    /// loop may prefer `drainEvents`.
    public func takeEvents() -> [GRPCServerEvent] {
        defer { events = [] }
        return events
    }

    /// Hands each pending event to `body` in order without allocating (the storage is reused).
    /// `body` may call `sendMessage`, `finish` and `output`; events those cause are delivered in
    /// the same drain.
    public func drainEvents(_ body: (GRPCServerEvent) -> Void) {
        while !events.isEmpty {
            var batch = events
            events = spareEvents
            spareEvents = []  // `events` must own its storage alone, or appending would copy it
            for event in batch { body(event) }
            batch.removeAll(keepingCapacity: true)
            spareEvents = batch
        }
    }

    /// Whether events are waiting to be taken.
    public var hasEvents: Bool { !events.isEmpty }

    // MARK: Responses

    /// Queues one response message: the 5-byte prefix, then `write` appends exactly `payloadSize`
    /// bytes straight into the stream's outbound buffer. Sends the response HEADERS first if not yet
    /// sent. Does nothing (and does not call `write`) on a finished or cancelled call.
    /// Precondition: `write` appends exactly `payloadSize` bytes; `payloadSize` fits in 32 bits.
    public func sendMessage(_ call: GRPCCallID, payloadSize: Int, write: (inout [UInt8]) -> Void) {
        precondition(payloadSize >= 0 && payloadSize <= Int(UInt32.max), "gRPC message size out of range")
        guard let state = calls[call.streamID], !state.isFinished else { return }
        if !state.hasSentHeaders {
            state.hasSentHeaders = true
            session.submitResponse(streamID: call.streamID, headers: [
                HTTP2HeaderField(":status", "200"),
                HTTP2HeaderField("content-type", state.responseContentType),
            ], endStream: false)
        }
        session.appendBody(streamID: call.streamID) { buffer in
            let start = buffer.count
            let length = UInt32(payloadSize)
            buffer.append(0)
            buffer.append(UInt8(truncatingIfNeeded: length >> 24))
            buffer.append(UInt8(truncatingIfNeeded: length >> 16))
            buffer.append(UInt8(truncatingIfNeeded: length >> 8))
            buffer.append(UInt8(truncatingIfNeeded: length))
            write(&buffer)
            precondition(buffer.count == start + GRPCMessageReader.prefixBytes + payloadSize,
                         "sendMessage: write appended \(buffer.count - start - 5) bytes, promised \(payloadSize)")
        }
    }

    /// Finishes the call with `grpc-status` / `grpc-message` trailers (the message
    /// percent-encoded); a trailers-only response if no message was sent. Idempotent; a no-op on a
    /// cancelled or unknown call.
    public func finish(_ call: GRPCCallID, status: GRPCStatus) {
        guard let state = calls[call.streamID], !state.isFinished else { return }
        state.isFinished = true
        let code = HTTP2HeaderField("grpc-status", String(status.code.rawValue))
        let message = HTTP2HeaderField("grpc-message", GRPCStatus.percentEncoded(status.message))
        if state.hasSentHeaders {
            session.endResponse(streamID: call.streamID, trailers: [code, message])
        } else {
            session.submitResponse(streamID: call.streamID, headers: [
                HTTP2HeaderField(":status", "200"),
                HTTP2HeaderField("content-type", state.responseContentType),
                code, message,
            ], endStream: true)
        }
    }

    /// Starts the answer to a plain request: its status and header fields (lower-case names).
    public func startPlainResponse(_ call: GRPCCallID, status: Int, headers: [(name: String, value: String)]) {
        guard plainStreams[call.streamID] == false else { return }
        session.submitResponse(streamID: call.streamID,
                               headers: [HTTP2HeaderField(":status", String(status))]
                                   + headers.map { HTTP2HeaderField($0.name, $0.value) },
                               endStream: false)
    }

    /// Queues body bytes of a plain request's answer.
    public func appendPlainBody(_ call: GRPCCallID, _ bytes: [UInt8]) {
        guard plainStreams[call.streamID] == false, !bytes.isEmpty else { return }
        session.appendBody(streamID: call.streamID) { $0.append(contentsOf: bytes) }
    }

    /// Ends a plain request's answer (END_STREAM once the body is sent).
    public func endPlainResponse(_ call: GRPCCallID) {
        guard plainStreams[call.streamID] == false else { return }
        plainStreams[call.streamID] = true
        session.endResponse(streamID: call.streamID, trailers: [])
    }

    /// Response bytes queued on a call but not yet taken by nghttp2 (flow control holds them back
    /// while the client does not read). For back-pressure on slow watchers. 0 for unknown calls.
    public func pendingOutboundBytes(_ call: GRPCCallID) -> Int {
        session.pendingOutboundBytes(streamID: call.streamID)
    }

    // MARK: Output and lifetime

    /// Appends all bytes to send now to `buffer`, batched; stops early once `buffer.count` reaches
    /// `limitBytes` (then `wantsWrite` stays true).
    public func output(into buffer: inout [UInt8], limitBytes: Int = Int.max) {
        session.output(into: &buffer, limitBytes: limitBytes)
        processSessionEvents()
    }

    /// There are bytes to send (`nghttp2_session_want_write`).
    public var wantsWrite: Bool { session.wantsWrite }

    /// Neither side has anything more to say: close the socket.
    public var isFinished: Bool { session.isFinished }

    /// Graceful shutdown: GOAWAY naming the last stream seen; running calls may finish.
    public func goAway() { session.goAway() }

    /// The socket is gone (EOF, error, or closed after `isFinished` / a false `receive`): reports
    /// `.cancelled` for every call the server has not finished, in stream order, and forgets all
    /// calls. Idempotent.
    public func connectionLost() {
        for streamID in calls.keys.sorted() where !calls[streamID]!.isFinished {
            events.append(.cancelled(GRPCCallID(streamID: streamID)))
        }
        calls.removeAll()
    }

    /// Calls still tracked (stream open). For tests and metrics.
    public var openCallCount: Int { calls.count }

    // MARK: From HTTP/2 events to gRPC events

    private func processSessionEvents() {
        session.drainEvents { event in
            switch event {
            case .requestHeaders(let streamID, let block, let endStream, let isOverLimit):
                startCall(streamID: streamID, block: block, endStream: endStream, isOverLimit: isOverLimit)
            case .data(let streamID, let range):
                receiveBody(streamID: streamID, range: range)
            case .trailers(let streamID, let endStream):
                if endStream { receiveEndOfStream(streamID: streamID) }
            case .endStream(let streamID):
                receiveEndOfStream(streamID: streamID)
            case .streamClosed(let streamID, _):
                if let hasEnded = plainStreams.removeValue(forKey: streamID) {
                    if !hasEnded { events.append(.cancelled(GRPCCallID(streamID: streamID))) }
                    return
                }
                guard let state = calls.removeValue(forKey: streamID) else { return }
                if !state.isFinished { events.append(.cancelled(GRPCCallID(streamID: streamID))) }
            }
        }
    }

    private func startCall(streamID: Int32, block: HTTP2HeaderBlock, endStream: Bool, isOverLimit: Bool) {
        if isOverLimit {
            session.resetStream(streamID: streamID, errorCode: .frameSizeError)
            return
        }
        var parser = GRPCRequestHeadParser()
        session.forEachHeaderField(in: block) { parser.add(name: $0, value: $1) }
        let id = GRPCCallID(streamID: streamID)
        if acceptsPlainHTTP && !parser.isGRPC {
            startPlainRequest(id, block: block, endStream: endStream)
            return
        }
        switch parser.verdict() {
        case .reset(let code):
            session.resetStream(streamID: streamID, errorCode: code)
        case .refused(let status, let contentType):
            calls[streamID] = GRPCServerCall(responseContentType: contentType,
                                             maxMessageBytes: configuration.maxReceiveMessageBytes)
            finish(id, status: status)
        case .accepted(let head):
            calls[streamID] = GRPCServerCall(responseContentType: head.responseContentType,
                                             maxMessageBytes: configuration.maxReceiveMessageBytes)
            events.append(.callStarted(id, path: head.path, timeoutNanoseconds: head.timeoutNanoseconds,
                                       metadata: head.metadata))
            if endStream { events.append(.halfClosed(id)) }
        }
    }

    private func receiveBody(streamID: Int32, range: Range<Int>) {
        if plainStreams[streamID] != nil {
            let bytes = session.withReceivedData(range) { Array($0) }
            events.append(.plainBody(GRPCCallID(streamID: streamID), bytes))
            return
        }
        guard let state = calls[streamID], !state.isFinished else { return }
        let id = GRPCCallID(streamID: streamID)
        let failure = session.withReceivedData(range) { bytes -> GRPCStatus? in
            do throws(GRPCStatus) {
                try state.reader.consume(bytes) { events.append(.message(id, $0)) }
                return nil
            } catch {
                return error
            }
        }
        if let failure { failCall(id, failure) }
    }

    private func receiveEndOfStream(streamID: Int32) {
        if plainStreams[streamID] != nil {
            events.append(.halfClosed(GRPCCallID(streamID: streamID)))
            return
        }
        guard let state = calls[streamID], !state.isFinished else { return }
        let id = GRPCCallID(streamID: streamID)
        if state.reader.hasPartialMessage {
            // grpc-go reads the cut-short message as io.ErrUnexpectedEOF and answers with it.
            failCall(id, GRPCStatus(.unknown, "unexpected EOF"))
        } else {
            events.append(.halfClosed(id))
        }
    }

    private func startPlainRequest(_ id: GRPCCallID, block: HTTP2HeaderBlock, endStream: Bool) {
        var head = PlainHTTPRequestHead(method: "", target: "", headers: [])
        session.forEachHeaderField(in: block) { name, value in
            let name = String(decoding: name, as: UTF8.self)
            let value = String(decoding: value, as: UTF8.self)
            switch name {
            case ":method": head.method = value
            case ":path": head.target = value
            case _ where name.hasPrefix(":"): break
            default: head.headers.append((name, value))
            }
        }
        plainStreams[id.streamID] = false
        events.append(.plainRequest(id, head))
        if endStream { events.append(.halfClosed(id)) }
    }

    /// The connection layer ends a started call itself: send `status`, tell the server to drop it.
    private func failCall(_ id: GRPCCallID, _ status: GRPCStatus) {
        finish(id, status: status)
        events.append(.cancelled(id))
    }
}

/// Per-call state of a `GRPCServerConnection`: a class so message reassembly mutates in place
/// inside the calls dictionary.
final class GRPCServerCall {
    let responseContentType: String
    var reader: GRPCMessageReader
    /// Response HEADERS submitted (a message was sent).
    var hasSentHeaders = false
    /// `finish` ran (by the server, or by the connection failing the call): no more events or output.
    var isFinished = false

    init(responseContentType: String, maxMessageBytes: Int) {
        self.responseContentType = responseContentType
        self.reader = GRPCMessageReader(maxMessageBytes: maxMessageBytes)
    }
}
