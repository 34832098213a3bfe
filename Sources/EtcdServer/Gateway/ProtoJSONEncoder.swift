// Protobuf wire bytes to the JSON etcd's gateway writes. etcd 3.4's gateway is grpc-gateway v1
// with its default marshaler: jsonpb with OrigName, without EmitDefaults, enums as names. So:
// fields in .proto declaration order under their declared names; zero scalars, empty strings and
// unset messages left out; 64-bit integers as quoted decimals, 32-bit ones bare; bytes as padded
// standard base64; strings escaped as encoding/json does; no whitespace. The reply reaches the
// gateway through a gRPC client, i.e. through gogo's decoder, whose quirks show: a bytes field
// present on the wire but empty is written (`""`), a repeated message field merges nothing but a
// singular one merges every occurrence, a oneof keeps its last member on the wire.

import EtcdBasics
import ProtoWire

/// Transcodes protobuf messages to grpc-gateway's JSON, driven by a `ProtoSchema`.
enum ProtoJSONEncoder {
    /// Appends the JSON object for the message `bytes` encode, read as `schema`.
    ///
    /// Fields the schema does not declare are skipped. Repeated scalars are accepted packed or
    /// not. Throws what gogo's decoder would refuse the bytes with (truncated, wrong wire type),
    /// or `depthLimitExceeded` past `Limits.protoDecodeDepthMax` nested messages; `json` may then
    /// hold a partial object. O(bytes) for each nesting level.
    static func encode(_ bytes: [UInt8], as schema: ProtoSchema, into json: inout [UInt8]) throws(ProtoDecodeError) {
        let result: Result<Void, ProtoDecodeError> = bytes.withUnsafeBytes { buffer in
            do throws(ProtoDecodeError) {
                try encodeMessage(buffer, as: schema, depth: 0, into: &json)
                return .success(())
            } catch {
                return .failure(error)
            }
        }
        try result.get()
    }

    /// Where a field was seen on the wire: enough to find its value(s) again.
    private struct Sighting {
        var count = 0
        var firstOffset = 0
        var lastOffset = 0
    }

    private static func encodeMessage(_ buffer: UnsafeRawBufferPointer, as schema: ProtoSchema, depth: Int,
                                      into json: inout [UInt8]) throws(ProtoDecodeError) {
        guard depth <= Limits.protoDecodeDepthMax else { throw .depthLimitExceeded(max: Limits.protoDecodeDepthMax) }
        let fieldCount = schema.fields.count
        // One pass records where each declared field appears; a second writes them in declaration order.
        let result: Result<Void, ProtoDecodeError> = withUnsafeTemporaryAllocation(of: Sighting.self, capacity: max(fieldCount, 1)) { sightings in
            do throws(ProtoDecodeError) {
                sightings.initialize(repeating: Sighting())
                var reader = ProtoReader(buffer)
                while true {
                    let tagOffset = buffer.count - reader.remainingByteCount
                    guard let tag = try reader.nextTag() else { break }
                    if let index = schema.fieldIndex(forNumber: tag.fieldNumber) {
                        if sightings[index].count == 0 { sightings[index].firstOffset = tagOffset }
                        sightings[index].count += 1
                        sightings[index].lastOffset = tagOffset
                    }
                    try reader.skipField(tag)
                }
                json.append(UInt8(ascii: "{"))
                var isFirst = true
                for index in 0..<fieldCount where sightings[index].count > 0 {
                    let field = schema.fields[index]
                    if let oneof = field.oneof, !isLastOneofMember(index, oneof, schema, sightings) { continue }
                    let mark = json.count
                    if !isFirst { json.append(UInt8(ascii: ",")) }
                    json.append(contentsOf: field.jsonKey)
                    let wrote: Bool
                    if field.isRepeated {
                        wrote = try encodeRepeated(buffer, field, sightings[index], depth: depth, into: &json)
                    } else {
                        wrote = try encodeSingular(buffer, field, sightings[index], depth: depth, into: &json)
                    }
                    if wrote {
                        isFirst = false
                    } else {
                        json.removeSubrange(mark...)
                    }
                }
                json.append(UInt8(ascii: "}"))
                return .success(())
            } catch {
                return .failure(error)
            }
        }
        try result.get()
    }

