// walpb.Record and walpb.Snapshot: the two messages of etcd's WAL (wal/walpb/record.proto).
//
// Both are proto2 messages whose scalar fields gogo declares non-nullable, so etcd writes them
// even at zero: a Record always carries its type and crc, a Snapshot always its index and term.
// `data` is written only when present (Go's nil slice); an empty-but-present payload is written
// as a zero-length field. We model presence with an optional.

import ProtoWire

/// What a WAL record's `data` holds (etcd's `metadataType` … `snapshotType`).
public enum RecordType: Int64, Sendable {
    /// Opaque bytes the server stores once per segment (etcd: a pb.Metadata with node and cluster IDs).
    case metadata = 1
    /// A raftpb.Entry.
    case entry = 2
    /// A raftpb.HardState.
    case state = 3
    /// No data: its crc field seeds the checksum chain of the segment it opens.
    case crc = 4
    /// A walpb.Snapshot marker: the log continues after (index, term).
    case snapshot = 5
}

/// One WAL record (walpb.Record). `crc` is the running CRC-32C of every record's data since the
/// start of the log, so a record cannot be checked alone (see `RecordDecoder`).
public struct WALRecord: ProtoMessage, Sendable, Hashable {
    /// The raw type; `recordType` interprets it. Kept raw so that an unknown type decodes and is
    /// reported by the reader rather than by the codec.
    public var type: Int64 = 0
    public var crc: UInt32 = 0
    /// nil when the field is absent (a crc record).
    public var data: [UInt8]? = nil

    public init() {}

    public init(type: RecordType, crc: UInt32 = 0, data: [UInt8]?) {
        self.type = type.rawValue
        self.crc = crc
        self.data = data
    }

    /// The record's type, or nil for a type etcd 3.4 does not write.
    public var recordType: RecordType? { RecordType(rawValue: type) }

    public init(decoding reader: inout ProtoReader, depth: Int) throws(ProtoDecodeError) {
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 1: type = try reader.readInt64(tag)
            case 2: crc = try reader.readUInt32(tag)
            case 3: data = try reader.readBytes(tag)
            default: try reader.skipField(tag)
            }
        }
    }

    public var encodedSize: Int {
        var size = 2 + ProtoSize.varint(UInt64(bitPattern: type)) + ProtoSize.varint(UInt64(crc))
        if let data { size += 1 + ProtoSize.varint(UInt64(data.count)) + data.count }
        return size
    }

    public func encode(to writer: inout ProtoWriter) {
        writer.writeVarintField(field: 1, UInt64(bitPattern: type))
        writer.writeVarintField(field: 2, UInt64(crc))
        if let data { writer.writeLengthDelimitedField(field: 3, data) }
    }

    public static var goTypeName: String { "Record" }
}

/// A snapshot marker (walpb.Snapshot): the raft log position a `.snap` file covers. Recovery
/// starts reading entries after the marker that matches the snapshot it loaded.
public struct WALSnapshot: ProtoMessage, Sendable, Hashable {
    public var index: UInt64 = 0
    public var term: UInt64 = 0

    public init() {}

    public init(index: UInt64, term: UInt64) {
        self.index = index
        self.term = term
    }

    public init(decoding reader: inout ProtoReader, depth: Int) throws(ProtoDecodeError) {
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 1: index = try reader.readUInt64(tag)
            case 2: term = try reader.readUInt64(tag)
            default: try reader.skipField(tag)
            }
        }
    }

    public var encodedSize: Int { 2 + ProtoSize.varint(index) + ProtoSize.varint(term) }

    public func encode(to writer: inout ProtoWriter) {
        writer.writeVarintField(field: 1, index)
        writer.writeVarintField(field: 2, term)
    }

    public static var goTypeName: String { "Snapshot" }
}
