// Wire codecs for Auth.swift's messages. Fields are written in field-number order and proto3
// defaults are skipped, as etcd's Go encoder does, so our bytes equal etcd's.

import ProtoWire

extension AuthEnableRequest: ProtoMessage {
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

extension AuthEnableResponse: ProtoMessage {
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

extension AuthDisableRequest: ProtoMessage {
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

extension AuthDisableResponse: ProtoMessage {
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

extension AuthenticateRequest: ProtoMessage {
    @inlinable
    public var encodedSize: Int {
        var size = 0
        size += ProtoSize.string(field: 1, name)
        size += ProtoSize.string(field: 2, password)
        return size
    }

    @inlinable
    public func encode(to writer: inout ProtoWriter) {
        writer.writeString(field: 1, name)
        writer.writeString(field: 2, password)
    }

    @inlinable
    public init(decoding reader: inout ProtoReader, depth: Int) throws(ProtoDecodeError) {
        self.init()
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 1: name = try reader.readString(tag)
            case 2: password = try reader.readString(tag)
            default: try reader.skipField(tag)
            }
        }
    }
}

extension AuthenticateResponse: ProtoMessage {
    @inlinable
    public var encodedSize: Int {
        var size = 0
        size += ProtoSize.message(field: 1, header)
        size += ProtoSize.string(field: 2, token)
        return size
    }

    @inlinable
    public func encode(to writer: inout ProtoWriter) {
        writer.writeMessage(field: 1, header)
        writer.writeString(field: 2, token)
    }

    @inlinable
    public init(decoding reader: inout ProtoReader, depth: Int) throws(ProtoDecodeError) {
        self.init()
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 1: header = try reader.readMessage(tag, depth: depth, as: ResponseHeader.self)
            case 2: token = try reader.readString(tag)
            default: try reader.skipField(tag)
            }
        }
    }
}

extension AuthUserAddRequest: ProtoMessage {
    @inlinable
    public var encodedSize: Int {
        var size = 0
        size += ProtoSize.string(field: 1, name)
        size += ProtoSize.string(field: 2, password)
        size += ProtoSize.message(field: 3, options)
        size += ProtoSize.string(field: 4, hashedPassword)
        return size
    }

    @inlinable
    public func encode(to writer: inout ProtoWriter) {
        writer.writeString(field: 1, name)
        writer.writeString(field: 2, password)
        writer.writeMessage(field: 3, options)
        writer.writeString(field: 4, hashedPassword)
    }

    @inlinable
    public init(decoding reader: inout ProtoReader, depth: Int) throws(ProtoDecodeError) {
        self.init()
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 1: name = try reader.readString(tag)
            case 2: password = try reader.readString(tag)
            case 3: options = try reader.readMessage(tag, depth: depth, as: UserAddOptions.self)
            // etcd 3.5's field, which etcd 3.4 does not know: read only in its own wire type,
            // else skipped as 3.4 skips any unknown field.
            case 4 where tag.wireType == .lengthDelimited: hashedPassword = try reader.readString(tag)
            default: try reader.skipField(tag)
            }
        }
    }
}

extension AuthUserAddResponse: ProtoMessage {
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

extension AuthUserGetRequest: ProtoMessage {
    @inlinable
    public var encodedSize: Int {
        var size = 0
        size += ProtoSize.string(field: 1, name)
        return size
    }

    @inlinable
    public func encode(to writer: inout ProtoWriter) {
        writer.writeString(field: 1, name)
    }

    @inlinable
    public init(decoding reader: inout ProtoReader, depth: Int) throws(ProtoDecodeError) {
        self.init()
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 1: name = try reader.readString(tag)
            default: try reader.skipField(tag)
            }
        }
    }
}

extension AuthUserGetResponse: ProtoMessage {
    @inlinable
    public var encodedSize: Int {
        var size = 0
        size += ProtoSize.message(field: 1, header)
        size += ProtoSize.strings(field: 2, roles)
        return size
    }

    @inlinable
    public func encode(to writer: inout ProtoWriter) {
        writer.writeMessage(field: 1, header)
        writer.writeStrings(field: 2, roles)
    }

    @inlinable
    public init(decoding reader: inout ProtoReader, depth: Int) throws(ProtoDecodeError) {
        self.init()
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 1: header = try reader.readMessage(tag, depth: depth, as: ResponseHeader.self)
            case 2: roles.append(try reader.readString(tag))
            default: try reader.skipField(tag)
            }
        }
    }
}

extension AuthUserDeleteRequest: ProtoMessage {
    @inlinable
    public var encodedSize: Int {
        var size = 0
        size += ProtoSize.string(field: 1, name)
        return size
    }

    @inlinable
    public func encode(to writer: inout ProtoWriter) {
        writer.writeString(field: 1, name)
    }

    @inlinable
    public init(decoding reader: inout ProtoReader, depth: Int) throws(ProtoDecodeError) {
        self.init()
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 1: name = try reader.readString(tag)
            default: try reader.skipField(tag)
            }
        }
    }
}

