import Raft
import XCTest

@testable import EtcdServer

/// POST /raft/snapshot bodies: a length-prefixed MsgSnap, then the db bytes to the body's end.
final class PeerSnapshotBodyTests: XCTestCase {
    private func snapMessage() -> Message {
        var message = Message(type: .snap, to: 2, from: 1, term: 4)
        message.snapshot.metadata.index = 1000
        message.snapshot.metadata.term = 4
        message.snapshot.data = Array("v2 store json".utf8)
        return message
    }

    private func db(_ count: Int) -> [UInt8] { (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31) } }

    func testMessageThenDbInBoundedChunksOverChunkedHTTP() throws {
        let message = snapMessage()
        let database = db(200_000)
        var body: [UInt8] = []
        SnapshotBodyEncoder.encodeHead(message, appendingTo: &body)
        body += database

        var wire: [UInt8] = []
        PeerRequest.snapshotPost(host: "10.0.0.2:2380", sender: PeerSender(memberID: .init(1), clusterID: .init(9), peerURLs: []))
            .encode(appendingTo: &wire)
        for start in stride(from: 0, to: body.count, by: 30_000) {
            PeerChunkedEncoder.encodeChunk(body[start..<min(start + 30_000, body.count)], appendingTo: &wire)
        }
        PeerChunkedEncoder.encodeEnd(appendingTo: &wire)

        var reader = PeerHTTPReader(role: .server)
        var decoder = SnapshotBodyDecoder()
        var received: Message?
        var receivedDb: [UInt8] = []
        var ended = false
        for start in stride(from: 0, to: wire.count, by: 4096) {
            reader.append(wire[start..<min(start + 4096, wire.count)])
            while let event = try reader.next() {
                switch event {
                case .requestHead(let head):
                    XCTAssertEqual(try PeerHTTPBodyFraming.ofRequest(head), .chunked)
                    XCTAssertEqual(PeerEndpoint(path: head.path), .snapshot)
                case .body(let piece):
                    decoder.append(piece)
                    while let output = try decoder.next() {
                        switch output {
                        case .message(let m):
                            XCTAssertNil(received)
                            received = m
                        case .dbBytes(let chunk):
                            XCTAssertNotNil(received, "db bytes come after the message")
                            XCTAssertLessThanOrEqual(chunk.count, SnapshotBodyDecoder.dbChunkBytesMax)
                            receivedDb += chunk
                        }
                    }
                    XCTAssertLessThanOrEqual(decoder.dbByteCount, UInt64(database.count))
                case .end:
                    ended = true
                    XCTAssertEqual(try decoder.finish(), UInt64(database.count))
                case .responseHead:
                    XCTFail("a server reads requests")
                }
            }
        }
        XCTAssertTrue(ended)
        XCTAssertEqual(received, message)
        XCTAssertEqual(receivedDb, database)
    }

    func testNonSnapshotMessageIsEtcdsWrongTypeRefusal() {
        var decoder = SnapshotBodyDecoder()
        var body: [UInt8] = []
        MessageStreamEncoder.encode(Message(type: .app, to: 2, from: 1), appendingTo: &body)
        decoder.append(body)
        XCTAssertThrowsError(try decoder.next()) { error in
            XCTAssertEqual(error as? PeerStreamError, .wrongSnapshotMessageType)
            let response = PeerRejection.wrongSnapshotMessageType.response(from: .snapshot, clusterID: .init(9))
            XCTAssertEqual(response.head.status, 400)
            XCTAssertEqual(response.body, Array("wrong raft message type\n".utf8))
        }
    }

    func testBodyEndingBeforeTheMessageIsTruncated() throws {
        var body: [UInt8] = []
        SnapshotBodyEncoder.encodeHead(snapMessage(), appendingTo: &body)
        var decoder = SnapshotBodyDecoder()
        decoder.append(body.dropLast(3))
        XCTAssertNil(try decoder.next())
        XCTAssertThrowsError(try decoder.finish()) { XCTAssertEqual($0 as? PeerStreamError, .truncated) }
        XCTAssertEqual(PeerRejection.snapshotDecodeFailed(.truncated).text, "failed to decode raft message (unexpected EOF)")
    }

    func testEmptyDbIsZeroBytes() throws {
        var body: [UInt8] = []
        SnapshotBodyEncoder.encodeHead(snapMessage(), appendingTo: &body)
        var decoder = SnapshotBodyDecoder()
        decoder.append(body)
        XCTAssertEqual(try decoder.next(), .message(snapMessage()))
        XCTAssertNil(try decoder.next())
        XCTAssertEqual(try decoder.finish(), 0)
    }
}
