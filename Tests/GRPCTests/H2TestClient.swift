import CNghttp2
import GRPC
import HTTP2

/// A gRPC-over-HTTP/2 test client built on an nghttp2 CLIENT session, wired to a
/// `GRPCServerConnection` through in-memory byte pipes: client mem_send → server.receive →
/// server.output → client mem_recv. It records every response frame per stream so tests can assert
/// exactly what went over the wire.
final class H2TestClient {
    private var session: OpaquePointer!
    let server: GRPCServerConnection

    /// What the client saw on one stream.
    struct StreamRecord {
        var responseHeaders: [HTTP2HeaderField] = []
        var trailers: [HTTP2HeaderField] = []
        var hasEndStreamOnHeaders = false
        var headerFrameCount = 0
        var data: [UInt8] = []
        var dataFrameCount = 0
        var resetCode: HTTP2ErrorCode?
        var closeCode: HTTP2ErrorCode?
        var isClosed = false
    }

    var streams: [Int32: StreamRecord] = [:]
    /// Request bodies still to send: bytes, how far sent, whether END_STREAM follows them.
    private var bodies: [Int32: (bytes: [UInt8], sent: Int, endStream: Bool, deferred: Bool)] = [:]
    /// Largest DATA payload the client writes per frame (to split messages across frames).
    var dataChunkLimit = 16_384
    /// Bytes per `server.receive` call (to split frames across socket reads).
    var serverReadSize = Int.max

    private(set) var windowUpdatesReceived = 0
    private(set) var pingAcksReceived = 0
    private(set) var goAway: (lastStreamID: Int32, errorCode: HTTP2ErrorCode)?
    private(set) var serverMaxConcurrentStreams: UInt32?
    /// Header blocks being received: stream → (fields, is trailers).
    private var pendingHeaders: [Int32: [HTTP2HeaderField]] = [:]
    private(set) var serverAcceptsInput = true

    init(server: GRPCServerConnection, windowBytes: Int? = nil) {
        self.server = server
        var callbacks: OpaquePointer?
        nghttp2_session_callbacks_new(&callbacks)
        defer { nghttp2_session_callbacks_del(callbacks) }
        nghttp2_session_callbacks_set_on_header_callback(callbacks, clientOnHeader)
        nghttp2_session_callbacks_set_on_frame_recv_callback(callbacks, clientOnFrameReceived)
        nghttp2_session_callbacks_set_on_data_chunk_recv_callback(callbacks, clientOnData)
        nghttp2_session_callbacks_set_on_stream_close_callback(callbacks, clientOnStreamClose)
        var created: OpaquePointer?
        nghttp2_session_client_new(&created, callbacks, Unmanaged.passUnretained(self).toOpaque())
        session = created
        var entries: [nghttp2_settings_entry] = []
        if let windowBytes {
            entries.append(nghttp2_settings_entry(settings_id: Int32(NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE.rawValue),
                                                  value: UInt32(windowBytes)))
        }
        nghttp2_submit_settings(session, 0, entries, entries.count)
    }

    deinit { nghttp2_session_del(session) }

    // MARK: Requests

    /// Opens a gRPC call. `body` goes out as DATA; `endStream` ends the request after it.
    @discardableResult
    func startCall(path: String = "/etcdserverpb.KV/Range",
                   headers extra: [HTTP2HeaderField] = [],
                   contentType: String = "application/grpc",
                   body: [UInt8] = [], endStream: Bool = true, authority: String = "localhost:2379") -> Int32 {
        var fields = [HTTP2HeaderField(":method", "POST"), HTTP2HeaderField(":scheme", "http"),
                      HTTP2HeaderField(":path", path), HTTP2HeaderField(":authority", authority),
                      HTTP2HeaderField("content-type", contentType), HTTP2HeaderField("te", "trailers")]
        fields += extra
        var provider = nghttp2_data_provider(source: nghttp2_data_source(ptr: nil), read_callback: clientReadBody)
        let id = withNameValues(fields) { nghttp2_submit_request(session, nil, $0, $1, &provider, nil) }
        precondition(id > 0, "submit_request failed: \(id)")
        bodies[id] = (body, 0, endStream, false)
        streams[id] = StreamRecord()
        return id
    }

    /// Queues more request body bytes (and maybe END_STREAM) on an open call.
    func send(_ streamID: Int32, _ bytes: [UInt8], endStream: Bool = false) {
        bodies[streamID]!.bytes += bytes
        bodies[streamID]!.endStream = endStream
        if bodies[streamID]!.deferred {
            bodies[streamID]!.deferred = false
            nghttp2_session_resume_data(session, streamID)
        }
    }

