// Wire codecs for DeleteRange.swift's messages. Fields are written in field-number order and proto3
// defaults are skipped, as etcd's Go encoder does, so our bytes equal etcd's.

import ProtoWire

extension DeleteRangeRequest: ProtoMessage {
    @inlinable
    public var encodedSize: Int {
        var size = 0
        size += ProtoSize.bytes(field: 1, key)
        size += ProtoSize.bytes(field: 2, rangeEnd)
        size += ProtoSize.bool(field: 3, prevKv)
        return size
    }

    @inlinable
    public func encode(to writer: inout ProtoWriter) {
        writer.writeBytes(field: 1, key)
        writer.writeBytes(field: 2, rangeEnd)
        writer.writeBool(field: 3, prevKv)
    }

    @inlinable
    public init(decoding reader: inout ProtoReader, depth: Int) throws(ProtoDecodeError) {
        self.init()
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 1: key = try reader.readBytes(tag)
            case 2: rangeEnd = try reader.readBytes(tag)
            case 3: prevKv = try reader.readBool(tag)
            default: try reader.skipField(tag)
            }
        }
    }
}

extension DeleteRangeResponse: ProtoMessage {
    @inlinable
    public var encodedSize: Int {
        var size = 0
        size += ProtoSize.message(field: 1, header)
        size += ProtoSize.int64(field: 2, deleted)
        size += ProtoSize.messages(field: 3, prevKvs)
        return size
    }

    @inlinable
    public func encode(to writer: inout ProtoWriter) {
        writer.writeMessage(field: 1, header)
        writer.writeInt64(field: 2, deleted)
        writer.writeMessages(field: 3, prevKvs)
    }

    @inlinable
    public init(decoding reader: inout ProtoReader, depth: Int) throws(ProtoDecodeError) {
        self.init()
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 1: header = try reader.readMessage(tag, depth: depth, as: ResponseHeader.self)
            case 2: deleted = try reader.readInt64(tag)
            case 3: prevKvs.append(try reader.readMessage(tag, depth: depth, as: KeyValue.self))
            default: try reader.skipField(tag)
            }
        }
    }
}
