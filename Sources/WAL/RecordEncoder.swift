// The frame format (etcd wal/encoder.go, wal/doc.go):
//
//   frame  = lenField (8 bytes, little-endian) ‖ walpb.Record bytes ‖ 0–7 zero pad bytes
//   lenField bits 0–55: the record's byte count; bit 63: set when padded; bits 56–58: pad count
//
// Padding keeps every lenField 8-byte aligned, so a length is never split across a sector and
// never torn. Each record's `crc` is the CRC-32C of all record data written since the log began
// (chained across segments by a crc record at the head of each segment).

import EtcdBasics
import ProtoWire

/// Bytes in a frame's length field.
public let frameHeaderBytes = 8

/// The length field for a record of `recordBytes` bytes, and how many zero bytes pad it.
@inlinable
public func encodeFrameSize(_ recordBytes: Int) -> (lengthField: UInt64, padBytes: Int) {
    precondition(recordBytes >= 0 && recordBytes < 1 << 56, "WAL record size out of range")
    let padBytes = (8 - recordBytes % 8) % 8
    var lengthField = UInt64(recordBytes)
    if padBytes != 0 { lengthField |= UInt64(0x80 | padBytes) << 56 }
    return (lengthField, padBytes)
}

/// The record byte count and pad count a length field announces.
@inlinable
public func decodeFrameSize(_ lengthField: UInt64) -> (recordBytes: Int, padBytes: Int) {
    let recordBytes = Int(lengthField & 0x00FF_FFFF_FFFF_FFFF)
    let padBytes = lengthField >> 63 == 1 ? Int((lengthField >> 56) & 0x7) : 0
    return (recordBytes, padBytes)
}

/// Turns records into frames, keeping the running checksum. Pure: the caller owns the bytes and
/// writes them to a segment.
public struct RecordEncoder: Sendable {
    /// The CRC-32C of all record data encoded so far (seeded with the previous segment's).
    public private(set) var crc: UInt32

    /// An encoder continuing a chain whose checksum so far is `crc` (0 for a new log).
    public init(crc: UInt32 = 0) {
        self.crc = crc
    }

    /// Appends the frame of a record of `type` with `data` to `frames`, stamping the chained crc.
    /// Returns the record as written.
    @discardableResult
    public mutating func append(_ type: RecordType, data: [UInt8]?, to frames: inout [UInt8]) -> WALRecord {
        if let data { crc = CRC32C.update(crc, data) }
        let record = WALRecord(type: type, crc: crc, data: data)
        let size = record.encodedSize
        let (lengthField, padBytes) = encodeFrameSize(size)
        withUnsafeBytes(of: lengthField.littleEndian) { frames.append(contentsOf: $0) }
        var writer = ProtoWriter(appendingTo: frames)
        frames = []
        let start = writer.bytes.count
        record.encode(to: &writer)
        precondition(writer.bytes.count - start == size, "WALRecord encodedSize disagrees with encode")
        frames = writer.bytes
        frames.append(contentsOf: repeatElement(0, count: padBytes))
        return record
    }

    /// Appends a crc record carrying the running checksum: the first record of every segment,
    /// so each segment can be verified from its own start.
    public mutating func appendCRC(to frames: inout [UInt8]) {
        append(.crc, data: nil, to: &frames)
    }
}
