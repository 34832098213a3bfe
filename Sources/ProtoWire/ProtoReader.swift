// The decoder: a cursor over borrowed bytes that never reads outside them.

import EtcdBasics

/// Reads protobuf wire format from a borrowed buffer.
///
/// The reader does not own its bytes: it is valid only while the buffer it was made from is (inside
/// `withUnsafeBytes`, or a gRPC frame's lifetime). Every read checks the remaining length first, so a
/// hostile length prefix is refused before anything is allocated for it, and nothing is read past
/// `end`. Values (`[UInt8]`, `String`) are copied out; nothing else allocates.
///
/// Invariant: `0 <= offset <= end`, and `base` is non-nil whenever `end > 0`.
public struct ProtoReader {
    @usableFromInline let base: UnsafeRawPointer?
    @usableFromInline var offset: Int
    @usableFromInline let end: Int

    /// A reader over all of `buffer`.
    @inlinable
    public init(_ buffer: UnsafeRawBufferPointer) {
        self.init(base: buffer.baseAddress, offset: 0, end: buffer.count)
    }

    @inlinable
    init(base: UnsafeRawPointer?, offset: Int, end: Int) {
        self.base = base
        self.offset = offset
        self.end = end
    }

    /// Whether every byte has been consumed.
    @inlinable
    public var isAtEnd: Bool { offset >= end }

    /// Bytes not yet consumed.
    @inlinable
    public var remainingByteCount: Int { end - offset }

    @inlinable
    func byte(at index: Int) -> UInt8 {
        base.unsafelyUnwrapped.load(fromByteOffset: index, as: UInt8.self)
    }

    // MARK: Raw values

    /// Reads a base-128 varint.
    ///
    /// Throws `integerOverflow` when no byte among the first 10 ends it, and `truncated` when the
    /// input ends first, checked in that order as gogo does. Bits past the 64th (in a 10th byte)
    /// are dropped, as gogo drops them.
    @inlinable
    public mutating func readVarint() throws(ProtoDecodeError) -> UInt64 {
        if offset < end {
            let first = byte(at: offset)
            if first < 0x80 {
                offset &+= 1
                return UInt64(first)
            }
        }
        return try readMultiByteVarint()
    }

