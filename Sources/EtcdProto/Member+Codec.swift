// Wire codecs for Member.swift's messages. Fields are written in field-number order and proto3
// defaults are skipped, as etcd's Go encoder does, so our bytes equal etcd's.

import ProtoWire

extension Member: ProtoMessage {
    @inlinable
    public var encodedSize: Int {
        var size = 0
        size += ProtoSize.uint64(field: 1, id)
        size += ProtoSize.string(field: 2, name)
        size += ProtoSize.strings(field: 3, peerURLs)
        size += ProtoSize.strings(field: 4, clientURLs)
        size += ProtoSize.bool(field: 5, isLearner)
        return size
    }

    @inlinable
    public func encode(to writer: inout ProtoWriter) {
        writer.writeUInt64(field: 1, id)
        writer.writeString(field: 2, name)
        writer.writeStrings(field: 3, peerURLs)
        writer.writeStrings(field: 4, clientURLs)
        writer.writeBool(field: 5, isLearner)
    }

    @inlinable
    public init(decoding reader: inout ProtoReader, depth: Int) throws(ProtoDecodeError) {
        self.init()
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 1: id = try reader.readUInt64(tag)
            case 2: name = try reader.readString(tag)
            case 3: peerURLs.append(try reader.readString(tag))
            case 4: clientURLs.append(try reader.readString(tag))
            case 5: isLearner = try reader.readBool(tag)
            default: try reader.skipField(tag)
            }
        }
    }
}

extension MemberListRequest: ProtoMessage {
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

extension MemberListResponse: ProtoMessage {
    @inlinable
    public var encodedSize: Int {
        var size = 0
        size += ProtoSize.message(field: 1, header)
        size += ProtoSize.messages(field: 2, members)
        return size
    }

    @inlinable
    public func encode(to writer: inout ProtoWriter) {
        writer.writeMessage(field: 1, header)
        writer.writeMessages(field: 2, members)
    }

    @inlinable
    public init(decoding reader: inout ProtoReader, depth: Int) throws(ProtoDecodeError) {
        self.init()
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 1: header = try reader.readMessage(tag, depth: depth, as: ResponseHeader.self)
            case 2: members.append(try reader.readMessage(tag, depth: depth, as: Member.self))
            default: try reader.skipField(tag)
            }
        }
    }
}

extension MemberAddRequest: ProtoMessage {
    @inlinable
    public var encodedSize: Int {
        var size = 0
        size += ProtoSize.strings(field: 1, peerURLs)
        size += ProtoSize.bool(field: 2, isLearner)
        return size
    }

    @inlinable
    public func encode(to writer: inout ProtoWriter) {
        writer.writeStrings(field: 1, peerURLs)
        writer.writeBool(field: 2, isLearner)
    }

    @inlinable
    public init(decoding reader: inout ProtoReader, depth: Int) throws(ProtoDecodeError) {
        self.init()
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 1: peerURLs.append(try reader.readString(tag))
            case 2: isLearner = try reader.readBool(tag)
            default: try reader.skipField(tag)
            }
        }
    }
}

extension MemberAddResponse: ProtoMessage {
    @inlinable
    public var encodedSize: Int {
        var size = 0
        size += ProtoSize.message(field: 1, header)
        size += ProtoSize.message(field: 2, member)
        size += ProtoSize.messages(field: 3, members)
        return size
    }

    @inlinable
    public func encode(to writer: inout ProtoWriter) {
        writer.writeMessage(field: 1, header)
        writer.writeMessage(field: 2, member)
        writer.writeMessages(field: 3, members)
    }

    @inlinable
    public init(decoding reader: inout ProtoReader, depth: Int) throws(ProtoDecodeError) {
        self.init()
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 1: header = try reader.readMessage(tag, depth: depth, as: ResponseHeader.self)
            case 2: member = try reader.readMessage(tag, depth: depth, as: Member.self)
            case 3: members.append(try reader.readMessage(tag, depth: depth, as: Member.self))
            default: try reader.skipField(tag)
            }
        }
    }
}

extension MemberRemoveRequest: ProtoMessage {
    @inlinable
    public var encodedSize: Int {
        var size = 0
        size += ProtoSize.uint64(field: 1, id)
        return size
    }

