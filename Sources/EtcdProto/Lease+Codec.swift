// Wire codecs for Lease.swift's messages. Fields are written in field-number order and proto3
// defaults are skipped, as etcd's Go encoder does, so our bytes equal etcd's.

import ProtoWire

extension LeaseGrantRequest: ProtoMessage {
    @inlinable
    public var encodedSize: Int {
        var size = 0
        size += ProtoSize.int64(field: 1, ttl)
        size += ProtoSize.int64(field: 2, id)
        return size
    }

    @inlinable
    public func encode(to writer: inout ProtoWriter) {
        writer.writeInt64(field: 1, ttl)
        writer.writeInt64(field: 2, id)
    }

    @inlinable
    public init(decoding reader: inout ProtoReader, depth: Int) throws(ProtoDecodeError) {
        self.init()
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 1: ttl = try reader.readInt64(tag)
            case 2: id = try reader.readInt64(tag)
            default: try reader.skipField(tag)
            }
        }
    }
}

extension LeaseGrantResponse: ProtoMessage {
    @inlinable
    public var encodedSize: Int {
        var size = 0
        size += ProtoSize.message(field: 1, header)
        size += ProtoSize.int64(field: 2, id)
        size += ProtoSize.int64(field: 3, ttl)
        size += ProtoSize.string(field: 4, error)
        return size
    }

    @inlinable
    public func encode(to writer: inout ProtoWriter) {
        writer.writeMessage(field: 1, header)
        writer.writeInt64(field: 2, id)
        writer.writeInt64(field: 3, ttl)
        writer.writeString(field: 4, error)
    }

    @inlinable
    public init(decoding reader: inout ProtoReader, depth: Int) throws(ProtoDecodeError) {
        self.init()
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 1: header = try reader.readMessage(tag, depth: depth, as: ResponseHeader.self)
            case 2: id = try reader.readInt64(tag)
            case 3: ttl = try reader.readInt64(tag)
            case 4: error = try reader.readString(tag)
            default: try reader.skipField(tag)
            }
        }
    }
}

extension LeaseRevokeRequest: ProtoMessage {
    @inlinable
    public var encodedSize: Int {
        var size = 0
        size += ProtoSize.int64(field: 1, id)
        return size
    }

    @inlinable
    public func encode(to writer: inout ProtoWriter) {
        writer.writeInt64(field: 1, id)
    }

    @inlinable
    public init(decoding reader: inout ProtoReader, depth: Int) throws(ProtoDecodeError) {
        self.init()
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 1: id = try reader.readInt64(tag)
            default: try reader.skipField(tag)
            }
        }
    }
}

extension LeaseRevokeResponse: ProtoMessage {
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

extension LeaseCheckpoint: ProtoMessage {
    @inlinable
    public var encodedSize: Int {
        var size = 0
        size += ProtoSize.int64(field: 1, id)
        size += ProtoSize.int64(field: 2, remainingTTL)
        return size
    }

    @inlinable
    public func encode(to writer: inout ProtoWriter) {
        writer.writeInt64(field: 1, id)
        writer.writeInt64(field: 2, remainingTTL)
    }

    @inlinable
    public init(decoding reader: inout ProtoReader, depth: Int) throws(ProtoDecodeError) {
        self.init()
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 1: id = try reader.readInt64(tag)
            case 2: remainingTTL = try reader.readInt64(tag)
            default: try reader.skipField(tag)
            }
        }
    }
}

extension LeaseCheckpointRequest: ProtoMessage {
    @inlinable
    public var encodedSize: Int {
        var size = 0
        size += ProtoSize.messages(field: 1, checkpoints)
        return size
    }

    @inlinable
    public func encode(to writer: inout ProtoWriter) {
        writer.writeMessages(field: 1, checkpoints)
    }

    @inlinable
    public init(decoding reader: inout ProtoReader, depth: Int) throws(ProtoDecodeError) {
        self.init()
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 1: checkpoints.append(try reader.readMessage(tag, depth: depth, as: LeaseCheckpoint.self))
            default: try reader.skipField(tag)
            }
        }
    }
}

extension LeaseCheckpointResponse: ProtoMessage {
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

extension LeaseKeepAliveRequest: ProtoMessage {
    @inlinable
    public var encodedSize: Int {
        var size = 0
        size += ProtoSize.int64(field: 1, id)
        return size
    }

    @inlinable
    public func encode(to writer: inout ProtoWriter) {
        writer.writeInt64(field: 1, id)
    }

