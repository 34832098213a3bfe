// Wire codecs for Put.swift's messages. Fields are written in field-number order and proto3
// defaults are skipped, as etcd's Go encoder does, so our bytes equal etcd's.

import ProtoWire

extension PutRequest: ProtoMessage {
    @inlinable
    public var encodedSize: Int {
        var size = 0
        size += ProtoSize.bytes(field: 1, key)
        size += ProtoSize.bytes(field: 2, value)
        size += ProtoSize.int64(field: 3, lease)
        size += ProtoSize.bool(field: 4, prevKv)
        size += ProtoSize.bool(field: 5, ignoreValue)
        size += ProtoSize.bool(field: 6, ignoreLease)
        return size
    }

    @inlinable
    public func encode(to writer: inout ProtoWriter) {
        writer.writeBytes(field: 1, key)
        writer.writeBytes(field: 2, value)
        writer.writeInt64(field: 3, lease)
        writer.writeBool(field: 4, prevKv)
        writer.writeBool(field: 5, ignoreValue)
        writer.writeBool(field: 6, ignoreLease)
    }

    @inlinable
    public init(decoding reader: inout ProtoReader, depth: Int) throws(ProtoDecodeError) {
        self.init()
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 1: key = try reader.readBytes(tag)
            case 2: value = try reader.readBytes(tag)
            case 3: lease = try reader.readInt64(tag)
            case 4: prevKv = try reader.readBool(tag)
            case 5: ignoreValue = try reader.readBool(tag)
            case 6: ignoreLease = try reader.readBool(tag)
            default: try reader.skipField(tag)
            }
        }
    }
}

extension PutResponse: ProtoMessage {
    @inlinable
    public var encodedSize: Int {
        var size = 0
        size += ProtoSize.message(field: 1, header)
        size += ProtoSize.message(field: 2, prevKv)
        return size
    }

    @inlinable
    public func encode(to writer: inout ProtoWriter) {
        writer.writeMessage(field: 1, header)
        writer.writeMessage(field: 2, prevKv)
    }

    @inlinable
    public init(decoding reader: inout ProtoReader, depth: Int) throws(ProtoDecodeError) {
        self.init()
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 1: header = try reader.readMessage(tag, depth: depth, as: ResponseHeader.self)
            case 2: prevKv = try reader.readMessage(tag, depth: depth, as: KeyValue.self)
            default: try reader.skipField(tag)
            }
        }
    }
}
