// Decoding hostile or unusual input: bounds, unknown fields of every wire type, groups, nesting.

import EtcdBasics
import XCTest
@testable import ProtoWire

final class ReaderTests: XCTestCase {
    // MARK: Bounds

    func testLengthBeyondTheBufferIsRefusedBeforeAllocating() {
        // Field 2 claims 5 bytes, 2 follow.
        XCTAssertEqual(decodeError(hex("12 05 61 62")), .truncated)
        // A length near 2^63 must not wrap, trap or allocate.
        XCTAssertEqual(decodeError(hex("12 ff ff ff ff ff ff ff ff 7f 61")), .truncated)
    }

    func testALengthThatReadsAsNegativeIsRefused() {
        // 2^64 - 1, which gogo reads into a Go int as -1.
        XCTAssertEqual(decodeError(hex("12 ff ff ff ff ff ff ff ff ff 01")), .negativeLength)
        XCTAssertEqual(decodeError(hex("a2 06 ff ff ff ff ff ff ff ff ff 01")), .negativeLength) // unknown field
    }

    func testNestedLengthIsCheckedAgainstItsParentNotTheWholeBuffer() {
        // Child message (field 3) is 2 bytes long but its string field claims 3; the parent's next
        // field follows. The child must not read into it.
        XCTAssertEqual(decodeError(hex("1a 02 12 03 08 01 08")), .truncated)
    }

    func testTruncatedFixedWidthValues() {
        XCTAssertEqual(decodeError(hex("29 01 02 03 04 05 06 07")), .truncated)   // fixed64, 7 of 8
        XCTAssertEqual(decodeError(hex("35 01 02 03")), .truncated)               // fixed32, 3 of 4
        XCTAssertEqual(decodeError(hex("08")), .truncated)                        // tag without value
        XCTAssertEqual(decodeError(hex("69 01 02")), .truncated)                  // unknown fixed64
        XCTAssertEqual(decodeError(hex("6d 01")), .truncated)                     // unknown fixed32
    }

    func testTagsAreCheckedInGogosOrder() {
        // End group first, whatever the field number; then a field number that is not positive.
        XCTAssertEqual(decodeError(hex("04")), .endGroupOutsideGroup(message: "Node"))
        XCTAssertEqual(decodeError(hex("0c")), .endGroupOutsideGroup(message: "Node"))
        XCTAssertEqual(decodeError(hex("00 01")), .illegalTag(fieldNumber: 0, rawTag: 0, message: "Node"))
        XCTAssertEqual(decodeError(hex("07")), .illegalTag(fieldNumber: 0, rawTag: 7, message: "Node"))
        // Field number 2^31 is negative as gogo's Int32.
        XCTAssertEqual(decodeError(hex("80 80 80 80 40")),
                       .illegalTag(fieldNumber: Int32.min, rawTag: 1 << 34, message: "Node"))
        // Field number 2^32 + 1 truncates to field 1 (id, a varint): decoded as id.
        XCTAssertEqual(try Node(serializedBytes: hex("88 80 80 80 80 01 05")).id, 5)
        // Field number 2^29, past protobuf's maximum but a positive Int32: an unknown field, skipped.
        XCTAssertNil(decodeError(hex("80 80 80 80 10 01")))
    }

    func testWireTypes6And7AreWrongForDeclaredFieldsAndIllegalForOthers() {
        XCTAssertEqual(decodeError(hex("0e 01")), .wrongWireType(fieldNumber: 1, wireType: 6, field: "Id"))
        XCTAssertEqual(decodeError(hex("0f 01")), .wrongWireType(fieldNumber: 1, wireType: 7, field: "Id"))
        XCTAssertEqual(decodeError(hex("a7 06")), .illegalWireType(7))
        XCTAssertEqual(decodeError(hex("a6 06")), .illegalWireType(6))
    }

    func testKnownFieldWithTheWrongWireTypeIsRefused() {
        // Field 1 (int64) sent as length-delimited.
        XCTAssertEqual(decodeError(hex("0a 01 00")), .wrongWireType(fieldNumber: 1, wireType: 2, field: "Id"))
        // Field 3 (message) sent as a varint.
        XCTAssertEqual(decodeError(hex("18 01")), .wrongWireType(fieldNumber: 3, wireType: 0, field: "Children"))
        XCTAssertEqual(decodeError(hex("18 01"))?.description, "proto: wrong wireType = 0 for field Children")
    }

    func testErrorsNameTheInnermostMessage() {
        // A child Node's field 1 sent as fixed32: the child's field name, once.
        XCTAssertEqual(decodeError(hex("1a 05 0d 00 00 00 00")),
                       .wrongWireType(fieldNumber: 1, wireType: 5, field: "Id"))
        XCTAssertEqual(decodeError(hex("1a 01 00"))?.description, "proto: Node: illegal tag 0 (wire type 0)")
        // A decoder called directly, without an entry point, leaves the names unfilled.
        let raw = hex("00").withUnsafeBytes { buffer in
            var reader = ProtoReader(buffer)
            return Result { () throws(ProtoDecodeError) in try Node(decoding: &reader, depth: 0) }
        }
        guard case .failure(let error) = raw else { return XCTFail("decoded field 0") }
        XCTAssertEqual(error, .illegalTag(fieldNumber: 0, rawTag: 0, message: nil))
    }

    func testDescriptionsAreGogosText() {
        XCTAssertEqual(ProtoDecodeError.truncated.description, "unexpected EOF")
        XCTAssertEqual(ProtoDecodeError.integerOverflow.description, "proto: integer overflow")
        XCTAssertEqual(ProtoDecodeError.negativeLength.description, "proto: negative length found during unmarshaling")
        XCTAssertEqual(ProtoDecodeError.illegalWireType(7).description, "proto: illegal wireType 7")
        XCTAssertEqual(ProtoDecodeError.endGroupOutsideGroup(message: "RangeRequest").description,
                       "proto: RangeRequest: wiretype end group for non-group")
        XCTAssertEqual(ProtoDecodeError.illegalTag(fieldNumber: 0, rawTag: 2, message: "Compare").description,
                       "proto: Compare: illegal tag 0 (wire type 2)")
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

    func testGroupsAreSkippedAsGogoSkipsThem() {
        XCTAssertEqual(decodeError(hex("54")), .endGroupOutsideGroup(message: "Node"))  // end without start
        XCTAssertNil(decodeError(hex("53 08 01 5c")))             // any end marker closes the group
        XCTAssertNil(decodeError(hex("53 00 01 54")))             // field 0 inside a group is not checked
        XCTAssertEqual(decodeError(hex("53 08 01")), .truncated)  // never closed
        XCTAssertEqual(decodeError(hex("53 53 08 01 54")), .truncated)  // inner closed, outer not
        XCTAssertEqual(decodeError(hex("53 0f")), .illegalWireType(7))
        XCTAssertEqual(decodeError(hex("53 09 01")), .truncated)  // fixed64 past the end
    }

    func testDeeplyNestedGroupsAreSkippedWithoutRecursion() {
        let depth = 100_000
        let bytes = Array(repeating: UInt8(0x53), count: depth) + Array(repeating: UInt8(0x54), count: depth)
        XCTAssertNil(decodeError(bytes))
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
        // As in gogo, the last varint of a packed run may run past the run (not past the message).
        XCTAssertEqual(try Node(serializedBytes: hex("22 01 81 00")).colors, [.green])
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
