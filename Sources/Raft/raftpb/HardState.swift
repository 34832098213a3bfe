// raftpb.HardState: what a node must persist before it sends any message that depends on it.

import ProtoWire

/// The durable part of a node's raft state: its term, its vote in that term, and its commit index.
///
/// All three fields are gogo non-nullable, so all three are always written (field order 1, 2, 3).
public struct HardState: ProtoMessage, Sendable, Hashable {
    public var term: UInt64 = 0
    public var vote: NodeID = noneNodeID
    public var commit: UInt64 = 0

    public init() {}

    public init(term: UInt64, vote: NodeID, commit: UInt64) {
        self.term = term
        self.vote = vote
        self.commit = commit
    }

    /// True for the state a brand-new node starts with; etcd writes no HardState record for it.
    public var isEmpty: Bool { self == HardState() }

    public init(decoding reader: inout ProtoReader, depth: Int) throws(ProtoDecodeError) {
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 1: term = try reader.readUInt64(tag)
            case 2: vote = try reader.readUInt64(tag)
            case 3: commit = try reader.readUInt64(tag)
            default: try reader.skipField(tag)
            }
        }
    }

    public var encodedSize: Int {
        3 + ProtoSize.varint(term) + ProtoSize.varint(vote) + ProtoSize.varint(commit)
    }

    public func encode(to writer: inout ProtoWriter) {
        writer.writeVarintField(field: 1, term)
        writer.writeVarintField(field: 2, vote)
        writer.writeVarintField(field: 3, commit)
    }
}