extension AuthUserDeleteResponse: ProtoMessage {
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

extension AuthUserChangePasswordRequest: ProtoMessage {
    @inlinable
    public var encodedSize: Int {
        var size = 0
        size += ProtoSize.string(field: 1, name)
        size += ProtoSize.string(field: 2, password)
        size += ProtoSize.string(field: 3, hashedPassword)
        return size
    }

    @inlinable
    public func encode(to writer: inout ProtoWriter) {
        writer.writeString(field: 1, name)
        writer.writeString(field: 2, password)
        writer.writeString(field: 3, hashedPassword)
    }

    @inlinable
    public init(decoding reader: inout ProtoReader, depth: Int) throws(ProtoDecodeError) {
        self.init()
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 1: name = try reader.readString(tag)
            case 2: password = try reader.readString(tag)
            case 3 where tag.wireType == .lengthDelimited: hashedPassword = try reader.readString(tag)
            default: try reader.skipField(tag)
            }
        }
    }
}

extension AuthUserChangePasswordResponse: ProtoMessage {
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

extension AuthUserGrantRoleRequest: ProtoMessage {
    @inlinable
    public var encodedSize: Int {
        var size = 0
        size += ProtoSize.string(field: 1, user)
        size += ProtoSize.string(field: 2, role)
        return size
    }

    @inlinable
    public func encode(to writer: inout ProtoWriter) {
        writer.writeString(field: 1, user)
        writer.writeString(field: 2, role)
    }

    @inlinable
    public init(decoding reader: inout ProtoReader, depth: Int) throws(ProtoDecodeError) {
        self.init()
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 1: user = try reader.readString(tag)
            case 2: role = try reader.readString(tag)
            default: try reader.skipField(tag)
            }
        }
    }
}

extension AuthUserGrantRoleResponse: ProtoMessage {
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

extension AuthUserRevokeRoleRequest: ProtoMessage {
    @inlinable
    public var encodedSize: Int {
        var size = 0
        size += ProtoSize.string(field: 1, name)
        size += ProtoSize.string(field: 2, role)
        return size
    }

    @inlinable
    public func encode(to writer: inout ProtoWriter) {
        writer.writeString(field: 1, name)
        writer.writeString(field: 2, role)
    }

    @inlinable
    public init(decoding reader: inout ProtoReader, depth: Int) throws(ProtoDecodeError) {
        self.init()
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 1: name = try reader.readString(tag)
            case 2: role = try reader.readString(tag)
            default: try reader.skipField(tag)
            }
        }
    }
}

extension AuthUserRevokeRoleResponse: ProtoMessage {
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

extension AuthRoleAddRequest: ProtoMessage {
    @inlinable
    public var encodedSize: Int {
        var size = 0
        size += ProtoSize.string(field: 1, name)
        return size
    }

    @inlinable
    public func encode(to writer: inout ProtoWriter) {
        writer.writeString(field: 1, name)
    }

    @inlinable
    public init(decoding reader: inout ProtoReader, depth: Int) throws(ProtoDecodeError) {
        self.init()
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 1: name = try reader.readString(tag)
            default: try reader.skipField(tag)
            }
        }
    }
}

extension AuthRoleAddResponse: ProtoMessage {
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

extension AuthRoleGetRequest: ProtoMessage {
    @inlinable
    public var encodedSize: Int {
        var size = 0
        size += ProtoSize.string(field: 1, role)
        return size
    }

    @inlinable
    public func encode(to writer: inout ProtoWriter) {
        writer.writeString(field: 1, role)
    }

    @inlinable
    public init(decoding reader: inout ProtoReader, depth: Int) throws(ProtoDecodeError) {
        self.init()
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 1: role = try reader.readString(tag)
            default: try reader.skipField(tag)
            }
        }
    }
}

extension AuthRoleGetResponse: ProtoMessage {
    @inlinable
    public var encodedSize: Int {
        var size = 0
        size += ProtoSize.message(field: 1, header)
        size += ProtoSize.messages(field: 2, perm)
        return size
    }

    @inlinable
    public func encode(to writer: inout ProtoWriter) {
        writer.writeMessage(field: 1, header)
        writer.writeMessages(field: 2, perm)
    }

    @inlinable
    public init(decoding reader: inout ProtoReader, depth: Int) throws(ProtoDecodeError) {
        self.init()
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 1: header = try reader.readMessage(tag, depth: depth, as: ResponseHeader.self)
            case 2: perm.append(try reader.readMessage(tag, depth: depth, as: Permission.self))
            default: try reader.skipField(tag)
            }
        }
    }
}

extension AuthUserListRequest: ProtoMessage {
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

extension AuthUserListResponse: ProtoMessage {
    @inlinable
    public var encodedSize: Int {
        var size = 0
        size += ProtoSize.message(field: 1, header)
        size += ProtoSize.strings(field: 2, users)
        return size
    }

    @inlinable
    public func encode(to writer: inout ProtoWriter) {
        writer.writeMessage(field: 1, header)
        writer.writeStrings(field: 2, users)
    }

