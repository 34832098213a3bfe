// One side of an HTTP/1.1 peer connection, reading: bytes in, heads and body pieces out.

/// Reads a sequence of HTTP/1.1 messages (requests on the serving side, responses on the dialing
/// side) from one connection, keep-alive included: after `.end` the next head follows.
///
/// Sans-I/O: `append` what the socket delivered, then call `next()` until nil. When the socket
/// reports end-of-stream call `connectionClosed()`. Body data is handed out in pieces of at most
/// `bodyPieceBytesMax` as it arrives, so a long-lived stream or a snapshot is never held whole.
public struct PeerHTTPReader: Sendable {
    /// Which messages this side reads.
    public enum Role: Sendable {
        /// The serving side: reads requests.
        case server
        /// The dialing side: reads responses (to GET or POST; peers never send HEAD).
        case client
    }

    public enum Event: Sendable, Equatable {
        case requestHead(PeerHTTPRequestHead)
        case responseHead(PeerHTTPResponseHead)
        /// A piece of the current message's body (de-chunked).
        case body(ArraySlice<UInt8>)
        /// The current message's body is complete.
        case end
    }

    /// Largest request/status line plus header fields accepted. Peer heads are under 400 bytes;
    /// this leaves room for long X-PeerURLs lists while refusing a peer that never ends its head.
    public static let headBytesMax = 64 * 1024
    /// Largest body piece one `.body` event carries.
    public static let bodyPieceBytesMax = 64 * 1024

    private enum State: Sendable {
        case head
        case body(PeerHTTPBodyFraming, remaining: UInt64, chunked: PeerChunkedDecoder)
        case closed
    }

    public let role: Role
    private var buffer = PeerReadBuffer()
    private var state = State.head
    /// Where the search for the blank line resumes, so a head arriving in pieces is scanned once.
    private var headScanOffset = 0

    public init(role: Role) {
        self.role = role
    }

    /// Bytes appended and not yet handed out.
    public var bufferedByteCount: Int { buffer.count }

    public mutating func append(_ bytes: some Collection<UInt8>) {
        buffer.append(contentsOf: bytes)
    }

    /// The next head, body piece or end, or nil until more bytes arrive.
    public mutating func next() throws(PeerHTTPError) -> Event? {
        switch state {
        case .head:
            return try nextHead()
        case .body(let framing, let remaining, var chunked):
            switch framing {
            case .none:
                state = .head
                return .end
            case .contentLength:
                guard !buffer.isEmpty else { return nil }
                let length = Int(min(UInt64(min(buffer.count, Self.bodyPieceBytesMax)), remaining))
                let piece = buffer.slice(at: 0, length: length)
                buffer.consume(length)
                state = remaining == UInt64(length)
                    ? .body(.none, remaining: 0, chunked: chunked)
                    : .body(framing, remaining: remaining - UInt64(length), chunked: chunked)
                return .body(piece)
            case .chunked:
                let output = try chunked.next(from: &buffer, maxBytes: Self.bodyPieceBytesMax)
                switch output {
                case .data(let piece)?:
                    state = .body(.chunked, remaining: 0, chunked: chunked)
                    return .body(piece)
                case .end?:
                    state = .head
                    return .end
                case nil:
                    state = .body(.chunked, remaining: 0, chunked: chunked)
                    return nil
                }
            case .untilClose:
                guard !buffer.isEmpty else { return nil }
                let length = min(buffer.count, Self.bodyPieceBytesMax)
                let piece = buffer.slice(at: 0, length: length)
                buffer.consume(length)
                return .body(piece)
            }
        case .closed:
            return nil
        }
    }

    /// The peer closed the connection: ends a close-delimited body, or throws `truncated` if a
    /// message was cut short. Call after draining `next()`.
    public mutating func connectionClosed() throws(PeerHTTPError) -> Event? {
        defer { state = .closed }
        switch state {
        case .head:
            if !buffer.isEmpty { throw .truncated }
            return nil
        case .body(.untilClose, _, _):
            return .end
        case .body(.none, _, _):
            return .end
        case .body:
            throw .truncated
        case .closed:
            return nil
        }
    }

    private mutating func nextHead() throws(PeerHTTPError) -> Event? {
        guard let blank = buffer.firstIndex(of: [0x0D, 0x0A, 0x0D, 0x0A], from: max(headScanOffset - 3, 0)) else {
            if buffer.count > Self.headBytesMax { throw .headTooLarge(limit: Self.headBytesMax) }
            headScanOffset = buffer.count
            return nil
        }
        guard blank + 4 <= Self.headBytesMax else { throw .headTooLarge(limit: Self.headBytesMax) }
        let head = buffer.slice(at: 0, length: blank)
        let event: Event
        let framing: PeerHTTPBodyFraming
        switch role {
        case .server:
            let request = try PeerHTTPRequestHead(parsing: head)
            framing = try .ofRequest(request)
            event = .requestHead(request)
        case .client:
            let response = try PeerHTTPResponseHead(parsing: head)
            framing = try .ofResponse(response)
            event = .responseHead(response)
        }
        buffer.consume(blank + 4)
        headScanOffset = 0
        var remaining: UInt64 = 0
        if case .contentLength(let length) = framing { remaining = length }
        state = .body(framing, remaining: remaining, chunked: PeerChunkedDecoder())
        return event
    }
}
