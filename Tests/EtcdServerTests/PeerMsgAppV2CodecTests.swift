import EtcdBasics
import Raft
import XCTest

@testable import EtcdServer

/// msgappv2: MsgApps the follower can predict travel as entries plus commit; both ends track
/// (term, index) the same way.
final class PeerMsgAppV2CodecTests: XCTestCase {
    private let leader = MemberID(1)
    private let follower = MemberID(2)

    private func app(term: UInt64, logTerm: UInt64, index: UInt64, entries: ClosedRange<UInt64>?, commit: UInt64) -> Message {
        let entries = entries.map { range in range.map { Entry(term: term, index: $0, data: [UInt8($0 & 0xFF)]) } } ?? []
        return Message(type: .app, to: follower.rawValue, from: leader.rawValue, term: term, logTerm: logTerm,
                       index: index, entries: entries, commit: commit)
    }

    func testFirstMsgAppGoesWholeThenPredictableOnesAsAppEntries() {
        var encoder = MsgAppV2Encoder()
        var bytes: [UInt8] = []
        let first = app(term: 3, logTerm: 1, index: 2, entries: 3...3, commit: 2)
        encoder.encode(first, appendingTo: &bytes)
        XCTAssertEqual(bytes.first, 2, "full message frame")
        XCTAssertEqual([encoder.term, encoder.index], [3, 3])

        bytes = []
        encoder.encode(app(term: 3, logTerm: 3, index: 3, entries: 4...5, commit: 3), appendingTo: &bytes)
        let entry4 = Entry(term: 3, index: 4, data: [4]).serializedBytes()
        let entry5 = Entry(term: 3, index: 5, data: [5]).serializedBytes()
        var expected: [UInt8] = [1, 0, 0, 0, 0, 0, 0, 0, 2]
        expected += [0, 0, 0, 0, 0, 0, 0, UInt8(entry4.count)] + entry4
        expected += [0, 0, 0, 0, 0, 0, 0, UInt8(entry5.count)] + entry5
        expected += [0, 0, 0, 0, 0, 0, 0, 3]
        XCTAssertEqual(bytes, expected)
        XCTAssertEqual([encoder.term, encoder.index], [3, 5])
    }

    func testUnpredictableMsgAppGoesWholeAndResetsTheState() {
        var encoder = MsgAppV2Encoder()
        var bytes: [UInt8] = []
        encoder.encode(app(term: 3, logTerm: 3, index: 7, entries: 8...9, commit: 7), appendingTo: &bytes)
        for message in [
            app(term: 3, logTerm: 3, index: 5, entries: 6...6, commit: 7),  // a retry from behind
            app(term: 4, logTerm: 3, index: 6, entries: nil, commit: 7),    // a new term
        ] {
            bytes = []
            encoder.encode(message, appendingTo: &bytes)
            XCTAssertEqual(bytes.first, 2, "\(message)")
        }
        XCTAssertEqual([encoder.term, encoder.index], [4, 6], "no entries: the Index itself")
    }

    func testSequenceRoundTripsIncludingLinkHeartbeatsByteAtATime() throws {
        let messages = [
            .linkHeartbeat,
            app(term: 2, logTerm: 1, index: 1, entries: 2...2, commit: 1),
            app(term: 2, logTerm: 2, index: 2, entries: 3...5, commit: 2),
            .linkHeartbeat,
            app(term: 2, logTerm: 2, index: 5, entries: nil, commit: 5),
            app(term: 2, logTerm: 2, index: 5, entries: 6...6, commit: 5),
        ]
        var encoder = MsgAppV2Encoder()
        var bytes: [UInt8] = []
        for message in messages { encoder.encode(message, appendingTo: &bytes) }
        var decoder = MsgAppV2Decoder(local: follower, remote: leader)
        var decoded: [Message] = []
        for byte in bytes {
            decoder.append([byte])
            while let message = try decoder.next() { decoded.append(message) }
        }
        XCTAssertEqual(decoded, messages)
        XCTAssertNoThrow(try decoder.finish())
        XCTAssertEqual([decoder.term, decoder.index], [2, 6])
    }

    func testUnknownFrameTypeIsEtcdsError() {
        var decoder = MsgAppV2Decoder(local: follower, remote: leader)
        decoder.append([3])
        XCTAssertThrowsError(try decoder.next()) { error in
            XCTAssertEqual(error as? PeerStreamError, .unknownMsgAppV2Type(3))
            XCTAssertEqual("\(error)", "failed to parse type 3 in msgappv2 stream")
        }
    }

    func testOversizedEntryIsRefusedBeforeItArrives() {
        var decoder = MsgAppV2Decoder(local: follower, remote: leader, limit: 1024)
        var bytes: [UInt8] = [1]
        UInt64(1).appendBigEndian(to: &bytes)
        UInt64(4096).appendBigEndian(to: &bytes)
        decoder.append(bytes)
        XCTAssertThrowsError(try decoder.next()) { error in
            guard case .exceedSizeLimit? = error as? PeerStreamError else { return XCTFail("\(error)") }
        }
    }

    func testStreamEndingInsideAppEntriesIsTruncated() throws {
        var decoder = MsgAppV2Decoder(local: follower, remote: leader)
        decoder.append([1, 0, 0, 0, 0, 0, 0, 0, 0])  // zero entries, commit missing
        XCTAssertNil(try decoder.next())
        XCTAssertThrowsError(try decoder.finish()) { XCTAssertEqual($0 as? PeerStreamError, .truncated) }
    }
}