    func ping() {
        nghttp2_submit_ping(session, 0, nil)
    }

    func reset(_ streamID: Int32, code: HTTP2ErrorCode = .cancel) {
        nghttp2_submit_rst_stream(session, 0, streamID, code.rawValue)
    }

    // MARK: Pumping

    /// Moves bytes both ways until neither side has anything to say, calling `handler` with the
    /// server's events after every server receive.
    /// With `drainsEvents: false` the server's events stay queued for the test to take.
    func pump(rounds: Int = 100_000, drainsEvents: Bool = true, handler: (GRPCServerEvent) -> Void = { _ in }) {
        for _ in 0..<rounds {
            var toServer: [UInt8] = []
            while true {
                var chunk: UnsafePointer<UInt8>?
                let count = nghttp2_session_mem_send(session, &chunk)
                precondition(count >= 0, "client mem_send failed: \(count)")
                if count == 0 { break }
                toServer.append(contentsOf: UnsafeBufferPointer(start: chunk, count: count))
            }
            var offset = 0
            while offset < toServer.count, serverAcceptsInput {
                let end = min(toServer.count, offset + serverReadSize)
                serverAcceptsInput = toServer[offset..<end].withUnsafeBytes { server.receive($0) }
                if drainsEvents { server.drainEvents(handler) }
                offset = end
            }
            var toClient: [UInt8] = []
            server.output(into: &toClient)
            if drainsEvents { server.drainEvents(handler) }
            if !toClient.isEmpty {
                let consumed = nghttp2_session_mem_recv(session, toClient, toClient.count)
                precondition(consumed == toClient.count, "client mem_recv failed: \(consumed)")
            }
            if toServer.isEmpty && toClient.isEmpty { return }
        }
        preconditionFailure("pump did not settle")
    }

    // MARK: Callback recording

    fileprivate func recordHeader(_ streamID: Int32, _ name: String, _ value: String) {
        pendingHeaders[streamID, default: []].append(HTTP2HeaderField(name, value))
    }

    fileprivate func recordFrame(_ frame: UnsafePointer<nghttp2_frame>) {
        let streamID = frame.pointee.hd.stream_id
        let endStream = frame.pointee.hd.flags & UInt8(NGHTTP2_FLAG_END_STREAM.rawValue) != 0
        switch UInt32(frame.pointee.hd.type) {
        case NGHTTP2_HEADERS.rawValue:
            let fields = pendingHeaders.removeValue(forKey: streamID) ?? []
            streams[streamID, default: StreamRecord()].headerFrameCount += 1
            if frame.pointee.headers.cat == NGHTTP2_HCAT_RESPONSE {
                streams[streamID]!.responseHeaders = fields
                streams[streamID]!.hasEndStreamOnHeaders = endStream
            } else {
                streams[streamID]!.trailers = fields
            }
        case NGHTTP2_DATA.rawValue:
            streams[streamID, default: StreamRecord()].dataFrameCount += 1
        case NGHTTP2_RST_STREAM.rawValue:
            streams[streamID, default: StreamRecord()].resetCode = HTTP2ErrorCode(rawValue: frame.pointee.rst_stream.error_code)
        case NGHTTP2_PING.rawValue:
            if frame.pointee.hd.flags & UInt8(NGHTTP2_FLAG_ACK.rawValue) != 0 { pingAcksReceived += 1 }
        case NGHTTP2_WINDOW_UPDATE.rawValue:
            windowUpdatesReceived += 1
        case NGHTTP2_GOAWAY.rawValue:
            goAway = (frame.pointee.goaway.last_stream_id, HTTP2ErrorCode(rawValue: frame.pointee.goaway.error_code))
        case NGHTTP2_SETTINGS.rawValue:
            let settings = frame.pointee.settings
            for index in 0..<settings.niv where settings.iv[index].settings_id == Int32(NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS.rawValue) {
                serverMaxConcurrentStreams = settings.iv[index].value
            }
        default:
            break
        }
    }

    fileprivate func recordData(_ streamID: Int32, _ bytes: UnsafeBufferPointer<UInt8>) {
        streams[streamID, default: StreamRecord()].data.append(contentsOf: bytes)
    }

    fileprivate func recordClose(_ streamID: Int32, _ code: UInt32) {
        streams[streamID, default: StreamRecord()].isClosed = true
        streams[streamID]!.closeCode = HTTP2ErrorCode(rawValue: code)
    }

