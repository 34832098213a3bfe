// A small message with a hand-written codec, used to exercise the runtime the way EtcdProto's codecs do.

import ProtoWire

/// An enum shaped like etcd's (zero case first).
enum Color: Int32, ProtoEnum {
    case red = 0
    case green = 1
    case blue = 2
}

/// Fields of every kind the runtime handles, plus a repeated self-reference for nesting tests.
struct Node: ProtoMessage {
    var id: Int64 = 0                // 1, varint
    var name: String = ""            // 2, length-delimited
    var children: [Node] = []        // 3, repeated message
    var colors: [Color] = []         // 4, packed enum
    var checksum: UInt64 = 0         // 5, fixed64
    var crc: UInt32 = 0              // 6, fixed32
    var delta: Int64 = 0             // 7, sint64
    var flag: Bool = false           // 8, bool
    var small: Int32 = 0             // 9, int32

    init() {}

    static func goFieldName(_ number: Int) -> String? {
        switch number {
        case 1: "Id"
        case 2: "Name"
        case 3: "Children"
        case 4: "Colors"
        case 5: "Checksum"
        case 6: "Crc"
        case 7: "Delta"
        case 8: "Flag"
        case 9: "Small"
        default: nil
        }
    }

    var encodedSize: Int {
        ProtoSize.int64(field: 1, id)
            + ProtoSize.string(field: 2, name)
            + ProtoSize.messages(field: 3, children)
            + ProtoSize.packedEnums(field: 4, colors)
            + ProtoSize.fixed64(field: 5, checksum)
            + ProtoSize.fixed32(field: 6, crc)
            + ProtoSize.sint64(field: 7, delta)
            + ProtoSize.bool(field: 8, flag)
            + ProtoSize.int32(field: 9, small)
    }

    func encode(to writer: inout ProtoWriter) {
        writer.writeInt64(field: 1, id)
        writer.writeString(field: 2, name)
        writer.writeMessages(field: 3, children)
        writer.writePackedEnums(field: 4, colors)
        writer.writeFixed64(field: 5, checksum)
        writer.writeFixed32(field: 6, crc)
        writer.writeSInt64(field: 7, delta)
        writer.writeBool(field: 8, flag)
        writer.writeInt32(field: 9, small)
    }

    init(decoding reader: inout ProtoReader, depth: Int) throws(ProtoDecodeError) {
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 1: id = try reader.readInt64(tag)
            case 2: name = try reader.readString(tag)
            case 3: children.append(try reader.readMessage(tag, depth: depth, as: Node.self))
            case 4: try reader.readRepeatedEnum(tag, into: &colors)
            case 5: checksum = try reader.readFixed64(tag)
            case 6: crc = try reader.readFixed32(tag)
            case 7: delta = try reader.readSInt64(tag)
            case 8: flag = try reader.readBool(tag)
            case 9: small = try reader.readInt32(tag)
            default: try reader.skipField(tag)
            }
        }
    }
}

/// Parses "0a 03 66 6f 6f" (spaces optional) into bytes.
func hex(_ text: String) -> [UInt8] {
    let digits = Array(text.filter { !$0.isWhitespace })
    precondition(digits.count % 2 == 0, "odd hex literal")
    return stride(from: 0, to: digits.count, by: 2).map { UInt8(String(digits[$0...$0 + 1]), radix: 16)! }
}

/// Decodes `bytes` as a `Node`, returning the error instead of throwing it.
func decodeError(_ bytes: [UInt8]) -> ProtoDecodeError? {
    do {
        _ = try Node(serializedBytes: bytes)
        return nil
    } catch {
        return error
    }
}
