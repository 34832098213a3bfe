// The body of POST /raft/snapshot: a MsgSnap in message-stream framing (8-byte big-endian length,
// raftpb.Message), then the backend db file's raw bytes up to the end of the HTTP body. The db
// size is not in the framing: the body's end (chunked last-chunk, or Content-Length) is the end of
// the db. etcd's snapshot sender sends it chunked; its receiver copies the db to a temp file.

import Raft

/// Writes the part of a snapshot body that precedes the db bytes.
public enum SnapshotBodyEncoder {
    /// Appends `message` as the head of a snapshot body; the db bytes follow it unframed.
    /// Precondition: `message` is a MsgSnap (etcd sends nothing else on this path).
    public static func encodeHead(_ message: Message, appendingTo bytes: inout [UInt8]) {
        precondition(message.type == .snap, "snapshot bodies carry MsgSnap, got \(message.type)")
        MessageStreamEncoder.encode(message, appendingTo: &bytes)
    }
}

/// Splits a snapshot body into its MsgSnap and a stream of db byte chunks, without ever holding
/// the db whole.
///
/// Feed body bytes (already de-chunked by the HTTP layer) with `append` and drain `next()` after
/// each; at the body's end call `finish()`. Memory is one message plus one appended piece.
public struct SnapshotBodyDecoder: Sendable {
    /// What `next()` yields: first the message, then db bytes in arrival order.
    public enum Event: Sendable, Equatable {
        case message(Message)
        /// At most `dbChunkBytesMax` bytes of the db, in order.
        case dbBytes(ArraySlice<UInt8>)
    }

    /// etcd accepts snapshot messages up to 2^63 bytes ("snapshots can exceed 512MB"); the
    /// message itself is small (metadata plus, for v2 stores, the store's JSON).
    public static let messageBytesLimitDefault: UInt64 = 1 << 63
    /// Largest db piece one event carries: a file write's worth, bounding the caller's copies.
    public static let dbChunkBytesMax = 64 * 1024

    private var messageDecoder: MessageStreamDecoder
    private var db = PeerReadBuffer()
    private var hasMessage = false
    /// db bytes yielded so far.
    public private(set) var dbByteCount: UInt64 = 0

    public init(messageLimit: UInt64 = SnapshotBodyDecoder.messageBytesLimitDefault) {
        messageDecoder = MessageStreamDecoder(limit: messageLimit)
    }

    public mutating func append(_ bytes: some Collection<UInt8>) {
        if hasMessage { db.append(contentsOf: bytes) } else { messageDecoder.append(bytes) }
    }

    /// The message (once), then db chunks; nil until more bytes arrive.
    ///
    /// Throws as the message stream decoder does, and `wrongSnapshotMessageType` if the message
    /// is not MsgSnap (etcd answers that with 400 "wrong raft message type").
    public mutating func next() throws(PeerStreamError) -> Event? {
        if !hasMessage {
            guard let message = try messageDecoder.next() else { return nil }
            guard message.type == .snap else { throw .wrongSnapshotMessageType }
            hasMessage = true
            db.append(contentsOf: messageDecoder.takeRemainingBytes())
            return .message(message)
        }
        guard !db.isEmpty else { return nil }
        let length = min(db.count, Self.dbChunkBytesMax)
        let chunk = db.slice(at: 0, length: length)
        db.consume(length)
        dbByteCount += UInt64(length)
        return .dbBytes(chunk)
    }

    /// Declares the body's end and returns the db size; throws `truncated` if the message never
    /// arrived whole. Precondition: every event was drained.
    public func finish() throws(PeerStreamError) -> UInt64 {
        guard hasMessage else { throw .truncated }
        precondition(db.isEmpty, "finish() before draining next()")
        return dbByteCount
    }
}