    /// Whether field `index` is the oneof member gogo keeps: the one seen last on the wire.
    private static func isLastOneofMember(_ index: Int, _ oneof: String, _ schema: ProtoSchema,
                                          _ sightings: UnsafeMutableBufferPointer<Sighting>) -> Bool {
        for other in schema.fields.indices where other != index && sightings[other].count > 0
            && schema.fields[other].oneof == oneof && sightings[other].lastOffset > sightings[index].lastOffset {
            return false
        }
        return true
    }

    /// Writes a singular field's value (after its key); returns false when jsonpb would leave the
    /// field out (a zero scalar outside a oneof).
    private static func encodeSingular(_ buffer: UnsafeRawBufferPointer, _ field: ProtoSchemaField, _ sighting: Sighting,
                                       depth: Int, into json: inout [UInt8]) throws(ProtoDecodeError) -> Bool {
        if case .message(let schema) = field.kind, sighting.count > 1, field.oneof == nil {
            // gogo merges repeated occurrences of a singular message: their concatenation is the merge.
            var merged: [UInt8] = []
            var wire = WireCursor(buffer, at: sighting.firstOffset)
            while let tag = try wire.reader.nextTag() {
                guard tag.fieldNumber == field.number else { try wire.reader.skipField(tag); continue }
                merged.append(contentsOf: try wire.reader.readBytes(tag))
            }
            let result: Result<Void, ProtoDecodeError> = merged.withUnsafeBytes { payload in
                Result { () throws(ProtoDecodeError) in try encodeMessage(payload, as: schema(), depth: depth + 1, into: &json) }
            }
            try result.get()
            return true
        }
        var wire = WireCursor(buffer, at: sighting.lastOffset)
        let tag = try wire.reader.nextTag()!
        return try encodeValue(&wire, tag, field, isPresenceSignificant: field.oneof != nil, depth: depth, into: &json)
    }

    /// Writes `[…]` for a repeated field; returns false when it holds no element.
    private static func encodeRepeated(_ buffer: UnsafeRawBufferPointer, _ field: ProtoSchemaField, _ sighting: Sighting,
                                       depth: Int, into json: inout [UInt8]) throws(ProtoDecodeError) -> Bool {
        json.append(UInt8(ascii: "["))
        var elementCount = 0
        var wire = WireCursor(buffer, at: sighting.firstOffset)
        while wire.offset <= sighting.lastOffset, let tag = try wire.reader.nextTag() {
            guard tag.fieldNumber == field.number else { try wire.reader.skipField(tag); continue }
            if tag.wireType == .lengthDelimited && field.kind.isPackable {
                let runLength = try wire.reader.readLength()
                let runEnd = wire.offset + runLength
                while wire.offset < runEnd {
                    if elementCount > 0 { json.append(UInt8(ascii: ",")) }
                    try encodeScalar(try wire.reader.readVarint(), field.kind, into: &json)
                    elementCount += 1
                }
                continue
            }
            if elementCount > 0 { json.append(UInt8(ascii: ",")) }
            _ = try encodeValue(&wire, tag, field, isPresenceSignificant: true, depth: depth, into: &json)
            elementCount += 1
        }
        json.append(UInt8(ascii: "]"))
        return elementCount > 0
    }

    /// Reads one value of `field` after `tag` and writes it; when `isPresenceSignificant` is false,
    /// a zero value writes nothing and returns false.
    private static func encodeValue(_ wire: inout WireCursor, _ tag: FieldTag, _ field: ProtoSchemaField,
                                    isPresenceSignificant: Bool, depth: Int,
                                    into json: inout [UInt8]) throws(ProtoDecodeError) -> Bool {
        switch field.kind {
        case .string, .bytes, .message:
            try wire.reader.expect(tag, .lengthDelimited)
            let length = try wire.reader.readLength()
            let payload = wire.take(length)
            switch field.kind {
            case .string:
                if length == 0 && !isPresenceSignificant { return false }
                GoJSONString.append(payload.bindMemory(to: UInt8.self), to: &json)
            case .bytes:
                json.append(UInt8(ascii: "\""))
                GoBase.appendBase64(payload.bindMemory(to: UInt8.self), to: &json)
                json.append(UInt8(ascii: "\""))
            case .message(let schema):
                try encodeMessage(payload, as: schema(), depth: depth + 1, into: &json)
            default:
                preconditionFailure("unreachable")
            }
            return true
        case .int64, .uint64, .int32, .uint32, .bool, .enumeration:
            try wire.reader.expect(tag, .varint)
            let value = try wire.reader.readVarint()
            if !isPresenceSignificant && field.kind.isZero(value) { return false }
            try encodeScalar(value, field.kind, into: &json)
            return true
        }
    }

