import Raft
import XCTest

@testable import EtcdServer

/// The message stream framing: 8-byte big-endian length, then the raftpb.Message.
final class PeerMessageStreamCodecTests: XCTestCase {
    private let vote = Message(type: .vote, to: 2, from: 1, term: 5, logTerm: 4, index: 9)
    private let append = Message(type: .app, to: 2, from: 1, term: 5, logTerm: 5, index: 9,
                                 entries: [Entry(term: 5, index: 10, data: Array("put".utf8))], commit: 8)

    func testFrameIsBigEndianLengthThenMessageBytes() {
        var bytes: [UInt8] = []
        MessageStreamEncoder.encode(vote, appendingTo: &bytes)
        let body = vote.serializedBytes()
        XCTAssertEqual(Array(bytes[..<8]), [0, 0, 0, 0, 0, 0, 0, UInt8(body.count)])
        XCTAssertEqual(Array(bytes[8...]), body)
    }

    func testMessagesRoundTripWhateverTheReadSizes() throws {
        var bytes: [UInt8] = []
        for message in [vote, append, .linkHeartbeat] { MessageStreamEncoder.encode(message, appendingTo: &bytes) }
        for pieceSize in [1, 3, 8, 9, bytes.count] {
            var decoder = MessageStreamDecoder()
            var decoded: [Message] = []
            var offset = 0
            while offset < bytes.count {
                decoder.append(bytes[offset..<min(offset + pieceSize, bytes.count)])
                offset += pieceSize
                while let message = try decoder.next() { decoded.append(message) }
            }
            XCTAssertEqual(decoded, [vote, append, .linkHeartbeat], "pieces of \(pieceSize)")
            XCTAssertNoThrow(try decoder.finish())
        }
    }

    func testLengthOverTheLimitIsRefusedBeforeTheBodyArrives() {
        var decoder = MessageStreamDecoder()
        var length: [UInt8] = []
        (MessageStreamDecoder.readBytesLimit + 1).appendBigEndian(to: &length)
        decoder.append(length)
        XCTAssertThrowsError(try decoder.next()) { error in
            XCTAssertEqual(error as? PeerStreamError,
                           .exceedSizeLimit(length: MessageStreamDecoder.readBytesLimit + 1, limit: MessageStreamDecoder.readBytesLimit))
            XCTAssertEqual("\(error)", "rafthttp: error limit exceeded", "etcd's ErrExceedSizeLimit text")
        }
        XCTAssertEqual(MessageStreamDecoder.readBytesLimit, 512 * 1024 * 1024)
    }

    func testExactlyTheLimitIsAccepted() throws {
        var bytes: [UInt8] = []
        MessageStreamEncoder.encode(vote, appendingTo: &bytes)
        var decoder = MessageStreamDecoder(limit: UInt64(vote.encodedSize))
        decoder.append(bytes)
        XCTAssertEqual(try decoder.next(), vote)
        var tight = MessageStreamDecoder(limit: UInt64(vote.encodedSize - 1))
        tight.append(bytes)
        XCTAssertThrowsError(try tight.next())
    }

    func testStreamEndingInsideAFrameIsTruncated() throws {
        var bytes: [UInt8] = []
        MessageStreamEncoder.encode(vote, appendingTo: &bytes)
        var decoder = MessageStreamDecoder()
        decoder.append(bytes.dropLast())
        XCTAssertNil(try decoder.next())
        XCTAssertThrowsError(try decoder.finish()) { XCTAssertEqual($0 as? PeerStreamError, .truncated) }
    }

    func testBytesThatAreNotAMessageAreMalformed() {
        var decoder = MessageStreamDecoder()
        decoder.append([0, 0, 0, 0, 0, 0, 0, 2, 0xFF, 0xFF])
        XCTAssertThrowsError(try decoder.next()) { error in
            guard case .malformed? = error as? PeerStreamError else { return XCTFail("\(error)") }
        }
    }

    func testLinkHeartbeatHasNeitherFromNorTo() {
        XCTAssertTrue(Message.linkHeartbeat.isLinkHeartbeat)
        XCTAssertFalse(Message(type: .heartbeat, to: 2, from: 1, term: 3).isLinkHeartbeat)
        XCTAssertFalse(Message(type: .app).isLinkHeartbeat)
    }
}
