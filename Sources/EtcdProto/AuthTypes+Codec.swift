// Wire codecs for AuthTypes.swift's messages. Fields are written in field-number order and proto3
// defaults are skipped, as etcd's Go encoder does, so our bytes equal etcd's.

import ProtoWire

extension Permission.PermissionType: ProtoEnum {}

extension UserAddOptions: ProtoMessage {
    @inlinable
    public var encodedSize: Int {
        var size = 0
        size += ProtoSize.bool(field: 1, noPassword)
        return size
    }

    @inlinable
    public func encode(to writer: inout ProtoWriter) {
        writer.writeBool(field: 1, noPassword)
    }

    @inlinable
    public init(decoding reader: inout ProtoReader, depth: Int) throws(ProtoDecodeError) {
        self.init()
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 1: noPassword = try reader.readBool(tag)
            default: try reader.skipField(tag)
            }
        }
    }
}

extension User: ProtoMessage {
    @inlinable
    public var encodedSize: Int {
        var size = 0
        size += ProtoSize.bytes(field: 1, name)
        size += ProtoSize.bytes(field: 2, password)
        size += ProtoSize.strings(field: 3, roles)
        size += ProtoSize.message(field: 4, options)
        return size
    }

    @inlinable
    public func encode(to writer: inout ProtoWriter) {
        writer.writeBytes(field: 1, name)
        writer.writeBytes(field: 2, password)
        writer.writeStrings(field: 3, roles)
        writer.writeMessage(field: 4, options)
    }

    @inlinable
    public init(decoding reader: inout ProtoReader, depth: Int) throws(ProtoDecodeError) {
        self.init()
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 1: name = try reader.readBytes(tag)
            case 2: password = try reader.readBytes(tag)
            case 3: roles.append(try reader.readString(tag))
            case 4: options = try reader.readMessage(tag, depth: depth, as: UserAddOptions.self)
            default: try reader.skipField(tag)
            }
        }
    }
}

extension Permission: ProtoMessage {
    @inlinable
    public var encodedSize: Int {
        var size = 0
        size += ProtoSize.enumValue(field: 1, permType)
        size += ProtoSize.bytes(field: 2, key)
        size += ProtoSize.bytes(field: 3, rangeEnd)
        return size
    }

    @inlinable
    public func encode(to writer: inout ProtoWriter) {
        writer.writeEnum(field: 1, permType)
        writer.writeBytes(field: 2, key)
        writer.writeBytes(field: 3, rangeEnd)
    }

    @inlinable
    public init(decoding reader: inout ProtoReader, depth: Int) throws(ProtoDecodeError) {
        self.init()
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 1: permType = try reader.readEnum(tag)
            case 2: key = try reader.readBytes(tag)
            case 3: rangeEnd = try reader.readBytes(tag)
            default: try reader.skipField(tag)
            }
        }
    }
}

extension Role: ProtoMessage {
    @inlinable
    public var encodedSize: Int {
        var size = 0
        size += ProtoSize.bytes(field: 1, name)
        size += ProtoSize.messages(field: 2, keyPermission)
        return size
    }

    @inlinable
    public func encode(to writer: inout ProtoWriter) {
        writer.writeBytes(field: 1, name)
        writer.writeMessages(field: 2, keyPermission)
    }

    @inlinable
    public init(decoding reader: inout ProtoReader, depth: Int) throws(ProtoDecodeError) {
        self.init()
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 1: name = try reader.readBytes(tag)
            case 2: keyPermission.append(try reader.readMessage(tag, depth: depth, as: Permission.self))
            default: try reader.skipField(tag)
            }
        }
    }
}