    fileprivate func readBody(_ streamID: Int32, _ buffer: UnsafeMutablePointer<UInt8>, _ length: Int,
                              _ flags: UnsafeMutablePointer<UInt32>) -> Int {
        guard var body = bodies[streamID] else { return Int(NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE.rawValue) }
        let count = min(length, dataChunkLimit, body.bytes.count - body.sent)
        body.bytes.withUnsafeBufferPointer { buffer.update(from: $0.baseAddress! + body.sent, count: count) }
        body.sent += count
        defer { bodies[streamID] = body }
        if body.sent == body.bytes.count {
            if body.endStream {
                flags.pointee |= NGHTTP2_DATA_FLAG_EOF.rawValue
                return count
            }
            if count == 0 {
                body.deferred = true
                return Int(NGHTTP2_ERR_DEFERRED.rawValue)
            }
        }
        return count
    }

    private func withNameValues<R>(_ fields: [HTTP2HeaderField], _ body: (UnsafePointer<nghttp2_nv>, Int) -> R) -> R {
        var bytes: [UInt8] = [0]
        for field in fields { bytes += Array(field.name.utf8) + Array(field.value.utf8) }
        return bytes.withUnsafeMutableBufferPointer { buffer in
            var nameValues: [nghttp2_nv] = []
            var offset = 1
            for field in fields {
                let name = buffer.baseAddress! + offset
                let nameCount = field.name.utf8.count
                let valueCount = field.value.utf8.count
                nameValues.append(nghttp2_nv(name: name, value: name + nameCount, namelen: nameCount,
                                             valuelen: valueCount, flags: 0))
                offset += nameCount + valueCount
            }
            return nameValues.withUnsafeBufferPointer { body($0.baseAddress!, $0.count) }
        }
    }
}

/// Builds a request body of gRPC length-prefixed messages.
func grpcFrame(_ payloads: [UInt8]..., compressed: Bool = false) -> [UInt8] {
    var bytes: [UInt8] = []
    for payload in payloads {
        let length = UInt32(payload.count)
        bytes += [compressed ? 1 : 0, UInt8(length >> 24), UInt8(length >> 16 & 0xff),
                  UInt8(length >> 8 & 0xff), UInt8(length & 0xff)]
        bytes += payload
    }
    return bytes
}

/// Splits a response body into its gRPC message payloads.
func grpcMessages(_ body: [UInt8]) -> [[UInt8]] {
    var messages: [[UInt8]] = []
    var index = 0
    while index + 5 <= body.count {
        let length = Int(body[index + 1]) << 24 | Int(body[index + 2]) << 16 | Int(body[index + 3]) << 8 | Int(body[index + 4])
        messages.append(Array(body[(index + 5)..<(index + 5 + length)]))
        index += 5 + length
    }
    precondition(index == body.count, "trailing partial message")
    return messages
}

private func client(_ userData: UnsafeMutableRawPointer?) -> H2TestClient {
    Unmanaged<H2TestClient>.fromOpaque(userData!).takeUnretainedValue()
}

private func clientOnHeader(_: OpaquePointer?, frame: UnsafePointer<nghttp2_frame>?,
                            name: UnsafePointer<UInt8>?, nameLength: Int,
                            value: UnsafePointer<UInt8>?, valueLength: Int,
                            flags: UInt8, userData: UnsafeMutableRawPointer?) -> Int32 {
    client(userData).recordHeader(frame!.pointee.hd.stream_id,
                                  String(decoding: UnsafeBufferPointer(start: name, count: nameLength), as: UTF8.self),
                                  String(decoding: UnsafeBufferPointer(start: value, count: valueLength), as: UTF8.self))
    return 0
}

private func clientOnFrameReceived(_: OpaquePointer?, frame: UnsafePointer<nghttp2_frame>?,
                                   userData: UnsafeMutableRawPointer?) -> Int32 {
    client(userData).recordFrame(frame!)
    return 0
}

private func clientOnData(_: OpaquePointer?, flags: UInt8, streamID: Int32, data: UnsafePointer<UInt8>?,
                          length: Int, userData: UnsafeMutableRawPointer?) -> Int32 {
    client(userData).recordData(streamID, UnsafeBufferPointer(start: data, count: length))
    return 0
}

private func clientOnStreamClose(_: OpaquePointer?, streamID: Int32, errorCode: UInt32,
                                 userData: UnsafeMutableRawPointer?) -> Int32 {
    client(userData).recordClose(streamID, errorCode)
    return 0
}

private func clientReadBody(_: OpaquePointer?, streamID: Int32, buffer: UnsafeMutablePointer<UInt8>?,
                            length: Int, flags: UnsafeMutablePointer<UInt32>?,
                            source: UnsafeMutablePointer<nghttp2_data_source>?,
                            userData: UnsafeMutableRawPointer?) -> Int {
    client(userData).readBody(streamID, buffer!, length, flags!)
}
