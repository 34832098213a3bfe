// Wire codecs for StoredLease.swift's messages. Fields are written in field-number order and proto3
// defaults are skipped, as etcd's Go encoder does, so our bytes equal etcd's.

import ProtoWire

extension Lease: ProtoMessage {
    @inlinable
    public var encodedSize: Int {
        var size = 0
        size += ProtoSize.int64(field: 1, id)
        size += ProtoSize.int64(field: 2, ttl)
        size += ProtoSize.int64(field: 3, remainingTTL)
        return size
    }

    @inlinable
    public func encode(to writer: inout ProtoWriter) {
        writer.writeInt64(field: 1, id)
        writer.writeInt64(field: 2, ttl)
        writer.writeInt64(field: 3, remainingTTL)
    }

    @inlinable
    public init(decoding reader: inout ProtoReader, depth: Int) throws(ProtoDecodeError) {
        self.init()
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 1: id = try reader.readInt64(tag)
            case 2: ttl = try reader.readInt64(tag)
            case 3: remainingTTL = try reader.readInt64(tag)
            default: try reader.skipField(tag)
            }
        }
    }
}

extension LeaseInternalRequest: ProtoMessage {
    @inlinable
    public var encodedSize: Int {
        var size = 0
        size += ProtoSize.message(field: 1, leaseTimeToLiveRequest)
        return size
    }

    @inlinable
    public func encode(to writer: inout ProtoWriter) {
        writer.writeMessage(field: 1, leaseTimeToLiveRequest)
    }

    @inlinable
    public init(decoding reader: inout ProtoReader, depth: Int) throws(ProtoDecodeError) {
        self.init()
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 1:
                leaseTimeToLiveRequest = try reader.readMessage(tag, depth: depth, as: LeaseTimeToLiveRequest.self)
            default: try reader.skipField(tag)
            }
        }
    }
}

extension LeaseInternalResponse: ProtoMessage {
    @inlinable
    public var encodedSize: Int {
        var size = 0
        size += ProtoSize.message(field: 1, leaseTimeToLiveResponse)
        return size
    }

    @inlinable
    public func encode(to writer: inout ProtoWriter) {
        writer.writeMessage(field: 1, leaseTimeToLiveResponse)
    }

    @inlinable
    public init(decoding reader: inout ProtoReader, depth: Int) throws(ProtoDecodeError) {
        self.init()
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 1:
                leaseTimeToLiveResponse = try reader.readMessage(tag, depth: depth, as: LeaseTimeToLiveResponse.self)
            default: try reader.skipField(tag)
            }
        }
    }
}
