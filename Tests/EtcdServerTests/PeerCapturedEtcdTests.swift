import EtcdBasics
import Raft
import XCTest

@testable import EtcdServer

/// swetcd's peer wire layer against bytes a real etcd 3.4.23 sent and answered (captured by
/// Scripts/peerwire-capture: etcd is member m1 of a two-member cluster, the script plays m2,
/// grants m1's vote and acknowledges its appends, so m1 leads and streams to it).
final class PeerCapturedEtcdTests: XCTestCase {
    private typealias Captured = PeerCapturedTranscripts
    private let m1 = PeerTestSupport.memberID(Captured.m1)
    private let m2 = PeerTestSupport.memberID(Captured.m2)
    private let cluster = PeerTestSupport.clusterID(Captured.clusterID)
    /// Go's client adds these; swetcd does not send them, and a sans-I/O layer writes no Date.
    private let goOnlyFields = ["User-Agent", "Accept-Encoding", "Date"]

    private func requestHead(_ name: String) throws -> (PeerHTTPRequestHead, body: [UInt8]) {
        let events = try PeerTestSupport.readAll(Captured.bytes(name), role: .server)
        guard case .requestHead(let head)? = events.first else { throw XCTSkip("no head in \(name)") }
        if case .body(let body)? = events.dropFirst().first { return (head, Array(body)) }
        return (head, [])
    }

    private func checkAsM2(_ head: PeerHTTPRequestHead) throws(PeerRejection) -> PeerAcceptedRequest {
        try PeerRequestCheck.check(head, endpoint: PeerEndpoint(path: head.path),
                                   local: PeerLocalIdentity(memberID: m2, clusterID: cluster),
                                   isRemoved: { _ in false }, isKnownPeer: { $0 == self.m1 })
    }

    private func checkAsM1(_ head: PeerHTTPRequestHead) throws(PeerRejection) -> PeerAcceptedRequest {
        try PeerRequestCheck.check(head, endpoint: PeerEndpoint(path: head.path),
                                   local: PeerLocalIdentity(memberID: m1, clusterID: cluster),
                                   isRemoved: { _ in false }, isKnownPeer: { $0 == self.m2 })
    }

    // MARK: what etcd dials and posts

    func testEtcdsStreamDialsAreAcceptedAndMatchOursFieldForField() throws {
        let sender = PeerSender(memberID: m1, clusterID: cluster, peerURLs: ["http://127.0.0.1:35381"])
        for (name, kind) in [("m1-dials-stream-message.request", PeerStreamType.message),
                             ("m1-dials-stream-msgapp.request", .msgAppV2)] {
            let (head, body) = try requestHead(name)
            XCTAssertEqual(head.method, "GET")
            XCTAssertEqual(head.path, PeerPath.stream(kind, from: m1))
            XCTAssertEqual(head.headers.value(for: "x-raft-to"), Captured.m2)
            XCTAssertEqual(head.headers.value(for: "X-Server-From"), Captured.m1)
            XCTAssertEqual(head.headers.value(for: "X-PeerURLs"), "http://127.0.0.1:35381")
            XCTAssertTrue(head.isKeepAlive)
            XCTAssertEqual(body, [])
            XCTAssertEqual(try checkAsM2(head), .stream(kind, from: m1))

            var ours: [UInt8] = []
            PeerRequest.streamDial(kind, to: m2, host: "127.0.0.1:35382", sender: sender).encode(appendingTo: &ours)
            XCTAssertEqual(String(decoding: ours, as: UTF8.self),
                           String(decoding: PeerTestSupport.removingHeaderLines(goOnlyFields, from: Captured.bytes(name)), as: UTF8.self))
        }
    }

    func testEtcdsPipelineMsgVoteDecodesAndReencodesByteForByte() throws {
        let (head, body) = try requestHead("m1-pipeline-type5.request")
        XCTAssertEqual(try checkAsM2(head), .pipeline)
        XCTAssertEqual(try PeerHTTPBodyFraming.ofRequest(head), .contentLength(UInt64(body.count)))
        XCTAssertEqual(head.headers.value(for: PeerHeader.contentType), "application/protobuf")

        let vote = try Message(serializedBytes: body)
        XCTAssertEqual(vote.type, .vote)
        XCTAssertEqual(vote.from, m1.rawValue)
        XCTAssertEqual(vote.to, m2.rawValue)
        XCTAssertEqual(vote.term, 2, "the first campaign, after the bootstrap term 1")
        XCTAssertEqual(vote.logTerm, 1)
        XCTAssertEqual(vote.index, 2, "two bootstrap ConfChange entries")
        XCTAssertEqual(vote.serializedBytes(), body, "gogo writes every non-nullable field; so must we")

        var ours: [UInt8] = []
        PeerRequest.pipelinePost(bodyLength: body.count, host: "127.0.0.1:35382",
                                 sender: PeerSender(memberID: m1, clusterID: cluster, peerURLs: ["http://127.0.0.1:35381"]))
            .encode(appendingTo: &ours)
        ours += body
        XCTAssertEqual(ours, PeerTestSupport.removingHeaderLines(goOnlyFields, from: Captured.bytes("m1-pipeline-type5.request")))
    }

