// Wire codecs for Compare.swift's messages. Fields are written in field-number order and proto3
// defaults are skipped, as etcd's Go encoder does, so our bytes equal etcd's.

import ProtoWire

extension Compare.CompareResult: ProtoEnum {}
extension Compare.CompareTarget: ProtoEnum {}

extension Compare: ProtoMessage {
    @inlinable
    public var encodedSize: Int {
        var size = 0
        size += ProtoSize.enumValue(field: 1, result)
        size += ProtoSize.enumValue(field: 2, target)
        size += ProtoSize.bytes(field: 3, key)
        switch targetUnion {
        case .version(let value): size += ProtoSize.varintField(field: 4, UInt64(bitPattern: value))
        case .createRevision(let value): size += ProtoSize.varintField(field: 5, UInt64(bitPattern: value))
        case .modRevision(let value): size += ProtoSize.varintField(field: 6, UInt64(bitPattern: value))
        case .value(let value): size += ProtoSize.lengthDelimitedField(field: 7, byteCount: value.count)
        case .lease(let value): size += ProtoSize.varintField(field: 8, UInt64(bitPattern: value))
        case nil: break
        }
        size += ProtoSize.bytes(field: 64, rangeEnd)
        return size
    }

    @inlinable
    public func encode(to writer: inout ProtoWriter) {
        writer.writeEnum(field: 1, result)
        writer.writeEnum(field: 2, target)
        writer.writeBytes(field: 3, key)
        switch targetUnion {
        case .version(let value): writer.writeVarintField(field: 4, UInt64(bitPattern: value))
        case .createRevision(let value): writer.writeVarintField(field: 5, UInt64(bitPattern: value))
        case .modRevision(let value): writer.writeVarintField(field: 6, UInt64(bitPattern: value))
        case .value(let value): writer.writeLengthDelimitedField(field: 7, value)
        case .lease(let value): writer.writeVarintField(field: 8, UInt64(bitPattern: value))
        case nil: break
        }
        writer.writeBytes(field: 64, rangeEnd)
    }

    @inlinable
    public init(decoding reader: inout ProtoReader, depth: Int) throws(ProtoDecodeError) {
        self.init()
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 1: result = try reader.readEnum(tag)
            case 2: target = try reader.readEnum(tag)
            case 3: key = try reader.readBytes(tag)
            case 4: targetUnion = .version(try reader.readInt64(tag))
            case 5: targetUnion = .createRevision(try reader.readInt64(tag))
            case 6: targetUnion = .modRevision(try reader.readInt64(tag))
            case 7: targetUnion = .value(try reader.readBytes(tag))
            case 8: targetUnion = .lease(try reader.readInt64(tag))
            case 64: rangeEnd = try reader.readBytes(tag)
            default: try reader.skipField(tag)
            }
        }
    }
}
