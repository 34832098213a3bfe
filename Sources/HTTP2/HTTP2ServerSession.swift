import CNghttp2

/// The server side of one HTTP/2 connection, sans I/O: bytes read from the socket go in through
/// `receive`, what the client did comes out as `HTTP2Event`s, and bytes to write come out of
/// `output(into:)`. No sockets, threads or clocks: the event loop that owns the connection drives it.
///
/// nghttp2 does the protocol work (framing, HPACK, flow control, SETTINGS, PING replies, stream
/// states, RST_STREAM and GOAWAY). Its callbacks (in `HTTP2ServerSession+Callbacks.swift`) only
/// record events and copy bytes out; this class and its owner act on them after
/// `nghttp2_session_mem_recv` / `nghttp2_session_mem_send` return, so no application code ever runs
/// inside nghttp2. The session is passed to nghttp2 as unretained `user_data`: it owns the
/// `nghttp2_session` and deletes it in `deinit`, so the pointer can never outlive it.
///
/// Responses: `submitResponse` sends HEADERS (with a data provider unless the response is
/// header-only), `appendBody` queues DATA bytes, `endResponse` queues trailers that go out once the
/// queued bytes drained (DATA with NO_END_STREAM, then a HEADERS frame with END_STREAM). When the
/// client has not finished its request by then, the session follows the response with
/// RST_STREAM(NO_ERROR), as RFC 9113 §8.1 allows and grpc-go does.
///
/// Not thread-safe: one owner (an event loop) calls everything.
public final class HTTP2ServerSession {
    /// The nghttp2 session; created in `init`, deleted in `deinit`.
    private var session: OpaquePointer!
    let settings: HTTP2Settings

    /// Streams the client opened and that nghttp2 has not closed yet.
    var streams: [Int32: HTTP2Stream] = [:]

    /// Events recorded by callbacks since the last `drainEvents`; `spareEvents` is the second half
    /// of a double buffer so draining does not allocate.
    var events: [HTTP2Event] = []
    private var spareEvents: [HTTP2Event] = []

    /// Received header fields: bytes of names and values back to back, and where each field is.
    /// Valid until the next `receive`, except an unfinished header block, which is kept.
    var headerBytes: [UInt8] = []
    var headerFields: [HeaderFieldSpan] = []
    /// The header block being received (between a HEADERS frame and its END_HEADERS).
    var openHeaderBlock: OpenHeaderBlock?

    /// DATA payload received during the current `receive`; `.data` events index into it.
    /// Bounded by the size of the input given to `receive`.
    var receivedData: [UInt8] = []

    /// Streams whose response ended while the client was still sending: they get RST_STREAM
    /// (NO_ERROR) once the END_STREAM frame has been written.
    var streamsAwaitingReset: [Int32] = []

    /// Scratch for building nghttp2 name/value arrays; reused to avoid allocating per submission.
    private var nameValueBytes: [UInt8] = []
    private var nameValueScratch: [nghttp2_nv] = []

    /// nghttp2 reported a fatal error (bad preface, out of memory, flood): the connection is done.
    public private(set) var hasFailed = false

    /// Where one header field sits in `headerBytes`: name, then value, back to back.
    struct HeaderFieldSpan {
        var start: Int
        var nameCount: Int
        var valueCount: Int
    }

    /// Bookkeeping for the header block being received.
    struct OpenHeaderBlock {
        var streamID: Int32
        var firstField: Int
        var firstByte: Int
        /// RFC 9113 header list size so far (name + value + 32 per field).
        var listBytes: Int
        var isOverLimit: Bool
    }

    /// Creates the session and queues the server preface: SETTINGS (max concurrent streams,
    /// initial stream window) and a connection WINDOW_UPDATE up to `settings.connectionWindowBytes`.
    public init(settings: HTTP2Settings = HTTP2Settings()) {
        self.settings = settings
        var callbacks: OpaquePointer?
        precondition(nghttp2_session_callbacks_new(&callbacks) == 0, "nghttp2: out of memory")
        defer { nghttp2_session_callbacks_del(callbacks) }
        Self.installCallbacks(callbacks)

        var option: OpaquePointer?
        precondition(nghttp2_option_new(&option) == 0, "nghttp2: out of memory")
        defer { nghttp2_option_del(option) }
        // Closed streams are not kept for priority bookkeeping: gRPC does not use priorities.
        nghttp2_option_set_no_closed_streams(option, 1)
        // HTTP messaging rules are grpc-go's to apply, not nghttp2's: nghttp2 resets a stream
        // whose :authority is not an RFC 3986 authority, and etcdctl's --cluster commands send
        // a member's client URL there (`http://127.0.0.1:2379`), which grpc-go serves. What
        // grpc-go does check (content-type, grpc-timeout, field names) GRPCRequestHead checks.
        nghttp2_option_set_no_http_messaging(option, 1)

        var created: OpaquePointer?
        let userData = Unmanaged.passUnretained(self).toOpaque()
        precondition(nghttp2_session_server_new2(&created, callbacks, userData, option) == 0,
                     "nghttp2: cannot create server session")
        session = created
        submitPreface()
    }

