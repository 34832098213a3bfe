// Wire codecs for ResponseHeader.swift's messages. Fields are written in field-number order and proto3
// defaults are skipped, as etcd's Go encoder does, so our bytes equal etcd's.

import ProtoWire

extension ResponseHeader: ProtoMessage {
    @inlinable
    public var encodedSize: Int {
        var size = 0
        size += ProtoSize.uint64(field: 1, clusterId)
        size += ProtoSize.uint64(field: 2, memberId)
        size += ProtoSize.int64(field: 3, revision)
        size += ProtoSize.uint64(field: 4, raftTerm)
        return size
    }

    @inlinable
    public func encode(to writer: inout ProtoWriter) {
        writer.writeUInt64(field: 1, clusterId)
        writer.writeUInt64(field: 2, memberId)
        writer.writeInt64(field: 3, revision)
        writer.writeUInt64(field: 4, raftTerm)
    }

    @inlinable
    public init(decoding reader: inout ProtoReader, depth: Int) throws(ProtoDecodeError) {
        self.init()
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 1: clusterId = try reader.readUInt64(tag)
            case 2: memberId = try reader.readUInt64(tag)
            case 3: revision = try reader.readInt64(tag)
            case 4: raftTerm = try reader.readUInt64(tag)
            default: try reader.skipField(tag)
            }
        }
    }
}