    @inlinable
    public init(decoding reader: inout ProtoReader, depth: Int) throws(ProtoDecodeError) {
        self.init()
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 1: id = try reader.readInt64(tag)
            default: try reader.skipField(tag)
            }
        }
    }
}

extension LeaseKeepAliveResponse: ProtoMessage {
    @inlinable
    public var encodedSize: Int {
        var size = 0
        size += ProtoSize.message(field: 1, header)
        size += ProtoSize.int64(field: 2, id)
        size += ProtoSize.int64(field: 3, ttl)
        return size
    }

    @inlinable
    public func encode(to writer: inout ProtoWriter) {
        writer.writeMessage(field: 1, header)
        writer.writeInt64(field: 2, id)
        writer.writeInt64(field: 3, ttl)
    }

    @inlinable
    public init(decoding reader: inout ProtoReader, depth: Int) throws(ProtoDecodeError) {
        self.init()
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 1: header = try reader.readMessage(tag, depth: depth, as: ResponseHeader.self)
            case 2: id = try reader.readInt64(tag)
            case 3: ttl = try reader.readInt64(tag)
            default: try reader.skipField(tag)
            }
        }
    }
}

extension LeaseTimeToLiveRequest: ProtoMessage {
    @inlinable
    public var encodedSize: Int {
        var size = 0
        size += ProtoSize.int64(field: 1, id)
        size += ProtoSize.bool(field: 2, keys)
        return size
    }

    @inlinable
    public func encode(to writer: inout ProtoWriter) {
        writer.writeInt64(field: 1, id)
        writer.writeBool(field: 2, keys)
    }

    @inlinable
    public init(decoding reader: inout ProtoReader, depth: Int) throws(ProtoDecodeError) {
        self.init()
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 1: id = try reader.readInt64(tag)
            case 2: keys = try reader.readBool(tag)
            default: try reader.skipField(tag)
            }
        }
    }
}

extension LeaseTimeToLiveResponse: ProtoMessage {
    @inlinable
    public var encodedSize: Int {
        var size = 0
        size += ProtoSize.message(field: 1, header)
        size += ProtoSize.int64(field: 2, id)
        size += ProtoSize.int64(field: 3, ttl)
        size += ProtoSize.int64(field: 4, grantedTTL)
        size += ProtoSize.repeatedBytes(field: 5, keys)
        return size
    }

    @inlinable
    public func encode(to writer: inout ProtoWriter) {
        writer.writeMessage(field: 1, header)
        writer.writeInt64(field: 2, id)
        writer.writeInt64(field: 3, ttl)
        writer.writeInt64(field: 4, grantedTTL)
        writer.writeRepeatedBytes(field: 5, keys)
    }

    @inlinable
    public init(decoding reader: inout ProtoReader, depth: Int) throws(ProtoDecodeError) {
        self.init()
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 1: header = try reader.readMessage(tag, depth: depth, as: ResponseHeader.self)
            case 2: id = try reader.readInt64(tag)
            case 3: ttl = try reader.readInt64(tag)
            case 4: grantedTTL = try reader.readInt64(tag)
            case 5: keys.append(try reader.readBytes(tag))
            default: try reader.skipField(tag)
            }
        }
    }
}

extension LeaseLeasesRequest: ProtoMessage {
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

extension LeaseStatus: ProtoMessage {
    @inlinable
    public var encodedSize: Int {
        var size = 0
        size += ProtoSize.int64(field: 1, id)
        return size
    }

    @inlinable
    public func encode(to writer: inout ProtoWriter) {
        writer.writeInt64(field: 1, id)
    }

    @inlinable
    public init(decoding reader: inout ProtoReader, depth: Int) throws(ProtoDecodeError) {
        self.init()
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 1: id = try reader.readInt64(tag)
            default: try reader.skipField(tag)
            }
        }
    }
}

extension LeaseLeasesResponse: ProtoMessage {
    @inlinable
    public var encodedSize: Int {
        var size = 0
        size += ProtoSize.message(field: 1, header)
        size += ProtoSize.messages(field: 2, leases)
        return size
    }

    @inlinable
    public func encode(to writer: inout ProtoWriter) {
        writer.writeMessage(field: 1, header)
        writer.writeMessages(field: 2, leases)
    }

    @inlinable
    public init(decoding reader: inout ProtoReader, depth: Int) throws(ProtoDecodeError) {
        self.init()
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 1: header = try reader.readMessage(tag, depth: depth, as: ResponseHeader.self)
            case 2: leases.append(try reader.readMessage(tag, depth: depth, as: LeaseStatus.self))
            default: try reader.skipField(tag)
            }
        }
    }
}