    @inlinable
    public init(decoding reader: inout ProtoReader, depth: Int) throws(ProtoDecodeError) {
        self.init()
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 1: header = try reader.readMessage(tag, depth: depth, as: ResponseHeader.self)
            case 2: users.append(try reader.readString(tag))
            default: try reader.skipField(tag)
            }
        }
    }
}

extension AuthRoleListRequest: ProtoMessage {
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

extension AuthRoleListResponse: ProtoMessage {
    @inlinable
    public var encodedSize: Int {
        var size = 0
        size += ProtoSize.message(field: 1, header)
        size += ProtoSize.strings(field: 2, roles)
        return size
    }

    @inlinable
    public func encode(to writer: inout ProtoWriter) {
        writer.writeMessage(field: 1, header)
        writer.writeStrings(field: 2, roles)
    }

    @inlinable
    public init(decoding reader: inout ProtoReader, depth: Int) throws(ProtoDecodeError) {
        self.init()
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 1: header = try reader.readMessage(tag, depth: depth, as: ResponseHeader.self)
            case 2: roles.append(try reader.readString(tag))
            default: try reader.skipField(tag)
            }
        }
    }
}

extension AuthRoleDeleteRequest: ProtoMessage {
    @inlinable
    public var encodedSize: Int {
        var size = 0
        size += ProtoSize.string(field: 1, role)
        return size
    }

    @inlinable
    public func encode(to writer: inout ProtoWriter) {
        writer.writeString(field: 1, role)
    }

    @inlinable
    public init(decoding reader: inout ProtoReader, depth: Int) throws(ProtoDecodeError) {
        self.init()
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 1: role = try reader.readString(tag)
            default: try reader.skipField(tag)
            }
        }
    }
}

extension AuthRoleDeleteResponse: ProtoMessage {
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

extension AuthRoleGrantPermissionRequest: ProtoMessage {
    @inlinable
    public var encodedSize: Int {
        var size = 0
        size += ProtoSize.string(field: 1, name)
        size += ProtoSize.message(field: 2, perm)
        return size
    }

    @inlinable
    public func encode(to writer: inout ProtoWriter) {
        writer.writeString(field: 1, name)
        writer.writeMessage(field: 2, perm)
    }

    @inlinable
    public init(decoding reader: inout ProtoReader, depth: Int) throws(ProtoDecodeError) {
        self.init()
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 1: name = try reader.readString(tag)
            case 2: perm = try reader.readMessage(tag, depth: depth, as: Permission.self)
            default: try reader.skipField(tag)
            }
        }
    }
}

extension AuthRoleGrantPermissionResponse: ProtoMessage {
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

extension AuthRoleRevokePermissionRequest: ProtoMessage {
    @inlinable
    public var encodedSize: Int {
        var size = 0
        size += ProtoSize.string(field: 1, role)
        size += ProtoSize.bytes(field: 2, key)
        size += ProtoSize.bytes(field: 3, rangeEnd)
        return size
    }

    @inlinable
    public func encode(to writer: inout ProtoWriter) {
        writer.writeString(field: 1, role)
        writer.writeBytes(field: 2, key)
        writer.writeBytes(field: 3, rangeEnd)
    }

    @inlinable
    public init(decoding reader: inout ProtoReader, depth: Int) throws(ProtoDecodeError) {
        self.init()
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 1: role = try reader.readString(tag)
            case 2: key = try reader.readBytes(tag)
            case 3: rangeEnd = try reader.readBytes(tag)
            default: try reader.skipField(tag)
            }
        }
    }
}

extension AuthRoleRevokePermissionResponse: ProtoMessage {
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

extension AuthStatusRequest: ProtoMessage {
    @inlinable
    public var encodedSize: Int { 0 }

    @inlinable
    public func encode(to writer: inout ProtoWriter) {}

    @inlinable
    public init(decoding reader: inout ProtoReader, depth: Int) throws(ProtoDecodeError) {
        self.init()
        while let tag = try reader.nextTag() {
            try reader.skipField(tag)
        }
    }
}

extension AuthStatusResponse: ProtoMessage {
    @inlinable
    public var encodedSize: Int {
        var size = 0
        size += ProtoSize.message(field: 1, header)
        size += ProtoSize.bool(field: 2, enabled)
        size += ProtoSize.uint64(field: 3, authRevision)
        return size
    }

    @inlinable
    public func encode(to writer: inout ProtoWriter) {
        writer.writeMessage(field: 1, header)
        writer.writeBool(field: 2, enabled)
        writer.writeUInt64(field: 3, authRevision)
    }

    @inlinable
    public init(decoding reader: inout ProtoReader, depth: Int) throws(ProtoDecodeError) {
        self.init()
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 1: header = try reader.readMessage(tag, depth: depth, as: ResponseHeader.self)
            case 2: enabled = try reader.readBool(tag)
            case 3: authRevision = try reader.readUInt64(tag)
            default: try reader.skipField(tag)
            }
        }
    }
}
