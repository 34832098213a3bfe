/// The server's per-stream outbound state: response bytes queued by the application and not yet
/// taken by nghttp2, and the trailers to send once they are drained.
///
/// nghttp2's data-source read callback pulls from `outbound`; when it finds nothing queued it
/// defers the stream (NGHTTP2_ERR_DEFERRED) and the session resumes it when more bytes or the
/// trailers arrive.
final class HTTP2Stream {
    let id: Int32
    /// Queued response body. Invariant: `outboundReadIndex <= outbound.count`; bytes before
    /// `outboundReadIndex` were already handed to nghttp2 and are dropped on compaction.
    var outbound: [UInt8] = []
    var outboundReadIndex = 0
    /// The response HEADERS were submitted with a data provider attached (DATA/trailers follow).
    var hasResponseWithBody = false
    /// The data provider returned NGHTTP2_ERR_DEFERRED and waits for `nghttp2_session_resume_data`.
    var isDeferred = false
    /// Trailers to submit after `outbound` drains; nil until the application ends the response.
    var pendingTrailers: [HTTP2HeaderField]?
    /// The application ended the response (trailers queued or a body-less response submitted).
    var hasEndedResponse = false
    /// The client sent END_STREAM.
    var isRemoteClosed = false

    /// Above this many already-sent bytes at the front of `outbound`, the buffer is compacted
    /// once more than half of it is sent, so a long-lived stream's buffer stays proportional to
    /// what is actually pending.
    static let compactionThresholdBytes = 64 * 1024

    init(id: Int32) { self.id = id }

    var pendingOutboundBytes: Int { outbound.count - outboundReadIndex }

    /// Copies up to `capacity` queued bytes to `destination` and returns how many it copied.
    func takeOutbound(into destination: UnsafeMutablePointer<UInt8>, capacity: Int) -> Int {
        let count = min(capacity, pendingOutboundBytes)
        guard count > 0 else { return 0 }
        outbound.withUnsafeBufferPointer { source in
            destination.update(from: source.baseAddress! + outboundReadIndex, count: count)
        }
        outboundReadIndex += count
        if outboundReadIndex == outbound.count {
            outbound.removeAll(keepingCapacity: true)
            outboundReadIndex = 0
        } else if outboundReadIndex > Self.compactionThresholdBytes && outboundReadIndex * 2 > outbound.count {
            outbound.removeSubrange(0..<outboundReadIndex)
            outboundReadIndex = 0
        }
        return count
    }
}
