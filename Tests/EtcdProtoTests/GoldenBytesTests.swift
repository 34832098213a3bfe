// Every golden case, three ways: encode to protoc's bytes, decode protoc's bytes, size exactly.

import EtcdProto
import XCTest

final class GoldenBytesTests: XCTestCase {
    private func encoded<M: ProtoMessage>(_ message: M) -> [UInt8] {
        message.serializedBytes()
    }

    private func decodes<M: ProtoMessage>(_ bytes: [UInt8], to message: M) throws -> Bool {
        try M(serializedBytes: bytes) == message
    }

    private func size<M: ProtoMessage>(of message: M) -> Int {
        message.encodedSize
    }

    func testEncoderEmitsProtocsBytes() {
        for golden in Golden.cases {
            XCTAssertEqual(encoded(golden.message), golden.bytes, golden.label)
        }
    }

    func testDecoderReadsProtocsBytesBackToTheMessage() throws {
        for golden in Golden.cases {
            XCTAssertTrue(try decodes(golden.bytes, to: golden.message), golden.label)
        }
    }

    func testEncodedSizeIsExact() {
        for golden in Golden.cases {
            XCTAssertEqual(size(of: golden.message), golden.bytes.count, golden.label)
        }
    }

    func testEveryRPCMessageHasAGoldenCase() {
        let covered = Set(Golden.cases.map { $0.protoType.split(separator: ".").last.map(String.init) ?? "" })
        for method in EtcdMethod.allCases {
            for type in [method.requestType, method.responseType] {
                XCTAssertTrue(covered.contains(String(describing: type)), "no golden case for \(type)")
            }
        }
    }
}
