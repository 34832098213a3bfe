// The encoder: appends wire-format bytes to one growing array.

/// Appends protobuf wire-format bytes to `bytes`.
///
/// The field methods follow proto3: a scalar at its default (0, false, empty) is not written, a
/// singular message is written when non-nil, repeated fields write every element. Callers write
/// fields in field-number order, as etcd's Go encoder does, so the output matches etcd's byte for
/// byte. Reserve `encodedSize` up front (`ProtoMessage.serializedBytes()` does) and the array grows
/// at most once.
public struct ProtoWriter: Sendable {
    /// Everything written so far (plus whatever the array held when the writer took it over).
    public var bytes: [UInt8]

    /// A writer over a new, empty array.
    @inlinable
    public init() {
        bytes = []
    }

    /// A writer over a new array with room for `capacity` bytes.
    @inlinable
    public init(reservingCapacity capacity: Int) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// A writer that appends to the end of `bytes`.
    @inlinable
    public init(appendingTo bytes: [UInt8]) {
        self.bytes = bytes
    }

    // MARK: Raw values

    /// Appends `value` as a base-128 varint (1 to 10 bytes).
    @inlinable
    public mutating func writeVarint(_ value: UInt64) {
        var remaining = value
        while remaining >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: remaining) | 0x80)
            remaining >>= 7
        }
        bytes.append(UInt8(truncatingIfNeeded: remaining))
    }

    /// Appends a field tag. A field number outside `FieldTag.fieldNumberRange` is a programmer error.
    @inlinable
    public mutating func writeTag(field: Int, wireType: WireType) {
        precondition(field >= 1 && field <= FieldTag.fieldNumberMax, "protobuf field number out of range")
        writeVarint(UInt64(truncatingIfNeeded: field) << 3 | UInt64(wireType.rawValue))
    }

    /// Appends four bytes, least significant first.
    @inlinable
    public mutating func writeFixed32(_ value: UInt32) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// Appends eight bytes, least significant first.
    @inlinable
    public mutating func writeFixed64(_ value: UInt64) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// Appends a length prefix and then `payload`.
    @inlinable
    public mutating func writeLengthDelimited(_ payload: [UInt8]) {
        writeVarint(UInt64(payload.count))
        bytes.append(contentsOf: payload)
    }

    /// Appends a length prefix and then the UTF-8 of `payload`.
    @inlinable
    public mutating func writeLengthDelimited(_ payload: String) {
        var payload = payload
        payload.withUTF8 { utf8 in
            writeVarint(UInt64(utf8.count))
            bytes.append(contentsOf: utf8)
        }
    }

    // MARK: Fields that carry presence (written even at their default)

    /// A varint field written whatever its value (a oneof member: presence is the information).
    @inlinable
    public mutating func writeVarintField(field: Int, _ value: UInt64) {
        writeTag(field: field, wireType: .varint)
        writeVarint(value)
    }

    /// A length-delimited field written even when empty (a oneof member or a repeated element).
    @inlinable
    public mutating func writeLengthDelimitedField(field: Int, _ payload: [UInt8]) {
        writeTag(field: field, wireType: .lengthDelimited)
        writeLengthDelimited(payload)
    }

    /// A string field written even when empty (a proto2 field etcd declares non-nullable).
    @inlinable
    public mutating func writeLengthDelimitedField(field: Int, _ payload: String) {
        writeTag(field: field, wireType: .lengthDelimited)
        writeLengthDelimited(payload)
    }

    /// A proto2 optional bool: nil is not written, false and true are.
    @inlinable
    public mutating func writeOptionalBool(field: Int, _ value: Bool?) {
        if let value { writeVarintField(field: field, value ? 1 : 0) }
    }

    /// A message field written even when all its fields are defaults.
    ///
    /// Computes `value.encodedSize` for the length prefix, then checks that `encode(to:)` wrote
    /// exactly that many bytes: a codec whose size and encoding disagree is a programmer error.
    @inlinable
    public mutating func writeMessage<M: ProtoMessage>(field: Int, _ value: M) {
        writeTag(field: field, wireType: .lengthDelimited)
        let size = value.encodedSize
        writeVarint(UInt64(size))
        let start = bytes.count
        value.encode(to: &self)
        precondition(bytes.count - start == size, "encodedSize of \(M.self) disagrees with encode(to:)")
    }

    // MARK: Proto3 scalar fields (default values are not written)

    /// An int64 field; 0 is not written.
    @inlinable
    public mutating func writeInt64(field: Int, _ value: Int64) {
        if value != 0 { writeVarintField(field: field, UInt64(bitPattern: value)) }
    }

    /// A uint64 field; 0 is not written.
    @inlinable
    public mutating func writeUInt64(field: Int, _ value: UInt64) {
        if value != 0 { writeVarintField(field: field, value) }
    }

    /// An int32 field; 0 is not written. Negatives are sign-extended to 10 bytes, as protobuf requires.
    @inlinable
    public mutating func writeInt32(field: Int, _ value: Int32) {
        if value != 0 { writeVarintField(field: field, UInt64(bitPattern: Int64(value))) }
    }

    /// A uint32 field; 0 is not written.
    @inlinable
    public mutating func writeUInt32(field: Int, _ value: UInt32) {
        if value != 0 { writeVarintField(field: field, UInt64(value)) }
    }

    /// A sint64 (zigzag) field; 0 is not written.
    @inlinable
    public mutating func writeSInt64(field: Int, _ value: Int64) {
        if value != 0 { writeVarintField(field: field, ZigZag.encode(value)) }
    }

    /// A bool field; false is not written.
    @inlinable
    public mutating func writeBool(field: Int, _ value: Bool) {
        if value { writeVarintField(field: field, 1) }
    }

    /// An enum field; the zero case is not written.
    @inlinable
    public mutating func writeEnum<E: ProtoEnum>(field: Int, _ value: E) {
        writeInt32(field: field, value.rawValue)
    }

    /// A fixed64 field; 0 is not written.
    @inlinable
    public mutating func writeFixed64(field: Int, _ value: UInt64) {
        if value != 0 {
            writeTag(field: field, wireType: .fixed64)
            writeFixed64(value)
        }
    }

    /// A fixed32 field; 0 is not written.
    @inlinable
    public mutating func writeFixed32(field: Int, _ value: UInt32) {
        if value != 0 {
            writeTag(field: field, wireType: .fixed32)
            writeFixed32(value)
        }
    }

    /// A bytes field; empty is not written.
    @inlinable
    public mutating func writeBytes(field: Int, _ value: [UInt8]) {
        if !value.isEmpty { writeLengthDelimitedField(field: field, value) }
    }

    /// A string field; empty is not written.
    @inlinable
    public mutating func writeString(field: Int, _ value: String) {
        if !value.isEmpty {
            writeTag(field: field, wireType: .lengthDelimited)
            writeLengthDelimited(value)
        }
    }

    /// A singular message field: nil is not written; a present message is, even if empty.
    @inlinable
    public mutating func writeMessage<M: ProtoMessage>(field: Int, _ value: M?) {
        if let value { writeMessage(field: field, value) }
    }

    // MARK: Repeated fields

    /// A repeated message field: one entry per element, in order.
    @inlinable
    public mutating func writeMessages<M: ProtoMessage>(field: Int, _ values: [M]) {
        for value in values { writeMessage(field: field, value) }
    }

    /// A repeated string field; every element is written, empty ones included.
    @inlinable
    public mutating func writeStrings(field: Int, _ values: [String]) {
        for value in values {
            writeTag(field: field, wireType: .lengthDelimited)
            writeLengthDelimited(value)
        }
    }

    /// A repeated bytes field; every element is written, empty ones included.
    @inlinable
    public mutating func writeRepeatedBytes(field: Int, _ values: [[UInt8]]) {
        for value in values { writeLengthDelimitedField(field: field, value) }
    }

    /// A repeated enum field in packed form (one length-delimited run of varints); empty is not written.
    @inlinable
    public mutating func writePackedEnums<E: ProtoEnum>(field: Int, _ values: [E]) {
        if values.isEmpty { return }
        writeTag(field: field, wireType: .lengthDelimited)
        writeVarint(UInt64(ProtoSize.packedEnumPayload(values)))
        for value in values { writeVarint(UInt64(bitPattern: Int64(value.rawValue))) }
    }
}
