// Wire codecs for Range.swift's messages. Fields are written in field-number order and proto3
// defaults are skipped, as etcd's Go encoder does, so our bytes equal etcd's.

import ProtoWire

extension RangeRequest.SortOrder: ProtoEnum {}
extension RangeRequest.SortTarget: ProtoEnum {}

extension RangeRequest: ProtoMessage {
    @inlinable
    public var encodedSize: Int {
        var size = 0
        size += ProtoSize.bytes(field: 1, key)
        size += ProtoSize.bytes(field: 2, rangeEnd)
        size += ProtoSize.int64(field: 3, limit)
        size += ProtoSize.int64(field: 4, revision)
        size += ProtoSize.enumValue(field: 5, sortOrder)
        size += ProtoSize.enumValue(field: 6, sortTarget)
        size += ProtoSize.bool(field: 7, serializable)
        size += ProtoSize.bool(field: 8, keysOnly)
        size += ProtoSize.bool(field: 9, countOnly)
        size += ProtoSize.int64(field: 10, minModRevision)
        size += ProtoSize.int64(field: 11, maxModRevision)
        size += ProtoSize.int64(field: 12, minCreateRevision)
        size += ProtoSize.int64(field: 13, maxCreateRevision)
        return size
    }

    @inlinable
    public func encode(to writer: inout ProtoWriter) {
        writer.writeBytes(field: 1, key)
        writer.writeBytes(field: 2, rangeEnd)
        writer.writeInt64(field: 3, limit)
        writer.writeInt64(field: 4, revision)
        writer.writeEnum(field: 5, sortOrder)
        writer.writeEnum(field: 6, sortTarget)
        writer.writeBool(field: 7, serializable)
        writer.writeBool(field: 8, keysOnly)
        writer.writeBool(field: 9, countOnly)
        writer.writeInt64(field: 10, minModRevision)
        writer.writeInt64(field: 11, maxModRevision)
        writer.writeInt64(field: 12, minCreateRevision)
        writer.writeInt64(field: 13, maxCreateRevision)
    }

    @inlinable
    public init(decoding reader: inout ProtoReader, depth: Int) throws(ProtoDecodeError) {
        self.init()
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 1: key = try reader.readBytes(tag)
            case 2: rangeEnd = try reader.readBytes(tag)
            case 3: limit = try reader.readInt64(tag)
            case 4: revision = try reader.readInt64(tag)
            case 5: sortOrder = try reader.readEnum(tag)
            case 6: sortTarget = try reader.readEnum(tag)
            case 7: serializable = try reader.readBool(tag)
            case 8: keysOnly = try reader.readBool(tag)
            case 9: countOnly = try reader.readBool(tag)
            case 10: minModRevision = try reader.readInt64(tag)
            case 11: maxModRevision = try reader.readInt64(tag)
            case 12: minCreateRevision = try reader.readInt64(tag)
            case 13: maxCreateRevision = try reader.readInt64(tag)
            default: try reader.skipField(tag)
            }
        }
    }
}

extension RangeResponse: ProtoMessage {
    @inlinable
    public var encodedSize: Int {
        var size = 0
        size += ProtoSize.message(field: 1, header)
        size += ProtoSize.messages(field: 2, kvs)
        size += ProtoSize.bool(field: 3, more)
        size += ProtoSize.int64(field: 4, count)
        return size
    }

    @inlinable
    public func encode(to writer: inout ProtoWriter) {
        writer.writeMessage(field: 1, header)
        writer.writeMessages(field: 2, kvs)
        writer.writeBool(field: 3, more)
        writer.writeInt64(field: 4, count)
    }

    @inlinable
    public init(decoding reader: inout ProtoReader, depth: Int) throws(ProtoDecodeError) {
        self.init()
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 1: header = try reader.readMessage(tag, depth: depth, as: ResponseHeader.self)
            case 2: kvs.append(try reader.readMessage(tag, depth: depth, as: KeyValue.self))
            case 3: more = try reader.readBool(tag)
            case 4: count = try reader.readInt64(tag)
            default: try reader.skipField(tag)
            }
        }
    }
}
