// Wire codecs for Status.swift's messages. Fields are written in field-number order and proto3
// defaults are skipped, as etcd's Go encoder does, so our bytes equal etcd's.

import ProtoWire

extension StatusRequest: ProtoMessage {
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

extension StatusResponse: ProtoMessage {
    @inlinable
    public var encodedSize: Int {
        var size = 0
        size += ProtoSize.message(field: 1, header)
        size += ProtoSize.string(field: 2, version)
        size += ProtoSize.int64(field: 3, dbSize)
        size += ProtoSize.uint64(field: 4, leader)
        size += ProtoSize.uint64(field: 5, raftIndex)
        size += ProtoSize.uint64(field: 6, raftTerm)
        size += ProtoSize.uint64(field: 7, raftAppliedIndex)
        size += ProtoSize.strings(field: 8, errors)
        size += ProtoSize.int64(field: 9, dbSizeInUse)
        size += ProtoSize.bool(field: 10, isLearner)
        return size
    }

    @inlinable
    public func encode(to writer: inout ProtoWriter) {
        writer.writeMessage(field: 1, header)
        writer.writeString(field: 2, version)
        writer.writeInt64(field: 3, dbSize)
        writer.writeUInt64(field: 4, leader)
        writer.writeUInt64(field: 5, raftIndex)
        writer.writeUInt64(field: 6, raftTerm)
        writer.writeUInt64(field: 7, raftAppliedIndex)
        writer.writeStrings(field: 8, errors)
        writer.writeInt64(field: 9, dbSizeInUse)
        writer.writeBool(field: 10, isLearner)
    }

    @inlinable
    public init(decoding reader: inout ProtoReader, depth: Int) throws(ProtoDecodeError) {
        self.init()
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 1: header = try reader.readMessage(tag, depth: depth, as: ResponseHeader.self)
            case 2: version = try reader.readString(tag)
            case 3: dbSize = try reader.readInt64(tag)
            case 4: leader = try reader.readUInt64(tag)
            case 5: raftIndex = try reader.readUInt64(tag)
            case 6: raftTerm = try reader.readUInt64(tag)
            case 7: raftAppliedIndex = try reader.readUInt64(tag)
            case 8: errors.append(try reader.readString(tag))
            case 9: dbSizeInUse = try reader.readInt64(tag)
            case 10: isLearner = try reader.readBool(tag)
            default: try reader.skipField(tag)
            }
        }
    }
}
