// Varints: the encoding of every integer field and tag. Sizes, boundaries, the 10-byte maximum and
// what happens past it.

import XCTest
@testable import ProtoWire

final class VarintTests: XCTestCase {
    private func encoded(_ value: UInt64) -> [UInt8] {
        var writer = ProtoWriter()
        writer.writeVarint(value)
        return writer.bytes
    }

    private func decoded(_ bytes: [UInt8]) throws(ProtoDecodeError) -> UInt64 {
        let result = bytes.withUnsafeBytes { buffer in
            Result { () throws(ProtoDecodeError) -> UInt64 in
                var reader = ProtoReader(buffer)
                let value = try reader.readVarint()
                precondition(reader.isAtEnd, "varint left bytes unread")
                return value
            }
        }
        return try result.get()
    }

    func testKnownEncodings() {
        XCTAssertEqual(encoded(0), [0x00])
        XCTAssertEqual(encoded(1), [0x01])
        XCTAssertEqual(encoded(127), [0x7F])
        XCTAssertEqual(encoded(128), [0x80, 0x01])
        XCTAssertEqual(encoded(300), [0xAC, 0x02])
        XCTAssertEqual(encoded(UInt64.max), [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01])
    }

    func testSizeAndRoundTripAtEverySevenBitBoundary() throws {
        for bytes in 1...9 {
            let last = (UInt64(1) << (7 * bytes)) - 1
            for value in [last, last + 1] {
                XCTAssertEqual(encoded(value).count, ProtoSize.varint(value), "size of \(value)")
                XCTAssertEqual(try decoded(encoded(value)), value)
            }
        }
        XCTAssertEqual(ProtoSize.varint(0), 1)
        XCTAssertEqual(ProtoSize.varint(UInt64.max), 10)
        XCTAssertEqual(try decoded(encoded(UInt64.max)), UInt64.max)
    }

    func testNegativeInt64TakesTenBytesAndRoundTrips() throws {
        var writer = ProtoWriter()
        writer.writeInt64(field: 1, -1)
        XCTAssertEqual(writer.bytes, hex("08 ff ff ff ff ff ff ff ff ff 01"))
        XCTAssertEqual(ProtoSize.int64(field: 1, -1), 11)
        var node = Node()
        node.id = -1
        XCTAssertEqual(try Node(serializedBytes: node.serializedBytes()).id, -1)
    }

    func testNegativeInt32IsSignExtendedAndDecodesFromItsLowBits() throws {
        var node = Node()
        node.small = -2
        XCTAssertEqual(node.serializedBytes(), hex("48 fe ff ff ff ff ff ff ff ff 01"))
        XCTAssertEqual(try Node(serializedBytes: node.serializedBytes()).small, -2)
        // A 64-bit value in an int32 field keeps its low 32 bits, as protobuf specifies.
        XCTAssertEqual(try Node(serializedBytes: hex("48 80 80 80 80 10")).small, 0)
    }

    func testNonCanonicalPaddedVarintIsAccepted() throws {
        // 1 written with redundant continuation bytes: legal protobuf, must decode.
        XCTAssertEqual(try decoded([0x81, 0x80, 0x80, 0x00]), 1)
    }

    func testTenthByteBitsBeyond64AreDroppedAsGogoDoes() throws {
        // etcd's decoder keeps the low 64 bits of a 10-byte varint and ignores the rest.
        let tooBig: [UInt8] = [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F]
        XCTAssertEqual(try decoded(tooBig), UInt64.max)
    }

    func testElevenByteVarintOverflows() {
        let eleven: [UInt8] = Array(repeating: 0x80, count: 10) + [0x00]
        XCTAssertThrowsError(try decoded(eleven)) { XCTAssertEqual($0 as? ProtoDecodeError, .integerOverflow) }
        // Overflow is decided before the end of input, as in gogo: 10 continuation bytes, then nothing.
        let unfinished: [UInt8] = Array(repeating: 0xFF, count: 10)
        XCTAssertThrowsError(try decoded(unfinished)) { XCTAssertEqual($0 as? ProtoDecodeError, .integerOverflow) }
    }

    func testVarintCutShortIsTruncated() {
        XCTAssertThrowsError(try decoded([])) { XCTAssertEqual($0 as? ProtoDecodeError, .truncated) }
        XCTAssertThrowsError(try decoded([0x80])) { XCTAssertEqual($0 as? ProtoDecodeError, .truncated) }
        XCTAssertThrowsError(try decoded([0xFF, 0xFF, 0xFF])) {
            XCTAssertEqual($0 as? ProtoDecodeError, .truncated)
        }
    }

    func testZigZagMapsSmallMagnitudesToSmallNumbers() {
        let pairs: [(Int64, UInt64)] = [(0, 0), (-1, 1), (1, 2), (-2, 3), (Int64.max, UInt64.max - 1),
                                        (Int64.min, UInt64.max)]
        for (signed, unsigned) in pairs {
            XCTAssertEqual(ZigZag.encode(signed), unsigned)
            XCTAssertEqual(ZigZag.decode(unsigned), signed)
        }
        XCTAssertEqual(ZigZag.encode(Int32(-1)), 1)
        XCTAssertEqual(ZigZag.decode(UInt32.max), Int32.min)
    }
}