    // MARK: what etcd streams

    func testEtcdsMessageStreamIsOneChunkPerMessageInOurFraming() throws {
        let raw = Captured.bytes("m1-streams-message.response")
        for pieceSize in [raw.count, 7] {
            var reader = PeerHTTPReader(role: .client)
            var decoder = MessageStreamDecoder()
            var head: PeerHTTPResponseHead?
            var messages: [Message] = []
            var offset = 0
            while offset < raw.count {
                let end = min(offset + pieceSize, raw.count)
                reader.append(raw[offset..<end])
                offset = end
                while let event = try reader.next() {
                    switch event {
                    case .responseHead(let h): head = h
                    case .body(let piece):
                        decoder.append(piece)
                        while let message = try decoder.next() { messages.append(message) }
                    case .end, .requestHead: XCTFail("unexpected \(event)")
                    }
                }
            }
            XCTAssertEqual(head?.status, 200)
            XCTAssertEqual(try head.map(PeerHTTPBodyFraming.ofResponse), .chunked)
            XCTAssertEqual(decoder.bufferedByteCount, 0)
            XCTAssertGreaterThan(messages.count, 10)
            XCTAssertTrue(messages[0].isLinkHeartbeat, "a fresh stream starts with a link heartbeat")
            XCTAssertEqual(messages[1].type, .vote)
            XCTAssertEqual(messages[1].from, m1.rawValue)
            XCTAssertEqual(messages[1].term, 3)
            let raftHeartbeats = messages.filter { $0.type == .heartbeat && !$0.isLinkHeartbeat }
            XCTAssertGreaterThan(raftHeartbeats.count, 5, "the leader's heartbeats travel this stream")
            XCTAssertTrue(raftHeartbeats.allSatisfy { $0.from == m1.rawValue && $0.to == m2.rawValue && $0.term == 3 })
            XCTAssertFalse(messages.contains { $0.type == .app }, "MsgApp goes over msgappv2 instead")

            // Re-encode: our 200 head, then one chunk per message, is etcd's bytes exactly.
            var ours: [UInt8] = []
            PeerResponse.streamAccepted(clusterID: cluster).encode(appendingTo: &ours)
            for message in messages {
                var frame: [UInt8] = []
                MessageStreamEncoder.encode(message, appendingTo: &frame)
                PeerChunkedEncoder.encodeChunk(frame, appendingTo: &ours)
            }
            XCTAssertEqual(ours, PeerTestSupport.removingHeaderLines(["Date"], from: raw))
        }
    }

    func testEtcdsMsgAppV2StreamDecodesWithStateAndReencodesByteForByte() throws {
        let raw = Captured.bytes("m1-streams-msgapp.response")
        let events = try PeerTestSupport.readAll(raw, role: .client, pieceSize: 5)
        guard case .responseHead(let head)? = events.first, case .body(let body)? = events.last else {
            return XCTFail("\(events)")
        }
        XCTAssertEqual(head.status, 200)
        var decoder = MsgAppV2Decoder(local: m2, remote: m1)
        decoder.append(body)
        var messages: [Message] = []
        while let message = try decoder.next() { messages.append(message) }
        XCTAssertEqual(decoder.bufferedByteCount, 0)

        XCTAssertTrue(messages[0].isLinkHeartbeat)
        let apps = messages.filter { !$0.isLinkHeartbeat }
        XCTAssertGreaterThanOrEqual(apps.count, 3)
        // The first MsgApp of the new leader goes whole: it probes at the bootstrap entries.
        XCTAssertEqual(apps[0].type, .app)
        XCTAssertEqual([apps[0].term, apps[0].logTerm, apps[0].index], [3, 1, 2])
        XCTAssertEqual(apps[0].entries.map(\.index), [3], "the leader's empty entry of term 3")
        // Then AppEntries, rebuilt from the tracked (term, index): consecutive, From m1, To m2.
        var expectedIndex = apps[0].entries.last!.index
        for app in apps.dropFirst() {
            XCTAssertEqual(app.type, .app)
            XCTAssertEqual([app.from, app.to], [m1.rawValue, m2.rawValue])
            XCTAssertEqual([app.term, app.logTerm, app.index], [3, 3, expectedIndex])
            XCTAssertEqual(app.entries.map(\.index), Array(stride(from: expectedIndex + 1, through: expectedIndex + UInt64(app.entries.count), by: 1)))
            expectedIndex += UInt64(app.entries.count)
        }
        XCTAssertEqual(apps.last?.commit, expectedIndex, "the empty AppEntries carries the new commit")
        XCTAssertEqual(decoder.term, 3)
        XCTAssertEqual(decoder.index, expectedIndex)

        // Re-encode: the frames are etcd's bytes exactly. (Chunk boundaries are not compared:
        // etcd flushes once per batch of queued messages, and this capture has an empty
        // AppEntries and the next AppEntries in one chunk.)
        var encoder = MsgAppV2Encoder()
        var ours: [UInt8] = []
        for message in messages { encoder.encode(message, appendingTo: &ours) }
        XCTAssertEqual(ours, Array(body))
        XCTAssertEqual([encoder.term, encoder.index], [decoder.term, decoder.index])
    }

