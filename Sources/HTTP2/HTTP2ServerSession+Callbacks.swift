import CNghttp2

/// The nghttp2 callbacks of `HTTP2ServerSession`: the whole C boundary of the HTTP/2 layer.
///
/// Each callback finds the session through its unretained `user_data`, records what happened
/// (an `HTTP2Event`, copied header or DATA bytes, a stream to reset) and returns. None of them
/// calls back into application code: the session's owner acts on the recorded events after
/// `nghttp2_session_mem_recv` / `mem_send` return. The only nghttp2 call made from inside a callback
/// is `nghttp2_submit_trailer` from the data source read callback, which nghttp2 documents as the
/// way to end a body with trailers.
extension HTTP2ServerSession {
    static func installCallbacks(_ callbacks: OpaquePointer?) {
        nghttp2_session_callbacks_set_on_begin_headers_callback(callbacks, onBeginHeaders)
        nghttp2_session_callbacks_set_on_header_callback(callbacks, onHeader)
        nghttp2_session_callbacks_set_on_frame_recv_callback(callbacks, onFrameReceived)
        nghttp2_session_callbacks_set_on_data_chunk_recv_callback(callbacks, onDataChunkReceived)
        nghttp2_session_callbacks_set_on_stream_close_callback(callbacks, onStreamClose)
        nghttp2_session_callbacks_set_on_frame_send_callback(callbacks, onFrameSent)
    }

    // MARK: Recording (called only from the C functions below)

    func beginHeaderBlock(streamID: Int32, isRequest: Bool) {
        dropOpenHeaderBlock()
        openHeaderBlock = OpenHeaderBlock(streamID: streamID, firstField: headerFields.count,
                                          firstByte: headerBytes.count, listBytes: 0, isOverLimit: false)
        if isRequest {
            streams[streamID] = HTTP2Stream(id: streamID)
        }
    }

    /// Forgets a header block nghttp2 abandoned mid-way (it reset the stream over an invalid
    /// field, so no END_HEADERS will be reported for it).
    private func dropOpenHeaderBlock() {
        guard let abandoned = openHeaderBlock else { return }
        headerBytes.removeSubrange(abandoned.firstByte...)
        headerFields.removeSubrange(abandoned.firstField...)
        openHeaderBlock = nil
    }

    func recordHeaderField(name: UnsafeBufferPointer<UInt8>, value: UnsafeBufferPointer<UInt8>) {
        guard var block = openHeaderBlock, !block.isOverLimit else { return }
        // RFC 9113 §6.5.2: a field counts its name, its value and 32 bytes of overhead.
        block.listBytes += name.count + value.count + 32
        if block.listBytes > settings.maxHeaderListBytes {
            block.isOverLimit = true
            headerBytes.removeSubrange(block.firstByte...)
            headerFields.removeSubrange(block.firstField...)
        } else {
            headerFields.append(HeaderFieldSpan(start: headerBytes.count, nameCount: name.count,
                                                valueCount: value.count))
            headerBytes.append(contentsOf: name)
            headerBytes.append(contentsOf: value)
        }
        openHeaderBlock = block
    }

    func recordHeadersFrame(streamID: Int32, isRequest: Bool, endStream: Bool) {
        guard let block = openHeaderBlock, block.streamID == streamID else { return }
        openHeaderBlock = nil
        if endStream { streams[streamID]?.isRemoteClosed = true }
        if isRequest {
            let fields = block.isOverLimit ? block.firstField..<block.firstField
                                           : block.firstField..<headerFields.count
            events.append(.requestHeaders(streamID: streamID, block: HTTP2HeaderBlock(fields: fields),
                                          endStream: endStream, isOverLimit: block.isOverLimit))
        } else {
            // Client trailers carry nothing gRPC servers use; only their END_STREAM matters.
            headerBytes.removeSubrange(block.firstByte...)
            headerFields.removeSubrange(block.firstField...)
            events.append(.trailers(streamID: streamID, endStream: endStream))
        }
    }

    func recordDataChunk(streamID: Int32, _ chunk: UnsafeBufferPointer<UInt8>) {
        let start = receivedData.count
        receivedData.append(contentsOf: chunk)
        if case .data(let lastID, let lastRange)? = events.last, lastID == streamID, lastRange.upperBound == start {
            events[events.count - 1] = .data(streamID: streamID, range: lastRange.lowerBound..<receivedData.count)
        } else {
            events.append(.data(streamID: streamID, range: start..<receivedData.count))
        }
    }

    /// The batch budget is spent: make `nghttp2_session_mem_recv` return after this callback
    /// (nghttp2 supports NGHTTP2_ERR_PAUSE from header and data chunk callbacks).
    var shouldPauseReceiving: Bool { recordedBatchBytes >= settings.receiveBatchBytesMax }

    func recordEndOfData(streamID: Int32) {
        streams[streamID]?.isRemoteClosed = true
        events.append(.endStream(streamID: streamID))
    }

    func recordStreamClose(streamID: Int32, errorCode: UInt32) {
        if openHeaderBlock?.streamID == streamID { dropOpenHeaderBlock() }
        guard streams.removeValue(forKey: streamID) != nil else { return }
        events.append(.streamClosed(streamID: streamID, errorCode: HTTP2ErrorCode(rawValue: errorCode)))
    }

    func recordEndStreamSent(streamID: Int32) {
        if let stream = streams[streamID], !stream.isRemoteClosed {
            streamsAwaitingReset.append(streamID)
        }
    }

