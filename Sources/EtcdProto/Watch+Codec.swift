// Wire codecs for Watch.swift's messages. Fields are written in field-number order and proto3
// defaults are skipped, as etcd's Go encoder does, so our bytes equal etcd's.

import ProtoWire

extension WatchCreateRequest.FilterType: ProtoEnum {}

extension WatchRequest: ProtoMessage {
    @inlinable
    public var encodedSize: Int {
        var size = 0
        switch requestUnion {
        case .createRequest(let value): size += ProtoSize.message(field: 1, value)
        case .cancelRequest(let value): size += ProtoSize.message(field: 2, value)
        case .progressRequest(let value): size += ProtoSize.message(field: 3, value)
        case nil: break
        }
        return size
    }

    @inlinable
    public func encode(to writer: inout ProtoWriter) {
        switch requestUnion {
        case .createRequest(let value): writer.writeMessage(field: 1, value)
        case .cancelRequest(let value): writer.writeMessage(field: 2, value)
        case .progressRequest(let value): writer.writeMessage(field: 3, value)
        case nil: break
        }
    }

    @inlinable
    public init(decoding reader: inout ProtoReader, depth: Int) throws(ProtoDecodeError) {
        self.init()
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 1:
                requestUnion = .createRequest(try reader.readMessage(tag, depth: depth, as: WatchCreateRequest.self))
            case 2:
                requestUnion = .cancelRequest(try reader.readMessage(tag, depth: depth, as: WatchCancelRequest.self))
            case 3:
                requestUnion = .progressRequest(try reader.readMessage(tag, depth: depth, as: WatchProgressRequest.self))
            default: try reader.skipField(tag)
            }
        }
    }
}

extension WatchCreateRequest: ProtoMessage {
    @inlinable
    public var encodedSize: Int {
        var size = 0
        size += ProtoSize.bytes(field: 1, key)
        size += ProtoSize.bytes(field: 2, rangeEnd)
        size += ProtoSize.int64(field: 3, startRevision)
        size += ProtoSize.bool(field: 4, progressNotify)
        size += ProtoSize.packedEnums(field: 5, filters)
        size += ProtoSize.bool(field: 6, prevKv)
        size += ProtoSize.int64(field: 7, watchId)
        size += ProtoSize.bool(field: 8, fragment)
        return size
    }

    @inlinable
    public func encode(to writer: inout ProtoWriter) {
        writer.writeBytes(field: 1, key)
        writer.writeBytes(field: 2, rangeEnd)
        writer.writeInt64(field: 3, startRevision)
        writer.writeBool(field: 4, progressNotify)
        writer.writePackedEnums(field: 5, filters)
        writer.writeBool(field: 6, prevKv)
        writer.writeInt64(field: 7, watchId)
        writer.writeBool(field: 8, fragment)
    }

    @inlinable
    public init(decoding reader: inout ProtoReader, depth: Int) throws(ProtoDecodeError) {
        self.init()
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 1: key = try reader.readBytes(tag)
            case 2: rangeEnd = try reader.readBytes(tag)
            case 3: startRevision = try reader.readInt64(tag)
            case 4: progressNotify = try reader.readBool(tag)
            case 5: try reader.readRepeatedEnum(tag, into: &filters)
            case 6: prevKv = try reader.readBool(tag)
            case 7: watchId = try reader.readInt64(tag)
            case 8: fragment = try reader.readBool(tag)
            default: try reader.skipField(tag)
            }
        }
    }
}

extension WatchCancelRequest: ProtoMessage {
    @inlinable
    public var encodedSize: Int {
        var size = 0
        size += ProtoSize.int64(field: 1, watchId)
        return size
    }

    @inlinable
    public func encode(to writer: inout ProtoWriter) {
        writer.writeInt64(field: 1, watchId)
    }

    @inlinable
    public init(decoding reader: inout ProtoReader, depth: Int) throws(ProtoDecodeError) {
        self.init()
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 1: watchId = try reader.readInt64(tag)
            default: try reader.skipField(tag)
            }
        }
    }
}

extension WatchProgressRequest: ProtoMessage {
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

extension WatchResponse: ProtoMessage {
    @inlinable
    public var encodedSize: Int {
        var size = 0
        size += ProtoSize.message(field: 1, header)
        size += ProtoSize.int64(field: 2, watchId)
        size += ProtoSize.bool(field: 3, created)
        size += ProtoSize.bool(field: 4, canceled)
        size += ProtoSize.int64(field: 5, compactRevision)
        size += ProtoSize.string(field: 6, cancelReason)
        size += ProtoSize.bool(field: 7, fragment)
        size += ProtoSize.messages(field: 11, events)
        return size
    }

    @inlinable
    public func encode(to writer: inout ProtoWriter) {
        writer.writeMessage(field: 1, header)
        writer.writeInt64(field: 2, watchId)
        writer.writeBool(field: 3, created)
        writer.writeBool(field: 4, canceled)
        writer.writeInt64(field: 5, compactRevision)
        writer.writeString(field: 6, cancelReason)
        writer.writeBool(field: 7, fragment)
        writer.writeMessages(field: 11, events)
    }

    @inlinable
    public init(decoding reader: inout ProtoReader, depth: Int) throws(ProtoDecodeError) {
        self.init()
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 1: header = try reader.readMessage(tag, depth: depth, as: ResponseHeader.self)
            case 2: watchId = try reader.readInt64(tag)
            case 3: created = try reader.readBool(tag)
            case 4: canceled = try reader.readBool(tag)
            case 5: compactRevision = try reader.readInt64(tag)
            case 6: cancelReason = try reader.readString(tag)
            case 7: fragment = try reader.readBool(tag)
            case 11: events.append(try reader.readMessage(tag, depth: depth, as: Event.self))
            default: try reader.skipField(tag)
            }
        }
    }
}