    @usableFromInline
    mutating func readMultiByteVarint() throws(ProtoDecodeError) -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        var index = offset
        while true {
            guard shift < 64 else { throw .integerOverflow }
            guard index < end else { throw .truncated }
            let next = byte(at: index)
            index += 1
            value |= UInt64(next & 0x7F) << shift
            if next < 0x80 {
                offset = index
                return value
            }
            shift += 7
        }
    }

    /// Reads four little-endian bytes.
    @inlinable
    public mutating func readFixed32() throws(ProtoDecodeError) -> UInt32 {
        guard end - offset >= 4 else { throw .truncated }
        let value = base.unsafelyUnwrapped.loadUnaligned(fromByteOffset: offset, as: UInt32.self)
        offset += 4
        return UInt32(littleEndian: value)
    }

    /// Reads eight little-endian bytes.
    @inlinable
    public mutating func readFixed64() throws(ProtoDecodeError) -> UInt64 {
        guard end - offset >= 8 else { throw .truncated }
        let value = base.unsafelyUnwrapped.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
        offset += 8
        return UInt64(littleEndian: value)
    }

    /// Reads a length prefix and checks it against the bytes that remain.
    ///
    /// Like gogo, takes the varint as a signed 64-bit length: throws `negativeLength` when it is
    /// negative and `truncated` when it runs past the enclosing message, before anything is
    /// allocated for it.
    @inlinable
    public mutating func readLength() throws(ProtoDecodeError) -> Int {
        let declared = Int64(bitPattern: try readVarint())
        guard declared >= 0 else { throw .negativeLength }
        guard declared <= Int64(end - offset) else { throw .truncated }
        return Int(declared)
    }

    // MARK: Tags

    /// Reads the next field's tag, or returns nil at the end of the message.
    ///
    /// Throws as `FieldTag(rawValue:)` does for a tag that cannot start a field.
    @inlinable
    public mutating func nextTag() throws(ProtoDecodeError) -> FieldTag? {
        guard offset < end else { return nil }
        return try FieldTag(rawValue: try readVarint())
    }

    /// Throws `wrongWireType` unless `tag` has the wire type the field is declared with.
    @inlinable
    public func expect(_ tag: FieldTag, _ wireType: WireType) throws(ProtoDecodeError) {
        // Raw values, because `==` on a raw-valued enum can resolve to the stdlib's generic
        // RawRepresentable overload, which the optimizer leaves unspecialized on this hot path.
        guard tag.wireType.rawValue == wireType.rawValue else {
            throw .wrongWireType(fieldNumber: tag.fieldNumber, wireType: tag.wireType.rawValue, field: nil)
        }
    }

    // MARK: Field values

    /// An int64 field's value.
    @inlinable
    public mutating func readInt64(_ tag: FieldTag) throws(ProtoDecodeError) -> Int64 {
        try expect(tag, .varint)
        return Int64(bitPattern: try readVarint())
    }

    /// A uint64 field's value.
    @inlinable
    public mutating func readUInt64(_ tag: FieldTag) throws(ProtoDecodeError) -> UInt64 {
        try expect(tag, .varint)
        return try readVarint()
    }

    /// An int32 field's value: the low 32 bits of the varint, as protobuf specifies.
    @inlinable
    public mutating func readInt32(_ tag: FieldTag) throws(ProtoDecodeError) -> Int32 {
        try expect(tag, .varint)
        return Int32(truncatingIfNeeded: try readVarint())
    }

    /// A uint32 field's value: the low 32 bits of the varint.
    @inlinable
    public mutating func readUInt32(_ tag: FieldTag) throws(ProtoDecodeError) -> UInt32 {
        try expect(tag, .varint)
        return UInt32(truncatingIfNeeded: try readVarint())
    }

    /// A sint64 (zigzag) field's value.
    @inlinable
    public mutating func readSInt64(_ tag: FieldTag) throws(ProtoDecodeError) -> Int64 {
        try expect(tag, .varint)
        return ZigZag.decode(try readVarint())
    }

    /// A bool field's value: any non-zero varint is true.
    @inlinable
    public mutating func readBool(_ tag: FieldTag) throws(ProtoDecodeError) -> Bool {
        try expect(tag, .varint)
        return try readVarint() != 0
    }

    /// An enum field's value; unknown values become the enum's zero case.
    @inlinable
    public mutating func readEnum<E: ProtoEnum>(_ tag: FieldTag) throws(ProtoDecodeError) -> E {
        try expect(tag, .varint)
        return E(wireValue: Int32(truncatingIfNeeded: try readVarint()))
    }

    /// A fixed64 field's value.
    @inlinable
    public mutating func readFixed64(_ tag: FieldTag) throws(ProtoDecodeError) -> UInt64 {
        try expect(tag, .fixed64)
        return try readFixed64()
    }

    /// A fixed32 field's value.
    @inlinable
    public mutating func readFixed32(_ tag: FieldTag) throws(ProtoDecodeError) -> UInt32 {
        try expect(tag, .fixed32)
        return try readFixed32()
    }

    /// A bytes field's value, copied out of the buffer.
    @inlinable
    public mutating func readBytes(_ tag: FieldTag) throws(ProtoDecodeError) -> [UInt8] {
        try expect(tag, .lengthDelimited)
        let count = try readLength()
        if count == 0 { return [] }
        let source = base.unsafelyUnwrapped + offset
        offset += count
        return [UInt8](unsafeUninitializedCapacity: count) { destination, initialized in
            UnsafeMutableRawBufferPointer(destination).copyMemory(
                from: UnsafeRawBufferPointer(start: source, count: count))
            initialized = count
        }
    }

    /// A string field's value. Like etcd's decoder it does not reject invalid UTF-8; such
    /// sequences become U+FFFD.
    @inlinable
    public mutating func readString(_ tag: FieldTag) throws(ProtoDecodeError) -> String {
        try expect(tag, .lengthDelimited)
        let count = try readLength()
        if count == 0 { return "" }
        let source = UnsafeRawBufferPointer(start: base.unsafelyUnwrapped + offset, count: count)
        offset += count
        return String(decoding: source, as: UTF8.self)
    }

    /// A nested message field's value, decoded from exactly its length-delimited bytes.
    ///
    /// `depth` is the depth of the message that contains the field. Throws `depthLimitExceeded` when
    /// the nested message would sit deeper than `Limits.protoDecodeDepthMax`, which bounds the
    /// decoder's recursion whatever the input (a hostile client can nest transactions). The nested
    /// message's errors are attributed to it (`ProtoDecodeError.attributed(to:)`).
    @inlinable
    public mutating func readMessage<M: ProtoMessage>(
        _ tag: FieldTag, depth: Int, as type: M.Type = M.self
    ) throws(ProtoDecodeError) -> M {
        try expect(tag, .lengthDelimited)
        let count = try readLength()
        let childDepth = depth + 1
        guard childDepth <= Limits.protoDecodeDepthMax else {
            throw .depthLimitExceeded(max: Limits.protoDecodeDepthMax)
        }
        var child = ProtoReader(base: base, offset: offset, end: offset + count)
        let message: M
        do {
            message = try M(decoding: &child, depth: childDepth)
        } catch {
            throw error.attributed(to: M.self)
        }
        offset += count
        return message
    }

    /// Appends a repeated enum field's value(s), accepting the packed form (proto3's default) and the
    /// unpacked one, as protobuf decoders must. Unknown values become the enum's zero case.
    ///
    /// As in gogo's decoder, a packed run's last varint may run on past the run's declared length
    /// (bounded by the enclosing message); decoding then continues after it.
    @inlinable
    public mutating func readRepeatedEnum<E: ProtoEnum>(
        _ tag: FieldTag, into values: inout [E]
    ) throws(ProtoDecodeError) {
        switch tag.wireType {
        case .varint:
            values.append(E(wireValue: Int32(truncatingIfNeeded: try readVarint())))
        case .lengthDelimited:
            let count = try readLength()
            let runEnd = offset + count
            while offset < runEnd {
                values.append(E(wireValue: Int32(truncatingIfNeeded: try readVarint())))
            }
        default:
            throw .wrongWireType(fieldNumber: tag.fieldNumber, wireType: tag.wireType.rawValue, field: nil)
        }
    }

    // MARK: Unknown fields

    /// Steps over the value of a field this message does not know, whatever its wire type.
    ///
    /// Groups (wire type 3) are skipped through the end marker that closes them, counting nested
    /// groups, without recursion. Like gogo, the skipper checks neither field numbers nor that an
    /// end marker's number matches its group's.
    @inlinable
    public mutating func skipField(_ tag: FieldTag) throws(ProtoDecodeError) {
        switch tag.wireType {
        case .startGroup:
            try skipGroup()
        case .endGroup:
            throw .endGroupOutsideGroup(message: nil)
        default:
            try skipValue(wireType: tag.wireType.rawValue)
        }
    }

    /// Skips one value of a scalar or length-delimited wire type; throws `illegalWireType` for 6, 7.
    @usableFromInline
    mutating func skipValue(wireType: UInt8) throws(ProtoDecodeError) {
        switch wireType {
        case WireType.varint.rawValue:
            _ = try readVarint()
        case WireType.fixed64.rawValue:
            guard end - offset >= 8 else { throw .truncated }
            offset += 8
        case WireType.lengthDelimited.rawValue:
            offset += try readLength()
        case WireType.fixed32.rawValue:
            guard end - offset >= 4 else { throw .truncated }
            offset += 4
        default:
            throw .illegalWireType(wireType)
        }
    }

    /// Skips a group's fields up to and including the end marker that closes it.
    ///
    /// O(bytes skipped) time and O(1) space whatever the nesting, so hostile nesting costs nothing.
    @usableFromInline
    mutating func skipGroup() throws(ProtoDecodeError) {
        var openGroupCount = 1
        while true {
            let wireType = UInt8(truncatingIfNeeded: try readVarint() & 7)
            switch wireType {
            case WireType.startGroup.rawValue:
                openGroupCount += 1
            case WireType.endGroup.rawValue:
                openGroupCount -= 1
                if openGroupCount == 0 { return }
            default:
                try skipValue(wireType: wireType)
            }
        }
    }
}
