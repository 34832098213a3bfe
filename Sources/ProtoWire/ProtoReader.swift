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
    /// Throws `truncated` if the input ends first, and `varintOverflow` for an 11th byte or a 10th
    /// byte carrying bits above the 64th (protobuf's canonical check).
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
            guard index < end else { throw .truncated }
            let next = byte(at: index)
            index += 1
            if shift == 63, next > 1 { throw .varintOverflow }
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
    /// Throws `lengthExceedsInput` when the declared length does not fit, before anything is
    /// allocated for it.
    @inlinable
    public mutating func readLength() throws(ProtoDecodeError) -> Int {
        let declared = try readVarint()
        let remaining = end - offset
        guard declared <= UInt64(remaining) else {
            throw .lengthExceedsInput(declared: declared, remaining: remaining)
        }
        return Int(declared)
    }

    // MARK: Tags

    /// Reads the next field's tag, or returns nil at the end of the message.
    ///
    /// Throws for an invalid tag, and for an end-group marker, which cannot start a field.
    @inlinable
    public mutating func nextTag() throws(ProtoDecodeError) -> FieldTag? {
        guard offset < end else { return nil }
        let tag = try FieldTag(rawValue: try readVarint())
        if tag.wireType.rawValue == WireType.endGroup.rawValue {
            throw .unmatchedEndGroup(fieldNumber: tag.fieldNumber)
        }
        return tag
    }

    /// Throws `wrongWireType` unless `tag` has the wire type the field is declared with.
    @inlinable
    public func expect(_ tag: FieldTag, _ wireType: WireType) throws(ProtoDecodeError) {
        // Raw values, because `==` on a raw-valued enum can resolve to the stdlib's generic
        // RawRepresentable overload, which the optimizer leaves unspecialized on this hot path.
        guard tag.wireType.rawValue == wireType.rawValue else {
            throw .wrongWireType(fieldNumber: tag.fieldNumber, wireType: tag.wireType)
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
    /// decoder's recursion whatever the input (a hostile client can nest transactions).
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
        let message = try M(decoding: &child, depth: childDepth)
        offset += count
        return message
    }

    /// Appends a repeated enum field's value(s), accepting the packed form (proto3's default) and the
    /// unpacked one, as protobuf decoders must. Unknown values become the enum's zero case.
    @inlinable
    public mutating func readRepeatedEnum<E: ProtoEnum>(
        _ tag: FieldTag, into values: inout [E]
    ) throws(ProtoDecodeError) {
        switch tag.wireType {
        case .varint:
            values.append(E(wireValue: Int32(truncatingIfNeeded: try readVarint())))
        case .lengthDelimited:
            let count = try readLength()
            var packed = ProtoReader(base: base, offset: offset, end: offset + count)
            while !packed.isAtEnd {
                values.append(E(wireValue: Int32(truncatingIfNeeded: try packed.readVarint())))
            }
            offset += count
        default:
            throw .wrongWireType(fieldNumber: tag.fieldNumber, wireType: tag.wireType)
        }
    }

    // MARK: Unknown fields

    /// Steps over the value of a field this message does not know, whatever its wire type.
    ///
    /// Groups (wire type 3) are skipped through their matching end marker, as protobuf does, with
    /// nesting bounded by `Limits.protoDecodeDepthMax`.
    @inlinable
    public mutating func skipField(_ tag: FieldTag) throws(ProtoDecodeError) {
        switch tag.wireType {
        case .varint:
            _ = try readVarint()
        case .fixed64:
            guard end - offset >= 8 else { throw .truncated }
            offset += 8
        case .lengthDelimited:
            offset += try readLength()
        case .fixed32:
            guard end - offset >= 4 else { throw .truncated }
            offset += 4
        case .startGroup:
            try skipGroup(fieldNumber: tag.fieldNumber, depth: 1)
        case .endGroup:
            throw .unmatchedEndGroup(fieldNumber: tag.fieldNumber)
        }
    }

    /// Skips a group's fields up to and including the end marker with the group's field number.
    @usableFromInline
    mutating func skipGroup(fieldNumber: Int, depth: Int) throws(ProtoDecodeError) {
        guard depth <= Limits.protoDecodeDepthMax else {
            throw .depthLimitExceeded(max: Limits.protoDecodeDepthMax)
        }
        while true {
            guard offset < end else { throw .truncated }
            let tag = try FieldTag(rawValue: try readVarint())
            switch tag.wireType {
            case .endGroup:
                guard tag.fieldNumber == fieldNumber else {
                    throw .unmatchedEndGroup(fieldNumber: tag.fieldNumber)
                }
                return
            case .startGroup:
                try skipGroup(fieldNumber: tag.fieldNumber, depth: depth + 1)
            default:
                try skipField(tag)
            }
        }
    }
}
