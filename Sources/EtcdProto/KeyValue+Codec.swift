// Wire codecs for KeyValue.swift's messages. Fields are written in field-number order and proto3
// defaults are skipped, as etcd's Go encoder does, so our bytes equal etcd's.

import ProtoWire

extension Event.EventType: ProtoEnum {}

extension KeyValue: ProtoMessage {
    @inlinable
    public var encodedSize: Int {
        var size = 0
        size += ProtoSize.bytes(field: 1, key)
        size += ProtoSize.int64(field: 2, createRevision)
        size += ProtoSize.int64(field: 3, modRevision)
        size += ProtoSize.int64(field: 4, version)
        size += ProtoSize.bytes(field: 5, value)
        size += ProtoSize.int64(field: 6, lease)
        return size
    }

    @inlinable
    public func encode(to writer: inout ProtoWriter) {
        writer.writeBytes(field: 1, key)
        writer.writeInt64(field: 2, createRevision)
        writer.writeInt64(field: 3, modRevision)
        writer.writeInt64(field: 4, version)
        writer.writeBytes(field: 5, value)
        writer.writeInt64(field: 6, lease)
    }

    @inlinable
    public init(decoding reader: inout ProtoReader, depth: Int) throws(ProtoDecodeError) {
        self.init()
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 1: key = try reader.readBytes(tag)
            case 2: createRevision = try reader.readInt64(tag)
            case 3: modRevision = try reader.readInt64(tag)
            case 4: version = try reader.readInt64(tag)
            case 5: value = try reader.readBytes(tag)
            case 6: lease = try reader.readInt64(tag)
            default: try reader.skipField(tag)
            }
        }
    }
}

extension Event: ProtoMessage {
    @inlinable
    public var encodedSize: Int {
        var size = 0
        size += ProtoSize.enumValue(field: 1, type)
        size += ProtoSize.message(field: 2, kv)
        size += ProtoSize.message(field: 3, prevKv)
        return size
    }

    @inlinable
    public func encode(to writer: inout ProtoWriter) {
        writer.writeEnum(field: 1, type)
        writer.writeMessage(field: 2, kv)
        writer.writeMessage(field: 3, prevKv)
    }

    @inlinable
    public init(decoding reader: inout ProtoReader, depth: Int) throws(ProtoDecodeError) {
        self.init()
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 1: type = try reader.readEnum(tag)
            case 2: kv = try reader.readMessage(tag, depth: depth, as: KeyValue.self)
            case 3: prevKv = try reader.readMessage(tag, depth: depth, as: KeyValue.self)
            default: try reader.skipField(tag)
            }
        }
    }
}
