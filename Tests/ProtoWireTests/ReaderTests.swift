// Decoding hostile or unusual input: bounds, unknown fields of every wire type, groups, nesting.

import EtcdBasics
import XCTest
@testable import ProtoWire

final class ReaderTests: XCTestCase {
    // MARK: Bounds

    func testLengthBeyondTheBufferIsRefusedBeforeAllocating() {
        // Field 2 claims 5 bytes, 2 follow.
        XCTAssertEqual(decodeError(hex("12 05 61 62")), .lengthExceedsInput(declared: 5, remaining: 2))
        // A length near 2^63 must not wrap, trap or allocate.
        XCTAssertEqual(decodeError(hex("12 ff ff ff ff ff ff ff ff 7f 61")),
                       .lengthExceedsInput(declared: UInt64(Int64.max), remaining: 1))
    }

    func testNestedLengthIsCheckedAgainstItsParentNotTheWholeBuffer() {
        // Child message (field 3) is 2 bytes long but its string field claims 3; the parent's next
        // field follows. The child must not read into it.
        XCTAssertEqual(decodeError(hex("1a 02 12 03 08 01 08")), .lengthExceedsInput(declared: 3, remaining: 0))
    }

    func testTruncatedFixedWidthValues() {
        XCTAssertEqual(decodeError(hex("29 01 02 03 04 05 06 07")), .truncated)   // fixed64, 7 of 8
        XCTAssertEqual(decodeError(hex("35 01 02 03")), .truncated)               // fixed32, 3 of 4
        XCTAssertEqual(decodeError(hex("08")), .truncated)                        // tag without value
        XCTAssertEqual(decodeError(hex("69 01 02")), .truncated)                  // unknown fixed64
        XCTAssertEqual(decodeError(hex("6d 01")), .truncated)                     // unknown fixed32
    }

    func testInvalidTags() {
        XCTAssertEqual(decodeError(hex("00 01")), .invalidFieldNumber(0))
        XCTAssertEqual(decodeError(hex("0e 01")), .invalidWireType(6))
        XCTAssertEqual(decodeError(hex("0f 01")), .invalidWireType(7))
        // Field number 2^29 (one past the maximum).
        XCTAssertEqual(decodeError(hex("80 80 80 80 10")), .invalidFieldNumber(1 << 29))
    }

    func testKnownFieldWithTheWrongWireTypeIsRefused() {
        // Field 1 (int64) sent as length-delimited.
        XCTAssertEqual(decodeError(hex("0a 01 00")), .wrongWireType(fieldNumber: 1, wireType: .lengthDelimited))
        // Field 3 (message) sent as a varint.
        XCTAssertEqual(decodeError(hex("18 01")), .wrongWireType(fieldNumber: 3, wireType: .varint))
    }

    // MARK: Unknown fields

    func testUnknownFieldsOfEveryWireTypeAreSkipped() throws {
        let bytes = hex("""
            08 07
            a0 06 96 01
            12 01 78
            a1 06 01 02 03 04 05 06 07 08
            aa 06 03 61 62 63
            ad 06 01 02 03 04
            40 01
            """)
        // field 100 varint, fixed64, length-delimited, fixed32 interleaved with known fields 1, 2, 8.
        let node = try Node(serializedBytes: bytes)
        var expected = Node()
        expected.id = 7
        expected.name = "x"
        expected.flag = true
        XCTAssertEqual(node, expected)
    }

    func testUnknownGroupsAreSkippedThroughTheirMatchingEnd() throws {
        // Field 10 group holding a varint, a string and a nested group (field 11), then field 1.
        let bytes = hex("53 08 01 12 01 61 5b 08 02 5c 54 08 2a")
        XCTAssertEqual(try Node(serializedBytes: bytes).id, 42)
    }

    func testGroupErrors() {
        XCTAssertEqual(decodeError(hex("54")), .unmatchedEndGroup(fieldNumber: 10))        // end without start
        XCTAssertEqual(decodeError(hex("53 08 01 5c")), .unmatchedEndGroup(fieldNumber: 11)) // wrong end
        XCTAssertEqual(decodeError(hex("53 08 01")), .truncated)                           // never closed
    }

    func testGroupNestingIsBounded() {
        let depth = Limits.protoDecodeDepthMax + 1
        let bytes = Array(repeating: UInt8(0x53), count: depth) + Array(repeating: UInt8(0x54), count: depth)
        XCTAssertEqual(decodeError(bytes), .depthLimitExceeded(max: Limits.protoDecodeDepthMax))
        let allowed = Limits.protoDecodeDepthMax
        let fine = Array(repeating: UInt8(0x53), count: allowed) + Array(repeating: UInt8(0x54), count: allowed)
        XCTAssertNil(decodeError(fine))
    }

    // MARK: Nesting

    /// A chain of `levels` nodes, each the only child of the one before.
    private func chain(_ levels: Int) -> Node {
        var node = Node()
        node.id = Int64(levels)
        for level in stride(from: levels - 1, through: 1, by: -1) {
            var parent = Node()
            parent.id = Int64(level)
            parent.children = [node]
            node = parent
        }
        return node
    }

    func testNestingUpToTheLimitDecodes() throws {
        // The outermost message is depth 0, so Limits.protoDecodeDepthMax + 1 levels fit.
        let deepest = chain(Limits.protoDecodeDepthMax + 1)
        XCTAssertEqual(try Node(serializedBytes: deepest.serializedBytes()), deepest)
    }

    func testNestingPastTheLimitIsRefused() {
        let tooDeep = chain(Limits.protoDecodeDepthMax + 2)
        XCTAssertEqual(decodeError(tooDeep.serializedBytes()), .depthLimitExceeded(max: Limits.protoDecodeDepthMax))
    }

    // MARK: Values

    func testRepeatedEnumAcceptsPackedAndUnpackedAndMapsUnknownToZero() throws {
        XCTAssertEqual(try Node(serializedBytes: hex("22 03 01 02 00")).colors, [.green, .blue, .red])
        XCTAssertEqual(try Node(serializedBytes: hex("20 02 20 01")).colors, [.blue, .green])
        XCTAssertEqual(try Node(serializedBytes: hex("22 02 09 01")).colors, [.red, .green])
        XCTAssertEqual(decodeError(hex("22 02 01 80")), .truncated)
    }

    func testLastOccurrenceOfAScalarWins() throws {
        XCTAssertEqual(try Node(serializedBytes: hex("08 01 08 02")).id, 2)
    }

    func testAnyNonZeroVarintIsTrue() throws {
        XCTAssertTrue(try Node(serializedBytes: hex("40 02")).flag)
        XCTAssertTrue(try Node(serializedBytes: hex("40 80 01")).flag)
    }

    func testInvalidUTF8InAStringDoesNotFailTheDecode() throws {
        XCTAssertEqual(try Node(serializedBytes: hex("12 01 ff")).name, "\u{FFFD}")
    }

    func testDecodingFromASliceReadsOnlyTheSlice() throws {
        let framed: [UInt8] = [0xEE, 0xEE] + hex("08 05") + [0xEE]
        XCTAssertEqual(try Node(serializedBytes: framed[2..<4]).id, 5)
    }

    func testEmptyInputIsTheDefaultMessage() throws {
        XCTAssertEqual(try Node(serializedBytes: [UInt8]()), Node())
    }
}
