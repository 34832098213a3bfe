// Wire codecs for Compaction.swift's messages. Fields are written in field-number order and proto3
// defaults are skipped, as etcd's Go encoder does, so our bytes equal etcd's.

import ProtoWire

extension CompactionRequest: ProtoMessage {
    @inlinable
    public var encodedSize: Int {
        var size = 0
        size += ProtoSize.int64(field: 1, revision)
        size += ProtoSize.bool(field: 2, physical)
        return size
    }

    @inlinable
    public func encode(to writer: inout ProtoWriter) {
        writer.writeInt64(field: 1, revision)
        writer.writeBool(field: 2, physical)
    }

    @inlinable
    public init(decoding reader: inout ProtoReader, depth: Int) throws(ProtoDecodeError) {
        self.init()
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 1: revision = try reader.readInt64(tag)
            case 2: physical = try reader.readBool(tag)
            default: try reader.skipField(tag)
            }
        }
    }
}

extension CompactionResponse: ProtoMessage {
    @inlinable
    public var encodedSize: Int {
        var size = 0
        size += ProtoSize.message(field: 1, header)
        return size
    }

    @inlinable
    public func encode(to writer: inout ProtoWriter) {
        writer.writeMessage(field: 1, header)
    }

    @inlinable
    public init(decoding reader: inout ProtoReader, depth: Int) throws(ProtoDecodeError) {
        self.init()
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 1: header = try reader.readMessage(tag, depth: depth, as: ResponseHeader.self)
            default: try reader.skipField(tag)
            }
        }
    }
}
