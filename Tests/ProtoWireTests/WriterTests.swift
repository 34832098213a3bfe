// Encoding: proto3 default skipping, fixed-width layout, and appending to reused buffers.

import XCTest
@testable import ProtoWire

final class WriterTests: XCTestCase {
    func testDefaultsAreNotWritten() {
        XCTAssertEqual(Node().serializedBytes(), [])
        XCTAssertEqual(Node().encodedSize, 0)
        var writer = ProtoWriter()
        writer.writeBytes(field: 1, [])
        writer.writeString(field: 2, "")
        writer.writeUInt64(field: 3, 0)
        writer.writeUInt32(field: 4, 0)
        writer.writeBool(field: 5, false)
        writer.writeEnum(field: 6, Color.red)
        writer.writeMessage(field: 7, Node?.none)
        writer.writePackedEnums(field: 8, [Color]())
        XCTAssertEqual(writer.bytes, [])
    }

    func testPresentEmptyMessageIsWrittenAndRepeatedEmptyValuesToo() {
        var writer = ProtoWriter()
        writer.writeMessage(field: 1, Node?.some(Node()))
        writer.writeStrings(field: 2, ["", "a"])
        writer.writeRepeatedBytes(field: 3, [[]])
        writer.writeVarintField(field: 4, 0)
        XCTAssertEqual(writer.bytes, hex("0a 00 12 00 12 01 61 1a 00 20 00"))
    }

    func testFixedWidthFieldsAreLittleEndian() throws {
        var node = Node()
        node.checksum = 0x0102_0304_0506_0708
        node.crc = 0xDEAD_BEEF
        let bytes = node.serializedBytes()
        XCTAssertEqual(bytes, hex("29 08 07 06 05 04 03 02 01 35 ef be ad de"))
        XCTAssertEqual(try Node(serializedBytes: bytes), node)
    }

    func testLargeFieldNumbersTakeLongerTags() {
        var writer = ProtoWriter()
        writer.writeBool(field: 64, true)
        writer.writeBool(field: FieldTag.fieldNumberRange.upperBound, true)
        XCTAssertEqual(writer.bytes, hex("80 04 01 f8 ff ff ff 0f 01"))
        XCTAssertEqual(ProtoSize.tag(field: 64), 2)
        XCTAssertEqual(ProtoSize.tag(field: FieldTag.fieldNumberRange.upperBound), 5)
    }

    func testEveryFieldKindRoundTripsAndSizeIsExact() throws {
        var child = Node()
        child.name = "child"
        var node = Node()
        node.id = 1 << 40
        node.name = "héllo"
        node.children = [child, Node()]
        node.colors = [.blue, .red, .green]
        node.checksum = 9
        node.crc = 10
        node.delta = -3
        node.flag = true
        node.small = Int32.min
        let bytes = node.serializedBytes()
        XCTAssertEqual(bytes.count, node.encodedSize)
        XCTAssertEqual(try Node(serializedBytes: bytes), node)
    }

    func testEncodeAppendingKeepsWhatTheBufferHeld() throws {
        var node = Node()
        node.id = 300
        var buffer: [UInt8] = [0x00, 0x00, 0x00, 0x00, 0x00]   // say, a gRPC frame header
        node.encode(appendingTo: &buffer)
        XCTAssertEqual(buffer, hex("00 00 00 00 00 08 ac 02"))
        XCTAssertEqual(try Node(serializedBytes: buffer[5...]), node)
    }
}
