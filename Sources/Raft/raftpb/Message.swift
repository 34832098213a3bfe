// raftpb.Message and raftpb.MessageType, with etcd's numbering.
//
// Every field but entries and context is gogo non-nullable, so a Message always carries type, to,
// from, term, logTerm, index, commit, an (often empty) snapshot, reject and rejectHint on the wire.

import ProtoWire

/// Every kind of message raft handles; local ones (`hup`, `beat`, `checkQuorum`, ...) never leave
/// the node. The raw values are etcd's wire numbers.
public enum MessageType: Int32, ProtoEnum, Sendable, CaseIterable {
    case hup = 0
    case beat = 1
    case prop = 2
    case app = 3
    case appResp = 4
    case vote = 5
    case voteResp = 6
    case snap = 7
    case heartbeat = 8
    case heartbeatResp = 9
    case unreachable = 10
    case snapStatus = 11
    case checkQuorum = 12
    case transferLeader = 13
    case timeoutNow = 14
    case readIndex = 15
    case readIndexResp = 16
    case preVote = 17
    case preVoteResp = 18

    /// etcd's name for the type ("MsgApp"), used in logs and transcripts.
    public var name: String {
        switch self {
        case .hup: "MsgHup"
        case .beat: "MsgBeat"
        case .prop: "MsgProp"
        case .app: "MsgApp"
        case .appResp: "MsgAppResp"
        case .vote: "MsgVote"
        case .voteResp: "MsgVoteResp"
        case .snap: "MsgSnap"
        case .heartbeat: "MsgHeartbeat"
        case .heartbeatResp: "MsgHeartbeatResp"
        case .unreachable: "MsgUnreachable"
        case .snapStatus: "MsgSnapStatus"
        case .checkQuorum: "MsgCheckQuorum"
        case .transferLeader: "MsgTransferLeader"
        case .timeoutNow: "MsgTimeoutNow"
        case .readIndex: "MsgReadIndex"
        case .readIndexResp: "MsgReadIndexResp"
        case .preVote: "MsgPreVote"
        case .preVoteResp: "MsgPreVoteResp"
        }
    }

    /// True for messages that a node generates for itself and never sends (etcd's `IsLocalMsg`).
    public var isLocal: Bool {
        switch self {
        case .hup, .beat, .unreachable, .snapStatus, .checkQuorum: true
        default: false
        }
    }

    /// True for responses (etcd's `IsResponseMsg`).
    public var isResponse: Bool {
        switch self {
        case .appResp, .voteResp, .heartbeatResp, .unreachable, .preVoteResp: true
        default: false
        }
    }

    /// The response type for a vote request (`voteRespMsgType`).
    public var voteResponse: MessageType {
        switch self {
        case .vote: .voteResp
        case .preVote: .preVoteResp
        default: preconditionFailure("not a vote message: \(name)")
        }
    }
}

/// A message between raft nodes (or from the application into its own node).
public struct Message: ProtoMessage, Sendable, Hashable {
    public var type: MessageType = .hup
    public var to: NodeID = noneNodeID
    public var from: NodeID = noneNodeID
    public var term: UInt64 = 0
    /// For MsgApp: the term of the entry at `index`; for votes: the candidate's last log term.
    public var logTerm: UInt64 = 0
    public var index: UInt64 = 0
    public var entries: [Entry] = []
    public var commit: UInt64 = 0
    public var snapshot = Snapshot()
    public var reject: Bool = false
    public var rejectHint: UInt64 = 0
    public var context: [UInt8] = []

    public init() {}

    public init(type: MessageType, to: NodeID = noneNodeID, from: NodeID = noneNodeID, term: UInt64 = 0,
                logTerm: UInt64 = 0, index: UInt64 = 0, entries: [Entry] = [], commit: UInt64 = 0,
                reject: Bool = false, rejectHint: UInt64 = 0) {
        self.type = type
        self.to = to
        self.from = from
        self.term = term
        self.logTerm = logTerm
        self.index = index
        self.entries = entries
        self.commit = commit
        self.reject = reject
        self.rejectHint = rejectHint
    }

    public init(decoding reader: inout ProtoReader, depth: Int) throws(ProtoDecodeError) {
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 1: type = try reader.readEnum(tag)
            case 2: to = try reader.readUInt64(tag)
            case 3: from = try reader.readUInt64(tag)
            case 4: term = try reader.readUInt64(tag)
            case 5: logTerm = try reader.readUInt64(tag)
            case 6: index = try reader.readUInt64(tag)
            case 7: entries.append(try reader.readMessage(tag, depth: depth))
            case 8: commit = try reader.readUInt64(tag)
            case 9: snapshot = try reader.readMessage(tag, depth: depth)
            case 10: reject = try reader.readBool(tag)
            case 11: rejectHint = try reader.readUInt64(tag)
            case 12: context = try reader.readBytes(tag)
            default: try reader.skipField(tag)
            }
        }
    }

    public var encodedSize: Int {
        var size = 6 + ProtoSize.varint(UInt64(bitPattern: Int64(type.rawValue))) + ProtoSize.varint(to)
            + ProtoSize.varint(from) + ProtoSize.varint(term) + ProtoSize.varint(logTerm)
            + ProtoSize.varint(index)
        for entry in entries {
            let entrySize = entry.encodedSize
            size += 1 + ProtoSize.varint(UInt64(entrySize)) + entrySize
        }
        let snapshotSize = snapshot.encodedSize
        size += 1 + ProtoSize.varint(commit) + 1 + ProtoSize.varint(UInt64(snapshotSize)) + snapshotSize
        size += 2 + 1 + ProtoSize.varint(rejectHint)
        if !context.isEmpty { size += 1 + ProtoSize.varint(UInt64(context.count)) + context.count }
        return size
    }

    public func encode(to writer: inout ProtoWriter) {
        writer.writeVarintField(field: 1, UInt64(bitPattern: Int64(type.rawValue)))
        writer.writeVarintField(field: 2, to)
        writer.writeVarintField(field: 3, from)
        writer.writeVarintField(field: 4, term)
        writer.writeVarintField(field: 5, logTerm)
        writer.writeVarintField(field: 6, index)
        writer.writeMessages(field: 7, entries)
        writer.writeVarintField(field: 8, commit)
        writer.writeMessage(field: 9, snapshot)
        writer.writeVarintField(field: 10, reject ? 1 : 0)
        writer.writeVarintField(field: 11, rejectHint)
        writer.writeBytes(field: 12, context)
    }
}
