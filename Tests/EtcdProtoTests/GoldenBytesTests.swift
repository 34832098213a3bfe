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

    func testEveryWireTypeOfEtcdMessagesIsCovered() {
        // The cases must exercise the whole client API surface the server decodes first.
        let covered = Set(Golden.cases.map(\.protoType))
        for name in ["RangeRequest", "PutRequest", "DeleteRangeRequest", "TxnRequest", "CompactionRequest",
                     "WatchRequest", "LeaseGrantRequest", "LeaseRevokeRequest", "LeaseTimeToLiveRequest",
                     "MemberAddRequest", "MemberRemoveRequest", "MemberUpdateRequest", "AlarmRequest",
                     "HashKVRequest", "StatusRequest", "MemberListRequest", "HashRequest"] {
            XCTAssertTrue(covered.contains("etcdserverpb.\(name)"), "no golden case for \(name)")
        }
    }
}
