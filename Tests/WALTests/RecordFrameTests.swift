import EtcdBasics
import ProtoWire
import XCTest

@testable import WAL

/// A bitwise CRC-32C, independent of the table-driven one under test.
private func referenceCRC32C(_ seed: UInt32, _ bytes: [UInt8]) -> UInt32 {
    var crc = ~seed
    for byte in bytes {
        crc ^= UInt32(byte)
        for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0x82F6_3B78 : crc >> 1 }
    }
    return ~crc
}

private func varint(_ value: UInt64) -> [UInt8] {
    var value = value
    var out: [UInt8] = []
    while value >= 0x80 { out.append(UInt8(value & 0x7F) | 0x80); value >>= 7 }
    out.append(UInt8(value))
    return out
}

final class RecordFrameTests: XCTestCase {
    func testRecordCodecWritesTypeAndCrcEvenWhenZeroAndDataOnlyWhenPresent() throws {
        // gogo non-nullable proto2 scalars: always written.
        XCTAssertEqual(WALRecord(type: .crc, crc: 0, data: nil).serializedBytes(), [0x08, 0x04, 0x10, 0x00])
        XCTAssertEqual(WALRecord(type: .metadata, crc: 1, data: []).serializedBytes(),
                       [0x08, 0x01, 0x10, 0x01, 0x1A, 0x00])
        let record = WALRecord(type: .entry, crc: 0xDEAD_BEEF, data: [9, 8])
        XCTAssertEqual(try WALRecord(serializedBytes: record.serializedBytes()), record)
    }

    func testSnapshotMarkerCodec() throws {
        XCTAssertEqual(WALSnapshot().serializedBytes(), [0x08, 0x00, 0x10, 0x00])
        XCTAssertEqual(WALSnapshot(index: 300, term: 2).serializedBytes(), [0x08, 0xAC, 0x02, 0x10, 0x02])
        XCTAssertEqual(try WALSnapshot(serializedBytes: [0x08, 0xAC, 0x02, 0x10, 0x02]), WALSnapshot(index: 300, term: 2))
    }

    func testFrameSizeSetsPadBitAndCount() {
        XCTAssertEqual(encodeFrameSize(8).lengthField, 8)
        XCTAssertEqual(encodeFrameSize(8).padBytes, 0)
        let (field, pad) = encodeFrameSize(13)
        XCTAssertEqual(pad, 3)
        XCTAssertEqual(field, 0x8300_0000_0000_000D)
        XCTAssertEqual(decodeFrameSize(field).recordBytes, 13)
        XCTAssertEqual(decodeFrameSize(field).padBytes, 3)
    }

    /// The bytes etcd's encoder produces, derived by hand from the format.
    func testGoldenFramesWithChainedCrc() {
        var encoder = RecordEncoder()
        var frames: [UInt8] = []
        encoder.appendCRC(to: &frames)
        encoder.append(.metadata, data: [0x61, 0x62, 0x63], to: &frames)
        encoder.append(.entry, data: [1, 2, 3, 4, 5], to: &frames)

        var expected: [UInt8] = []
        // crc record: 08 04 10 00 = 4 bytes, pad 4.
        expected += [0x04, 0, 0, 0, 0, 0, 0, 0x84] + [0x08, 0x04, 0x10, 0x00] + [0, 0, 0, 0]
        let crc1 = referenceCRC32C(0, [0x61, 0x62, 0x63])
        var record1: [UInt8] = [0x08, 0x01, 0x10] + varint(UInt64(crc1)) + [0x1A, 0x03, 0x61, 0x62, 0x63]
        let pad1 = (8 - record1.count % 8) % 8
        expected += [UInt8(record1.count), 0, 0, 0, 0, 0, 0, pad1 == 0 ? 0 : UInt8(0x80 | pad1)]
        record1 += [UInt8](repeating: 0, count: pad1)
        expected += record1
        let crc2 = referenceCRC32C(crc1, [1, 2, 3, 4, 5])
        var record2: [UInt8] = [0x08, 0x02, 0x10] + varint(UInt64(crc2)) + [0x1A, 0x05, 1, 2, 3, 4, 5]
        let pad2 = (8 - record2.count % 8) % 8
        expected += [UInt8(record2.count), 0, 0, 0, 0, 0, 0, pad2 == 0 ? 0 : UInt8(0x80 | pad2)]
        record2 += [UInt8](repeating: 0, count: pad2)
        expected += record2

        XCTAssertEqual(frames, expected)
        XCTAssertEqual(encoder.crc, crc2)
        XCTAssertEqual(frames.count % 8, 0)
    }