    /// Writes a varint-encoded scalar as jsonpb does.
    private static func encodeScalar(_ value: UInt64, _ kind: ProtoFieldKind, into json: inout [UInt8]) throws(ProtoDecodeError) {
        switch kind {
        case .int64:
            json.append(UInt8(ascii: "\""))
            appendDecimal(Int64(bitPattern: value), to: &json)
            json.append(UInt8(ascii: "\""))
        case .uint64:
            json.append(UInt8(ascii: "\""))
            appendDecimal(magnitude: value, isNegative: false, to: &json)
            json.append(UInt8(ascii: "\""))
        case .int32:
            appendDecimal(Int64(Int32(truncatingIfNeeded: value)), to: &json)
        case .uint32:
            appendDecimal(magnitude: UInt64(UInt32(truncatingIfNeeded: value)), isNegative: false, to: &json)
        case .bool:
            json.append(contentsOf: value != 0 ? trueText : falseText)
        case .enumeration(let schema):
            let number = Int32(truncatingIfNeeded: value)
            if let name = schema.name(of: number) {
                json.append(UInt8(ascii: "\""))
                json.append(contentsOf: name.utf8)
                json.append(UInt8(ascii: "\""))
            } else {
                appendDecimal(Int64(number), to: &json)   // an unknown value, bare, as jsonpb writes it
            }
        case .string, .bytes, .message:
            throw .wrongWireType(fieldNumber: 0, wireType: WireType.varint.rawValue, field: nil)
        }
    }

    private static let trueText = Array("true".utf8)
    private static let falseText = Array("false".utf8)

    static func appendDecimal(_ value: Int64, to json: inout [UInt8]) {
        appendDecimal(magnitude: value.magnitude, isNegative: value < 0, to: &json)
    }

    static func appendDecimal(magnitude: UInt64, isNegative: Bool, to json: inout [UInt8]) {
        if isNegative { json.append(UInt8(ascii: "-")) }
        var digits: (UInt64, UInt64) = (0, 0)   // 20 digits at most; written back to front
        var count = 0
        var remaining = magnitude
        withUnsafeMutableBytes(of: &digits) { scratch in
            repeat {
                count += 1
                scratch[16 - count] = UInt8(ascii: "0") + UInt8(remaining % 10)
                remaining /= 10
            } while remaining > 0 && count < 16
            if remaining > 0 {
                // More than 16 digits: write the high part first, then the 16 already produced.
                appendDecimal(magnitude: remaining, isNegative: false, to: &json)
            }
            json.append(contentsOf: scratch[(16 - count)..<16])
        }
    }
}

extension ProtoFieldKind {
    /// Whether a repeated field of this kind may arrive packed (varint scalars).
    var isPackable: Bool {
        switch self {
        case .string, .bytes, .message: return false
        default: return true
        }
    }

    /// Whether jsonpb (without EmitDefaults) leaves this varint value out.
    func isZero(_ value: UInt64) -> Bool {
        switch self {
        case .int32, .enumeration: return Int32(truncatingIfNeeded: value) == 0
        case .uint32: return UInt32(truncatingIfNeeded: value) == 0
        default: return value == 0
        }
    }
}

/// A `ProtoReader` over the tail of a message's buffer that knows its offset in it, so values can
/// be borrowed in place. (Every reader here runs to the end of the buffer, so the offset is the
/// buffer's length less what remains.)
struct WireCursor {
    let buffer: UnsafeRawBufferPointer
    var reader: ProtoReader

    init(_ buffer: UnsafeRawBufferPointer, at offset: Int) {
        self.buffer = buffer
        reader = ProtoReader(UnsafeRawBufferPointer(rebasing: buffer[offset...]))
    }

    var offset: Int { buffer.count - reader.remainingByteCount }

    /// The next `count` bytes (a length `readLength` checked), borrowed in place.
    mutating func take(_ count: Int) -> UnsafeRawBufferPointer {
        let start = offset
        reader = ProtoReader(UnsafeRawBufferPointer(rebasing: buffer[(start + count)...]))
        return UnsafeRawBufferPointer(rebasing: buffer[start..<start + count])
    }
}
