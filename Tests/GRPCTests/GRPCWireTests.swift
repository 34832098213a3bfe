import GRPC
import HTTP2
import XCTest

/// The pure pieces of the gRPC layer, each specified by worked examples: timeout parsing, status
/// message encoding, message reassembly, request-head verdicts.
final class GRPCTimeoutTests: XCTestCase {
    func testEveryUnit() {
        XCTAssertEqual(GRPCTimeout.nanoseconds(parsing: "2H"), 7_200_000_000_000)
        XCTAssertEqual(GRPCTimeout.nanoseconds(parsing: "3M"), 180_000_000_000)
        XCTAssertEqual(GRPCTimeout.nanoseconds(parsing: "5S"), 5_000_000_000)
        XCTAssertEqual(GRPCTimeout.nanoseconds(parsing: "100m"), 100_000_000)
        XCTAssertEqual(GRPCTimeout.nanoseconds(parsing: "250u"), 250_000)
        XCTAssertEqual(GRPCTimeout.nanoseconds(parsing: "99999999n"), 99_999_999)
        XCTAssertEqual(GRPCTimeout.nanoseconds(parsing: "0S"), 0)
    }

    func testGoParseIntLeniencies() {
        XCTAssertEqual(GRPCTimeout.nanoseconds(parsing: "+7S"), 7_000_000_000)
        XCTAssertEqual(GRPCTimeout.nanoseconds(parsing: "-1m"), -1_000_000, "negative: already expired")
        XCTAssertEqual(GRPCTimeout.nanoseconds(parsing: "00000042u"), 42_000)
    }

    func testHoursBeyondInt64AreClamped() {
        XCTAssertEqual(GRPCTimeout.nanoseconds(parsing: "99999999H"), Int64.max)
        XCTAssertEqual(GRPCTimeout.nanoseconds(parsing: "2562047H"), 2_562_047 * 3_600_000_000_000)
    }

    func testMalformedValues() {
        for bad in ["", "S", "5", "5s", "5h", "10x", "123456789S", "1.5S", " 5S", "5 S", "+S", "-S", "S5", "5SS"] {
            XCTAssertNil(GRPCTimeout.nanoseconds(parsing: bad), "\"\(bad)\" must be rejected")
        }
    }
}

final class GRPCStatusWireTests: XCTestCase {
    func testPrintableASCIIPassesThroughUnchanged() {
        XCTAssertEqual(GRPCStatus.percentEncoded("etcdserver: request timed out"), "etcdserver: request timed out")
        XCTAssertEqual(GRPCStatus.percentEncoded(" ~"), " ~")
        XCTAssertEqual(GRPCStatus.percentEncoded(""), "")
    }

    func testPercentControlAndNonASCIIAreEncodedUppercase() {
        XCTAssertEqual(GRPCStatus.percentEncoded("100%"), "100%25")
        XCTAssertEqual(GRPCStatus.percentEncoded("a\nb\tc\u{7f}"), "a%0Ab%09c%7F")
        XCTAssertEqual(GRPCStatus.percentEncoded("日"), "%E6%97%A5")
    }

    func testDecodingInvertsEncodingAndToleratesStrayPercent() {
        let message = "ünïcode %41 \r\n ok"
        XCTAssertEqual(GRPCStatus.percentDecoded(GRPCStatus.percentEncoded(message)), message)
        XCTAssertEqual(GRPCStatus.percentDecoded("50%"), "50%")
        XCTAssertEqual(GRPCStatus.percentDecoded("%zz%4"), "%zz%4")
        XCTAssertEqual(GRPCStatus.percentDecoded("%4a"), "J")
    }

    func testTrailerFieldsAlwaysCarryAMessage() {
        let fields = GRPCStatus(.unavailable).trailerFields
        XCTAssertEqual(fields.map { $0.name }, ["grpc-status", "grpc-message"])
        XCTAssertEqual(fields.map { $0.value }, ["14", ""])
    }
}

final class GRPCMessageReaderTests: XCTestCase {
    private func consume(_ reader: inout GRPCMessageReader, _ bytes: [UInt8]) throws(GRPCStatus) -> [[UInt8]] {
        var messages: [[UInt8]] = []
        var failure: GRPCStatus?
        bytes.withUnsafeBytes { buffer in
            do throws(GRPCStatus) {
                try reader.consume(buffer) { messages.append($0) }
            } catch {
                failure = error
            }
        }
        if let failure { throw failure }
        return messages
    }

    func testByteAtATimeReassembly() throws {
        var reader = GRPCMessageReader(maxMessageBytes: 100)
        var messages: [[UInt8]] = []
        for byte in grpcFrame([1, 2, 3], [], [4]) { messages += try consume(&reader, [byte]) }
        XCTAssertEqual(messages, [[1, 2, 3], [], [4]])
        XCTAssertFalse(reader.hasPartialMessage)
    }