    private func sampleFrames(count: Int, seed crc: UInt32 = 0) -> (bytes: [UInt8], encoder: RecordEncoder) {
        var encoder = RecordEncoder(crc: crc)
        var frames: [UInt8] = []
        encoder.appendCRC(to: &frames)
        for index in 0..<count {
            encoder.append(.entry, data: [UInt8](repeating: UInt8(index), count: 50 + index * 37), to: &frames)
        }
        return (frames, encoder)
    }

    func testDecoderReadsBackAndStopsAtZeroedPreallocation() throws {
        let (frames, encoder) = sampleFrames(count: 5)
        var decoder = RecordDecoder()
        let segment = try decoder.decodeSegment(frames + [UInt8](repeating: 0, count: 4096), file: "a.wal", isLastSegment: true)
        XCTAssertEqual(segment.records.count, 6)
        XCTAssertEqual(segment.records.map(\.recordType), [.crc] + Array(repeating: .entry, count: 5))
        XCTAssertEqual(segment.validEnd, frames.count)
        XCTAssertFalse(segment.isTorn)
        XCTAssertEqual(decoder.crc, encoder.crc)
    }

    func testChainContinuesAcrossSegments() throws {
        let (first, firstEncoder) = sampleFrames(count: 2)
        let (second, _) = sampleFrames(count: 2, seed: firstEncoder.crc)
        var decoder = RecordDecoder()
        _ = try decoder.decodeSegment(first, file: "0.wal", isLastSegment: false)
        XCTAssertEqual(try decoder.decodeSegment(second, file: "1.wal", isLastSegment: true).records.count, 3)

        // A segment whose crc record does not continue the chain is corrupt.
        let (unrelated, _) = sampleFrames(count: 1, seed: 12345)
        var fresh = RecordDecoder()
        _ = try fresh.decodeSegment(first, file: "0.wal", isLastSegment: false)
        XCTAssertThrowsError(try fresh.decodeSegment(unrelated, file: "1.wal", isLastSegment: true))
    }

    func testEveryTruncationOfTheLastSegmentIsATornTailNeverServed() throws {
        let (frames, _) = sampleFrames(count: 4)
        var ends: [Int] = [0]
        // Frame boundaries, found by walking the length fields.
        var offset = 0
        while offset < frames.count {
            let field = frames[offset..<offset + 8].enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
            let (bytes, pad) = decodeFrameSize(field)
            offset += 8 + bytes + pad
            ends.append(offset)
        }
        for cut in 0..<frames.count {
            var decoder = RecordDecoder()
            let segment = try decoder.decodeSegment(Array(frames[..<cut]), file: "x", isLastSegment: true)
            let whole = ends.filter { $0 <= cut }
            XCTAssertEqual(segment.validEnd, whole.last!, "cut at \(cut)")
            XCTAssertEqual(segment.records.count, whole.count - 1, "cut at \(cut)")
            XCTAssertEqual(segment.isTorn, !ends.contains(cut), "cut at \(cut)")
        }
    }

    func testZeroedSectorInLastFrameIsTornButFlippedByteIsCorruption() throws {
        // One big record spanning sectors; zero its second sector as an interrupted write would.
        var encoder = RecordEncoder()
        var frames: [UInt8] = []
        encoder.appendCRC(to: &frames)
        let goodEnd = frames.count
        encoder.append(.entry, data: [UInt8](repeating: 7, count: 1500), to: &frames)
        var torn = frames
        for index in 512..<1024 { torn[index] = 0 }
        var decoder = RecordDecoder()
        let segment = try decoder.decodeSegment(torn, file: "x", isLastSegment: true)
        XCTAssertTrue(segment.isTorn)
        XCTAssertEqual(segment.validEnd, goodEnd)

        var flipped = frames
        flipped[700] ^= 0x01
        var again = RecordDecoder()
        XCTAssertThrowsError(try again.decodeSegment(flipped, file: "0000000000000000-0000000000000000.wal", isLastSegment: true)) { error in
            XCTAssertEqual(error as? WALError,
                           .corrupt(file: "0000000000000000-0000000000000000.wal", offset: goodEnd, reason: "crc mismatch"))
            XCTAssertTrue("\(error)".contains("0000000000000000-0000000000000000.wal"))
        }
        // The same damage in a segment that is not the last is corruption too.
        var middle = RecordDecoder()
        XCTAssertThrowsError(try middle.decodeSegment(torn, file: "x", isLastSegment: false))
    }
}
