// Reading frames back (etcd wal/decoder.go), one segment's bytes at a time.
//
// A segment ends at the end of its bytes or at a zero length field (the preallocated, never
// written remainder). In the last segment a frame that was only partly written before a crash
// — cut short by the end of the file, or with a sector of its body still all zeros — is a torn
// tail: reading stops before it and the caller cuts it off. Anything else that fails to decode
// or to match its checksum is corruption, reported with the file and the frame's offset.

import EtcdBasics
import ProtoWire

/// The largest record a frame may announce (etcd's maxWALEntrySizeLimit, 10 MiB).
public let recordBytesMax = 10 * 1024 * 1024

/// The sector size torn-write detection assumes (etcd's minSectorSize).
public let sectorBytes = 512

/// What one segment held.
public struct DecodedSegment: Sendable, Equatable {
    /// The records in file order, each crc verified.
    public var records: [WALRecord]
    /// The offset just past the last good frame: where the next append goes.
    public var validEnd: Int
    /// Whether a torn frame follows `validEnd` (only possible in the last segment).
    public var isTorn: Bool
}

/// Verifies and decodes frames, carrying the checksum chain from segment to segment.
public struct RecordDecoder: Sendable {
    /// The CRC-32C of all record data read so far.
    public private(set) var crc: UInt32 = 0

    public init() {}

    /// Decodes every frame of one segment, named `file` in errors. `isLastSegment` allows a
    /// torn tail; elsewhere a bad frame is corruption. O(bytes).
    public mutating func decodeSegment(
        _ bytes: [UInt8], file: String, isLastSegment: Bool
    ) throws(WALError) -> DecodedSegment {
        var result = DecodedSegment(records: [], validEnd: 0, isTorn: false)
        var offset = 0
        while bytes.count - offset >= frameHeaderBytes {
            let lengthField = bytes.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) }
            if lengthField == 0 { break }
            let (recordBytes, padBytes) = decodeFrameSize(lengthField)
            if recordBytes >= recordBytesMax - padBytes {
                throw .recordTooLarge(file: file, offset: offset, bytes: recordBytes)
            }
            let bodyStart = offset + frameHeaderBytes
            let bodyEnd = bodyStart + recordBytes + padBytes
            if bodyEnd > bytes.count {
                if isLastSegment { result.isTorn = true; break }
                throw .corrupt(file: file, offset: offset, reason: "frame runs past the end of the segment")
            }
            let body = bytes[bodyStart..<bodyEnd]
            switch decodeFrame(body, recordBytes: recordBytes) {
            case .success(let record):
                result.records.append(record)
                offset = bodyEnd
                result.validEnd = offset
            case .failure(let reason):
                if isLastSegment && Self.hasZeroSector(body, fileOffset: bodyStart) {
                    result.isTorn = true
                    return result
                }
                throw .corrupt(file: file, offset: offset, reason: reason.text)
            }
        }
        // Bytes after validEnd that are not a whole zero header: a header cut by the file's end.
        if !result.isTorn && isLastSegment && offset < bytes.count && bytes.count - offset < frameHeaderBytes {
            result.isTorn = bytes[offset...].contains { $0 != 0 }
        }
        return result
    }

    private struct FrameFailure: Error { var text: String }

    /// Decodes a frame body and advances the chain; on failure the chain is unchanged.
    private mutating func decodeFrame(_ body: ArraySlice<UInt8>, recordBytes: Int) -> Result<WALRecord, FrameFailure> {
        let record: WALRecord
        do {
            record = try WALRecord(serializedBytes: body.prefix(recordBytes))
        } catch {
            return .failure(FrameFailure(text: "\(error)"))
        }
        if record.recordType == .crc {
            // A crc record restates the chain so far (zero only at the very start of the log).
            if crc != 0 && record.crc != crc {
                return .failure(FrameFailure(text: "crc mismatch (crc record)"))
            }
            crc = record.crc
            return .success(record)
        }
        let next = CRC32C.update(crc, record.data ?? [])
        if record.crc != next {
            return .failure(FrameFailure(text: "crc mismatch"))
        }
        crc = next
        return .success(record)
    }

    /// Whether any sector-aligned piece of `body` (which starts at `fileOffset`) is all zeros:
    /// the mark of a write the crash cut short (etcd's isTornEntry).
    static func hasZeroSector(_ body: ArraySlice<UInt8>, fileOffset: Int) -> Bool {
        var position = body.startIndex
        var fileOffset = fileOffset
        while position < body.endIndex {
            let chunk = min(sectorBytes - fileOffset % sectorBytes, body.endIndex - position)
            if !body[position..<position + chunk].contains(where: { $0 != 0 }) { return true }
            position += chunk
            fileOffset += chunk
        }
        return false
    }
}
