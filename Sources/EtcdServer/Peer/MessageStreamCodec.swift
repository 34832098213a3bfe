// The "message" stream framing (GET /raft/stream/message/<id>), also used for the message at the
// head of a snapshot body: each message is an 8-byte big-endian length, then that many bytes of
// raftpb.Message. No other framing, no checksum (TCP and the HTTP layer carry it).

import Raft

/// Appends messages in etcd's message-stream framing.
public enum MessageStreamEncoder {
    /// Appends `message` framed as etcd's `messageEncoder` writes it.
    public static func encode(_ message: Message, appendingTo bytes: inout [UInt8]) {
        UInt64(message.encodedSize).appendBigEndian(to: &bytes)
        message.encode(appendingTo: &bytes)
    }
}

/// Decodes etcd's message-stream framing from bytes as they arrive.
///
/// Feed received bytes with `append`, then call `next()` until it returns nil (a frame is still
/// incomplete). At a clean end of stream call `finish()`. Memory: at most one frame (bounded by
/// `limit`) plus whatever was appended and not yet drained.
public struct MessageStreamDecoder: Sendable {
    /// etcd's `readBytesLimit`: the largest message a stream (or pipeline) accepts, 512 MiB.
    public static let readBytesLimit: UInt64 = 512 * 1024 * 1024

    /// The largest length prefix accepted; a larger one is refused before any bytes are awaited.
    public let limit: UInt64
    private var buffer = PeerReadBuffer()

    public init(limit: UInt64 = MessageStreamDecoder.readBytesLimit) {
        self.limit = limit
    }

    /// Bytes appended and not yet decoded.
    public var bufferedByteCount: Int { buffer.count }

    public mutating func append(_ bytes: some Collection<UInt8>) {
        buffer.append(contentsOf: bytes)
    }

    /// The next whole message, or nil until more bytes arrive.
    ///
    /// Throws `exceedSizeLimit` as soon as a too-large length prefix is seen (as etcd does,
    /// before reading the body) and `malformed` for bytes that are not a raftpb.Message.
    public mutating func next() throws(PeerStreamError) -> Message? {
        guard let length = try Self.frameLength(in: buffer, at: 0, limit: limit) else { return nil }
        let message: Message
        do {
            message = try Message(serializedBytes: buffer.slice(at: 8, length: length))
        } catch {
            throw .malformed(error)
        }
        buffer.consume(8 + length)
        return message
    }

    /// Declares the end of the stream: throws `truncated` if it ended inside a frame.
    public func finish() throws(PeerStreamError) {
        if !buffer.isEmpty { throw .truncated }
    }

    /// Hands over undecoded bytes (for the snapshot body, whose db bytes follow the message).
    mutating func takeRemainingBytes() -> [UInt8] {
        buffer.take(buffer.count)
    }

    /// The body length of the length-prefixed frame at `offset` in `buffer` when the whole frame
    /// is there; nil while it is incomplete.
    static func frameLength(in buffer: PeerReadBuffer, at offset: Int, limit: UInt64) throws(PeerStreamError) -> Int? {
        guard buffer.count >= offset + 8 else { return nil }
        let length = buffer.uint64(at: offset)
        if length > limit { throw .exceedSizeLimit(length: length, limit: limit) }
        guard UInt64(buffer.count - offset - 8) >= length else { return nil }
        return Int(length)
    }
}
