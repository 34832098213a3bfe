// The msgappv2 stream (GET /raft/stream/msgapp/<id>): etcd's compact framing for MsgApp.
//
// Once a follower is in replicate state, the leader's consecutive MsgApps are predictable: same
// term, each starting where the previous one ended. Both ends therefore track (term, index), and
// such a MsgApp travels as just its entries and commit index. Frames:
//
//   link heartbeat   | 0x00 |
//   AppEntries       | 0x01 | count u64 | (entry length u64, raftpb.Entry bytes) × count | commit u64 |
//   full MsgApp      | 0x02 | message length u64 | raftpb.Message bytes |
//
// All integers big-endian. A full MsgApp resets the tracked term to its Term and the tracked index
// to its last entry's index (or its Index if it has no entries); each AppEntries advances the
// index by its entry count. From and To are not sent in AppEntries: the receiver knows the stream.

import Raft

/// Encodes MsgApp (and link heartbeats) in msgappv2 framing, carrying (term, index) across calls.
///
/// One encoder per stream connection: a new connection starts from (0, 0), so its first MsgApp
/// always goes out whole.
public struct MsgAppV2Encoder: Sendable {
    public enum FrameType: UInt8, Sendable {
        case linkHeartbeat = 0
        case appEntries = 1
        case app = 2
    }

    /// Term of the last full MsgApp sent; AppEntries are only used while the leader stays in it.
    public private(set) var term: UInt64 = 0
    /// Index of the last entry sent: the Index a predictable next MsgApp must carry.
    public private(set) var index: UInt64 = 0

    public init() {}

    /// Appends `message`'s frame and updates the tracked state.
    ///
    /// Precondition: `message` is a MsgApp or the link heartbeat (etcd routes nothing else to
    /// this stream; AppEntries could not carry another type).
    public mutating func encode(_ message: Message, appendingTo bytes: inout [UInt8]) {
        if message.isLinkHeartbeat {
            bytes.append(FrameType.linkHeartbeat.rawValue)
            return
        }
        precondition(message.type == .app, "msgappv2 streams carry only MsgApp, got \(message.type)")
        if index == message.index && term == message.logTerm && message.logTerm == message.term {
            bytes.append(FrameType.appEntries.rawValue)
            UInt64(message.entries.count).appendBigEndian(to: &bytes)
            for entry in message.entries {
                UInt64(entry.encodedSize).appendBigEndian(to: &bytes)
                entry.encode(appendingTo: &bytes)
                index += 1
            }
            message.commit.appendBigEndian(to: &bytes)
        } else {
            bytes.append(FrameType.app.rawValue)
            MessageStreamEncoder.encode(message, appendingTo: &bytes)
            term = message.term
            index = message.entries.last?.index ?? message.index
        }
    }
}
