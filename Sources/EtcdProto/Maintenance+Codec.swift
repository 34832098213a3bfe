// Wire codecs for Maintenance.swift's messages. Fields are written in field-number order and proto3
// defaults are skipped, as etcd's Go encoder does, so our bytes equal etcd's.

import ProtoWire

extension DefragmentRequest: ProtoMessage {
    @inlinable
    public var encodedSize: Int {
        0
    }

    @inlinable
    public func encode(to writer: inout ProtoWriter) {
    }

    @inlinable
    public init(decoding reader: inout ProtoReader, depth: Int) throws(ProtoDecodeError) {
        self.init()
        while let tag = try reader.nextTag() {
            try reader.skipField(tag)
        }
    }
}

extension DefragmentResponse: ProtoMessage {
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

extension SnapshotRequest: ProtoMessage {
    @inlinable
    public var encodedSize: Int {
        0
    }

    @inlinable
    public func encode(to writer: inout ProtoWriter) {
    }

    @inlinable
    public init(decoding reader: inout ProtoReader, depth: Int) throws(ProtoDecodeError) {
        self.init()
        while let tag = try reader.nextTag() {
            try reader.skipField(tag)
        }
    }
}

extension SnapshotResponse: ProtoMessage {
    @inlinable
    public var encodedSize: Int {
        var size = 0
        size += ProtoSize.message(field: 1, header)
        size += ProtoSize.uint64(field: 2, remainingBytes)
        size += ProtoSize.bytes(field: 3, blob)
        return size
    }

    @inlinable
    public func encode(to writer: inout ProtoWriter) {
        writer.writeMessage(field: 1, header)
        writer.writeUInt64(field: 2, remainingBytes)
        writer.writeBytes(field: 3, blob)
    }

    @inlinable
    public init(decoding reader: inout ProtoReader, depth: Int) throws(ProtoDecodeError) {
        self.init()
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 1: header = try reader.readMessage(tag, depth: depth, as: ResponseHeader.self)
            case 2: remainingBytes = try reader.readUInt64(tag)
            case 3: blob = try reader.readBytes(tag)
            default: try reader.skipField(tag)
            }
        }
    }
}

extension MoveLeaderRequest: ProtoMessage {
    @inlinable
    public var encodedSize: Int {
        var size = 0
        size += ProtoSize.uint64(field: 1, targetID)
        return size
    }

    @inlinable
    public func encode(to writer: inout ProtoWriter) {
        writer.writeUInt64(field: 1, targetID)
    }

    @inlinable
    public init(decoding reader: inout ProtoReader, depth: Int) throws(ProtoDecodeError) {
        self.init()
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 1: targetID = try reader.readUInt64(tag)
            default: try reader.skipField(tag)
            }
        }
    }
}

extension MoveLeaderResponse: ProtoMessage {
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