    func testPartialMessageIsReported() throws {
        var reader = GRPCMessageReader(maxMessageBytes: 100)
        XCTAssertEqual(try consume(&reader, [0, 0, 0]), [])
        XCTAssertTrue(reader.hasPartialMessage)
        XCTAssertEqual(try consume(&reader, [0, 1, 9]), [[9]])
        XCTAssertFalse(reader.hasPartialMessage)
    }

    func testOversizeIsRefusedAtThePrefixAlone() {
        var reader = GRPCMessageReader(maxMessageBytes: 4 << 20)
        // Exactly the 5 prefix bytes: the refusal cannot depend on buffering the payload.
        XCTAssertThrowsError(try consume(&reader, [0, 0xff, 0xff, 0xff, 0xff])) { error in
            XCTAssertEqual(error as? GRPCStatus, GRPCStatus(.resourceExhausted,
                "grpc: received message larger than max (4294967295 vs. 4194304)"))
        }
    }

    func testDeclaredLengthIsNotTrustedForAllocation() throws {
        var reader = GRPCMessageReader(maxMessageBytes: 64 << 20)
        // Declares 32 MiB (allowed), then sends 10 bytes and stalls.
        XCTAssertEqual(try consume(&reader, [0, 0x02, 0x00, 0x00, 0x00] + Array(repeating: 1, count: 10)), [])
        XCTAssertTrue(reader.hasPartialMessage)
        XCTAssertLessThan(reader.reservedBytes, 1024)
        // As bytes keep coming the buffer grows with them, not ahead of them.
        XCTAssertEqual(try consume(&reader, Array(repeating: 2, count: 100_000)), [])
        XCTAssertLessThanOrEqual(reader.reservedBytes, 2 * 100_010 + 64)
    }

    func testMaximumSizeIsInclusive() throws {
        var reader = GRPCMessageReader(maxMessageBytes: 3)
        XCTAssertEqual(try consume(&reader, grpcFrame([1, 2, 3])), [[1, 2, 3]])
    }

    func testSizeIsCheckedBeforeTheFlagAsGrpcGoDoes() {
        var reader = GRPCMessageReader(maxMessageBytes: 1)
        XCTAssertThrowsError(try consume(&reader, [7, 0, 0, 0, 2])) { error in
            XCTAssertEqual((error as? GRPCStatus)?.code, .resourceExhausted)
        }
    }

    func testCompressedAndUnknownFlags() {
        var reader = GRPCMessageReader(maxMessageBytes: 10)
        XCTAssertThrowsError(try consume(&reader, [1, 0, 0, 0, 0])) { error in
            XCTAssertEqual(error as? GRPCStatus, GRPCStatus(.internal, "grpc: compressed flag set with identity or empty encoding"))
        }
        var other = GRPCMessageReader(maxMessageBytes: 10)
        XCTAssertThrowsError(try consume(&other, [2, 0, 0, 0, 0])) { error in
            XCTAssertEqual(error as? GRPCStatus, GRPCStatus(.internal, "grpc: received unexpected payload format 2"))
        }
    }
}

final class GRPCRequestHeadTests: XCTestCase {
    private func verdict(_ fields: [(String, String)]) -> GRPCRequestVerdict {
        var parser = GRPCRequestHeadParser()
        for (name, value) in fields { parser.add(name: name, value: value) }
        return parser.verdict()
    }

    private let base = [(":method", "POST"), (":path", "/etcdserverpb.KV/Range"), ("te", "trailers")]

    func testContentTypesGrpcGoAccepts() {
        for (contentType, response) in [("application/grpc", "application/grpc"),
                                        ("application/grpc+proto", "application/grpc+proto"),
                                        ("application/grpc;proto", "application/grpc+proto"),
                                        ("application/grpc+", "application/grpc")] {
            guard case .accepted(let head) = verdict(base + [("content-type", contentType)]) else {
                return XCTFail("\(contentType) must be accepted")
            }
            XCTAssertEqual(head.responseContentType, response)
            XCTAssertEqual(head.path, "/etcdserverpb.KV/Range")
        }
    }

    func testContentTypesGrpcGoResets() {
        for contentType in ["application/grpcx", "application/json", "Application/grpc", ""] {
            guard case .reset(let code) = verdict(base + [("content-type", contentType)]) else {
                return XCTFail("\(contentType) must be reset")
            }
            XCTAssertEqual(code, .protocolError)
        }
        guard case .reset(.protocolError) = verdict(base) else { return XCTFail("missing content-type must be reset") }
    }

    func testEncodingVerdicts() {
        guard case .refused(let status, _) = verdict(base + [("content-type", "application/grpc"),
                                                            ("grpc-encoding", "snappy")]) else {
            return XCTFail("unknown encodings are refused")
        }
        XCTAssertEqual(status, GRPCStatus(.unimplemented, "grpc: Decompressor is not installed for grpc-encoding \"snappy\""))
        guard case .accepted = verdict(base + [("content-type", "application/grpc"), ("grpc-encoding", "")]) else {
            return XCTFail("an empty encoding means identity")
        }
    }
}