    deinit {
        nghttp2_session_del(session)
    }

    private func submitPreface() {
        var entries = [
            nghttp2_settings_entry(settings_id: Int32(NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS.rawValue),
                                   value: settings.maxConcurrentStreams),
            nghttp2_settings_entry(settings_id: Int32(NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE.rawValue),
                                   value: UInt32(settings.initialStreamWindowBytes)),
        ]
        let rv = nghttp2_submit_settings(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), &entries, entries.count)
        precondition(rv == 0, "nghttp2_submit_settings failed: \(rv)")
        if settings.connectionWindowBytes != HTTP2Settings.windowBytesInitial {
            let rv = nghttp2_session_set_local_window_size(
                session, UInt8(NGHTTP2_FLAG_NONE.rawValue), 0, Int32(settings.connectionWindowBytes))
            precondition(rv == 0, "nghttp2_session_set_local_window_size failed: \(rv)")
        }
    }

    // MARK: Input

    /// Parses bytes read from the socket and returns how many it consumed: all of them, unless it
    /// paused because the recorded headers and data reached `settings.receiveBatchBytesMax`; then
    /// the caller drains the events and calls again with the rest. Returns nil when the connection
    /// must be closed (a bad client preface, or another fatal error); the caller should still
    /// flush `output(into:)`.
    ///
    /// Precondition: the events of the previous call were drained (`drainEvents`), because the
    /// storage they refer to is reused here.
    public func receive(_ bytes: UnsafeRawBufferPointer) -> Int? {
        precondition(events.isEmpty, "drain HTTP2 events before receiving more bytes")
        guard !hasFailed else { return nil }
        releaseReceivedStorage()
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return 0 }
        let consumed = nghttp2_session_mem_recv(session, base.assumingMemoryBound(to: UInt8.self), bytes.count)
        if consumed < 0 {
            hasFailed = true
            return nil
        }
        return consumed
    }

    /// Recorded bytes that `receiveBatchBytesMax` counts: DATA, and completed header blocks (the
    /// open block is bounded by `maxHeaderListBytes` instead, and must stay whole).
    var recordedBatchBytes: Int {
        receivedData.count + (openHeaderBlock?.firstByte ?? headerBytes.count)
    }

    /// Forgets received headers and data whose events were already drained, keeping an unfinished
    /// header block (its CONTINUATION frames may arrive in a later read).
    private func releaseReceivedStorage() {
        receivedData.removeAll(keepingCapacity: true)
        if var block = openHeaderBlock {
            headerBytes.removeSubrange(0..<block.firstByte)
            headerFields.removeSubrange(0..<block.firstField)
            for index in headerFields.indices { headerFields[index].start -= block.firstByte }
            block.firstByte = 0
            block.firstField = 0
            openHeaderBlock = block
        } else {
            headerBytes.removeAll(keepingCapacity: true)
            headerFields.removeAll(keepingCapacity: true)
        }
    }

    /// Hands every recorded event to `body`, in order, then forgets them. `body` may submit
    /// responses, queue bytes and read header/data storage, but must not call `receive`.
    public func drainEvents(_ body: (HTTP2Event) -> Void) {
        while !events.isEmpty {
            var batch = events
            events = spareEvents
            spareEvents = []  // `events` must own its storage alone, or appending would copy it
            for event in batch { body(event) }
            batch.removeAll(keepingCapacity: true)
            spareEvents = batch
        }
    }

    /// Calls `body` with the name and value bytes of each field of `block`, in received order.
    /// The buffers are only valid inside `body`.
    public func forEachHeaderField(in block: HTTP2HeaderBlock,
                                   _ body: (UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<UInt8>) -> Void) {
        headerBytes.withUnsafeBufferPointer { bytes in
            for index in block.fields {
                let field = headerFields[index]
                let name = UnsafeBufferPointer(rebasing: bytes[field.start..<(field.start + field.nameCount)])
                let valueStart = field.start + field.nameCount
                let value = UnsafeBufferPointer(rebasing: bytes[valueStart..<(valueStart + field.valueCount)])
                body(name, value)
            }
        }
    }

    /// Calls `body` with the received DATA bytes of a `.data` event's range.
    public func withReceivedData<Result>(_ range: Range<Int>,
                                         _ body: (UnsafeRawBufferPointer) -> Result) -> Result {
        precondition(range.upperBound <= receivedData.count, "stale data range: events must be drained before receive")
        return receivedData.withUnsafeBytes { body(UnsafeRawBufferPointer(rebasing: $0[range])) }
    }

    // MARK: Output

    /// Appends everything nghttp2 wants to send now to `buffer` (all frames batched into one
    /// buffer), stopping early once `buffer` holds at least `limitBytes`; `wantsWrite` then stays
    /// true. Stream closes observed while sending are recorded as events.
    public func output(into buffer: inout [UInt8], limitBytes: Int = Int.max) {
        guard !hasFailed else { return }
        while buffer.count < limitBytes {
            var chunk: UnsafePointer<UInt8>?
            let count = nghttp2_session_mem_send(session, &chunk)
            if count < 0 {
                hasFailed = true
                return
            }
            if count == 0 {
                if submitAwaitedResets() { continue }
                return
            }
            buffer.append(contentsOf: UnsafeBufferPointer(start: chunk, count: count))
        }
    }

    /// Submits RST_STREAM(NO_ERROR) for streams whose response has been written while the client
    /// was still sending. Returns whether it submitted any.
    private func submitAwaitedResets() -> Bool {
        var submitted = false
        for id in streamsAwaitingReset {
            guard let stream = streams[id], !stream.isRemoteClosed else { continue }
            nghttp2_submit_rst_stream(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), id,
                                      HTTP2ErrorCode.noError.rawValue)
            submitted = true
        }
        streamsAwaitingReset.removeAll(keepingCapacity: true)
        return submitted
    }

    /// nghttp2 still expects input (`nghttp2_session_want_read`): false after a fatal error, a
    /// connection error (GOAWAY queued), or a GOAWAY once no stream is left.
    public var wantsRead: Bool {
        !hasFailed && nghttp2_session_want_read(session) != 0
    }

    /// nghttp2 has frames to send (`nghttp2_session_want_write`).
    public var wantsWrite: Bool {
        guard !hasFailed else { return false }
        return nghttp2_session_want_write(session) != 0 || !streamsAwaitingReset.isEmpty
    }

    /// The connection is over: nghttp2 wants neither to read nor to write (after GOAWAY and the
    /// last stream, or a fatal error). The caller closes the socket.
    public var isFinished: Bool {
        !wantsRead && !wantsWrite
    }

    /// Graceful shutdown: GOAWAY(NO_ERROR) naming the last stream the server has seen. Streams up
    /// to it run to completion; newer ones are ignored; `isFinished` turns true when all are done.
    public func goAway() {
        guard !hasFailed else { return }
        let lastStreamID = nghttp2_session_get_last_proc_stream_id(session)
        nghttp2_submit_goaway(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), lastStreamID,
                              HTTP2ErrorCode.noError.rawValue, nil, 0)
    }

    // MARK: Responses

    /// Submits the response HEADERS for a stream. With `endStream` the response is header-only
    /// (END_STREAM on this frame); otherwise DATA and trailers follow through `appendBody` and
    /// `endResponse`. Returns false, doing nothing, if the stream is closed or already responded.
    @discardableResult
    public func submitResponse(streamID: Int32, headers: [HTTP2HeaderField], endStream: Bool) -> Bool {
        guard let stream = streams[streamID], !stream.hasResponseWithBody, !stream.hasEndedResponse else {
            return false
        }
        let rv: Int32
        if endStream {
            stream.hasEndedResponse = true
            rv = withNameValues(headers) { nghttp2_submit_response(session, streamID, $0, $1, nil) }
        } else {
            stream.hasResponseWithBody = true
            var provider = nghttp2_data_provider(source: nghttp2_data_source(ptr: nil),
                                                 read_callback: readStreamOutbound)
            rv = withNameValues(headers) { nghttp2_submit_response(session, streamID, $0, $1, &provider) }
        }
        return rv == 0
    }

    /// Lets `write` append response body bytes to the stream's outbound queue, in place. Returns
    /// false, without calling `write`, if the stream is closed, has no body-bearing response, or
    /// its response already ended.
    @discardableResult
    public func appendBody(streamID: Int32, _ write: (inout [UInt8]) -> Void) -> Bool {
        guard let stream = streams[streamID], stream.hasResponseWithBody, !stream.hasEndedResponse else {
            return false
        }
        write(&stream.outbound)
        resumeIfDeferred(stream)
        return true
    }

    /// Ends the response: once the queued body bytes are sent, `trailers` follow in a HEADERS frame
    /// with END_STREAM (or, with no trailers, the last DATA frame carries END_STREAM).
    /// Returns false if the stream is closed, has no body-bearing response, or already ended.
    @discardableResult
    public func endResponse(streamID: Int32, trailers: [HTTP2HeaderField]) -> Bool {
        guard let stream = streams[streamID], stream.hasResponseWithBody, !stream.hasEndedResponse else {
            return false
        }
        stream.hasEndedResponse = true
        stream.pendingTrailers = trailers
        resumeIfDeferred(stream)
        return true
    }

    /// Resets a stream (RST_STREAM with `errorCode`). Queued body bytes are dropped.
    public func resetStream(streamID: Int32, errorCode: HTTP2ErrorCode) {
        if let stream = streams[streamID] {
            stream.hasEndedResponse = true
            stream.outbound = []
            stream.outboundReadIndex = 0
        }
        nghttp2_submit_rst_stream(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), streamID, errorCode.rawValue)
    }

    /// Response body bytes queued on a stream and not yet taken by nghttp2 (0 for unknown streams).
    public func pendingOutboundBytes(streamID: Int32) -> Int {
        streams[streamID]?.pendingOutboundBytes ?? 0
    }

    /// Whether the client has ended its side of the stream (sent END_STREAM).
    public func isRemoteClosed(streamID: Int32) -> Bool {
        streams[streamID]?.isRemoteClosed ?? true
    }

    private func resumeIfDeferred(_ stream: HTTP2Stream) {
        guard stream.isDeferred else { return }
        stream.isDeferred = false
        nghttp2_session_resume_data(session, stream.id)
    }

    /// Builds an `nghttp2_nv` array over `fields` for the duration of `body` (nghttp2 copies it
    /// during submission).
    func withNameValues<Result>(_ fields: [HTTP2HeaderField],
                                _ body: (UnsafePointer<nghttp2_nv>, Int) -> Result) -> Result {
        precondition(!fields.isEmpty, "a header block needs at least one field")
        var bytes = nameValueBytes
        nameValueBytes = []
        bytes.removeAll(keepingCapacity: true)
        for field in fields {
            bytes.append(contentsOf: field.name.utf8)
            bytes.append(contentsOf: field.value.utf8)
        }
        bytes.append(0)  // never empty, so the buffer below always has a base address
        var nameValues = nameValueScratch
        nameValueScratch = []
        nameValues.removeAll(keepingCapacity: true)
        let result = bytes.withUnsafeMutableBufferPointer { buffer in
            var offset = 0
            for field in fields {
                let nameCount = field.name.utf8.count
                let valueCount = field.value.utf8.count
                let name = buffer.baseAddress! + offset
                nameValues.append(nghttp2_nv(name: name, value: name + nameCount, namelen: nameCount,
                                             valuelen: valueCount, flags: UInt8(NGHTTP2_NV_FLAG_NONE.rawValue)))
                offset += nameCount + valueCount
            }
            return nameValues.withUnsafeBufferPointer { body($0.baseAddress!, $0.count) }
        }
        nameValueBytes = bytes
        nameValues.removeAll(keepingCapacity: true)  // drop pointers into `bytes`
        nameValueScratch = nameValues
        return result
    }

    /// Submits trailers from inside the data source callback (nghttp2 documents this as allowed).
    func submitTrailer(streamID: Int32, _ trailers: [HTTP2HeaderField]) -> Int32 {
        withNameValues(trailers) { nghttp2_submit_trailer(session, streamID, $0, $1) }
    }
}