    // MARK: etcd's answers

    func testEtcdsRefusalsAreOurRejectionsByteForByte() throws {
        let cases: [(String, PeerRejection)] = [
            ("m2-posts-wrong-cluster-id", .clusterIDMismatch),
            ("m2-dials-unknown-sender", .senderNotFound),
            ("m2-dials-wrong-raft-to", .toFieldMismatch),
            ("m2-gets-raft", .methodNotAllowed(allow: "POST")),
        ]
        for (name, expected) in cases {
            let (head, _) = try requestHead(name + ".request")
            XCTAssertThrowsError(try checkAsM1(head), name) { XCTAssertEqual($0 as? PeerRejection, expected, name) }
            var ours: [UInt8] = []
            expected.response(from: PeerEndpoint(path: head.path), clusterID: cluster).encode(appendingTo: &ours)
            XCTAssertEqual(String(decoding: ours, as: UTF8.self),
                           String(decoding: PeerTestSupport.removingHeaderLines(["Date"], from: Captured.bytes(name + ".response")), as: UTF8.self),
                           name)
        }
    }

    func testEtcdAnswersADeliveredPipelineMessageWith204() throws {
        let (head, body) = try requestHead("m2-posts-MsgVoteResp.request")
        XCTAssertEqual(try checkAsM1(head), .pipeline)
        XCTAssertEqual(try Message(serializedBytes: body).type, .voteResp)
        var ours: [UInt8] = []
        PeerResponse.delivered(clusterID: cluster).encode(appendingTo: &ours)
        XCTAssertEqual(ours, PeerTestSupport.removingHeaderLines(["Date"], from: Captured.bytes("m2-posts-MsgVoteResp.response")))
        let events = try PeerTestSupport.readAll(Captured.bytes("m2-posts-MsgVoteResp.response"), role: .client)
        XCTAssertEqual(events.count, 2, "204 has no body: head then end, \(events)")
        XCTAssertEqual(events.last, .end)
    }

    func testEtcdsMembersAndVersionAnswersReadAsContentLengthBodies() throws {
        let members = try PeerTestSupport.readAll(Captured.bytes("m2-gets-members.response"), role: .client)
        guard case .responseHead(let head)? = members.first, case .body(let body)? = members.dropFirst().first else {
            return XCTFail("\(members)")
        }
        XCTAssertEqual(head.headers.value(for: PeerHeader.clusterID), Captured.clusterID)
        XCTAssertEqual(head.headers.value(for: PeerHeader.contentType), "application/json")
        let json = String(decoding: body, as: UTF8.self)
        XCTAssertTrue(json.contains("\"id\":\(m1.rawValue),\"peerURLs\":[\"http://127.0.0.1:35381\"],\"name\":\"m1\""), json)
        XCTAssertEqual(members.last, .end)

        let version = try PeerTestSupport.readAll(Captured.bytes("m2-gets-version.response"), role: .client)
        XCTAssertEqual(version.dropFirst().first, .body(ArraySlice(#"{"etcdserver":"3.4.23","etcdcluster":"not_decided"}"#.utf8)))
        let (dial, _) = try requestHead("m1-gets-version.request")
        XCTAssertEqual(PeerEndpoint(path: dial.path), .version)
    }
}
