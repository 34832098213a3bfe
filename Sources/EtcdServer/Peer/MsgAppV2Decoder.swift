// Decoding side of the msgappv2 stream; the framing is described in MsgAppV2Encoder.swift.

import EtcdBasics
import Raft

/// Decodes msgappv2 frames from bytes as they arrive, tracking (term, index) as the sender does.
///
/// Feed with `append`, drain with `next()` until nil, call `finish()` at end of stream.
/// Link heartbeats come out as `Message.linkHeartbeat` (the caller drops them, as etcd does).
public struct MsgAppV2Decoder: Sendable {
    /// This member: the To of every AppEntries message.
    public let local: MemberID
    /// The peer at the other end: the From of every AppEntries message.
    public let remote: MemberID
    /// Largest accepted full message, entry, or whole AppEntries frame. etcd sets none here;
    /// swetcd uses the message stream's 512 MiB so a peer cannot make it buffer without end.
    public let limit: UInt64
    public private(set) var term: UInt64 = 0
    public private(set) var index: UInt64 = 0
    private var buffer = PeerReadBuffer()
    /// Buffered byte count below which the frame at the front is known to be incomplete, so a
    /// long AppEntries frame arriving in pieces is scanned once per piece, not once per byte.
    private var bytesNeeded = 1

    public init(local: MemberID, remote: MemberID, limit: UInt64 = MessageStreamDecoder.readBytesLimit) {
        self.local = local
        self.remote = remote
        self.limit = limit
    }

    public var bufferedByteCount: Int { buffer.count }

    public mutating func append(_ bytes: some Collection<UInt8>) {
        buffer.append(contentsOf: bytes)
    }

    /// The next message, or nil until more bytes arrive.
    public mutating func next() throws(PeerStreamError) -> Message? {
        guard buffer.count >= bytesNeeded else { return nil }
        let type = buffer.byte(at: 0)
        switch MsgAppV2Encoder.FrameType(rawValue: type) {
        case .linkHeartbeat:
            buffer.consume(1)
            bytesNeeded = 1
            return .linkHeartbeat
        case .appEntries:
            return try nextAppEntries()
        case .app:
            return try nextFullApp()
        case nil:
            throw .unknownMsgAppV2Type(type)
        }
    }

    /// Declares the end of the stream: throws `truncated` if it ended inside a frame.
    public func finish() throws(PeerStreamError) {
        if !buffer.isEmpty { throw .truncated }
    }

    private mutating func nextFullApp() throws(PeerStreamError) -> Message? {
        guard let length = try MessageStreamDecoder.frameLength(in: buffer, at: 1, limit: limit) else {
            bytesNeeded = buffer.count >= 9 ? 9 + Int(clamping: min(buffer.uint64(at: 1), UInt64(Int.max - 9))) : 9
            return nil
        }
        let message: Message
        do {
            message = try Message(serializedBytes: buffer.slice(at: 9, length: length))
        } catch {
            throw .malformed(error)
        }
        buffer.consume(9 + length)
        bytesNeeded = 1
        term = message.term
        index = message.entries.last?.index ?? message.index
        return message
    }

    /// Finds where each entry of the AppEntries frame at the front lies; nil if incomplete.
    private mutating func scanAppEntries() throws(PeerStreamError) -> (entries: [Range<Int>], commitAt: Int)? {
        guard buffer.count >= 9 else { bytesNeeded = 9; return nil }
        let count = buffer.uint64(at: 1)
        var entries: [Range<Int>] = []
        var offset = 9
        var remaining = count
        while remaining > 0 {
            guard buffer.count >= offset + 8 else { bytesNeeded = offset + 8; return nil }
            let length = buffer.uint64(at: offset)
            if length > limit || UInt64(offset + 8) + length > limit {
                throw .exceedSizeLimit(length: UInt64(offset + 8) &+ length, limit: limit)
            }
            let end = offset + 8 + Int(length)
            guard buffer.count >= end else { bytesNeeded = end + 8; return nil }
            entries.append((offset + 8)..<end)
            offset = end
            remaining -= 1
        }
        guard buffer.count >= offset + 8 else { bytesNeeded = offset + 8; return nil }
        return (entries, offset)
    }

    private mutating func nextAppEntries() throws(PeerStreamError) -> Message? {
        guard let frame = try scanAppEntries() else { return nil }
        var message = Message(type: .app, to: local.rawValue, from: remote.rawValue, term: term,
                              logTerm: term, index: index)
        message.entries.reserveCapacity(frame.entries.count)
        for range in frame.entries {
            do {
                message.entries.append(try Entry(serializedBytes: buffer.slice(at: range.lowerBound, length: range.count)))
            } catch {
                throw .malformed(error)
            }
        }
        message.commit = buffer.uint64(at: frame.commitAt)
        buffer.consume(frame.commitAt + 8)
        bytesNeeded = 1
        index += UInt64(frame.entries.count)
        return message
    }
}
