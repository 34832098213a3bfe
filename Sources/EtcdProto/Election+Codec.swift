// Wire codecs for Election.swift's messages. Fields are written in field-number order and proto3
// defaults are skipped, as etcd's Go encoder does, so our bytes equal etcd's.

import ProtoWire

extension LeaderKey: ProtoMessage {
    @inlinable
    public var encodedSize: Int {
        var size = 0
        size += ProtoSize.bytes(field: 1, name)
        size += ProtoSize.bytes(field: 2, key)
        size += ProtoSize.int64(field: 3, rev)
        size += ProtoSize.int64(field: 4, lease)
        return size
    }

    @inlinable
    public func encode(to writer: inout ProtoWriter) {
        writer.writeBytes(field: 1, name)
        writer.writeBytes(field: 2, key)
        writer.writeInt64(field: 3, rev)
        writer.writeInt64(field: 4, lease)
    }

    @inlinable
    public init(decoding reader: inout ProtoReader, depth: Int) throws(ProtoDecodeError) {
        self.init()
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 1: name = try reader.readBytes(tag)
            case 2: key = try reader.readBytes(tag)
            case 3: rev = try reader.readInt64(tag)
            case 4: lease = try reader.readInt64(tag)
            default: try reader.skipField(tag)
            }
        }
    }
}

extension CampaignRequest: ProtoMessage {
    @inlinable
    public var encodedSize: Int {
        var size = 0
        size += ProtoSize.bytes(field: 1, name)
        size += ProtoSize.int64(field: 2, lease)
        size += ProtoSize.bytes(field: 3, value)
        return size
    }

    @inlinable
    public func encode(to writer: inout ProtoWriter) {
        writer.writeBytes(field: 1, name)
        writer.writeInt64(field: 2, lease)
        writer.writeBytes(field: 3, value)
    }

    @inlinable
    public init(decoding reader: inout ProtoReader, depth: Int) throws(ProtoDecodeError) {
        self.init()
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 1: name = try reader.readBytes(tag)
            case 2: lease = try reader.readInt64(tag)
            case 3: value = try reader.readBytes(tag)
            default: try reader.skipField(tag)
            }
        }
    }
}

extension CampaignResponse: ProtoMessage {
    @inlinable
    public var encodedSize: Int {
        var size = 0
        size += ProtoSize.message(field: 1, header)
        size += ProtoSize.message(field: 2, leader)
        return size
    }

    @inlinable
    public func encode(to writer: inout ProtoWriter) {
        writer.writeMessage(field: 1, header)
        writer.writeMessage(field: 2, leader)
    }

    @inlinable
    public init(decoding reader: inout ProtoReader, depth: Int) throws(ProtoDecodeError) {
        self.init()
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 1: header = try reader.readMessage(tag, depth: depth, as: ResponseHeader.self)
            case 2: leader = try reader.readMessage(tag, depth: depth, as: LeaderKey.self)
            default: try reader.skipField(tag)
            }
        }
    }
}

extension ProclaimRequest: ProtoMessage {
    @inlinable
    public var encodedSize: Int {
        var size = 0
        size += ProtoSize.message(field: 1, leader)
        size += ProtoSize.bytes(field: 2, value)
        return size
    }

    @inlinable
    public func encode(to writer: inout ProtoWriter) {
        writer.writeMessage(field: 1, leader)
        writer.writeBytes(field: 2, value)
    }

    @inlinable
    public init(decoding reader: inout ProtoReader, depth: Int) throws(ProtoDecodeError) {
        self.init()
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 1: leader = try reader.readMessage(tag, depth: depth, as: LeaderKey.self)
            case 2: value = try reader.readBytes(tag)
            default: try reader.skipField(tag)
            }
        }
    }
}

extension ProclaimResponse: ProtoMessage {
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

extension LeaderRequest: ProtoMessage {
    @inlinable
    public var encodedSize: Int {
        var size = 0
        size += ProtoSize.bytes(field: 1, name)
        return size
    }

    @inlinable
    public func encode(to writer: inout ProtoWriter) {
        writer.writeBytes(field: 1, name)
    }

    @inlinable
    public init(decoding reader: inout ProtoReader, depth: Int) throws(ProtoDecodeError) {
        self.init()
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 1: name = try reader.readBytes(tag)
            default: try reader.skipField(tag)
            }
        }
    }
}

extension LeaderResponse: ProtoMessage {
    @inlinable
    public var encodedSize: Int {
        var size = 0
        size += ProtoSize.message(field: 1, header)
        size += ProtoSize.message(field: 2, kv)
        return size
    }

    @inlinable
    public func encode(to writer: inout ProtoWriter) {
        writer.writeMessage(field: 1, header)
        writer.writeMessage(field: 2, kv)
    }

    @inlinable
    public init(decoding reader: inout ProtoReader, depth: Int) throws(ProtoDecodeError) {
        self.init()
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 1: header = try reader.readMessage(tag, depth: depth, as: ResponseHeader.self)
            case 2: kv = try reader.readMessage(tag, depth: depth, as: KeyValue.self)
            default: try reader.skipField(tag)
            }
        }
    }
}

extension ResignRequest: ProtoMessage {
    @inlinable
    public var encodedSize: Int {
        var size = 0
        size += ProtoSize.message(field: 1, leader)
        return size
    }

    @inlinable
    public func encode(to writer: inout ProtoWriter) {
        writer.writeMessage(field: 1, leader)
    }

    @inlinable
    public init(decoding reader: inout ProtoReader, depth: Int) throws(ProtoDecodeError) {
        self.init()
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 1: leader = try reader.readMessage(tag, depth: depth, as: LeaderKey.self)
            default: try reader.skipField(tag)
            }
        }
    }
}

extension ResignResponse: ProtoMessage {
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
