// raftpb.Snapshot and raftpb.SnapshotMetadata.

import ProtoWire

/// Where a snapshot sits in the log and the configuration at that point. All fields non-nullable.
public struct SnapshotMetadata: ProtoMessage, Sendable, Hashable {
    public var confState = ConfState()
    public var index: UInt64 = 0
    public var term: UInt64 = 0

    public init() {}

    public init(confState: ConfState, index: UInt64, term: UInt64) {
        self.confState = confState
        self.index = index
        self.term = term
    }

    public init(decoding reader: inout ProtoReader, depth: Int) throws(ProtoDecodeError) {
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 1: confState = try reader.readMessage(tag, depth: depth)
            case 2: index = try reader.readUInt64(tag)
            case 3: term = try reader.readUInt64(tag)
            default: try reader.skipField(tag)
            }
        }
    }

    public var encodedSize: Int {
        let conf = confState.encodedSize
        return 1 + ProtoSize.varint(UInt64(conf)) + conf + 2 + ProtoSize.varint(index) + ProtoSize.varint(term)
    }

    public func encode(to writer: inout ProtoWriter) {
        writer.writeMessage(field: 1, confState)
        writer.writeVarintField(field: 2, index)
        writer.writeVarintField(field: 3, term)
    }
}

/// A state machine image plus its metadata. Metadata is non-nullable (always written); data only
/// when non-empty.
public struct Snapshot: ProtoMessage, Sendable, Hashable {
    public var data: [UInt8] = []
    public var metadata = SnapshotMetadata()

    public init() {}

    public init(data: [UInt8], metadata: SnapshotMetadata) {
        self.data = data
        self.metadata = metadata
    }

    /// True when the snapshot carries no position (etcd's `IsEmptySnap`: index 0).
    public var isEmpty: Bool { metadata.index == 0 }

    public init(decoding reader: inout ProtoReader, depth: Int) throws(ProtoDecodeError) {
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 1: data = try reader.readBytes(tag)
            case 2: metadata = try reader.readMessage(tag, depth: depth)
            default: try reader.skipField(tag)
            }
        }
    }

    public var encodedSize: Int {
        let meta = metadata.encodedSize
        var size = 1 + ProtoSize.varint(UInt64(meta)) + meta
        if !data.isEmpty { size += 1 + ProtoSize.varint(UInt64(data.count)) + data.count }
        return size
    }

    public func encode(to writer: inout ProtoWriter) {
        writer.writeBytes(field: 1, data)
        writer.writeMessage(field: 2, metadata)
    }
}