    @inlinable
    public func encode(to writer: inout ProtoWriter) {
        writer.writeUInt64(field: 1, id)
    }

    @inlinable
    public init(decoding reader: inout ProtoReader, depth: Int) throws(ProtoDecodeError) {
        self.init()
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 1: id = try reader.readUInt64(tag)
            default: try reader.skipField(tag)
            }
        }
    }
}

extension MemberRemoveResponse: ProtoMessage {
    @inlinable
    public var encodedSize: Int {
        var size = 0
        size += ProtoSize.message(field: 1, header)
        size += ProtoSize.messages(field: 2, members)
        return size
    }

    @inlinable
    public func encode(to writer: inout ProtoWriter) {
        writer.writeMessage(field: 1, header)
        writer.writeMessages(field: 2, members)
    }

    @inlinable
    public init(decoding reader: inout ProtoReader, depth: Int) throws(ProtoDecodeError) {
        self.init()
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 1: header = try reader.readMessage(tag, depth: depth, as: ResponseHeader.self)
            case 2: members.append(try reader.readMessage(tag, depth: depth, as: Member.self))
            default: try reader.skipField(tag)
            }
        }
    }
}

extension MemberUpdateRequest: ProtoMessage {
    @inlinable
    public var encodedSize: Int {
        var size = 0
        size += ProtoSize.uint64(field: 1, id)
        size += ProtoSize.strings(field: 2, peerURLs)
        return size
    }

    @inlinable
    public func encode(to writer: inout ProtoWriter) {
        writer.writeUInt64(field: 1, id)
        writer.writeStrings(field: 2, peerURLs)
    }

    @inlinable
    public init(decoding reader: inout ProtoReader, depth: Int) throws(ProtoDecodeError) {
        self.init()
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 1: id = try reader.readUInt64(tag)
            case 2: peerURLs.append(try reader.readString(tag))
            default: try reader.skipField(tag)
            }
        }
    }
}

extension MemberUpdateResponse: ProtoMessage {
    @inlinable
    public var encodedSize: Int {
        var size = 0
        size += ProtoSize.message(field: 1, header)
        size += ProtoSize.messages(field: 2, members)
        return size
    }

    @inlinable
    public func encode(to writer: inout ProtoWriter) {
        writer.writeMessage(field: 1, header)
        writer.writeMessages(field: 2, members)
    }

    @inlinable
    public init(decoding reader: inout ProtoReader, depth: Int) throws(ProtoDecodeError) {
        self.init()
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 1: header = try reader.readMessage(tag, depth: depth, as: ResponseHeader.self)
            case 2: members.append(try reader.readMessage(tag, depth: depth, as: Member.self))
            default: try reader.skipField(tag)
            }
        }
    }
}

extension MemberPromoteRequest: ProtoMessage {
    @inlinable
    public var encodedSize: Int {
        var size = 0
        size += ProtoSize.uint64(field: 1, id)
        return size
    }

    @inlinable
    public func encode(to writer: inout ProtoWriter) {
        writer.writeUInt64(field: 1, id)
    }

    @inlinable
    public init(decoding reader: inout ProtoReader, depth: Int) throws(ProtoDecodeError) {
        self.init()
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 1: id = try reader.readUInt64(tag)
            default: try reader.skipField(tag)
            }
        }
    }
}

extension MemberPromoteResponse: ProtoMessage {
    @inlinable
    public var encodedSize: Int {
        var size = 0
        size += ProtoSize.message(field: 1, header)
        size += ProtoSize.messages(field: 2, members)
        return size
    }

    @inlinable
    public func encode(to writer: inout ProtoWriter) {
        writer.writeMessage(field: 1, header)
        writer.writeMessages(field: 2, members)
    }

    @inlinable
    public init(decoding reader: inout ProtoReader, depth: Int) throws(ProtoDecodeError) {
        self.init()
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 1: header = try reader.readMessage(tag, depth: depth, as: ResponseHeader.self)
            case 2: members.append(try reader.readMessage(tag, depth: depth, as: Member.self))
            default: try reader.skipField(tag)
            }
        }
    }
}