    /// Fills one DATA frame's payload from the stream's outbound queue. Returns the byte count,
    /// or NGHTTP2_ERR_DEFERRED when nothing is queued and the response has not ended.
    func readOutbound(streamID: Int32, into buffer: UnsafeMutablePointer<UInt8>, capacity: Int,
                      flags: UnsafeMutablePointer<UInt32>) -> Int {
        guard let stream = streams[streamID] else {
            return Int(NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE.rawValue)
        }
        let count = stream.takeOutbound(into: buffer, capacity: capacity)
        if stream.pendingOutboundBytes == 0, let trailers = stream.pendingTrailers {
            stream.pendingTrailers = nil
            flags.pointee |= NGHTTP2_DATA_FLAG_EOF.rawValue
            if !trailers.isEmpty {
                flags.pointee |= NGHTTP2_DATA_FLAG_NO_END_STREAM.rawValue
                if submitTrailer(streamID: streamID, trailers) != 0 {
                    return Int(NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE.rawValue)
                }
            }
            return count
        }
        if count == 0 {
            stream.isDeferred = true
            return Int(NGHTTP2_ERR_DEFERRED.rawValue)
        }
        return count
    }
}

// MARK: The C entry points. Each only forwards to a recording method above.

private func session(_ userData: UnsafeMutableRawPointer?) -> HTTP2ServerSession {
    Unmanaged<HTTP2ServerSession>.fromOpaque(userData!).takeUnretainedValue()
}

private func isHeadersFrame(_ frame: UnsafePointer<nghttp2_frame>) -> Bool {
    frame.pointee.hd.type == UInt8(NGHTTP2_HEADERS.rawValue)
}

private func hasEndStream(_ frame: UnsafePointer<nghttp2_frame>) -> Bool {
    frame.pointee.hd.flags & UInt8(NGHTTP2_FLAG_END_STREAM.rawValue) != 0
}

private func onBeginHeaders(_: OpaquePointer?, frame: UnsafePointer<nghttp2_frame>?,
                            userData: UnsafeMutableRawPointer?) -> Int32 {
    guard let frame, isHeadersFrame(frame) else { return 0 }
    session(userData).beginHeaderBlock(streamID: frame.pointee.hd.stream_id,
                                       isRequest: frame.pointee.headers.cat == NGHTTP2_HCAT_REQUEST)
    return 0
}

private func onHeader(_: OpaquePointer?, frame: UnsafePointer<nghttp2_frame>?,
                      name: UnsafePointer<UInt8>?, nameLength: Int,
                      value: UnsafePointer<UInt8>?, valueLength: Int,
                      flags: UInt8, userData: UnsafeMutableRawPointer?) -> Int32 {
    let session = session(userData)
    session.recordHeaderField(name: UnsafeBufferPointer(start: name, count: nameLength),
                              value: UnsafeBufferPointer(start: value, count: valueLength))
    return session.shouldPauseReceiving ? NGHTTP2_ERR_PAUSE.rawValue : 0
}

private func onFrameReceived(_: OpaquePointer?, frame: UnsafePointer<nghttp2_frame>?,
                             userData: UnsafeMutableRawPointer?) -> Int32 {
    guard let frame else { return 0 }
    let streamID = frame.pointee.hd.stream_id
    switch UInt32(frame.pointee.hd.type) {
    case NGHTTP2_HEADERS.rawValue:
        session(userData).recordHeadersFrame(streamID: streamID,
                                             isRequest: frame.pointee.headers.cat == NGHTTP2_HCAT_REQUEST,
                                             endStream: hasEndStream(frame))
    case NGHTTP2_DATA.rawValue:
        if hasEndStream(frame) { session(userData).recordEndOfData(streamID: streamID) }
    default:
        break
    }
    return 0
}

private func onDataChunkReceived(_: OpaquePointer?, flags: UInt8, streamID: Int32,
                                 data: UnsafePointer<UInt8>?, length: Int,
                                 userData: UnsafeMutableRawPointer?) -> Int32 {
    let session = session(userData)
    session.recordDataChunk(streamID: streamID, UnsafeBufferPointer(start: data, count: length))
    return session.shouldPauseReceiving ? NGHTTP2_ERR_PAUSE.rawValue : 0
}

private func onStreamClose(_: OpaquePointer?, streamID: Int32, errorCode: UInt32,
                           userData: UnsafeMutableRawPointer?) -> Int32 {
    session(userData).recordStreamClose(streamID: streamID, errorCode: errorCode)
    return 0
}

private func onFrameSent(_: OpaquePointer?, frame: UnsafePointer<nghttp2_frame>?,
                         userData: UnsafeMutableRawPointer?) -> Int32 {
    guard let frame, hasEndStream(frame) else { return 0 }
    let type = UInt32(frame.pointee.hd.type)
    if type == NGHTTP2_HEADERS.rawValue || type == NGHTTP2_DATA.rawValue {
        session(userData).recordEndStreamSent(streamID: frame.pointee.hd.stream_id)
    }
    return 0
}

/// The data source read callback used for every response body.
func readStreamOutbound(_: OpaquePointer?, streamID: Int32, buffer: UnsafeMutablePointer<UInt8>?,
                        length: Int, flags: UnsafeMutablePointer<UInt32>?,
                        source: UnsafeMutablePointer<nghttp2_data_source>?,
                        userData: UnsafeMutableRawPointer?) -> Int {
    session(userData).readOutbound(streamID: streamID, into: buffer!, capacity: length, flags: flags!)
}
