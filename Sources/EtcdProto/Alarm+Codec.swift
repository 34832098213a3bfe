// Wire codecs for Alarm.swift's messages. Fields are written in field-number order and proto3
// defaults are skipped, as etcd's Go encoder does, so our bytes equal etcd's.

import ProtoWire

extension AlarmRequest.AlarmAction: ProtoEnum {}
extension AlarmType: ProtoEnum {}

extension AlarmRequest: ProtoMessage {
    @inlinable
    public var encodedSize: Int {
        var size = 0
        size += ProtoSize.enumValue(field: 1, action)
        size += ProtoSize.uint64(field: 2, memberID)
        size += ProtoSize.enumValue(field: 3, alarm)
        return size
    }

    @inlinable
    public func encode(to writer: inout ProtoWriter) {
        writer.writeEnum(field: 1, action)
        writer.writeUInt64(field: 2, memberID)
        writer.writeEnum(field: 3, alarm)
    }

    @inlinable
    public init(decoding reader: inout ProtoReader, depth: Int) throws(ProtoDecodeError) {
        self.init()
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 1: action = try reader.readEnum(tag)
            case 2: memberID = try reader.readUInt64(tag)
            case 3: alarm = try reader.readEnum(tag)
            default: try reader.skipField(tag)
            }
        }
    }
}

extension AlarmMember: ProtoMessage {
    @inlinable
    public var encodedSize: Int {
        var size = 0
        size += ProtoSize.uint64(field: 1, memberID)
        size += ProtoSize.enumValue(field: 2, alarm)
        return size
    }

    @inlinable
    public func encode(to writer: inout ProtoWriter) {
        writer.writeUInt64(field: 1, memberID)
        writer.writeEnum(field: 2, alarm)
    }

    @inlinable
    public init(decoding reader: inout ProtoReader, depth: Int) throws(ProtoDecodeError) {
        self.init()
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 1: memberID = try reader.readUInt64(tag)
            case 2: alarm = try reader.readEnum(tag)
            default: try reader.skipField(tag)
            }
        }
    }
}

extension AlarmResponse: ProtoMessage {
    @inlinable
    public var encodedSize: Int {
        var size = 0
        size += ProtoSize.message(field: 1, header)
        size += ProtoSize.messages(field: 2, alarms)
        return size
    }

    @inlinable
    public func encode(to writer: inout ProtoWriter) {
        writer.writeMessage(field: 1, header)
        writer.writeMessages(field: 2, alarms)
    }

    @inlinable
    public init(decoding reader: inout ProtoReader, depth: Int) throws(ProtoDecodeError) {
        self.init()
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 1: header = try reader.readMessage(tag, depth: depth, as: ResponseHeader.self)
            case 2: alarms.append(try reader.readMessage(tag, depth: depth, as: AlarmMember.self))
            default: try reader.skipField(tag)
            }
        }
    }
}
