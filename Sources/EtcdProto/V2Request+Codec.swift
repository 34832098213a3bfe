// Wire codecs for V2Request.swift's messages (proto2). Fields are written in field-number order, and
// the ones etcd declares non-nullable are written even at their zero values, as etcd's Go encoder
// does, so our bytes equal etcd's.

import ProtoWire

extension Request: ProtoMessage {
    @inlinable
    public var encodedSize: Int {
        var size = 0
        size += ProtoSize.varintField(field: 1, id)
        size += ProtoSize.lengthDelimitedField(field: 2, byteCount: method.utf8.count)
        size += ProtoSize.lengthDelimitedField(field: 3, byteCount: path.utf8.count)
        size += ProtoSize.lengthDelimitedField(field: 4, byteCount: val.utf8.count)
        size += ProtoSize.varintField(field: 5, dir ? 1 : 0)
        size += ProtoSize.lengthDelimitedField(field: 6, byteCount: prevValue.utf8.count)
        size += ProtoSize.varintField(field: 7, prevIndex)
        size += ProtoSize.optionalBool(field: 8, prevExist)
        size += ProtoSize.varintField(field: 9, UInt64(bitPattern: expiration))
        size += ProtoSize.varintField(field: 10, wait ? 1 : 0)
        size += ProtoSize.varintField(field: 11, since)
        size += ProtoSize.varintField(field: 12, recursive ? 1 : 0)
        size += ProtoSize.varintField(field: 13, sorted ? 1 : 0)
        size += ProtoSize.varintField(field: 14, quorum ? 1 : 0)
        size += ProtoSize.varintField(field: 15, UInt64(bitPattern: time))
        size += ProtoSize.varintField(field: 16, stream ? 1 : 0)
        size += ProtoSize.optionalBool(field: 17, refresh)
        return size
    }

    @inlinable
    public func encode(to writer: inout ProtoWriter) {
        writer.writeVarintField(field: 1, id)
        writer.writeLengthDelimitedField(field: 2, method)
        writer.writeLengthDelimitedField(field: 3, path)
        writer.writeLengthDelimitedField(field: 4, val)
        writer.writeVarintField(field: 5, dir ? 1 : 0)
        writer.writeLengthDelimitedField(field: 6, prevValue)
        writer.writeVarintField(field: 7, prevIndex)
        writer.writeOptionalBool(field: 8, prevExist)
        writer.writeVarintField(field: 9, UInt64(bitPattern: expiration))
        writer.writeVarintField(field: 10, wait ? 1 : 0)
        writer.writeVarintField(field: 11, since)
        writer.writeVarintField(field: 12, recursive ? 1 : 0)
        writer.writeVarintField(field: 13, sorted ? 1 : 0)
        writer.writeVarintField(field: 14, quorum ? 1 : 0)
        writer.writeVarintField(field: 15, UInt64(bitPattern: time))
        writer.writeVarintField(field: 16, stream ? 1 : 0)
        writer.writeOptionalBool(field: 17, refresh)
    }

    @inlinable
    public init(decoding reader: inout ProtoReader, depth: Int) throws(ProtoDecodeError) {
        self.init()
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 1: id = try reader.readUInt64(tag)
            case 2: method = try reader.readString(tag)
            case 3: path = try reader.readString(tag)
            case 4: val = try reader.readString(tag)
            case 5: dir = try reader.readBool(tag)
            case 6: prevValue = try reader.readString(tag)
            case 7: prevIndex = try reader.readUInt64(tag)
            case 8: prevExist = try reader.readBool(tag)
            case 9: expiration = try reader.readInt64(tag)
            case 10: wait = try reader.readBool(tag)
            case 11: since = try reader.readUInt64(tag)
            case 12: recursive = try reader.readBool(tag)
            case 13: sorted = try reader.readBool(tag)
            case 14: quorum = try reader.readBool(tag)
            case 15: time = try reader.readInt64(tag)
            case 16: stream = try reader.readBool(tag)
            case 17: refresh = try reader.readBool(tag)
            default: try reader.skipField(tag)
            }
        }
    }
}

extension Metadata: ProtoMessage {
    @inlinable
    public var encodedSize: Int {
        var size = 0
        size += ProtoSize.varintField(field: 1, nodeID)
        size += ProtoSize.varintField(field: 2, clusterID)
        return size
    }

    @inlinable
    public func encode(to writer: inout ProtoWriter) {
        writer.writeVarintField(field: 1, nodeID)
        writer.writeVarintField(field: 2, clusterID)
    }

    @inlinable
    public init(decoding reader: inout ProtoReader, depth: Int) throws(ProtoDecodeError) {
        self.init()
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 1: nodeID = try reader.readUInt64(tag)
            case 2: clusterID = try reader.readUInt64(tag)
            default: try reader.skipField(tag)
            }
        }
    }
}
