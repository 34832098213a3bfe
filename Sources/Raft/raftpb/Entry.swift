// raftpb.Entry and raftpb.EntryType in etcd's wire format (proto2, gogo non-nullable scalars).
//
// The WAL stores these bytes and peers exchange them, so the encoding matches etcd's byte for byte:
// every non-nullable field is written even at zero, in field-number order (Type=1, Term=2, Index=3),
// and Data (nullable) only when it holds bytes.

import ProtoWire

/// A raft node's ID on the wire (etcd's member ID); 0 means "none".
public typealias NodeID = UInt64

/// The "no node" ID: no vote cast, no leader known.
public let noneNodeID: NodeID = 0

/// What an entry's `data` holds.
public enum EntryType: Int32, ProtoEnum, Sendable {
    /// An application command (etcd: an InternalRaftRequest), or empty for a new leader's entry.
    case normal = 0
    /// A `ConfChange`.
    case confChange = 1
    /// A `ConfChangeV2`.
    case confChangeV2 = 2
}

/// One slot of the replicated log.
public struct Entry: ProtoMessage, Sendable, Hashable {
    public var term: UInt64 = 0
    public var index: UInt64 = 0
    public var type: EntryType = .normal
    /// The command. Written only when non-empty (etcd leaves Data nil for empty entries).
    public var data: [UInt8] = []

    public init() {}

    public init(term: UInt64, index: UInt64, type: EntryType = .normal, data: [UInt8] = []) {
        self.term = term
        self.index = index
        self.type = type
        self.data = data
    }

    public init(decoding reader: inout ProtoReader, depth: Int) throws(ProtoDecodeError) {
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 1: type = try reader.readEnum(tag)
            case 2: term = try reader.readUInt64(tag)
            case 3: index = try reader.readUInt64(tag)
            case 4: data = try reader.readBytes(tag)
            default: try reader.skipField(tag)
            }
        }
    }

    public var encodedSize: Int {
        var size = 3 + ProtoSize.varint(UInt64(bitPattern: Int64(type.rawValue)))
            + ProtoSize.varint(term) + ProtoSize.varint(index)
        if !data.isEmpty { size += 1 + ProtoSize.varint(UInt64(data.count)) + data.count }
        return size
    }

    public func encode(to writer: inout ProtoWriter) {
        writer.writeVarintField(field: 1, UInt64(bitPattern: Int64(type.rawValue)))
        writer.writeVarintField(field: 2, term)
        writer.writeVarintField(field: 3, index)
        writer.writeBytes(field: 4, data)
    }
}
